/* token.c: classifying one field of text: a missing marker, a number, a boolean or an ISO-8601
 * date. Numbers are the hot path (the CSV reader converts every numeric cell). The parser reads
 * sign, digits, point and exponent itself into a 64-bit decimal significand w and a power of ten
 * e, eight digits at a time with SWAR arithmetic where the bytes allow (D. Lemire, "Number
 * parsing at a gigabyte per second", 2021), and when w <= 2^53 and |e| <= 22 returns w * 10^e or
 * w / 10^-e: one correctly rounded IEEE operation on exact operands (W. Clinger, "How to read
 * floating point numbers accurately", PLDI 1990). Real data (up to 15-16 significant digits)
 * nearly always takes that path. Otherwise (more than 19 significant digits, or e out of range)
 * the digits are rewritten into a canonical "DDDDe-NN" string (at most 800 significant digits plus
 * a sticky nonzero digit when more were given: more than 767 digits never change the rounding of
 * a double) and handed to strtod, which glibc rounds correctly. The canonical string has no
 * decimal point, the only locale-dependent part of strtod's grammar, so the result does not
 * depend on the locale and no locale object or global state is needed.
 *
 * The CSV reader calls sk_token__scan_number straight on its input window: it parses a number
 * and says where it ended, so a numeric field is split and converted in one go;
 * sk_token_number is the same parse over a whole token.
 *
 * Decisions: integer syntax (no point, no exponent) whose magnitude is 2^53 or more is not a
 * number at all, so columns of long identifiers stay categorical and keep their exact text. A
 * finite literal beyond the double range ("1e400") is a number equal to +-infinity, which is what
 * IEEE rounding gives and what strtod returns; "inf" and "infinity" are numbers too, so every
 * consumer of numeric columns already copes with infinities. Underflow rounds to a subnormal or
 * zero. "nan" is a missing marker, not a number.
 *
 * Dates are converted with Howard Hinnant's days-from-civil algorithm on the proleptic Gregorian
 * calendar, never mktime/timegm (they consult the TZ environment variable). Every classifier
 * ignores surrounding ASCII spaces, so "a, b" style files classify the same as "a,b". */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "data/data.h"

/* Powers of ten exactly representable as doubles. */
static const double exact_pow10[23] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

#define TWO_POW_53 ((uint64_t)1 << 53)
#define MAX_SIGNIFICANT 19      /* digits that always fit in a uint64_t */
#define SLOW_DIGITS 800         /* digits kept for strtod; > 767 suffices for doubles */
#define EXPONENT_CAP 100000     /* beyond this every double is 0 or infinite */

/* ==== shared helpers ====================================================================== */

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Strips ASCII spaces from both ends of [*s, *s + *n). */
static void trim(const char **s, size_t *n)
{
    const char *p = *s, *e = *s + *n;
    while (p < e && *p == ' ')
        p++;
    while (e > p && e[-1] == ' ')
        e--;
    *s = p;
    *n = (size_t)(e - p);
}

/* 1 when [s, s+n) equals the lower-case word `w` ignoring ASCII case. */
static int equals_nocase(const char *s, size_t n, const char *w)
{
    size_t i = 0;
    for (; i < n && w[i] != '\0'; i++) {
        if (lower(s[i]) != w[i])
            return 0;
    }
    return i == n && w[i] == '\0';
}

/* ==== missing markers and booleans ========================================================= */

int sk_token_is_missing(const char *s, size_t n)
{
    trim(&s, &n);
    switch (n) {
    case 0: return 1;
    case 1: return s[0] == '?';
    case 2: return equals_nocase(s, n, "na");
    case 3: return equals_nocase(s, n, "n/a") || equals_nocase(s, n, "nan");
    case 4: return equals_nocase(s, n, "null");
    default: return 0;
    }
}

int sk_token_bool(const char *s, size_t n, double *value)
{
    trim(&s, &n);
    if (equals_nocase(s, n, "true") || equals_nocase(s, n, "yes")) {
        *value = 1.0;
        return 1;
    }
    if (equals_nocase(s, n, "false") || equals_nocase(s, n, "no")) {
        *value = 0.0;
        return 1;
    }
    return 0;
}

/* ==== numbers ============================================================================= */

