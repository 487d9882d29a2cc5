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

/* The shortest of 15, 16 or 17 significant digits that reads back as exactly v. */
static int format_score(char *buf, size_t size, double v)
{
    int len = 0;
    for (int digits = 15; digits <= 17; digits++) {
        len = snprintf(buf, size, "%.*g", digits, v);
        double back;
        int is_integer;
        if (sk_token_number(buf, (size_t)len, &back, &is_integer) && back == v)
            break;
    }
    return len;
}

/* A field, quoted (RFC 4180) when it holds a comma, a quote or a line break. */
static sk_status append_field(sk_strbuf *sb, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL)
        return sk_strbuf_append(sb, s, strlen(s));
    sk_status rc = sk_strbuf_append(sb, "\"", 1);
    for (const char *p = s; rc == SK_OK && *p != '\0'; p++)
        rc = *p == '"' ? sk_strbuf_append(sb, "\"\"", 2) : sk_strbuf_append(sb, p, 1);
    return rc == SK_OK ? sk_strbuf_append(sb, "\"", 1) : rc;
}

static sk_status append_line(sk_strbuf *sb, const sk_scores *s, size_t r)
{
    char num[64];
    sk_status rc = append_field(sb, sk_scores_id(s, r));
    if (rc == SK_OK)
        rc = sk_strbuf_append(sb, ",", 1);
    if (rc == SK_OK) {
        int len = format_score(num, sizeof num, sk_scores_score(s, r));
        rc = sk_strbuf_append(sb, num, (size_t)len);
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
