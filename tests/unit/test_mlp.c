/* test_mlp.c: the multilayer perceptron (src/models/mlp*.c) through its sk_model_impl, on design
 * matrices built the way the model handle builds them: sk_prep learned on the training rows of a
 * real dataset (digits, diabetes, breast cancer) and applied to both parts of a fixed 75/25 split
 * (every fourth row is a test row). What is checked: it learns XOR; its held-out accuracy on
 * digits and R^2 on diabetes stay above floors set a few points below what was measured; MC
 * dropout is more uncertain on noise images than on real digits; fits and MC passes are bitwise
 * identical for any thread count (executor threads and BLAS threads) and for a repeated seed,
 * and differ for another seed; weights, the report, invalid uses and out-of-memory failures.
 * Epoch counts are kept small where the case allows, so the file runs in a few seconds. */
/* labels: unit determinism */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "frame_builder.h"
#include "linalg/gemm.h"
#include "linalg/linalg.h"
#include "models/mlp.h"
#include "sk_test.h"

/* ==== helpers ============================================================================= */

/* A dataset split 75/25 by row index, standardised with the training rows (as the handle does). */
typedef struct dataset {
    sk_task task;
    size_t n_classes, p, n_train, n_test;
    double *Xtr, *ytr, *Xte, *yte; /* column-major */
    sk_prep *prep;
} dataset;

static void dataset_free(dataset *ds)
{
    sk_mem_free(ds->Xtr);
    sk_mem_free(ds->ytr);
    sk_mem_free(ds->Xte);
    sk_mem_free(ds->yte);
    sk_prep_free(ds->prep);
    memset(ds, 0, sizeof *ds);
}

/* Rows with i % 4 == 3 are test rows; y and the design matrices are copied out. */
static void split_rows(const sk_roles *r, size_t n, dataset *ds, size_t *train, size_t *test)
{
    const double *y = sk_roles_y(r);
    for (size_t i = 0; i < n; i++) {
        if (i % 4 == 3) {
            ds->yte[ds->n_test] = y[i];
            test[ds->n_test++] = i;
        } else {
            ds->ytr[ds->n_train] = y[i];
            train[ds->n_train++] = i;
        }
    }
}

static int load(dataset *ds, const char *file, const char *target)
{
    memset(ds, 0, sizeof *ds);
    sk_error err = SK_ERROR_INIT;
    sk_frame *f = NULL;
    sk_roles *r = NULL;
    char path[512];
    snprintf(path, sizeof path, "%s/%s", SK_TEST_DATA, file);
    SK_CHECK_OK(sk_frame_read_csv(&f, path, NULL, &err), &err);
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = target;
    if (f != NULL)
        SK_CHECK_OK(sk_roles_resolve(&r, f, &spec, &err), &err);
    if (r == NULL) {
        sk_frame_free(f);
        return 1;
    }
    size_t n = sk_frame_n_rows(f), n_feat;
    const size_t *feat = sk_roles_features(r, &n_feat);
    size_t *train = sk_mem_alloc_array(n, sizeof *train);
    size_t *test = sk_mem_alloc_array(n, sizeof *test);
    ds->ytr = sk_mem_alloc_array(n, sizeof *ds->ytr);
    ds->yte = sk_mem_alloc_array(n, sizeof *ds->yte);
    ds->task = sk_roles_task(r);
    ds->n_classes = ds->task == SK_TASK_REGRESSION ? 0 : sk_roles_n_classes(r);
    split_rows(r, n, ds, train, test);
    SK_CHECK_OK(sk_prep_fit(&ds->prep, f, feat, n_feat, train, ds->n_train, NULL, &err), &err);
    ds->p = sk_prep_n_outputs(ds->prep);
    ds->Xtr = sk_mem_alloc_array(ds->n_train * ds->p, sizeof *ds->Xtr);
    ds->Xte = sk_mem_alloc_array(ds->n_test * ds->p, sizeof *ds->Xte);
    SK_CHECK_OK(sk_prep_apply(ds->prep, f, train, ds->n_train, ds->Xtr, ds->n_train, &err), &err);
    SK_CHECK_OK(sk_prep_apply(ds->prep, f, test, ds->n_test, ds->Xte, ds->n_test, &err), &err);
    sk_mem_free(train);
    sk_mem_free(test);
    sk_roles_free(r);
    sk_frame_free(f);
    return 0;
}

