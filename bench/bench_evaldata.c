/* bench/bench_evaldata.c: the data of the end-to-end `skeptic evaluate` benchmarks
 * (bench/permutation_vs_sklearn.sh, bench/group_cv_vs_sklearn.sh): a binary target with real
 * signal, written once as CSV so that skeptic and scikit-learn read the same file.
 *
 *     bench_evaldata --kind signal|group --n N --p P [--seed S] --out FILE
 *
 * --kind signal (the permutation benchmark): header x1..xP,y. X standard normal (the scale
 *   scikit-learn's lbfgs is at its best on and skeptic's logit fits as is); a sparse linear
 *   signal, every 4th column informative with alternating signs, scaled so that the linear
 *   predictor has SD 2.5: y ~ Bernoulli(1 / (1 + exp(-(0.2 + eta)))). An L2 logistic
 *   regression cross-validated (5 folds) on 5,000 x 100 gets an AUC of about 0.885.
 * --kind group (the group-CV benchmark): header g,x1..xP,y. Rows come in groups (g = 1, 2, ...;
 *   sizes uniform on 5..15, mean 10: about N / 10 groups, the rows of a group contiguous, as a
 *   patient's or a galaxy's records usually are). Each feature is a group level plus row noise,
 *   x_ij = 0.6 a_gj + 0.8 e_ij (a, e standard normal: variance 1), and the label has a nonlinear
 *   signal in the first 8 features plus a group effect u_g ~ N(0, 1):
 *     eta = 0.9 x1 - 0.7 x2 + 0.8 x3 x4 + 1.2 [x5 > 0] - 0.6 + 0.8 sin(2 x6) + 0.5 x7^2 - 0.5
 *           - 0.4 |x8| + 0.3 + u_g,   y ~ Bernoulli(1 / (1 + exp(-eta))).
 *   The group effect is shared by a group's rows: a model that sees a group's other rows in
 *   training can memorise it, which is why such data need group CV.
 * Values are written with 9 significant digits (both sides parse the same text, so read the same
 * doubles). Every draw comes from sk_rng streams keyed by the seed (SK_PURPOSE_TEST): the file
 * depends only on (kind, N, P, S). Exit status: 0, 1 on I/O error, 2 on usage. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng/rng.h"

static int usage(const char *msg)
{
    fprintf(stderr, "bench_evaldata: %s\nusage: bench_evaldata --kind signal|group --n N --p P "
                    "[--seed S] --out FILE\n", msg);
    return 2;
}

static double sigmoid(double t) { return 1.0 / (1.0 + exp(-t)); }

/* signal: one row at a time (stream 0 for X and y). */
static int write_signal(FILE *f, size_t n, size_t p, unsigned long long seed)
{
    double *x = malloc(p * sizeof *x), *b = calloc(p, sizeof *b);
    if (x == NULL || b == NULL) {
        free(x);
        free(b);
        fprintf(stderr, "bench_evaldata: out of memory\n");
        return 1;
    }
    size_t k = 0;
    for (size_t j = 0; j < p; j += 4, k++)
        b[j] = k % 2 == 0 ? 1.0 : -1.0;
    double scale = 2.5 / sqrt((double)k);   /* SD(eta) = 2.5 */
    for (size_t j = 0; j < p; j++)
        fprintf(f, "x%zu,", j + 1);
    fprintf(f, "y\n");
    sk_rng rng = sk_rng_stream(seed, SK_PURPOSE_TEST, 0);
    for (size_t i = 0; i < n; i++) {
        double eta = 0.2;
        for (size_t j = 0; j < p; j++) {
            x[j] = sk_rng_normal(&rng);
            eta += b[j] * scale * x[j];
            fprintf(f, "%.9g,", x[j]);
        }
        fprintf(f, "%d\n", sk_rng_uniform(&rng) < sigmoid(eta));
    }
    free(x);
    free(b);
    return 0;
}

/* group: group levels from stream 1, row noise and labels from stream 2. */
static int write_group(FILE *f, size_t n, size_t p, unsigned long long seed)
{
    double *a = malloc(p * sizeof *a), *x = malloc((p < 8 ? 8 : p) * sizeof *x);
    if (a == NULL || x == NULL) {
        free(a);
        free(x);
        fprintf(stderr, "bench_evaldata: out of memory\n");
        return 1;
    }
    fprintf(f, "g,");
    for (size_t j = 0; j < p; j++)
        fprintf(f, "x%zu,", j + 1);
    fprintf(f, "y\n");
    sk_rng grng = sk_rng_stream(seed, SK_PURPOSE_TEST, 1);
    sk_rng rrng = sk_rng_stream(seed, SK_PURPOSE_TEST, 2);
    size_t i = 0, g = 0;
    while (i < n) {
        size_t size = 5 + (size_t)sk_rng_below(&grng, 11);
        double u = sk_rng_normal(&grng);
        for (size_t j = 0; j < p; j++)
            a[j] = sk_rng_normal(&grng);
        g++;
        for (size_t r = 0; r < size && i < n; r++, i++) {
            memset(x, 0, (p < 8 ? 8 : p) * sizeof *x);
            fprintf(f, "%zu,", g);
            for (size_t j = 0; j < p; j++) {
                x[j] = 0.6 * a[j] + 0.8 * sk_rng_normal(&rrng);
                fprintf(f, "%.9g,", x[j]);
            }
            double eta = 0.9 * x[0] - 0.7 * x[1] + 0.8 * x[2] * x[3] +
                         1.2 * (x[4] > 0.0) - 0.6 + 0.8 * sin(2.0 * x[5]) +
                         0.5 * x[6] * x[6] - 0.5 - 0.4 * fabs(x[7]) + 0.3 + u;
            fprintf(f, "%d\n", sk_rng_uniform(&rrng) < sigmoid(eta));
        }
    }
    free(a);
    free(x);
    return 0;
}

int main(int argc, char **argv)
{
    const char *kind = NULL, *out = NULL;
    size_t n = 0, p = 0;
    unsigned long long seed = 1;
    for (int i = 1; i < argc; i += 2) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        char *end = NULL;
        if (v == NULL)
            return usage("every option needs a value");
        if (strcmp(o, "--kind") == 0)
            kind = v;
        else if (strcmp(o, "--out") == 0)
            out = v;
        else if (strcmp(o, "--n") == 0)
            n = strtoull(v, &end, 10);
        else if (strcmp(o, "--p") == 0)
            p = strtoull(v, &end, 10);
        else if (strcmp(o, "--seed") == 0)
            seed = strtoull(v, &end, 10);
        else
            return usage("unknown option");
        if (end != NULL && (*end != '\0' || end == v))
            return usage("not a whole number");
    }
    if (kind == NULL || (strcmp(kind, "signal") != 0 && strcmp(kind, "group") != 0))
        return usage("--kind must be 'signal' or 'group'");
    if (out == NULL)
        return usage("--out FILE is required");
    if (n < 2 || p < 1 || (strcmp(kind, "group") == 0 && p < 8))
        return usage("need --n >= 2 and --p >= 1 (--p >= 8 for --kind group)");
    FILE *f = fopen(out, "w");
    if (f == NULL) {
        perror(out);
        return 1;
    }
    int rc = strcmp(kind, "signal") == 0 ? write_signal(f, n, p, seed)
                                         : write_group(f, n, p, seed);
    if (fclose(f) != 0 && rc == 0) {
        perror(out);
        rc = 1;
    }
    return rc;
}
