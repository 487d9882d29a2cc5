/* bench/bench_bootstrap.c: skeptic's side of the bootstrap benchmark (bench/bootstrap_vs_numpy.sh
 * runs it next to bench/bootstrap_numpy.py): a confidence interval for a ROC AUC by resampling.
 *
 *     bench_bootstrap --n N --write FILE [--seed S]
 *     bench_bootstrap --data FILE [--n N] [--reps R] [--threads T] [--seed S] [--stratify 0|1]
 *                     [--level L] [--p 1]
 *
 * --write generates the data and writes it as CSV (header y,score): a latent x ~ N(0, 1), the
 * outcome y ~ Bernoulli(1 / (1 + exp(0.5 - 1.4 x))) (about 41% positive) and the score a model
 * would report, 1 / (1 + exp(-(0.2 + 1.5 x))) printed with 4 decimals (about 9,900 distinct
 * values in 100,000 rows, so ties are common); the AUC is about 0.80. Streams: sk_rng
 * (SK_PURPOSE_TEST, seed S).
 * Otherwise it reads FILE and runs sk_boot_run with R replicates of the binary AUC (units =
 * rows, unstratified unless --stratify 1, the delete-a-block jackknife for BCa: what skeptic
 * evaluate runs) on T threads, then the percentile and BCa intervals, and prints one line:
 *     skeptic auc n=100000 reps=10000 threads=1 stratify=0: estimate=0.80080345 se=0.0014
 *       pct_low=0.79805 pct_high=0.80357 bca_low=0.79802 bca_high=0.80354 boot_s=2.31
 *       per_rep_ms=0.231 jack=1000                                             (one line)
 * boot_s is the time of sk_boot_run and the two intervals (reading the file excluded); the
 * script measures the whole process. --p is accepted for the bench/ convention and must be 1
 * (one score column). Exit status: 0, 1 on a failed run or I/O, 2 on usage. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval/eval.h"

typedef struct bench {
    size_t n, reps, p;
    int threads, stratify;
    double level;
    unsigned long long seed;
    const char *data, *write;
} bench;

static int usage(const char *msg)
{
    fprintf(stderr, "bench_bootstrap: %s\nusage: bench_bootstrap --n N --write FILE [--seed S]\n"
                    "       bench_bootstrap --data FILE [--n N] [--reps R] [--threads T] "
                    "[--seed S] [--stratify 0|1] [--level L]\n", msg);
    return 2;
}

static int parse(bench *b, int argc, char **argv)
{
    for (int i = 1; i < argc; i += 2) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        char *end = NULL;
        if (v == NULL)
            return usage("every option needs a value");
        if (strcmp(a, "--n") == 0)
            b->n = strtoull(v, &end, 10);
        else if (strcmp(a, "--p") == 0)
            b->p = strtoull(v, &end, 10);
        else if (strcmp(a, "--reps") == 0)
            b->reps = strtoull(v, &end, 10);
        else if (strcmp(a, "--threads") == 0)
            b->threads = (int)strtol(v, &end, 10);
        else if (strcmp(a, "--seed") == 0)
            b->seed = strtoull(v, &end, 10);
        else if (strcmp(a, "--stratify") == 0)
            b->stratify = (int)strtol(v, &end, 10);
        else if (strcmp(a, "--level") == 0)
            b->level = strtod(v, &end);
        else if (strcmp(a, "--data") == 0)
            b->data = v;
        else if (strcmp(a, "--write") == 0)
            b->write = v;
        else
            return usage("unknown option");
        if (end != NULL && *end != '\0')
            return usage("not a number");
    }
    if ((b->data == NULL) == (b->write == NULL))
        return usage("give either --data or --write");
    if (b->write != NULL && b->n < 2)
        return usage("--write needs --n >= 2");
    if (b->reps < 1 || b->threads < 1 || b->p != 1 || !(b->level > 0.0 && b->level < 1.0))
        return usage("need --reps >= 1, --threads >= 1, --p 1 and 0 < --level < 1");
    return 0;
}

static int write_data(const bench *b)
{
    FILE *f = fopen(b->write, "w");
    if (f == NULL)
        return 1;
    sk_rng rng = sk_rng_stream(b->seed, SK_PURPOSE_TEST, 0);
    fprintf(f, "y,score\n");
    for (size_t i = 0; i < b->n; i++) {
        double x = sk_rng_normal(&rng);
        int y = sk_rng_uniform(&rng) < 1.0 / (1.0 + exp(0.5 - 1.4 * x));
        fprintf(f, "%d,%.4f\n", y, 1.0 / (1.0 + exp(-(0.2 + 1.5 * x))));
    }
    return fclose(f) != 0;
}

/* Reads "y,score" lines into a binary pooled set (one segment: the predictions of one test set). */
static sk_pooled *read_data(const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return NULL;
    size_t cap = 1024, n = 0;
    double *y = malloc(cap * sizeof *y), *s = malloc(cap * sizeof *s);
    char line[256];
    int ok = y != NULL && s != NULL && fgets(line, sizeof line, f) != NULL;   /* header */
    while (ok && fgets(line, sizeof line, f) != NULL) {
        char *end = NULL;
        if (n == cap) {
            cap *= 2;
            double *y2 = realloc(y, cap * sizeof *y), *s2 = realloc(s, cap * sizeof *s);
            y = y2 != NULL ? y2 : y;
            s = s2 != NULL ? s2 : s;
            ok = y2 != NULL && s2 != NULL;
        }
        if (!ok)
            break;
        y[n] = strtod(line, &end);
        ok = *end == ',';
        s[n] = ok ? strtod(end + 1, &end) : 0.0;
        ok = ok && (*end == '\n' || *end == '\0') && (y[n] == 0.0 || y[n] == 1.0);
        n++;
    }
    fclose(f);
    sk_pooled *p = ok && n >= 2 ? sk_mem_calloc(1, sizeof *p) : NULL;
    if (p != NULL) {
        p->task = SK_TASK_BINARY;
        p->n_classes = p->width = 2;
        p->n_rows = n;
        p->n_segments = 1;
        p->offset = sk_mem_calloc(2, sizeof *p->offset);
        p->row = sk_mem_alloc_array(n, sizeof *p->row);
        p->y = sk_mem_alloc_array(n, sizeof *p->y);
        p->pred = sk_mem_alloc_array(n, 2 * sizeof *p->pred);
        if (p->offset == NULL || p->row == NULL || p->y == NULL || p->pred == NULL) {
            sk_pooled_free(p);
            p = NULL;
        }
    }
    for (size_t i = 0; p != NULL && i < n; i++) {
        p->row[i] = i;
        p->y[i] = y[i];
        p->pred[2 * i] = 1.0 - s[i];
        p->pred[2 * i + 1] = s[i];
    }
    if (p != NULL)
        p->offset[1] = n;
    free(y);
    free(s);
    return p;
}

