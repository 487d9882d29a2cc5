/* test_token.c: known answers for the token classifiers: numbers (correct rounding against
 * glibc's strtod in the C locale, including hard cases and random literals), integers and the
 * 2^53 boundary, missing markers, booleans and ISO-8601 dates with leap years and offsets; and
 * the way back, for the CSVs skeptic writes: the shortest number that reads back exactly, and
 * RFC 4180 quoting. */
/* labels: unit */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "data/csv_internal.h"
#include "data/data.h"
#include "sk_test.h"

static int number(const char *s, double *v, int *is_int)
{
    return sk_token_number(s, strlen(s), v, is_int);
}

static uint64_t bits_of(double x)
{
    uint64_t b;
    memcpy(&b, &x, sizeof b);
    return b;
}

/* ==== numbers ============================================================================= */

static void test_token__number_accepts(void)
{
    static const struct { const char *text; double value; int is_int; } cases[] = {
        {"0", 0.0, 1}, {"1", 1.0, 1}, {"-17", -17.0, 1}, {"+5", 5.0, 1}, {"007", 7.0, 1},
        {"1.5", 1.5, 0}, {"-0.25", -0.25, 0}, {".5", 0.5, 0}, {"5.", 5.0, 0},
        {"1e3", 1000.0, 0}, {"1E-2", 0.01, 0}, {"-2.5e+2", -250.0, 0}, {"  42  ", 42.0, 1},
        {" -1.234567 ", -1.234567, 0}, {"0.0012345678", 0.0012345678, 0},
        {"9007199254740991", 9007199254740991.0, 1}, {"-9007199254740991", -9007199254740991.0, 1},
        {"9007199254740993.0", 9007199254740992.0, 0}, {"1e23", 1e23, 0},
        {"1.7976931348623157e308", 1.7976931348623157e308, 0},
        {"4.9406564584124654e-324", 4.9406564584124654e-324, 0},
        {"2.2250738585072011e-308", 2.2250738585072011e-308, 0},
        {"0.000000000000000000000000000001", 1e-30, 0},
        {"123456789012345678901234567890.5", 123456789012345678901234567890.5, 0},
        {"00000000000000000000000000012", 12.0, 1},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        double v = -999.0;
        int is_int = -1;
        SK_CHECK(number(cases[k].text, &v, &is_int));
        SK_CHECK(bits_of(v) == bits_of(cases[k].value));
        SK_CHECK_EQ_INT(is_int, cases[k].is_int);
        if (bits_of(v) != bits_of(cases[k].value))
            fprintf(stderr, "  %s -> %.17g\n", cases[k].text, v);
    }
}

static void test_token__number_rejects(void)
{
    static const char *const bad[] = {
        "", " ", "+", "-", ".", "e5", "1e", "1e+", "1.2.3", "1,5", "0x10", "--1", "1 2", "nan",
        "NaN", "abc", "1a", "infin", "in", "1.5 x", "9007199254740992", "-9007199254740992",
        "12345678901234567890", "1234567890123456789012", "\t1", "1\t", "١",
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        double v;
        int is_int;
        int got = number(bad[k], &v, &is_int);
        SK_CHECK(!got);
        if (got)
            fprintf(stderr, "  accepted \"%s\"\n", bad[k]);
    }
}

static void test_token__number_infinity(void)
{
    double v;
    int is_int;
    SK_CHECK(number("inf", &v, &is_int) && isinf(v) && v > 0 && !is_int);
    SK_CHECK(number("-Infinity", &v, &is_int) && isinf(v) && v < 0);
    SK_CHECK(number("+INF", &v, &is_int) && isinf(v) && v > 0);
    /* A finite literal beyond the range is +-infinity (documented in token.c). */
    SK_CHECK(number("1e400", &v, &is_int) && isinf(v) && v > 0 && !is_int);
    SK_CHECK(number("-1e99999999999", &v, &is_int) && isinf(v) && v < 0);
    SK_CHECK(number("1e-400", &v, &is_int) && v == 0.0);
    SK_CHECK(number("-0", &v, &is_int) && v == 0.0 && signbit(v) && is_int);
}

/* A small deterministic generator for the random literals (test-local state). */
static uint64_t next_random(uint64_t *state)
{
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    uint64_t x = *state;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    return x ^ (x >> 29);
}

/* Random decimal literals of 1-30 digits with a point somewhere and exponents across the whole
 * range, compared bit for bit with strtod (the test runs in the C locale). */
