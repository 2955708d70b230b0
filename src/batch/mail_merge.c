/*
 * mail_merge: hd_batch_mail, a client list's documents mailed, one message
 * per row, on top of hd_batch.
 *
 *   hd_batch (PDFs + manifest, resumable) ──▶ per row made: its session,
 *   its PDF from the folder ──▶ hd_mail_new ──▶ .eml and/or
 *   hd_mail_journal_send (rate, retries, journal keyed by the row's id)
 *   ──▶ <out_dir>/mail.csv, one line per row
 *
 * Rows are mailed one at a time, in list order: the rate limit is the
 * bottleneck, not the CPU, and one connection at a time is what providers
 * expect of a sender.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "handout.h"
#include "list.h"
#include "manifest.h"
#include "util.h"

/* One row of the mail manifest. */
typedef struct mailed {
	int row;
	const char *id;
	char *client, *email, *status, *message_id, *reply;
} mailed;

/* A cell of mail.csv, as the batch's manifest writes its cells. */
static void cell(hd_buf *b, const char *s, int last)
{
	hd_manifest_csv_cell(b, s ? s : "");
	hd_buf_puts(b, last ? "\r\n" : ",");
}

static int write_manifest(const char *path, const mailed *m, size_t n, hd_diags *d)
{
	hd_buf b = HD_BUF_INIT;
	size_t i;
	int r;

	hd_buf_puts(&b, "row,id,client,email,status,message_id,server_reply\r\n");
	for (i = 0; i < n; i++) {
		hd_buf_printf(&b, "%d,", m[i].row);
		cell(&b, m[i].id, 0);
		cell(&b, m[i].client, 0);
		cell(&b, m[i].email, 0);
		cell(&b, m[i].status, 0);
		cell(&b, m[i].message_id, 0);
		cell(&b, m[i].reply, 1);
	}
	if (b.oom) {
		hd_buf_free(&b);
		return HD_ENOMEM;
	}
	r = hd_write_file_atomic(path, b.data, b.len, d);
	hd_buf_free(&b);
	return r;
}

/* Copies the diagnostics of one row into the caller's list, naming the row. */
static void keep(hd_diags *to, const hd_diags *from, const char *list_path, int row)
{
	size_t i;
	for (i = 0; to && i < from->count; i++) {
		const hd_diag *g = &from->items[i];
		if (g->severity != HD_ERROR && g->severity != HD_WARNING)
			continue;
		hd_diag_add(to, g->severity, g->file[0] ? g->file : list_path, g->line ? g->line : row,
		            g->col, g->hint[0] ? g->hint : NULL, "%s", g->message);
	}
}