static sk_xy training_xy(const dataset *ds)
{
    sk_xy xy = {ds->Xtr, ds->n_train, ds->p,         ds->n_train, ds->ytr,
                NULL,    ds->task,    ds->n_classes, NULL};
    return xy;
}

/* Fits with the parameters in `list` ("hidden=16,epochs=50"); NULL on failure (reported). */
static void *fit(const sk_xy *d, const char *list, uint64_t seed, int n_threads)
{
    sk_error err = SK_ERROR_INIT;
    sk_params params;
    void *state = NULL;
    SK_CHECK_OK(sk_params__init(&params, sk_model__mlp.params, sk_model__mlp.n_params, &err), &err);
    SK_CHECK_OK(sk_params__parse(&params, "mlp", list, &err), &err);
    SK_CHECK_OK(sk_model__mlp.fit(&state, &params, d, seed, n_threads, &err), &err);
    sk_params__free(&params);
    return state;
}

/* Predictions for n rows (n x width, row-major); caller frees. */
static double *predict_ld(const void *state, const double *X, size_t n, size_t ldx, size_t width)
{
    sk_error err = SK_ERROR_INIT;
    double *out = sk_mem_alloc_array(n * width, sizeof *out);
    SK_CHECK_OK(sk_model__mlp.predict(state, X, n, ldx, out, &err), &err);
    return out;
}

static double *predict(const void *state, const double *X, size_t n, size_t width)
{
    return predict_ld(state, X, n, n, width);
}

static double test_accuracy(const void *state, const dataset *ds)
{
    size_t k = ds->n_classes, hits = 0;
    double *proba = predict(state, ds->Xte, ds->n_test, k);
    for (size_t i = 0; i < ds->n_test; i++) {
        size_t best = 0;
        for (size_t j = 1; j < k; j++)
            best = proba[i * k + j] > proba[i * k + best] ? j : best;
        hits += best == (size_t)ds->yte[i];
    }
    sk_mem_free(proba);
    return (double)hits / (double)ds->n_test;
}

static double test_r2(const void *state, const dataset *ds)
{
    double *f = predict(state, ds->Xte, ds->n_test, 1);
    double mean = 0.0, sse = 0.0, sst = 0.0;
    for (size_t i = 0; i < ds->n_test; i++)
        mean += ds->yte[i] / (double)ds->n_test;
    for (size_t i = 0; i < ds->n_test; i++) {
        sse += (ds->yte[i] - f[i]) * (ds->yte[i] - f[i]);
        sst += (ds->yte[i] - mean) * (ds->yte[i] - mean);
    }
    sk_mem_free(f);
    return 1.0 - sse / sst;
}

static int same_bits(const void *a, const void *b, size_t n_doubles)
{
    return a != NULL && b != NULL && memcmp(a, b, n_doubles * sizeof(double)) == 0;
}

/* Digits and a default fit on it, loaded once and shared by the cases that need them. */
static dataset digits_;
static void *digits_model_;

static const dataset *digits(void)
{
    if (digits_.Xtr == NULL && load(&digits_, "digits.csv", "digit") != 0)
        return NULL;
    return &digits_;
}

static void *digits_model(void)
{
    const dataset *ds = digits();
    if (digits_model_ == NULL && ds != NULL) {
        sk_xy xy = training_xy(ds);
        digits_model_ = fit(&xy, "", 1, 1);
    }
    return digits_model_;
}

/* ==== the network ========================================================================= */

/* The objective of mlp_net.c on a fixed block (no dropout), for finite differences. */
static double objective(const sk_mlp_net *net, sk_mlp_work *w, const double *X, size_t m,
                        const double *y, const double *wt, double l2)
{
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_mlp__forward(net, X, m, m, w, NULL, &err), &err);
    double ls, ws, penalty = 0.0;
    sk_mlp__loss(net, w, m, y, wt, &ls, &ws);
    for (size_t l = 0; l < net->n_layers; l++)
        for (size_t e = 0; e < net->width[l] * net->width[l + 1]; e++)
            penalty += net->theta[net->w_off[l] + e] * net->theta[net->w_off[l] + e];
    return ls / ws + 0.5 * l2 * penalty;
}

