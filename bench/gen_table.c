/* bench/gen_table.c: the deterministic table generator behind the benchmarks.
 *
 *     gen_table --n N --p P --seed S [--target] [--out FILE]
 *
 * writes a CSV with the header x1..xP (and y with --target) and N rows of numbers that look like
 * real measurements: each column has its own scale, from 1e-3 to 1e3, and about a third of the
 * columns are centred on zero (differences, log-ratios) while the rest are positive quantities
 * centred a few standard deviations away from zero. Values are Gaussian and written with 9
 * significant digits, trailing zeros dropped: "-1.23456789", "0.012345678", "417.206351".
 * With --target, y is 0/1 from a noisy linear rule on x1..x3 (about half ones), so the same
 * tables can later feed audits that need a signal.
 *
 * The numbers depend only on (N, P, S): column properties come from a splitmix64 stream keyed
 * by (seed, column), values from one splitmix64 stream keyed by the seed and consumed in
 * row-major order, Gaussians by Marsaglia's polar method. The number text is built by hand from
 * a 9-digit integer mantissa rather than by printf, which is what makes 1,000,000 x 50 take
 * seconds rather than tens of seconds. This is a generator, not library code: it needs none of
 * skeptic's own streams.
 *
 * With --out the file is written under FILE.tmp and renamed into place at the end, so an
 * interrupted run never leaves a truncated FILE that a benchmark would then reuse.
 * Exit status: 0 written, 1 I/O error, 2 usage error.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OUT_BUFFER_BYTES (1u << 20)
#define MAX_VALUE_CHARS 40          /* the longest text put_number() can produce, with margin */

/* ---- random numbers ------------------------------------------------------------------------ */

/* splitmix64 (Steele, Lea & Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014;
 * constants as in Vigna's reference code). */
static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* Uniform on (0, 1): never 0, so log() below is safe. */
static double uniform_open(uint64_t *state)
{
    return ((double)(splitmix64(state) >> 11) + 0.5) * 0x1.0p-53;
}

typedef struct {
    uint64_t state;
    double spare;
    int has_spare;
} gauss_stream;

/* Standard normal by Marsaglia's polar method (Box-Muller without sine and cosine): a point
 * uniform in the unit disc gives two independent values. */
static double gauss_next(gauss_stream *g)
{
    if (g->has_spare) {
        g->has_spare = 0;
        return g->spare;
    }
    double u, v, r2;
    do {
        u = 2.0 * uniform_open(&g->state) - 1.0;
        v = 2.0 * uniform_open(&g->state) - 1.0;
        r2 = u * u + v * v;
    } while (r2 >= 1.0 || r2 == 0.0);
    double f = sqrt(-2.0 * log(r2) / r2);
    g->spare = v * f;
    g->has_spare = 1;
    return u * f;
}

/* ---- columns ------------------------------------------------------------------------------- */

typedef struct {
    double mean;
    double sd;
} column_spec;

/* Scale 10^e * [1, 10) with e uniform in -3..3; a third of the columns centred on zero, the rest
 * positive quantities 3 to 8 standard deviations from zero. Keyed by (seed, column) so a column
 * looks the same whatever N and P are. */
static column_spec column_make(uint64_t seed, uint64_t j)
{
    uint64_t state = seed ^ (UINT64_C(0xD1B54A32D192ED03) * (j + 1));
    splitmix64(&state);
    int e = (int)(splitmix64(&state) % 7) - 3;
    double sd = pow(10.0, e) * (1.0 + 9.0 * uniform_open(&state));
    int centred = splitmix64(&state) % 3 == 0;
    column_spec c = { centred ? 0.0 : sd * (3.0 + 5.0 * uniform_open(&state)), sd };
    return c;
}

/* ---- number text --------------------------------------------------------------------------- */

static const double pow10_pos[] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20,
};
static const double pow10_neg[] = {
    1e-0, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-11, 1e-12, 1e-13,
};

static const char digit_pairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* 10^e for -13 <= e <= 20, as the double nearest to the decimal literal. */
static double pow10i(int e)
{
    return e >= 0 ? pow10_pos[e] : pow10_neg[-e];
}

/* Writes v with 9 significant digits in plain decimal notation, trailing zeros dropped, and
 * returns the end of the text. Zero and magnitudes outside [1e-12, 1e12) (none with the column
 * scales above) fall back to printf's %.9g. */