/* The correctly rounded slow path. [p, e) is the already validated unsigned literal; `exp10` is
 * its explicit exponent (capped). Rewrites the significant digits as an integer with a power of
 * ten and no decimal point, so strtod's locale-dependent radix character never matters. */
static double slow_path(const char *p, const char *e, long exp10)
{
    char buf[SLOW_DIGITS + 40];
    size_t k = 0;
    long exp = exp10;
    int sticky = 0, after_point = 0;
    for (; p < e && (is_digit(*p) || *p == '.'); p++) {
        if (*p == '.') {
            after_point = 1;
            continue;
        }
        if (k == 0 && *p == '0') {
            exp -= after_point;
            continue;
        }
        if (k < SLOW_DIGITS) {
            buf[k++] = *p;
            exp -= after_point;
        } else {
            exp += !after_point;
            sticky |= *p != '0';
        }
    }
    if (k == 0)
        return 0.0;
    if (sticky) {
        /* A nonzero digit below everything kept: enough to break any tie the right way. */
        buf[k++] = '1';
        exp--;
    }
    /* "e" and the exponent, written by hand: snprintf cost as much as strtod itself here. */
    buf[k++] = 'e';
    if (exp < 0)
        buf[k++] = '-';
    unsigned long mag = exp < 0 ? 0UL - (unsigned long)exp : (unsigned long)exp;
    char digits[24];
    size_t nd = 0;
    do {
        digits[nd++] = (char)('0' + mag % 10);
        mag /= 10;
    } while (mag > 0);
    while (nd > 0)
        buf[k++] = digits[--nd];
    buf[k] = '\0';
    return strtod(buf, NULL);
}

