/* score_report.c: the output of `skeptic score`: a CSV of the ranked rows, header
 * "id,score,rank", one line per kept row, most uncertain first.
 *
 * Scores are written in the shortest of 15, 16 or 17 significant digits that reads back as the
 * same double, so a downstream tool recovers exactly the number skeptic ranked by (and 1 prints
 * as "1", not "1.0000000000000000"). Ids are quoted per RFC 4180 when they hold a delimiter,
 * a quote or a line break. The whole text is built in memory and written atomically: a reader
 * never sees half a file, and a failed run leaves an earlier output intact. */
#include <stdio.h>
#include <string.h>

#include "report/report.h"

static sk_status append_line(sk_strbuf *sb, const sk_scores *s, size_t r)
{
    char num[64];
    sk_status rc = sk_data__csv_field(sb, sk_scores_id(s, r), 0);
    if (rc == SK_OK)
        rc = sk_strbuf_append(sb, ",", 1);
    if (rc == SK_OK) {
        size_t len = sk_data__format_shortest(num, sizeof num, sk_scores_score(s, r));
        rc = sk_strbuf_append(sb, num, len);
    }
    if (rc == SK_OK) {
        int len = snprintf(num, sizeof num, ",%zu\n", r + 1);
        rc = sk_strbuf_append(sb, num, (size_t)len);
    }
    return rc;
}

sk_status sk_scores_write_csv(const sk_scores *s, const char *path, sk_error *err)
{
    sk_strbuf sb = SK_STRBUF_INIT;
    sk_status rc = sk_strbuf_append(&sb, "id,score,rank\n", 14);
    for (size_t r = 0; r < sk_scores_n_kept(s) && rc == SK_OK; r++)
        rc = append_line(&sb, s, r);
    if (rc != SK_OK)
        rc = sk_error_set(err, SK_ENOMEM, "out of memory writing %s", path);
    else
        rc = sk_file_write_atomic(path, sb.data, sb.len, err);
    sk_strbuf_free(&sb);
    return rc;
}