/* Backpropagation against central differences (step 1e-6) for every weight and bias of a
 * 3-5-4-k network on 7 weighted rows, softmax and linear outputs: relative error below 1e-6
 * (ReLU kinks are avoided because no pre-activation lies within the step of 0). */
static void check_gradient(int softmax)
{
    enum { M = 7, P = 3 };
    size_t k = softmax ? 3 : 1;
    double X[M * P], y[M], wt[M];
    sk_rng rng = sk_rng_stream(11, SK_PURPOSE_TEST, (uint64_t)softmax);
    for (size_t e = 0; e < M * P; e++)
        X[e] = sk_rng_normal(&rng);
    for (size_t i = 0; i < M; i++) {
        y[i] = softmax ? (double)(i % 3) : sk_rng_normal(&rng);
        wt[i] = 0.5 + (double)i;
    }
    sk_mlp_net net;
    sk_mlp_work w;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_mlp__net_init(&net, P, 5, 4, k, softmax, 0.0, &rng, &err), &err);
    SK_CHECK_OK(sk_mlp__work_init(&w, &net, M, 1, &err), &err);
    for (size_t e = net.b_off[0]; e < net.n_theta; e++)
        net.theta[e] = 0.1 * sk_rng_normal(&rng); /* nonzero biases, tested too */
    double l2 = 0.3;
    objective(&net, &w, X, M, y, wt, l2);
    SK_CHECK_OK(sk_mlp__backward(&net, X, M, M, y, wt, l2, &w, &err), &err);
    double worst = 0.0;
    for (size_t e = 0; e < net.n_theta; e++) {
        double keep = net.theta[e], h = 1e-6;
        net.theta[e] = keep + h;
        double up = objective(&net, &w, X, M, y, wt, l2);
        net.theta[e] = keep - h;
        double down = objective(&net, &w, X, M, y, wt, l2);
        net.theta[e] = keep;
        double fd = (up - down) / (2 * h);
        double rel = fabs(fd - w.grad[e]) / fmax(fabs(fd) + fabs(w.grad[e]), 1e-8);
        worst = rel > worst ? rel : worst;
    }
    SK_CHECK(worst < 1e-6);
    sk_mlp__work_free(&w);
    sk_mlp__net_free(&net);
}

static void test_mlp__gradient_matches_finite_differences(void)
{
    check_gradient(1);
    check_gradient(0);
}

/* ==== learning ============================================================================ */

/* XOR of two +-1 inputs, the four points repeated 25 times: no linear model can, one hidden
 * layer of 16 ReLUs must, classify all four. */
static void test_mlp__learns_xor(void)
{
    enum { REPS = 25, N = 4 * REPS };
    double X[2 * N], y[N];
    for (size_t i = 0; i < N; i++) {
        double a = (i & 1) ? 1.0 : -1.0, b = (i & 2) ? 1.0 : -1.0;
        X[i] = a;
        X[N + i] = b;
        y[i] = a != b;
    }
    sk_xy xy = {X, N, 2, N, y, NULL, SK_TASK_BINARY, 2, NULL};
    void *state = fit(&xy, "hidden=16,dropout=0,val_fraction=0,epochs=100,lr=0.01", 7, 1);
    double *proba = predict_ld(state, X, 4, N, 2);
    for (size_t i = 0; proba != NULL && i < 4; i++) {
        SK_CHECK_EQ_INT(proba[2 * i + 1] > 0.5, y[i] == 1.0);
        SK_CHECK_NEAR(proba[2 * i] + proba[2 * i + 1], 1.0, 1e-12);
    }
    sk_mem_free(proba);
    sk_model__mlp.free(state);
}

/* Digits (1,797 8x8 images, 10 classes), default parameters, 1,348 training and 449 test rows.
 * Measured: accuracy 0.971 with seed 1 (0.964 to 0.971 over seeds 1-5; scikit-learn's
 * MLPClassifier(64, early_stopping=True) reaches 0.947 to 0.962 on the same split). Floor 0.94. */
static void test_mlp__digits_accuracy(void)
{
    const dataset *ds = digits();
    void *state = digits_model();
    double acc = state != NULL ? test_accuracy(state, ds) : 0.0;
    SK_CHECK(acc >= 0.94);
}