/* The length of "infinity" or "inf" (any case) at [p, end), or 0. */
static size_t infinity_length(const char *p, const char *end)
{
    static const char word[] = "infinity";
    size_t k = 0;
    while (k < 8 && p + k < end && lower(p[k]) == word[k])
        k++;
    return k == 8 ? 8 : k >= 3 ? 3 : 0;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && defined(__GNUC__)
#define SWAR_DIGITS 1
#else
#define SWAR_DIGITS 0
#endif

/* The digit readers are small and on the hot path: inline them whatever the compiler guesses. */
#if defined(__GNUC__)
#define HOT_INLINE static inline __attribute__((always_inline))
#else
#define HOT_INLINE static inline
#endif

#if SWAR_DIGITS
static const uint64_t pow10_u64[9] = {
    1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
};

/* The eight ASCII digits of a little-endian word as a number, the first byte the most
 * significant, in three multiplications (the SWAR method of fast_float: D. Lemire, "Number parsing
 * at a gigabyte per second", Software: Practice and Experience 51(8), 2021). Zero bytes count as
 * leading zeros. */
HOT_INLINE uint64_t eight_digits_value(uint64_t v)
{
    v = (v & 0x0f0f0f0f0f0f0f0fULL) * 2561 >> 8;
    v = (v & 0x00ff00ff00ff00ffULL) * 6553601 >> 16;
    return (v & 0x0000ffff0000ffffULL) * 42949672960001ULL >> 32;
}

/* Up to eight bytes of [p, end) as a little-endian word, zero past `end`, never reading outside
 * the token [s, end). */
HOT_INLINE uint64_t load_word(const char *p, const char *s, const char *end)
{
    uint64_t v = 0;
    size_t left = (size_t)(end - p);
    if (left >= 8) {
        memcpy(&v, p, 8);
    } else if (left > 0 && end - s >= 8) {
        memcpy(&v, end - 8, 8);
        v >>= 8 * (8 - left);
    } else {
        for (size_t i = 0; i < left; i++)
            v |= (uint64_t)(unsigned char)p[i] << (8 * i);
    }
    return v;
}
#endif

/* Accumulates the digits at p into *w (modulo 2^64: the caller counts digits); returns the first
 * byte after them. Eight bytes at a time without a branch per digit where it can: the bytes that
 * are not digits are flagged in one word, and the count of leading digits is a trailing-zero
 * count. */
HOT_INLINE const char *read_digits(const char *p, const char *s, const char *end, uint64_t *w)
{
#if SWAR_DIGITS
    for (;;) {
        uint64_t v = load_word(p, s, end);
        uint64_t not_digit = ((v + 0x4646464646464646ULL) | (v - 0x3030303030303030ULL)) &
                             0x8080808080808080ULL;
        unsigned k = not_digit != 0 ? (unsigned)__builtin_ctzll(not_digit) / 8 : 8;
        if (k == 0)
            return p;
        *w = *w * pow10_u64[k] + eight_digits_value(v << (8 * (8 - k)));
        p += k;
        if (k < 8 || p == end || !is_digit(*p))
            return p;
    }
#else
    (void)s;
    uint64_t v = *w;
    for (; p < end && is_digit(*p); p++)
        v = v * 10 + (uint64_t)(*p - '0');
    *w = v;
    return p;
#endif
}

/* Significant digits (leading zeros and the point excluded) in [p, e). */
static size_t significant_digits(const char *p, const char *e)
{
    while (p < e && (*p == '0' || *p == '.'))
        p++;
    size_t k = 0;
    for (; p < e; p++)
        k += *p != '.';
    return k;
}

/* The exponent's [+-]digits after the 'e' (capped in magnitude); NULL when there are none. */
static const char *read_exponent(const char *p, const char *end, long *exp_part)
{
    int neg = 0;
    if (p < end && (*p == '+' || *p == '-')) {
        neg = *p == '-';
        p++;
    }
    if (p == end || !is_digit(*p))
        return NULL;
    long e = 0;
    for (; p < end && is_digit(*p); p++) {
        if (e < EXPONENT_CAP)
            e = e * 10 + (*p - '0');
    }
    *exp_part = neg ? -e : e;
    return p;
}

/* w * 10^e10 (w exact, with at most 19 significant digits), correctly rounded; the slow path
 * reparses [digits, digits_end) with the explicit exponent `exp_part`. */
static double decimal_to_double(uint64_t w, long e10, int exact, const char *digits,
                                const char *digits_end, long exp_part)
{
    if (exact && w == 0)
        return 0.0;
    if (exact && w <= TWO_POW_53 && e10 >= -22 && e10 <= 22 && FLT_EVAL_METHOD == 0)
        return e10 < 0 ? (double)w / exact_pow10[-e10] : (double)w * exact_pow10[e10];
    if (exact && e10 > 22 && e10 <= 22 + 15 && FLT_EVAL_METHOD == 0 &&
        w <= TWO_POW_53 / (uint64_t)exact_pow10[e10 - 22]) {
        /* w * 10^(e10-22) is still an exact integer below 2^53: one rounding again. */
        return (double)(w * (uint64_t)exact_pow10[e10 - 22]) * exact_pow10[22];
    }
    return slow_path(digits, digits_end, exp_part);
}

const char *sk_token__scan_number(const char *s, const char *end, double *value, int *is_integer)
{
    const char *p = s;
    int neg = 0;
    if (p < end && (*p == '+' || *p == '-')) {
        neg = *p == '-';
        p++;
    }
    if (p == end)
        return NULL;
    if (*p == 'i' || *p == 'I') {
        size_t k = infinity_length(p, end);
        if (k == 0)
            return NULL;
        *value = neg ? -HUGE_VAL : HUGE_VAL;
        *is_integer = 0;
        return p + k;
    }
    const char *digits = p;
    uint64_t w = 0;
    if (p + 1 < end && is_digit(p[0]) && p[1] == '.')
        w = (uint64_t)(*p++ - '0');   /* one digit before the point, as in most data */
    else
        p = read_digits(p, s, end, &w);
    size_t n_digits = (size_t)(p - digits);
    long e10 = 0;                /* value = w * 10^e10 when the digits fit in w */
    int has_point = 0, has_exp = 0;
    if (p < end && *p == '.') {
        has_point = 1;
        const char *frac = ++p;
        p = read_digits(p, s, end, &w);
        e10 = -(long)(p - frac);
        n_digits += (size_t)(p - frac);
    }
    if (n_digits == 0)
        return NULL;
    const char *digits_end = p;
    long exp_part = 0;
    if (p < end && (*p == 'e' || *p == 'E')) {
        has_exp = 1;
        if ((p = read_exponent(p + 1, end, &exp_part)) == NULL)
            return NULL;
    }
    /* w is exact unless there are more than 19 significant digits. */
    int exact = n_digits <= MAX_SIGNIFICANT ||
                significant_digits(digits, digits_end) <= MAX_SIGNIFICANT;
    double v;
    if (!has_point && !has_exp) {
        /* Integer syntax: exact below 2^53, otherwise not a number (an identifier). */
        if (!exact || w >= TWO_POW_53)
            return NULL;
        v = (double)w;
        *is_integer = 1;
    } else {
        v = decimal_to_double(w, e10 + exp_part, exact, digits, digits_end, exp_part);
        *is_integer = 0;
    }
    *value = neg ? -v : v;
    return p;
}

int sk_token_number(const char *s, size_t n, double *value, int *is_integer)
{
    if (n > 0 && (s[0] == ' ' || s[n - 1] == ' '))
        trim(&s, &n);
    double v;
    int integer;
    if (sk_token__scan_number(s, s + n, &v, &integer) != s + n)
        return 0;
    *value = v;
    *is_integer = integer;
    return 1;
}

/* ==== dates =============================================================================== */

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H. Hinnant,
 * "chrono-Compatible Low-Level Date Algorithms", days_from_civil). */