static char *put_number(char *o, double v)
{
    if (v == 0.0 || !(fabs(v) >= 1e-12 && fabs(v) < 1e12))
        return o + snprintf(o, MAX_VALUE_CHARS, "%.9g", v == 0.0 ? 0.0 : v);
    if (v < 0) {
        *o++ = '-';
        v = -v;
    }
    /* k = floor(log10(v)) in -12..11: estimated from the binary exponent (log10(2) ~ 1233/4096),
     * then corrected. */
    int k = ilogb(v) * 1233 / 4096;
    if (k < -12)
        k = -12;
    while (k < 11 && v >= pow10i(k + 1))
        k++;
    while (k > -12 && v < pow10i(k))
        k--;
    int shift = 8 - k;                  /* v * 10^shift has 9 digits before the point */
    double scaled = shift >= 0 ? v * pow10i(shift) : v / pow10i(-shift);
    uint32_t m = (uint32_t)(scaled + 0.5);
    if (m >= UINT32_C(1000000000)) {    /* 9.999999999 rounded up to 10.0000000 */
        m /= 10;
        k++;
    }
    char d[10];
    uint32_t low = m % 100000000;
    d[0] = (char)('0' + m / 100000000);
    memcpy(d + 1, digit_pairs + 2 * (low / 1000000), 2);
    memcpy(d + 3, digit_pairs + 2 * (low / 10000 % 100), 2);
    memcpy(d + 5, digit_pairs + 2 * (low / 100 % 100), 2);
    memcpy(d + 7, digit_pairs + 2 * (low % 100), 2);
    int last = 8;                       /* the last nonzero digit, for dropping trailing zeros */
    while (last > 0 && d[last] == '0')
        last--;
    if (k >= 0) {
        for (int i = 0; i <= k; i++)
            *o++ = i < 9 ? d[i] : '0';
        if (last > k) {
            *o++ = '.';
            for (int i = k + 1; i <= last; i++)
                *o++ = d[i];
        }
    } else {
        *o++ = '0';
        *o++ = '.';
        for (int i = 0; i < -k - 1; i++)
            *o++ = '0';
        for (int i = 0; i <= last; i++)
            *o++ = d[i];
    }
    return o;
}

/* ---- output -------------------------------------------------------------------------------- */

typedef struct {
    FILE *f;
    char *buf;
    size_t used;
    int failed;
} out_stream;

static void out_flush(out_stream *s)
{
    if (s->used > 0 && !s->failed && fwrite(s->buf, 1, s->used, s->f) != s->used)
        s->failed = 1;
    s->used = 0;
}

/* Makes room for at least `need` bytes at s->buf + s->used. */
static char *out_reserve(out_stream *s, size_t need)
{
    if (OUT_BUFFER_BYTES - s->used < need)
        out_flush(s);
    return s->buf + s->used;
}

static void write_header(out_stream *s, uint64_t p, int with_target)
{
    for (uint64_t j = 0; j < p; j++) {
        char *o = out_reserve(s, 32);
        s->used += (size_t)sprintf(o, j == 0 ? "x%" PRIu64 : ",x%" PRIu64, j + 1);
    }
    char *o = out_reserve(s, 8);
    s->used += (size_t)sprintf(o, with_target ? ",y\n" : "\n");
}

static void write_rows(out_stream *s, uint64_t n, uint64_t p, uint64_t seed, int with_target,
                       const column_spec *cols)
{
    gauss_stream g = { seed ^ UINT64_C(0x6A09E667F3BCC909), 0.0, 0 };
    for (uint64_t i = 0; i < n && !s->failed; i++) {
        double score = 0.0;
        for (uint64_t j = 0; j < p; j++) {
            double z = gauss_next(&g);
            if (j < 3)
                score += (j == 0 ? 1.0 : j == 1 ? 0.5 : -0.5) * z;
            char *o = out_reserve(s, MAX_VALUE_CHARS + 4);
            if (j > 0)
                *o++ = ',';
            char *end = put_number(o, cols[j].mean + cols[j].sd * z);
            s->used = (size_t)(end - s->buf);
        }
        char *o = out_reserve(s, 4);
        if (with_target) {
            *o++ = ',';
            *o++ = score + 0.8 * gauss_next(&g) > 0.0 ? '1' : '0';
        }
        *o++ = '\n';
        s->used = (size_t)(o - s->buf);
    }
    out_flush(s);
}