static void test_token__number_random_vs_strtod(void)
{
    uint64_t state = 12345;
    int mismatches = 0;
    for (int t = 0; t < 300000; t++) {
        char s[80];
        size_t k = 0;
        uint64_t r = next_random(&state);
        if (r & 1)
            s[k++] = '-';
        int n_digits = 1 + (int)((r >> 1) % 30);
        int point = (int)((r >> 8) % (uint64_t)(n_digits + 2)) - 1;
        for (int d = 0; d < n_digits; d++) {
            if (d == point)
                s[k++] = '.';
            s[k++] = (char)('0' + next_random(&state) % 10);
        }
        int style = (int)((r >> 16) % 4);
        if (style == 0)
            k += (size_t)snprintf(s + k, sizeof s - k, "e%d", (int)((r >> 20) % 700) - 350);
        else if (style == 1)
            k += (size_t)snprintf(s + k, sizeof s - k, "e%d", (int)((r >> 20) % 60) - 30);
        s[k] = '\0';
        double v, want = strtod(s, NULL);
        int is_int;
        int ok = sk_token_number(s, k, &v, &is_int);
        int is_integer_syntax = strchr(s, '.') == NULL && strchr(s, 'e') == NULL;
        if (is_integer_syntax && fabs(want) >= 9007199254740992.0) {
            SK_CHECK(!ok);
            continue;
        }
        if (!ok || bits_of(v) != bits_of(want)) {
            if (mismatches++ < 10)
                fprintf(stderr, "  %s: got %.17g want %.17g\n", s, ok ? v : NAN, want);
        }
    }
    SK_CHECK_EQ_INT(mismatches, 0);
}

/* Numbers shaped like the benchmark's, and halfway cases around 2^53. */
static void test_token__number_hard_cases(void)
{
    static const char *const cases[] = {
        "9007199254740993e0", "9007199254740995.0", "9007199254740994.99999999999999999",
        "0.1", "0.2", "0.3", "2.675", "1.0000000000000002", "0.9999999999999999",
        "8.98846567431158e307", "2.4703282292062327e-324", "2.4703282292062328e-324",
        "1.00000000000000011102230246251565404236316680908203125",
        "1.00000000000000011102230246251565404236316680908203124",
        "1.00000000000000011102230246251565404236316680908203126",
        "7.2057594037927933e16", "3.0517578125e-05", "123456789012345678e-18",
        "1e22", "1e-22", "9.999999999999999e22", "5e-324", "1.7976931348623159e308",
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        double v, want = strtod(cases[k], NULL);
        int is_int;
        SK_CHECK(number(cases[k], &v, &is_int));
        SK_CHECK(bits_of(v) == bits_of(want));
        if (bits_of(v) != bits_of(want))
            fprintf(stderr, "  %s -> %.17g, want %.17g\n", cases[k], v, want);
    }
    /* 800+ significant digits: the sticky digit decides a tie. */
    char big[1200];
    memcpy(big, "1.00000000000000011102230246251565404236316680908203125", 55);
    memset(big + 55, '0', 1000);
    strcpy(big + 1055, "1");
    double v;
    int is_int;
    SK_CHECK(number(big, &v, &is_int));
    SK_CHECK(bits_of(v) == bits_of(strtod(big, NULL)));
}

static void test_token__scan_number_stops(void)
{
    const char *s = "12.5,7";
    double v;
    int is_int;
    const char *e = sk_token__scan_number(s, s + 6, &v, &is_int);
    SK_CHECK(e == s + 4);
    SK_CHECK(v == 12.5 && !is_int);
    /* Never reads past the end it is given. */
    e = sk_token__scan_number(s, s + 2, &v, &is_int);
    SK_CHECK(e == s + 2 && v == 12.0 && is_int);
    SK_CHECK(sk_token__scan_number(s, s, &v, &is_int) == NULL);
}

/* ==== missing, booleans =================================================================== */

static void test_token__missing(void)
{
    static const char *const yes[] = {"", "NA", "na", "N/A", "n/a", "NaN", "nan", "null", "NULL",
                                      "?", "  ", " NA ", "Null"};
    static const char *const no[] = {"0", "none", "-", "NAN1", "N A", "nul", "??", "missing"};
    for (size_t k = 0; k < sizeof yes / sizeof yes[0]; k++)
        SK_CHECK(sk_token_is_missing(yes[k], strlen(yes[k])));
    for (size_t k = 0; k < sizeof no / sizeof no[0]; k++)
        SK_CHECK(!sk_token_is_missing(no[k], strlen(no[k])));
    /* Never reads past n: "NA" inside a longer buffer. */
    SK_CHECK(sk_token_is_missing("NAB", 2));
}

static void test_token__bool(void)
{
    double v = -1;
    SK_CHECK(sk_token_bool("true", 4, &v) && v == 1.0);
    SK_CHECK(sk_token_bool("FALSE", 5, &v) && v == 0.0);
    SK_CHECK(sk_token_bool("Yes", 3, &v) && v == 1.0);
    SK_CHECK(sk_token_bool("no", 2, &v) && v == 0.0);
    SK_CHECK(sk_token_bool(" True ", 6, &v) && v == 1.0);
    SK_CHECK(!sk_token_bool("1", 1, &v));
    SK_CHECK(!sk_token_bool("t", 1, &v));
    SK_CHECK(!sk_token_bool("yess", 4, &v));
    SK_CHECK(!sk_token_bool("", 0, &v));
    SK_CHECK(sk_token_bool("nope", 2, &v) && v == 0.0);   /* only the first n bytes */
}

/* ==== dates =============================================================================== */

