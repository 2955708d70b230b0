/*
 * Runs a libFuzzer target once per file named on the command line, without
 * libFuzzer: how the corpus is replayed under CTest and plain gcc. Exits 0 when
 * every input went through; a crash or a sanitizer report ends the process.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		unsigned char *buf = NULL;
		size_t len = 0, cap = 0, n;

		if (!f) {
			perror(argv[i]);
			return 2;
		}
		do {
			if (len == cap) {
				unsigned char *nb = realloc(buf, cap ? cap * 2 : 4096);
				if (!nb) {
					fprintf(stderr, "%s: out of memory\n", argv[i]);
					return 2;
				}
				buf = nb;
				cap = cap ? cap * 2 : 4096;
			}
			n = fread(buf + len, 1, cap - len, f);
			len += n;
		} while (n > 0);
		if (ferror(f)) {
			perror(argv[i]);
			return 2;
		}
		fclose(f);
		fprintf(stderr, "%s (%zu bytes)\n", argv[i], len);
		LLVMFuzzerTestOneInput(buf, len);
		free(buf);
	}
	return 0;
}