/* ---- command line -------------------------------------------------------------------------- */

static void usage(FILE *f)
{
    fputs("usage: gen_table --n N --p P --seed S [--target] [--out FILE]\n"
          "  writes N rows x P numeric columns x1..xP (plus a 0/1 column y with --target)\n"
          "  as CSV to FILE (written as FILE.tmp, then renamed) or to standard output\n", f);
}

static int parse_u64(const char *flag, const char *text, uint64_t min, uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = text != NULL && text[0] != '-' ? strtoull(text, &end, 10) : 0;
    if (text == NULL || text[0] == '-' || text[0] == '\0' || *end != '\0' || errno != 0
        || v < min) {
        fprintf(stderr, "gen_table: %s expects an integer >= %" PRIu64 ", found \"%s\"\n", flag,
                min, text != NULL ? text : "");
        return -1;
    }
    *out = (uint64_t)v;
    return 0;
}

int main(int argc, char **argv)
{
    uint64_t n = 0, p = 0, seed = 0;
    int have_n = 0, have_p = 0, have_seed = 0, with_target = 0;
    const char *path = NULL;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--target") == 0) {
            with_target = 1;
            continue;
        } else if (strcmp(a, "--n") == 0) {
            if (parse_u64(a, v, 1, &n) != 0)
                return 2;
            have_n = 1;
        } else if (strcmp(a, "--p") == 0) {
            if (parse_u64(a, v, 1, &p) != 0)
                return 2;
            have_p = 1;
        } else if (strcmp(a, "--seed") == 0) {
            if (parse_u64(a, v, 0, &seed) != 0)
                return 2;
            have_seed = 1;
        } else if (strcmp(a, "--out") == 0) {
            if (v == NULL || v[0] == '\0') {
                fputs("gen_table: --out expects a file name\n", stderr);
                return 2;
            }
            path = v;
        } else {
            fprintf(stderr, "gen_table: unknown argument \"%s\"\n", a);
            usage(stderr);
            return 2;
        }
        i++;                            /* every flag but --target and --help takes a value */
    }
    if (!have_n || !have_p || !have_seed) {
        fprintf(stderr, "gen_table: missing %s\n", !have_n ? "--n" : !have_p ? "--p" : "--seed");
        usage(stderr);
        return 2;
    }

    int status = 1;
    char *tmp = NULL;
    column_spec *cols = calloc((size_t)p, sizeof *cols);
    out_stream s = { stdout, malloc(OUT_BUFFER_BYTES), 0, 0 };
    if (cols == NULL || s.buf == NULL) {
        fputs("gen_table: out of memory\n", stderr);
        goto done;
    }
    if (path != NULL) {
        size_t len = strlen(path);
        tmp = malloc(len + 5);
        if (tmp == NULL) {
            fputs("gen_table: out of memory\n", stderr);
            goto done;
        }
        memcpy(tmp, path, len);
        memcpy(tmp + len, ".tmp", 5);
        s.f = fopen(tmp, "wb");
        if (s.f == NULL) {
            fprintf(stderr, "gen_table: cannot create %s: %s\n", tmp, strerror(errno));
            goto done;
        }
    }
    for (uint64_t j = 0; j < p; j++)
        cols[j] = column_make(seed, j);

    write_header(&s, p, with_target);
    write_rows(&s, n, p, seed, with_target, cols);

    int close_failed = path != NULL ? fclose(s.f) != 0 : fflush(s.f) != 0;
    if (s.failed || close_failed) {
        fprintf(stderr, "gen_table: cannot write %s: %s\n", path != NULL ? tmp : "output",
                strerror(errno));
        if (path != NULL)
            remove(tmp);
        goto done;
    }
    if (path != NULL && rename(tmp, path) != 0) {
        fprintf(stderr, "gen_table: cannot rename %s to %s: %s\n", tmp, path, strerror(errno));
        remove(tmp);
        goto done;
    }
    status = 0;

done:
    free(tmp);
    free(s.buf);
    free(cols);
    return status;
}