int hd_batch_mail(hd_batch_mail_result *out, hd_engine *e, const char *list_path,
                  const hd_batch_options *bo, const hd_batch_mail_options *mo, hd_diags *d)
{
	hd_list *list = NULL;
	hd_mail_journal *journal = NULL;
	hd_manifest_entry *made = NULL;
	const hd_manifest_entry **bymade = NULL;
	mailed *rows = NULL;
	hd_diags scratch = HD_DIAGS_INIT;
	hd_batch_progress pg;
	size_t nmade = 0, nrows = 0, i;
	const char *dir, *pwcol;
	int r, worst = HD_OK;

	if (!out)
		return HD_EINVAL;
	memset(out, 0, sizeof(*out));
	if (!e || !list_path || !bo || !mo || mo->version < 1 || mo->version > 2 ||
	    !mo->mail || (!mo->eml_dir && !mo->send) || (mo->send && !mo->journal_path) ||
	    bo->kind == HD_KIND_REPORT)
		return HD_EINVAL;
	dir = bo->out_dir && *bo->out_dir ? bo->out_dir : "out";
	pwcol = mo->version >= 2 ? mo->password_column : NULL;

	/* 1. the documents, as hd_batch makes them (resumable; refused rows
	 * reported); its warning that the password column is no session field
	 * is left out: the merge uses that column */
	r = hd_batch_keep_list(&out->batch, e, list_path, bo, &list, pwcol ? &scratch : d);
	for (i = 0; pwcol && i < scratch.count; i++) {
		const hd_diag *g = &scratch.items[i];
		const char *q = strchr(g->message, '\'');
		size_t n = strlen(pwcol);
		if (g->severity == HD_WARNING && q && !strncasecmp(q + 1, pwcol, n) && q[1 + n] == '\'' &&
		    strstr(g->message, "is not a session field"))
			continue;
		hd_diag_coded(d, g->severity, g->code, g->field[0] ? g->field : NULL, g->file, g->line,
		              g->col, g->hint[0] ? g->hint : NULL, "%s", g->message);
		if (d && d->count && !strcmp(d->items[d->count - 1].message, g->message))
			memcpy(d->items[d->count - 1].column, g->column, sizeof(g->column));
	}
	hd_diags_free(&scratch);
	if (r != HD_OK && r != HD_EINPUT && r != HD_EIO) {
		hd_list_free(list);
		return r;
	}
	if (out->batch.cancelled || !out->batch.manifest_jsonl[0] || !list) {
		hd_list_free(list);
		return r;
	}
	worst = r;

	/* 2. what was made, from the manifest; the sessions from the rows the
	 * batch read (a list changed or replaced since is not read again: a
	 * row's document goes to the client it was made for, or to no one) */
	r = hd_manifest_read(&made, &nmade, out->batch.manifest_jsonl, 0, d);
	if (r)
		goto cleanup;
	if (pwcol && nmade) {
		if (hd_list_has_column(list, pwcol) < 0) {
			hd_diag_add(d, HD_ERROR, list_path, 1, 0,
			            "name the column that holds each client's password, as the header "
			            "row writes it",
			            "the list has no column '%s' for the passwords", pwcol);
			r = HD_EINPUT;
			goto cleanup;
		}
	}
	bymade = malloc((nmade ? nmade : 1) * sizeof(*bymade));
	if (!bymade) {
		r = HD_ENOMEM;
		goto cleanup;
	}
	for (i = 0; i < nmade; i++)
		bymade[i] = &made[i];
	qsort(bymade, nmade, sizeof(*bymade), hd_manifest_cmp_id_row);
	rows = calloc(nmade ? nmade : 1, sizeof(*rows));
	if (!rows) {
		r = HD_ENOMEM;
		goto cleanup;
	}
	if (mo->send) {
		r = hd_mail_journal_open(&journal, mo->journal_path, d);
		if (r)
			goto cleanup;
	}
	snprintf(out->manifest_csv, sizeof(out->manifest_csv), "%s%smail.csv", dir,
	         dir[strlen(dir) - 1] == '/' ? "" : "/");
	memset(&pg, 0, sizeof(pg));
	for (i = 0; i < nmade; i++)
		pg.total += !strcmp(made[i].status, "made") || !strcmp(made[i].status, "skipped");

	/* 3. one message per row made, in list order */
	for (i = 0; i < hd_list_count(list); i++) {
		const hd_manifest_entry *m;
		hd_mail_options opts = *mo->mail;
		hd_diags rd = HD_DIAGS_INIT;
		hd_session *s = NULL;
		hd_mail *msg = NULL;
		hd_batch_row brow;
		mailed *row;
		char *pdfpath = NULL, *pdf = NULL, *stem = NULL, *eml = NULL, *pw = NULL;
		size_t pdf_len = 0;
		int rr;

		if (hd_list_changed(list)) {
			/* edited in place since the batch read it: every later row has
			 * moved, so nothing more is mailed (said once) */
			hd_diag_coded(d, HD_ERROR, HD_DIAG_IO, NULL, list_path, 0, 0,
			              "run the same command again once the list is saved: a message "
			              "sent is never sent twice",
			              "the list was changed while it was being read: nothing more is "
			              "mailed");
			worst = HD_EIO;
			break;
		}
		m = hd_manifest_find(bymade, nmade, hd_list_row_id(list, i), hd_list_row_line(list, i));
		if (!m || (strcmp(m->status, "made") && strcmp(m->status, "skipped")) || !m->output ||
		    !*m->output)
			continue; /* another shard's, or refused by the batch (reported there) */
		if (bo->cancel && bo->cancel(bo->ctx)) {
			out->cancelled = 1;
			break;
		}
		row = &rows[nrows++];
		row->row = hd_list_row_line(list, i);
		row->id = m->id;
		row->client = strdup(m->client ? m->client : "");
		pdfpath = hd_path_join(dir, m->output);
		stem = strndup(m->output, strlen(m->output) > 4 ? strlen(m->output) - 4 : strlen(m->output));
		rr = row->client && pdfpath && stem ? HD_OK : HD_ENOMEM;
		if (!rr)
			rr = hd_list_session(&s, list, i, e, &rd);
		if (!rr)
			rr = hd_read_file(&pdf, &pdf_len, pdfpath, (size_t)256 << 20, &rd);
		opts.kind = bo->kind;
		opts.template_path = bo->template_path;
		opts.clinic_path = bo->clinic_path;
		opts.file_stem = stem;
		if (!rr && pwcol) {
			rr = hd_list_row_cell(&pw, list, i, pwcol, &rd);
			if (!rr && !*pw) {
				hd_diag_add(&rd, HD_ERROR, list_path, row->row, 0,
				            "write the client's password in the row, or leave the client out",
				            "no password in column '%s': the document is never sent unprotected",
				            pwcol);
				rr = HD_EINPUT;
			}
			opts.password = pw;
		}
		if (!rr)
			rr = hd_mail_new(&msg, e, s, (const unsigned char *)pdf, pdf_len, &opts, &rd);
		if (msg) {
			row->email = strdup(hd_mail_recipient(msg));
			row->message_id = strdup(hd_mail_message_id(msg));
		}
		if (!rr && mo->eml_dir) {
			const unsigned char *bytes;
			size_t len;
			rr = hd_output_path(&eml, mo->eml_dir, stem, ".eml");
			hd_mail_bytes(&bytes, &len, msg);
			if (!rr)
				rr = hd_write_file_atomic(eml, bytes, len, &rd);
			if (!rr) {
				out->written++;
				row->status = strdup("written");
			}
		}
		if (!rr && mo->send) {
			hd_smtp_reply reply;
			hd_mail_state st;
			rr = hd_mail_journal_send(&st, &reply, journal, m->id, msg, mo->send, &rd);
			free(row->status);
			row->reply = strdup(reply.text);
			if (rr == HD_OK && !reply.code) {
				out->already++;
				row->status = strdup("already-sent");
			} else if (rr == HD_OK) {
				out->sent++;
				row->status = strdup("sent");
			} else if (st == HD_MAIL_UNCERTAIN) {
				out->uncertain++;
				row->status = strdup("uncertain");
				hd_diag_add(&rd, HD_WARNING, NULL, 0, 0,
				            "it may have arrived; --resend-uncertain sends it again (with the "
				            "same Message-ID)",
				            "not sent again to %s: an earlier run handed it to the server and "
				            "stopped before the answer", hd_mail_recipient(msg));
			} else if (st == HD_MAIL_REFUSED) {
				out->refused++;
				row->status = strdup("refused");
				if (!reply.code && !reply.text[0])
					hd_diag_add(&rd, HD_ERROR, NULL, 0, 0, NULL,
					            "not sent to %s: the server refused it in an earlier run "
					            "(journal)", hd_mail_recipient(msg));
			} else {
				out->failed++;
				row->status = strdup("failed");
			}
		} else if (rr) {
			/* no message: no address, a bad one, the PDF unreadable */
			out->refused += rr == HD_EINPUT;
			out->failed += rr != HD_EINPUT;
			row->status = strdup(rr == HD_EINPUT ? "refused" : "failed");
			if (!row->reply && rd.count)
				row->reply = strdup(rd.items[rd.count - 1].message);
		}
		if (!row->status || (!row->email && msg) || (!row->message_id && msg))
			rr = rr ? rr : HD_ENOMEM;
		/* the worst outcome decides the status: not sent, then refused rows */
		if (rr == HD_ENOMEM)
			worst = HD_ENOMEM;
		else if (rr && worst != HD_ENOMEM)
			worst = rr == HD_EINPUT && worst != HD_ESEND ? HD_EINPUT : HD_ESEND;
		/* the row's problems name the list and the row */
		{
			size_t k;
			for (k = 0; k < rd.count; k++) {
				if (!rd.items[k].line || !strcmp(rd.items[k].file, "<session>") ||
				    !rd.items[k].file[0]) {
					snprintf(rd.items[k].file, sizeof(rd.items[k].file), "%s", list_path);
					rd.items[k].line = row->row;
				}
			}
		}
		if (!bo->row_done) /* else the caller has them through row_done */
			keep(d, &rd, list_path, row->row);
		pg.done++;
		pg.made = out->sent + out->written * !mo->send;
		pg.skipped = out->already;
		pg.refused = out->refused;
		pg.failed = out->failed + out->uncertain;
		if (bo->row_done) {
			memset(&brow, 0, sizeof(brow));
			brow.index = i;
			brow.id = m->id;
			brow.line = row->row;
			brow.status = row->status ? row->status : "failed";
			brow.output = eml;
			brow.diags = &rd;
			bo->row_done(&brow, bo->ctx);
		}
		if (bo->progress)
			bo->progress(&pg, bo->ctx);
		hd_diags_free(&rd);
		hd_mail_free(msg);
		hd_session_free(s);
		free(pdf);
		free(pdfpath);
		free(stem);
		free(eml);
		if (pw)
			explicit_bzero(pw, strlen(pw));
		free(pw);
		if (rr == HD_EIO && mo->send) /* the journal cannot be written: stop sending */
			break;
	}
	r = write_manifest(out->manifest_csv, rows, nrows, d);
	if (!r)
		r = worst;
cleanup:
	for (i = 0; rows && i < nrows; i++) {
		free(rows[i].client);
		free(rows[i].email);
		free(rows[i].status);
		free(rows[i].message_id);
		free(rows[i].reply);
	}
	free(rows);
	hd_mail_journal_free(journal);
	free(bymade);
	hd_manifest_entries_free(made, nmade);
	hd_list_free(list);
	return r;
}