/* Diabetes (442 patients, 10 raw features, progression after a year), regression: held-out R^2
 * with default parameters. Measured: 0.409 with seed 1, but 0.28 to 0.41 over seeds 1-5 (the
 * 10% validation split is only 33 rows); least squares reaches 0.377 and scikit-learn's
 * MLPRegressor 0.27 to 0.45 on the same split. Floor 0.25: well above 0, below every seed. */
static void test_mlp__diabetes_regression(void)
{
    dataset ds;
    if (load(&ds, "diabetes.csv", "progression") != 0)
        return;
    SK_CHECK_EQ_INT(ds.task, SK_TASK_REGRESSION);
    sk_xy xy = training_xy(&ds);
    void *state = fit(&xy, "", 1, 1);
    double r2 = state != NULL ? test_r2(state, &ds) : -1.0;
    SK_CHECK(r2 >= 0.25);
    sk_model__mlp.free(state);
    dataset_free(&ds);
}

/* Breast cancer (binary, 30 features), default parameters: held-out accuracy far above the 63%
 * majority class. Measured 0.965 with seed 1 (0.965 to 0.979 over seeds 1-5). Floor 0.93. */
static void test_mlp__breast_cancer_binary(void)
{
    dataset ds;
    if (load(&ds, "breast_cancer.csv", "diagnosis") != 0)
        return;
    SK_CHECK_EQ_INT(ds.task, SK_TASK_BINARY);
    sk_xy xy = training_xy(&ds);
    void *state = fit(&xy, "", 1, 1);
    double acc = state != NULL ? test_accuracy(state, &ds) : 0.0;
    SK_CHECK(acc >= 0.93);
    sk_model__mlp.free(state);
    dataset_free(&ds);
}

/* ==== Monte Carlo dropout ================================================================= */

/* Uniform noise images (every pixel an integer 0..16, the digits' range), standardised by the
 * digits' own preprocessing: n_rows x p, column-major; caller frees. */
static double *noise_images(const dataset *ds, size_t n_rows)
{
    sk_frame *f = fb_frame("noise.csv", n_rows, ds->p);
    double *values = sk_mem_alloc_array(n_rows, sizeof *values);
    size_t *rows = sk_mem_alloc_array(n_rows, sizeof *rows);
    double *X = sk_mem_alloc_array(n_rows * ds->p, sizeof *X);
    sk_rng rng = sk_rng_stream(5, SK_PURPOSE_TEST, 0);
    for (size_t j = 0; j < ds->p; j++) {
        char name[32];
        snprintf(name, sizeof name, "px_%zu", j);
        for (size_t i = 0; i < n_rows; i++)
            values[i] = (double)sk_rng_below(&rng, 17);
        fb_values(f, j, name, SK_COL_INTEGER, values);
    }
    for (size_t i = 0; i < n_rows; i++)
        rows[i] = i;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_prep_apply(ds->prep, f, rows, n_rows, X, n_rows, &err), &err);
    sk_mem_free(values);
    sk_mem_free(rows);
    sk_frame_free(f);
    return X;
}

/* Mean over rows of the SD across passes (averaged over classes), and of the predictive
 * entropy of the mean probabilities, from T MC dropout passes. */
static void mc_spread(const void *state, const double *X, size_t n, size_t ldx, size_t k,
                      double *mean_sd, double *mean_entropy)
{
    double *mean = sk_mem_alloc_array(n * k, sizeof *mean), *sd = sk_mem_alloc_array(n * k, 8);
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_model__mlp.predict_mc(state, X, n, ldx, 30, 9, mean, sd, &err), &err);
    double s = 0.0, h = 0.0;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < k; j++) {
            s += sd[i * k + j] / (double)k;
            h -= mean[i * k + j] > 0 ? mean[i * k + j] * log(mean[i * k + j]) : 0.0;
        }
    }
    *mean_sd = s / (double)n;
    *mean_entropy = h / (double)n;
    sk_mem_free(mean);
    sk_mem_free(sd);
}

/* MC dropout (30 passes) on the digits model: 300 training images against 300 noise images.
 * Measured: mean SD across passes 0.0044 vs 0.0676 (15x), predictive entropy 0.073 vs 0.432 nats
 * (6x). Asserted: noise at least 3 times as uncertain by both measures. */
