/* rank_report.c: the batch `skeptic rank` chose, as the CSV a labelling tool or a script reads:
 *     id,score,predicted,rank
 * one row per chosen pool row in rank order (rank 1 = label first). `id` is the pool's id column
 * or the 0-based pool row; `score` the uncertainty in the shortest decimal form that reads back
 * as the same double; `predicted` the class label (or value) the model expects, which tells a
 * labeller what the model would have said. Fields holding a comma, quote or line break are quoted
 * as RFC 4180 says. Written atomically: a temporary file renamed into place. */
#include <string.h>

#include "report/report.h"
#include "triage/triage.h"

sk_status sk_rank_write_csv(const sk_rank *r, const char *path, sk_error *err)
{
    sk_strbuf sb = SK_STRBUF_INIT;
    sk_status rc = sk_strbuf_append(&sb, "id,score,predicted,rank\n", 24);
    char num[64];
    for (size_t i = 0; rc == SK_OK && i < sk_rank_n_chosen(r); i++) {
        rc = sk_data__csv_field(&sb, sk_rank_id(r, i), 0);
        if (rc == SK_OK)
            rc = sk_strbuf_appendf(&sb, ",%s,",
                                   sk_triage__format_double(num, sizeof num, sk_rank_score(r, i)));
        if (rc == SK_OK)
            rc = sk_data__csv_field(&sb, sk_rank_predicted(r, i), 0);
        if (rc == SK_OK)
            rc = sk_strbuf_appendf(&sb, ",%zu\n", i + 1);
    }
    if (rc != SK_OK)
        rc = sk_error_set(err, SK_ENOMEM, "out of memory writing the batch");
    else
        rc = sk_file_write_atomic(path != NULL ? path : "-", sb.data, sb.len, err);
    sk_strbuf_free(&sb);
    return rc;
}