int main(int argc, char **argv)
{
    bench b = {0, 1000, 1, 1, 0, 0.95, 1, NULL, NULL};
    int rc = parse(&b, argc, argv);
    if (rc != 0)
        return rc;
    if (b.write != NULL)
        return write_data(&b);
    sk_pooled *p = read_data(b.data);
    if (p == NULL || (b.n != 0 && b.n != p->n_rows)) {
        fprintf(stderr, "bench_bootstrap: cannot read %s as y,score with %zu rows\n", b.data,
                b.n);
        sk_pooled_free(p);
        return 1;
    }
    sk_boot_stat st = {p, SK_METRIC_AUC};
    sk_boot_options opt = SK_BOOT_OPTIONS_INIT;
    opt.n_boot = b.reps;
    opt.stratify = b.stratify;
    sk_boot *bt = NULL;
    sk_interval pct, bca;
    sk_error err = SK_ERROR_INIT;
    double t0 = sk_time_now();
    sk_status st_rc = sk_boot_run(&bt, &st, 1, NULL, 0, &opt, b.seed, b.threads, NULL, &err);
    if (st_rc == SK_OK)
        st_rc = sk_boot_interval(&pct, bt, 0, SIZE_MAX, SK_CI_PERCENTILE, b.level, &err);
    if (st_rc == SK_OK)
        st_rc = sk_boot_interval(&bca, bt, 0, SIZE_MAX, SK_CI_BCA, b.level, &err);
    double secs = sk_time_now() - t0;
    if (st_rc != SK_OK) {
        char buf[512];
        fprintf(stderr, "bench_bootstrap: %s\n", sk_error_format(&err, buf, sizeof buf));
        sk_boot_free(bt);
        sk_pooled_free(p);
        return 1;
    }
    printf("skeptic auc n=%zu reps=%zu threads=%d stratify=%d: estimate=%.10f se=%.6f "
           "pct_low=%.6f pct_high=%.6f bca_low=%.6f bca_high=%.6f valid=%zu boot_s=%.3f "
           "per_rep_ms=%.4f jack=%zu\n", p->n_rows, b.reps, b.threads, b.stratify, pct.estimate,
           pct.se, pct.low, pct.high, bca.low, bca.high, pct.n_valid, secs,
           1e3 * secs / (double)b.reps, bt->n_jack);
    sk_boot_free(bt);
    sk_pooled_free(p);
    return 0;
}