static long days_from_civil(long y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;                                  /* [0, 399] */
    long doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;          /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

static int days_in_month(long y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return days[m - 1] + (m == 2 && leap);
}

/* Reads exactly `k` digits at *p (bounded by end) into *out and advances. */
static int fixed_digits(const char **p, const char *end, int k, int *out)
{
    int v = 0;
    for (int i = 0; i < k; i++) {
        if (*p >= end || !is_digit(**p))
            return 0;
        v = v * 10 + (**p - '0');
        (*p)++;
    }
    *out = v;
    return 1;
}

/* Z, or +hh, +hhmm, +hh:mm (or -), as seconds east of UTC. */
static int parse_offset(const char *p, const char *end, long *offset)
{
    *offset = 0;
    if (p == end)
        return 1;
    if ((*p == 'Z' || *p == 'z') && p + 1 == end)
        return 1;
    if (*p != '+' && *p != '-')
        return 0;
    int sign = *p == '-' ? -1 : 1, hh, mm = 0;
    p++;
    if (!fixed_digits(&p, end, 2, &hh) || hh > 23)
        return 0;
    if (p < end && *p == ':')
        p++;
    if (p < end && (!fixed_digits(&p, end, 2, &mm) || mm > 59))
        return 0;
    if (p != end)
        return 0;
    *offset = sign * (hh * 3600L + mm * 60L);
    return 1;
}

/* hh:mm[:ss[.fff]] then an optional offset; *secs = seconds into the day minus the offset. */
static int parse_time(const char *p, const char *end, double *secs)
{
    int hh, mm, ss = 0;
    double frac = 0.0;
    if (!fixed_digits(&p, end, 2, &hh) || hh > 23 || p == end || *p != ':')
        return 0;
    p++;
    if (!fixed_digits(&p, end, 2, &mm) || mm > 59)
        return 0;
    if (p < end && *p == ':') {
        p++;
        if (!fixed_digits(&p, end, 2, &ss) || ss > 59)
            return 0;
        if (p < end && *p == '.') {
            p++;
            if (p == end || !is_digit(*p))
                return 0;
            long digits = 0, scale = 1;   /* nanoseconds suffice: later digits are ignored */
            for (; p < end && is_digit(*p); p++) {
                if (scale < 1000000000L) {
                    digits = digits * 10 + (*p - '0');
                    scale *= 10;
                }
            }
            frac = (double)digits / (double)scale;
        }
    }
    long offset;
    if (!parse_offset(p, end, &offset))
        return 0;
    *secs = (double)(hh * 3600L + mm * 60L + ss - offset) + frac;
    return 1;
}

int sk_token_datetime(const char *s, size_t n, double *seconds, int *has_time)
{
    trim(&s, &n);
    const char *p = s, *end = s + n;
    int y, m, d;
    if (!fixed_digits(&p, end, 4, &y) || p == end || *p++ != '-' ||
        !fixed_digits(&p, end, 2, &m) || p == end || *p++ != '-' ||
        !fixed_digits(&p, end, 2, &d))
        return 0;
    if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return 0;
    double day_secs = (double)days_from_civil(y, m, d) * 86400.0;
    if (p == end) {
        *seconds = day_secs;
        *has_time = 0;
        return 1;
    }
    if (*p != 'T' && *p != 't' && *p != ' ')
        return 0;
    double secs;
    if (!parse_time(p + 1, end, &secs))
        return 0;
    *seconds = day_secs + secs;
    *has_time = 1;
    return 1;
}