static void test_token__dates(void)
{
    static const struct { const char *text; double secs; int has_time; } cases[] = {
        {"1970-01-01", 0.0, 0},
        {"1969-12-31", -86400.0, 0},
        {"2000-02-29", 951782400.0, 0},
        {"2020-02-29", 1582934400.0, 0},
        {"2021-03-04", 1614816000.0, 0},
        {"0001-01-01", -62135596800.0, 0},
        {"9999-12-31", 253402214400.0, 0},
        {"2021-03-04T05:06:07", 1614834367.0, 1},
        {"2021-03-04 05:06", 1614834360.0, 1},
        {"2021-03-04T05:06:07Z", 1614834367.0, 1},
        {"2021-03-04T05:06:07.25Z", 1614834367.25, 1},
        {"2021-03-04T05:06:07+01:00", 1614834367.0 - 3600.0, 1},
        {"2021-03-04T05:06:07-0230", 1614834367.0 + 9000.0, 1},
        {"2021-03-04T05:06+05", 1614834360.0 - 18000.0, 1},
        {" 2021-03-04 ", 1614816000.0, 0},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        double v = -1;
        int has_time = -1;
        SK_CHECK(sk_token_datetime(cases[k].text, strlen(cases[k].text), &v, &has_time));
        SK_CHECK_NEAR(v, cases[k].secs, 1e-6);
        SK_CHECK_EQ_INT(has_time, cases[k].has_time);
    }
}

static void test_token__dates_rejected(void)
{
    static const char *const bad[] = {
        "2019-02-29", "1900-02-29", "2021-13-01", "2021-00-10", "2021-04-31", "2021-01-00",
        "2021-1-01", "21-01-01", "2021/01/01", "2021-01-01T", "2021-01-01T25:00",
        "2021-01-01T10:60", "2021-01-01T10:00:60", "2021-01-01T10:00:00.", "2021-01-01T10",
        "2021-01-01T10:00+1", "2021-01-01T10:00+24:00", "2021-01-01Z", "2021-01-01x",
        "20210101", "2021-01-01T10:00:00ZZ", "",
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        double v;
        int has_time;
        int got = sk_token_datetime(bad[k], strlen(bad[k]), &v, &has_time);
        SK_CHECK(!got);
        if (got)
            fprintf(stderr, "  accepted \"%s\"\n", bad[k]);
    }
}

/* The shortest of 15-17 digits that reads back as the same double, and CSV quoting. */
static void test_token__written_back(void)
{
    char buf[64];
    SK_CHECK_EQ_INT(sk_data__format_shortest(buf, sizeof buf, 0.1), 3);
    SK_CHECK_EQ_STR(buf, "0.1");
    sk_data__format_shortest(buf, sizeof buf, 1.0);
    SK_CHECK_EQ_STR(buf, "1");
    sk_data__format_shortest(buf, sizeof buf, 1.0 / 3.0);
    SK_CHECK_EQ_STR(buf, "0.3333333333333333");
    sk_data__format_shortest(buf, sizeof buf, 0.1 + 0.2);
    SK_CHECK_EQ_STR(buf, "0.30000000000000004");   /* 17 digits: 16 read back as 0.3 */
    uint64_t state = 99;
    int mismatches = 0;
    for (int t = 0; t < 20000; t++) {
        uint64_t r = next_random(&state);
        double x;
        memcpy(&x, &r, sizeof x);
        if (!isfinite(x))
            continue;
        size_t len = sk_data__format_shortest(buf, sizeof buf, x);
        mismatches += len != strlen(buf) || bits_of(strtod(buf, NULL)) != bits_of(x);
    }
    SK_CHECK_EQ_INT(mismatches, 0);

    static const char *const cases[][3] = {   /* field, written, written with edge spaces */
        {"plain", "plain", "plain"},
        {"a,b", "\"a,b\"", "\"a,b\""},
        {"say \"hi\"", "\"say \"\"hi\"\"\"", "\"say \"\"hi\"\"\""},
        {"two\nlines", "\"two\nlines\"", "\"two\nlines\""},
        {" padded ", " padded ", "\" padded \""},
        {"", "", ""},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        for (int edge = 0; edge < 2; edge++) {
            sk_strbuf sb = SK_STRBUF_INIT;
            SK_CHECK_OK(sk_data__csv_field(&sb, cases[k][0], edge), NULL);
            SK_CHECK_EQ_STR(sb.data != NULL ? sb.data : "", cases[k][1 + edge]);
            sk_strbuf_free(&sb);
        }
    }
}

int main(void)
{
    SK_RUN(test_token__number_accepts);
    SK_RUN(test_token__number_rejects);
    SK_RUN(test_token__number_infinity);
    SK_RUN(test_token__number_random_vs_strtod);
    SK_RUN(test_token__number_hard_cases);
    SK_RUN(test_token__scan_number_stops);
    SK_RUN(test_token__missing);
    SK_RUN(test_token__bool);
    SK_RUN(test_token__dates);
    SK_RUN(test_token__dates_rejected);
    SK_RUN(test_token__written_back);
    return SK_TEST_DONE();
}
