#include "fixture.h"

hd_engine *hd_test_engine;

int hd_test_setup(void **state)
{
	hd_engine_options eo = HD_ENGINE_OPTIONS_INIT;
	hd_diags d = HD_DIAGS_INIT;
	int r;
	(void)state;
	eo.data_dir = HD_SOURCE_DIR "/xml";
	r = hd_engine_new(&hd_test_engine, &eo, &d);
	hd_diags_free(&d);
	return r ? -1 : 0;
}

int hd_test_teardown(void **state)
{
	(void)state;
	hd_engine_free(hd_test_engine);
	hd_test_engine = NULL;
	return 0;
}