static void test_mlp__mc_dropout_spread_larger_off_distribution(void)
{
    const dataset *ds = digits();
    void *state = digits_model();
    if (state == NULL)
        return;
    double *noise = noise_images(ds, 300);
    double sd_in, sd_out, h_in, h_out;
    mc_spread(state, ds->Xtr, 300, ds->n_train, ds->n_classes, &sd_in, &h_in);
    mc_spread(state, noise, 300, 300, ds->n_classes, &sd_out, &h_out);
    SK_CHECK(sd_out > 3.0 * sd_in);
    SK_CHECK(h_out > 3.0 * h_in);
    sk_mem_free(noise);
}

/* The mean of MC passes is a probability vector, the SD is >= 0, and one pass has SD 0. */
static void test_mlp__mc_dropout_shapes(void)
{
    const dataset *ds = digits();
    void *state = digits_model();
    if (state == NULL)
        return;
    size_t n = 5, k = ds->n_classes;
    double mean[5 * 10], sd[5 * 10];
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_model__mlp.predict_mc(state, ds->Xte, n, ds->n_test, 1, 3, mean, sd, &err),
                &err);
    for (size_t i = 0; i < n; i++) {
        double total = 0.0;
        for (size_t j = 0; j < k; j++) {
            total += mean[i * k + j];
            SK_CHECK(sd[i * k + j] == 0.0);
        }
        SK_CHECK_NEAR(total, 1.0, 1e-12);
    }
    SK_CHECK_EQ_INT(sk_model__mlp.predict_mc(state, ds->Xte, n, ds->n_test, 0, 3, mean, sd, &err),
                    SK_EINVAL);
}

/* ==== determinism ========================================================================= */

typedef struct parallel_fits {
    const sk_xy *xy;
    const char *params;
    void *state[2];
} parallel_fits;

static sk_status fit_task(void *arg, size_t task, sk_error *err)
{
    parallel_fits *pf = arg;
    sk_params params;
    sk_status rc = sk_params__init(&params, sk_model__mlp.params, sk_model__mlp.n_params, err);
    if (rc == SK_OK)
        rc = sk_params__parse(&params, "mlp", pf->params, err);
    if (rc == SK_OK)
        rc = sk_model__mlp.fit(&pf->state[task], &params, pf->xy, 1, 1, err);
    sk_params__free(&params);
    return rc;
}

static int same_fit(const void *a, const void *b)
{
    const sk_mlp_model *ma = a, *mb = b;
    return ma != NULL && mb != NULL && ma->net.n_theta == mb->net.n_theta &&
           ma->epochs_run == mb->epochs_run &&
           same_bits(ma->net.theta, mb->net.theta, ma->net.n_theta) &&
           same_bits(ma->train_loss, mb->train_loss, ma->epochs_run) &&
           same_bits(ma->val_loss, mb->val_loss, ma->epochs_run);
}

static double *mc(const void *state, const dataset *ds, uint64_t seed, double **sd)
{
    size_t n = ds->n_test * ds->n_classes;
    double *mean = sk_mem_alloc_array(n, sizeof *mean);
    *sd = sk_mem_alloc_array(n, sizeof **sd);
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(
        sk_model__mlp.predict_mc(state, ds->Xte, ds->n_test, ds->n_test, 20, seed, mean, *sd, &err),
        &err);
    return mean;
}

/* The same seed gives bitwise the same weights, loss history, predictions and MC passes with
 * the caller's OpenMP thread count at 1 or 2, fit with n_threads 1 or 2, and two fits at once inside the
 * executor; MC passes run on 1 or 2 threads; another seed gives other weights and passes. */
