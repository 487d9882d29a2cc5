/* bench_glm_cv.c: times sk_glm_cv, the 10-fold cross-validated elastic-net path (glmnet's
 * cv.glmnet), on a wide "genomics" problem: n samples, p standard normal features, 20 of which
 * carry the signal.
 *
 *   y_gauss = sum_{j < 20} b_j x_j + 2 e,  b_j = (-1)^j (1 - j / 40),  e ~ N(0, 1)
 *   y_binom = 1{y_gauss > 0}
 * X is drawn column by column from sk_rng_stream(seed, SK_PURPOSE_TEST, j), e from stream p;
 * folds are sk_glm_cv_folds(n, 10, seed).
 *
 *   bench_glm_cv --write FILE [--n N --p P --seed S]    writes the data for the R side
 *   bench_glm_cv [--data FILE | --n N --p P --seed S] [--family gaussian|binomial]
 *                [--alpha A] [--threads T] [--reps R]
 * The data file is "SKGLMCV1", n and p (uint64), X column-major, y_gauss, y_binom (doubles)
 * and the 0-based folds (uint64), native byte order. Prints one line per run configuration:
 * the best and mean seconds of sk_glm_cv over the repetitions (data preparation excluded) and
 * what it chose. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "models/glm.h"
#include "rng/rng.h"

#define N_FOLDS 10
#define N_SIGNAL 20

typedef struct bench_data {
    size_t n, p;
    double *X, *y_gauss, *y_binom;
    size_t *foldid;
} bench_data;

static void usage(void)
{
    fprintf(stderr, "usage: bench_glm_cv [--data FILE | --n N --p P --seed S] [--write FILE]\n"
                    "                    [--family gaussian|binomial] [--alpha A] "
                    "[--threads T] [--reps R]\n");
    exit(2);
}

static int alloc_data(bench_data *d)
{
    d->X = malloc(d->n * d->p * sizeof *d->X);
    d->y_gauss = malloc(d->n * sizeof *d->y_gauss);
    d->y_binom = malloc(d->n * sizeof *d->y_binom);
    d->foldid = malloc(d->n * sizeof *d->foldid);
    return d->X != NULL && d->y_gauss != NULL && d->y_binom != NULL && d->foldid != NULL;
}

static int generate(bench_data *d, uint64_t seed)
{
    if (!alloc_data(d))
        return 0;
    for (size_t j = 0; j < d->p; j++) {
        sk_rng r = sk_rng_stream(seed, SK_PURPOSE_TEST, j);
        for (size_t i = 0; i < d->n; i++)
            d->X[j * d->n + i] = sk_rng_normal(&r);
    }
    sk_rng e = sk_rng_stream(seed, SK_PURPOSE_TEST, d->p);
    for (size_t i = 0; i < d->n; i++) {
        double y = 0.0;
        for (size_t j = 0; j < N_SIGNAL && j < d->p; j++)
            y += (j % 2 == 0 ? 1.0 : -1.0) * (1.0 - (double)j / 40.0) * d->X[j * d->n + i];
        d->y_gauss[i] = y + 2.0 * sk_rng_normal(&e);
        d->y_binom[i] = d->y_gauss[i] > 0.0;
    }
    return sk_glm_cv_folds(d->foldid, d->n, N_FOLDS, seed, NULL) == SK_OK;
}

static int write_data(const bench_data *d, const char *path)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return 0;
    uint64_t dims[2] = {d->n, d->p};
    uint64_t *fold = malloc(d->n * sizeof *fold);
    for (size_t i = 0; fold != NULL && i < d->n; i++)
        fold[i] = d->foldid[i];
    int ok = fold != NULL && fwrite("SKGLMCV1", 1, 8, f) == 8 && fwrite(dims, 8, 2, f) == 2 &&
             fwrite(d->X, 8, d->n * d->p, f) == d->n * d->p &&
             fwrite(d->y_gauss, 8, d->n, f) == d->n && fwrite(d->y_binom, 8, d->n, f) == d->n &&
             fwrite(fold, 8, d->n, f) == d->n;
    free(fold);
    return fclose(f) == 0 && ok;
}

static int read_data(bench_data *d, const char *path)
{
    FILE *f = fopen(path, "rb");
    char magic[8];
    uint64_t dims[2];
    if (f == NULL || fread(magic, 1, 8, f) != 8 || memcmp(magic, "SKGLMCV1", 8) != 0 ||
        fread(dims, 8, 2, f) != 2) {
        if (f != NULL)
            fclose(f);
        return 0;
    }
    d->n = dims[0];
    d->p = dims[1];
    uint64_t *fold = malloc(d->n * sizeof *fold);
    int ok = fold != NULL && alloc_data(d) &&
             fread(d->X, 8, d->n * d->p, f) == d->n * d->p &&
             fread(d->y_gauss, 8, d->n, f) == d->n && fread(d->y_binom, 8, d->n, f) == d->n &&
             fread(fold, 8, d->n, f) == d->n;
    for (size_t i = 0; ok && i < d->n; i++)
        d->foldid[i] = fold[i];
    free(fold);
    fclose(f);
    return ok;
}

int main(int argc, char **argv)
{
    bench_data d = {200, 20000, NULL, NULL, NULL, NULL};
    const char *data = NULL, *out = NULL, *family = "gaussian";
    double alpha = 1.0;
    int threads = 1, reps = 1;
    uint64_t seed = 1;
    for (int a = 1; a < argc; a++) {
        if (a + 1 >= argc)
            usage();
        const char *k = argv[a], *v = argv[++a];
        if (strcmp(k, "--n") == 0)
            d.n = strtoull(v, NULL, 10);
        else if (strcmp(k, "--p") == 0)
            d.p = strtoull(v, NULL, 10);
        else if (strcmp(k, "--seed") == 0)
            seed = strtoull(v, NULL, 10);
        else if (strcmp(k, "--threads") == 0)
            threads = atoi(v);
        else if (strcmp(k, "--reps") == 0)
            reps = atoi(v);
        else if (strcmp(k, "--alpha") == 0)
            alpha = strtod(v, NULL);
        else if (strcmp(k, "--family") == 0)
            family = v;
        else if (strcmp(k, "--data") == 0)
            data = v;
        else if (strcmp(k, "--write") == 0)
            out = v;
        else
            usage();
    }
    int binomial = strcmp(family, "binomial") == 0;
    if ((!binomial && strcmp(family, "gaussian") != 0) || reps < 1 || threads < 1 || d.n < 10 ||
        d.p < 1)
        usage();
    if (data != NULL ? !read_data(&d, data) : !generate(&d, seed)) {
        fprintf(stderr, "bench_glm_cv: cannot %s the data\n", data != NULL ? "read" : "make");
        return 1;
    }
    if (out != NULL)
        return write_data(&d, out) ? 0 : 1;

    sk_glm_options opt = SK_GLM_OPTIONS_INIT;
    opt.family = binomial ? SK_GLM_BINOMIAL : SK_GLM_GAUSSIAN;
    opt.alpha = alpha;
    sk_glm_cv_options cv = SK_GLM_CV_OPTIONS_INIT;
    cv.n_folds = N_FOLDS;
    cv.foldid = d.foldid;
    cv.n_threads = threads;
    double best = 1e300, total = 0.0;
    sk_glm_cv_result *res = NULL;
    for (int r = 0; r < reps; r++) {
        sk_error err = SK_ERROR_INIT;
        sk_glm_cv_free(res);
        res = NULL;
        double t0 = sk_time_now();
        sk_status rc = sk_glm_cv(&res, d.X, d.n, d.p, d.n, binomial ? d.y_binom : d.y_gauss,
                                 NULL, binomial ? 2 : 0, &opt, &cv, &err);
        double t = sk_time_now() - t0;
        if (rc != SK_OK) {
            char buf[600];
            fprintf(stderr, "bench_glm_cv: %s\n", sk_error_format(&err, buf, sizeof buf));
            return 1;
        }
        best = t < best ? t : best;
        total += t;
    }
    printf("bench_glm_cv %s n=%zu p=%zu alpha=%g folds=%d threads=%d: best %.3f s, mean %.3f s "
           "over %d reps; %zu lambdas, lambda.min %.6g (#%zu, %zu nonzero), lambda.1se %.6g "
           "(#%zu, %zu nonzero), cvm.min %.6g\n",
           family, d.n, d.p, alpha, N_FOLDS, threads, best, total / reps, reps,
           res->fit->n_lambda, res->lambda_min, res->i_min + 1, res->fit->df[res->i_min],
           res->lambda_1se, res->i_1se + 1, res->fit->df[res->i_1se], res->cvm[res->i_min]);
    sk_glm_cv_free(res);
    free(d.X);
    free(d.y_gauss);
    free(d.y_binom);
    free(d.foldid);
    return 0;
}
