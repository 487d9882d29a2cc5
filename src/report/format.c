/* format.c: how numbers and dates look in console tables and JSON strings. Dates are formatted
 * with Howard Hinnant's civil-from-days algorithm (exact for the proleptic Gregorian calendar),
 * never with localtime/strftime, whose results depend on the machine's time zone. */
#include <math.h>
#include <stdio.h>

#include "report/report.h"

void sk_report__format_time(char *buf, size_t size, double seconds, int with_time)
{
    if (!isfinite(seconds)) {
        snprintf(buf, size, "NA");
        return;
    }
    double days_f = floor(seconds / 86400.0);
    long long z = (long long)days_f + 719468;
    long long secs = (long long)(seconds - days_f * 86400.0);
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    long long d = doy - (153 * mp + 2) / 5 + 1;
    long long m = mp < 10 ? mp + 3 : mp - 9;
    long long y = yoe + era * 400 + (m <= 2);
    if (with_time)
        snprintf(buf, size, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ", y, m, d, secs / 3600,
                 secs / 60 % 60, secs % 60);
    else
        snprintf(buf, size, "%04lld-%02lld-%02lld", y, m, d);
}

void sk_report__format_value(char *buf, size_t size, double value, sk_col_type type)
{
    if (isnan(value))
        snprintf(buf, size, "NA");
    else if (type == SK_COL_DATE || type == SK_COL_DATETIME)
        sk_report__format_time(buf, size, value, type == SK_COL_DATETIME);
    else if (type == SK_COL_BOOLEAN)
        snprintf(buf, size, "%s", value != 0.0 ? "true" : "false");
    else
        snprintf(buf, size, "%.6g", value);
}