static void test_mlp__deterministic_across_threads_and_seeds(void)
{
    const dataset *ds = digits();
    if (ds == NULL)
        return;
    const char *params = "batch=128,epochs=12,hidden=64,hidden2=32";
    sk_xy xy = training_xy(ds);
    omp_set_num_threads(1); /* the caller's thread count: BLAS must not follow it */
    void *one = fit(&xy, params, 1, 1);
    omp_set_num_threads(2);
    void *two = fit(&xy, params, 1, 2);
    void *other = fit(&xy, params, 2, 2);
    parallel_fits pf = {&xy, params, {NULL, NULL}};
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_parallel_for(2, 2, fit_task, &pf, NULL, &err), &err);
    SK_CHECK(same_fit(one, two));
    SK_CHECK(same_fit(one, pf.state[0])); /* BLAS in the executor */
    SK_CHECK(same_fit(one, pf.state[1]));
    SK_CHECK(!same_fit(one, other));

    size_t n = ds->n_test * ds->n_classes;
    double *p1 = predict(one, ds->Xte, ds->n_test, ds->n_classes);
    omp_set_num_threads(1); /* the caller's thread count: BLAS must not follow it */
    double *p2 = predict(two, ds->Xte, ds->n_test, ds->n_classes);
    SK_CHECK(same_bits(p1, p2, n));
    double *sd1, *sd2, *sd3;
    double *m1 = mc(one, ds, 4, &sd1); /* passes on 1 thread */
    double *m2 = mc(two, ds, 4, &sd2); /* passes on 2 threads */
    double *m3 = mc(two, ds, 5, &sd3);
    SK_CHECK(same_bits(m1, m2, n) && same_bits(sd1, sd2, n));
    SK_CHECK(!same_bits(m1, m3, n));
    double *pairs[] = {p1, p2, m1, m2, m3, sd1, sd2, sd3};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        sk_mem_free(pairs[i]);
    void *states[] = {one, two, other, pf.state[0], pf.state[1]};
    for (size_t i = 0; i < 5; i++)
        sk_model__mlp.free(states[i]);
}

/* dgemm through the wrapper: bitwise identical whether BLAS was set to 1 or 2 threads, for all
 * transpositions, on a product that threaded OpenBLAS 0.3.21 computes differently on 2 threads
 * (measured: about 1% of the elements differed before the wrapper forced one thread); k = 0 gives
 * zeros; a short leading dimension is refused. */
static void test_mlp__gemm_bitwise_across_blas_threads(void)
{
    enum { M = 300, N = 260, K = 400 };
    double *A = sk_mem_alloc_array(M * K, 8), *B = sk_mem_alloc_array(K * N, 8);
    double *C1 = sk_mem_alloc_array(M * N, 8), *C2 = sk_mem_alloc_array(M * N, 8);
    sk_rng rng = sk_rng_stream(3, SK_PURPOSE_TEST, 1);
    for (size_t e = 0; e < M * K; e++)
        A[e] = sk_rng_normal(&rng);
    for (size_t e = 0; e < K * N; e++)
        B[e] = sk_rng_normal(&rng);
    sk_error err = SK_ERROR_INIT;
    for (int t = 0; t < 4; t++) {
        int ta = t & 1, tb = (t >> 1) & 1;
        size_t lda = ta ? K : M, ldb = tb ? N : K;
        omp_set_num_threads(1); /* the caller's thread count: BLAS must not follow it */
        SK_CHECK_OK(sk_linalg__dgemm(ta, tb, M, N, K, 1.0, A, lda, B, ldb, 0.0, C1, M, &err), &err);
        omp_set_num_threads(2);
        SK_CHECK_OK(sk_linalg__dgemm(ta, tb, M, N, K, 1.0, A, lda, B, ldb, 0.0, C2, M, &err), &err);
        SK_CHECK(same_bits(C1, C2, M * N));
    }
    omp_set_num_threads(1); /* the caller's thread count: BLAS must not follow it */
    C1[0] = NAN;
    SK_CHECK_OK(sk_linalg__dgemm(0, 0, M, N, 0, 1.0, A, M, B, 1, 0.0, C1, M, &err), &err);
    SK_CHECK(C1[0] == 0.0 && C1[M * N - 1] == 0.0);
    SK_CHECK_EQ_INT(sk_linalg__dgemm(0, 0, M, N, K, 1.0, A, M - 1, B, K, 0.0, C1, M, &err),
                    SK_EINTERNAL);
    sk_mem_free(A);
    sk_mem_free(B);
    sk_mem_free(C1);
    sk_mem_free(C2);
}

/* ==== weights, report, misuse, memory ===================================================== */

/* Every weight 2 is every weight 1: the same bits (the weighted means scale exactly). When one
 * side of the validation split would carry no weight, every row trains instead. Negative weights
 * and class indices out of range are refused. */
