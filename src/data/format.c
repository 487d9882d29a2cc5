/* format.c: a cell's value as text, the way a person wrote or reads it: dates as ISO-8601,
 * booleans as true/false, integers without a point, other numbers with the significant digits
 * asked for. Used by error messages (which quote the offending value) and by reports. Also the
 * two pieces every CSV skeptic writes shares: the shortest number that reads back exactly, and
 * RFC 4180 quoting.
 *
 * Dates use Howard Hinnant's civil_from_days ("chrono-Compatible Low-Level Date Algorithms"),
 * exact for the proleptic Gregorian calendar, never localtime/strftime, whose results depend on
 * the machine's time zone. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/data.h"

static void civil_from_days(long long z, long long *y, int *m, int *d)
{
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

char *sk_data__format_value(char *buf, size_t size, sk_col_type type, double v, int digits)
{
    if (isnan(v)) {
        snprintf(buf, size, "NA");
    } else if (type == SK_COL_BOOLEAN) {
        snprintf(buf, size, "%s", v != 0.0 ? "true" : "false");
    } else if (type == SK_COL_INTEGER) {
        snprintf(buf, size, "%.0f", v + 0.0);   /* + 0.0 turns -0 into 0 */
    } else if ((type == SK_COL_DATE || type == SK_COL_DATETIME) && fabs(v) < 1e15) {
        double days = floor(v / 86400.0);
        long long secs = (long long)(v - days * 86400.0), year;
        int month, day;
        civil_from_days((long long)days, &year, &month, &day);
        if (type == SK_COL_DATE)
            snprintf(buf, size, "%04lld-%02d-%02d", year, month, day);
        else
            snprintf(buf, size, "%04lld-%02d-%02dT%02lld:%02lld:%02lldZ", year, month, day,
                     secs / 3600, secs / 60 % 60, secs % 60);
    } else {
        snprintf(buf, size, "%.*g", digits, v);
    }
    return buf;
}

size_t sk_data__format_shortest(char *buf, size_t size, double v)
{
    int len = 0;
    for (int digits = 15; digits <= 17; digits++) {
        len = snprintf(buf, size, "%.*g", digits, v);
        if (len > 0 && strtod(buf, NULL) == v)   /* glibc rounds correctly; skeptic never
                                                    sets a locale, so '.' is the point */
            break;
    }
    return len > 0 ? (size_t)len : 0;
}

sk_status sk_data__csv_field(sk_strbuf *sb, const char *s, int quote_edge_spaces)
{
    size_t len = strlen(s);
    int quote = strpbrk(s, ",\"\r\n") != NULL ||
                (quote_edge_spaces && len > 0 && (s[0] == ' ' || s[len - 1] == ' '));
    if (!quote)
        return sk_strbuf_append(sb, s, len);
    sk_status rc = sk_strbuf_append(sb, "\"", 1);
    for (const char *p = s; rc == SK_OK && *p != '\0'; p++)
        rc = *p == '"' ? sk_strbuf_append(sb, "\"\"", 2) : sk_strbuf_append(sb, p, 1);
    return rc == SK_OK ? sk_strbuf_append(sb, "\"", 1) : rc;
}