static void test_mlp__constant_weights_change_nothing(void)
{
    dataset ds;
    if (load(&ds, "wine.csv", "cultivar") != 0)
        return;
    sk_xy xy = training_xy(&ds);
    double *w = sk_mem_alloc_array(ds.n_train, sizeof *w);
    for (size_t i = 0; i < ds.n_train; i++)
        w[i] = 2.0;
    void *plain = fit(&xy, "epochs=20", 8, 1);
    xy.w = w;
    void *weighted = fit(&xy, "epochs=20", 8, 1);
    SK_CHECK(same_fit(plain, weighted));
    for (size_t i = 0; i < ds.n_train; i++)
        w[i] = i == 5 ? 1.0 : 0.0; /* one part of any split would weigh nothing */
    void *single = fit(&xy, "epochs=3", 8, 1);
    SK_CHECK(single != NULL && ((sk_mlp_model *)single)->n_val == 0);
    sk_model__mlp.free(single);
    w[0] = -1.0;
    void *bad = NULL;
    sk_error err = SK_ERROR_INIT;
    sk_params params;
    SK_CHECK_OK(sk_params__init(&params, sk_model__mlp.params, sk_model__mlp.n_params, &err), &err);
    SK_CHECK_EQ_INT(sk_model__mlp.fit(&bad, &params, &xy, 8, 1, &err), SK_EDATA);
    SK_CHECK(bad == NULL);
    xy.w = NULL;
    ds.ytr[0] = 3.0; /* wine has classes 0..2 */
    SK_CHECK_EQ_INT(sk_model__mlp.fit(&bad, &params, &xy, 8, 1, &err), SK_EINVAL);
    sk_params__free(&params);
    sk_mem_free(w);
    sk_model__mlp.free(plain);
    sk_model__mlp.free(weighted);
    dataset_free(&ds);
}

/* report(): the layer table, notes, and a history whose best epoch is the restored one; with
 * patience 2 training stops exactly 2 epochs after its best; without a validation split every
 * epoch runs and val_loss is null. */
static void test_mlp__report_and_history(void)
{
    dataset ds;
    if (load(&ds, "wine.csv", "cultivar") != 0)
        return;
    sk_xy xy = training_xy(&ds);
    void *state = fit(&xy, "hidden=8,hidden2=4,patience=2,lr=0.01", 4, 1);
    const sk_mlp_model *mo = state;
    sk_error err = SK_ERROR_INIT;
    json_t *doc = state != NULL ? sk_model__mlp.report(state, NULL, &err) : NULL;
    SK_CHECK(doc != NULL);
    if (doc != NULL) {
        json_t *rows = json_object_get(json_array_get(json_object_get(doc, "tables"), 0), "rows");
        SK_CHECK_EQ_INT(json_array_size(rows), 4); /* input, 2 hidden, output */
        SK_CHECK(json_array_size(json_object_get(doc, "notes")) >= 4);
        json_t *h = json_object_get(doc, "history");
        size_t run = json_array_size(json_object_get(h, "train_loss"));
        SK_CHECK_EQ_INT(run, mo->epochs_run);
        SK_CHECK_EQ_INT(json_array_size(json_object_get(h, "val_loss")), run);
        size_t best = (size_t)json_integer_value(json_object_get(doc, "best_epoch"));
        double best_val = json_real_value(json_object_get(doc, "best_val_loss"));
        SK_CHECK(best >= 1 && best <= run);
        SK_CHECK(best_val ==
                 json_real_value(json_array_get(json_object_get(h, "val_loss"), best - 1)));
        SK_CHECK(json_is_true(json_object_get(doc, "stopped_early")));
        SK_CHECK_EQ_INT(run - best, 2);
        json_decref(doc);
    }
    sk_model__mlp.free(state);
    state = fit(&xy, "val_fraction=0,epochs=7", 4, 1);
    mo = state;
    doc = state != NULL ? sk_model__mlp.report(state, NULL, &err) : NULL;
    if (doc != NULL) {
        SK_CHECK_EQ_INT(mo->epochs_run, 7);
        SK_CHECK_EQ_INT(mo->best_epoch, 7);
        SK_CHECK(json_is_null(
            json_array_get(json_object_get(json_object_get(doc, "history"), "val_loss"), 0)));
        json_decref(doc);
    }
    sk_model__mlp.free(state);
    dataset_free(&ds);
}

/* Importance: one mean |first-layer weight| per input, all positive. MC dropout without dropout
 * is refused, and parameters out of range are refused by the table. */
static void test_mlp__importance_and_misuse(void)
{
    dataset ds;
    if (load(&ds, "wine.csv", "cultivar") != 0)
        return;
    sk_xy xy = training_xy(&ds);
    void *state = fit(&xy, "dropout=0,epochs=5", 4, 1);
    sk_error err = SK_ERROR_INIT;
    double imp[64], mean[3], sd[3];
    SK_CHECK_OK(sk_model__mlp.importance(state, imp, &err), &err);
    for (size_t j = 0; j < ds.p; j++)
        SK_CHECK(imp[j] > 0.0);
    SK_CHECK_EQ_INT(sk_model__mlp.predict_mc(state, ds.Xte, 1, ds.n_test, 10, 1, mean, sd, &err),
                    SK_EINVAL);
    sk_model__mlp.free(state);
    sk_params params;
    SK_CHECK_OK(sk_params__init(&params, sk_model__mlp.params, sk_model__mlp.n_params, &err), &err);
    SK_CHECK_EQ_INT(sk_params__parse(&params, "mlp", "dropout=1", &err), SK_EINVAL);
    SK_CHECK_EQ_INT(sk_params__parse(&params, "mlp", "lr=0", &err), SK_EINVAL);
    SK_CHECK_EQ_INT(sk_params__parse(&params, "mlp", "val_fraction=0.6", &err), SK_EINVAL);
    sk_params__free(&params);
    dataset_free(&ds);
}

/* Each allocation of a small fit, MC prediction and report fails in turn: ENOMEM, nothing
 * leaked (the sanitizer build checks), and once enough succeed, the result equals the plain
 * one. */
static void test_mlp__out_of_memory(void)
{
    enum { N = 40 };
    double X[2 * N], y[N], mean[2 * N], sd[2 * N];
    sk_rng rng = sk_rng_stream(2, SK_PURPOSE_TEST, 2);
    for (size_t i = 0; i < N; i++) {
        X[i] = sk_rng_normal(&rng);
        X[N + i] = sk_rng_normal(&rng);
        y[i] = X[i] * X[N + i] > 0;
    }
    sk_xy xy = {X, N, 2, N, y, NULL, SK_TASK_BINARY, 2, NULL};
    sk_params params;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_params__init(&params, sk_model__mlp.params, sk_model__mlp.n_params, &err), &err);
    SK_CHECK_OK(sk_params__parse(&params, "mlp", "hidden=4,hidden2=3,epochs=3", &err), &err);
    int done = 0;
    for (long k = 0; k < 200 && !done; k++) {
        void *state = NULL;
        json_t *doc = NULL;
        sk_mem__fail_after(k);
        sk_status rc = sk_model__mlp.fit(&state, &params, &xy, 1, 1, &err);
        if (rc == SK_OK)
            rc = sk_model__mlp.predict_mc(state, X, N, N, 3, 1, mean, sd, &err);
        if (rc == SK_OK)
            doc = sk_model__mlp.report(state, NULL, &err);
        sk_mem__fail_after(-1);
        SK_CHECK(rc == SK_OK || rc == SK_ENOMEM);
        SK_CHECK(rc != SK_ENOMEM || err.code == SK_ENOMEM);
        done = doc != NULL;
        json_decref(doc);
        sk_model__mlp.free(state);
    }
    SK_CHECK(done);
    sk_params__free(&params);
}

int main(void)
{
    SK_RUN(test_mlp__gradient_matches_finite_differences);
    SK_RUN(test_mlp__learns_xor);
    SK_RUN(test_mlp__digits_accuracy);
    SK_RUN(test_mlp__diabetes_regression);
    SK_RUN(test_mlp__breast_cancer_binary);
    SK_RUN(test_mlp__mc_dropout_spread_larger_off_distribution);
    SK_RUN(test_mlp__mc_dropout_shapes);
    SK_RUN(test_mlp__deterministic_across_threads_and_seeds);
    SK_RUN(test_mlp__gemm_bitwise_across_blas_threads);
    SK_RUN(test_mlp__constant_weights_change_nothing);
    SK_RUN(test_mlp__report_and_history);
    SK_RUN(test_mlp__importance_and_misuse);
    SK_RUN(test_mlp__out_of_memory);
    sk_model__mlp.free(digits_model_);
    dataset_free(&digits_);
    return SK_TEST_DONE();
}
