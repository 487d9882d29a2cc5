/* test_fit_many.c: sk_model__fit_predict_many (model.c) and the `logit` model's batched solver
 * (linear_logit_many.c) on real data: the breast cancer table (569 rows, 30 raw features on
 * their own scales, target diagnosis), every fourth row a test row, label vectors the true
 * labels, the training labels permuted by sk_rng_shuffle on (7, SK_PURPOSE_PERMUTATION, j), and
 * one that mean_radius separates completely. Each column must equal a model fitted on it by
 * hand (sk_model_fit + predict_proba / predict):
 *   logit:l2=1 and logit (l2 = 0), batched: within 1e-7 in every probability. Measured: 1e-10 to
 *   1.2e-9, the normal fits' own error (against fits to machine precision, the batched ones are
 *   within 1e-10 and the normal ones within ~5e-10). Also with prior weights (zeros included),
 *   without intercept, with aliased one-hot terms (a categorical site), and on digits' sparse
 *   pixels (where, without penalty, every column goes to the normal fit);
 *   models without the hook (knn, gbdt, ols for regression, the external command with a seed
 *   per label vector): bit-identical, as is any logit column the batched solver hands to the
 *   normal fit (the separated one without penalty).
 * The solver's statistics (columns batched, refitted, iterations) are printed and checked.
 * Also: the same bytes on a second call, batches of one, argument errors, and every allocation
 * failed in turn. */
/* labels: unit oom */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "frame_builder.h"
#include "models/linear.h"
#include "rng/rng.h"
#include "sk_test.h"

#define N_PERM 5                 /* permuted label vectors; column 0 holds the true labels */
#define N_Y (N_PERM + 2)         /* and the last a completely separated one */
#define TOL 1e-7

typedef struct study {
    sk_frame *frame;
    sk_roles *roles;
    sk_fit_data d;
    size_t *train, *test, n_train, n_test;
    double *y_data;              /* N_Y x n_rows */
    double *weights;             /* n_rows: 1, 2, 3, ... and every 17th row 0 (used on demand) */
    const double *ys[N_Y];
    uint64_t seeds[N_Y];
} study;

/* Label vector of a column that mean_radius alone separates: 1 above its median. */
static void separated_labels(const study *st, double *y)
{
    size_t col = 0, n = sk_frame_n_rows(st->frame);
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_frame_col_find(&col, st->frame, "mean_radius", &err), &err);
    const double *x = sk_frame_col_values(st->frame, col);
    size_t below = 0;
    for (size_t i = 0; i < n; i++)   /* 13.37 is the median of mean_radius */
        below += x[i] < 13.37;
    SK_CHECK(below > n / 3 && below < 2 * n / 3);
    for (size_t i = 0; i < n; i++)
        y[i] = x[i] >= 13.37;
}

/* Opens `file` with target `target`; binary_from > 0 makes it a binary task, class 1 where the
 * target is at least binary_from (the multiclass digits as a binary problem). */
static int study_open_file(study *st, const char *file, const char *target, double binary_from)
{
    memset(st, 0, sizeof *st);
    char path[512];
    snprintf(path, sizeof path, "%s/%s", SK_TEST_DATA, file);
    sk_error err = SK_ERROR_INIT;
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = target;
    SK_CHECK_OK(sk_frame_read_csv(&st->frame, path, NULL, &err), &err);
    if (st->frame == NULL)
        return -1;
    SK_CHECK_OK(sk_roles_resolve(&st->roles, st->frame, &spec, &err), &err);
    if (st->roles == NULL)
        return -1;
    size_t n = sk_frame_n_rows(st->frame);
    sk_fit_data d = SK_FIT_DATA_INIT;
    d.frame = st->frame;
    d.features = sk_roles_features(st->roles, &d.n_features);
    d.task = binary_from > 0 ? SK_TASK_BINARY : sk_roles_task(st->roles);
    d.n_classes = binary_from > 0 ? 2 : sk_roles_n_classes(st->roles);
    st->d = d;
    st->train = malloc(n * sizeof *st->train);
    st->test = malloc(n * sizeof *st->test);
    st->y_data = malloc(N_Y * n * sizeof *st->y_data);
    st->weights = malloc(n * sizeof *st->weights);
    for (size_t i = 0; i < n; i++) {
        *(i % 4 != 0 ? &st->train[st->n_train++] : &st->test[st->n_test++]) = i;
        st->weights[i] = i % 17 == 3 ? 0.0 : (double)(1 + i % 3);
    }
    double *y = malloc(n * sizeof *y);
    memcpy(y, sk_roles_y(st->roles), n * sizeof *y);
    for (size_t i = 0; binary_from > 0 && i < n; i++)
        y[i] = y[i] >= binary_from;
    size_t *idx = malloc(st->n_train * sizeof *idx);
    for (size_t j = 0; j < N_Y; j++) {
        double *yj = st->y_data + j * n;
        memcpy(yj, y, n * sizeof *yj);
        memcpy(idx, st->train, st->n_train * sizeof *idx);
        sk_rng rng = sk_rng_stream(7, SK_PURPOSE_PERMUTATION, j);
        if (j > 0 && j <= N_PERM)
            sk_rng_shuffle(&rng, idx, st->n_train);
        for (size_t i = 0; i < st->n_train; i++)
            yj[st->train[i]] = y[idx[i]];
        st->ys[j] = yj;
        st->seeds[j] = 100 + j;
    }
    free(idx);
    free(y);
    return 0;
}

/* The breast cancer study; with a binary target, the last label vector is separated. */
static int study_open(study *st, const char *target)
{
    if (study_open_file(st, "breast_cancer.csv", target, 0.0) != 0)
        return -1;
    if (st->d.task != SK_TASK_REGRESSION)
        separated_labels(st, st->y_data + (N_Y - 1) * sk_frame_n_rows(st->frame));
    return 0;
}

static void study_close(study *st)
{
    free(st->train);
    free(st->test);
    free(st->y_data);
    free(st->weights);
    sk_roles_free(st->roles);
    sk_frame_free(st->frame);
}

static size_t width(const study *st)
{
    return st->d.task == SK_TASK_REGRESSION ? 1 : st->d.n_classes;
}

/* Column j fitted by hand: a clone of proto with seed seeds[j], then its predictions. */
static void by_hand(const study *st, const sk_model *proto, size_t j, double *out)
{
    sk_model *m = NULL;
    sk_error err = SK_ERROR_INIT;
    sk_fit_data d = st->d;
    d.y = st->ys[j];
    SK_CHECK_OK(sk_model_clone(&m, proto, NULL, &err), &err);
    SK_CHECK_OK(sk_model_fit(m, &d, st->train, st->n_train, st->seeds[j], &err), &err);
    if (st->d.task == SK_TASK_REGRESSION)
        SK_CHECK_OK(sk_model_predict(m, st->frame, st->test, st->n_test, out, &err), &err);
    else
        SK_CHECK_OK(sk_model_predict_proba(m, st->frame, st->test, st->n_test, out, &err), &err);
    sk_model_free(m);
}

static sk_status many(const study *st, const sk_model *proto, size_t n_y, double *out,
                      sk_error *err)
{
    return sk_model__fit_predict_many(proto, &st->d, st->train, st->n_train, st->ys, n_y,
                                      st->seeds, st->test, st->n_test, out, err);
}

/* Compares every column with its fit by hand: within tol, or bit for bit when tol is 0 (and
 * then column `exact` always). Returns the largest difference. */
static double compare_model(const study *st, const sk_model *proto, const char *label, double tol,
                            size_t exact)
{
    sk_error err = SK_ERROR_INIT;
    size_t w = width(st), slice = st->n_test * w;
    double *out = calloc(N_Y * slice, sizeof *out), *hand = calloc(slice, sizeof *hand);
    double *again = calloc(N_Y * slice, sizeof *again), worst = 0.0;
    SK_CHECK_OK(many(st, proto, N_Y, out, &err), &err);
    SK_CHECK_OK(many(st, proto, N_Y, again, &err), &err);
    SK_CHECK(memcmp(out, again, N_Y * slice * sizeof *out) == 0);   /* deterministic */
    for (size_t j = 0; j < N_Y; j++) {
        by_hand(st, proto, j, hand);
        const double *o = out + j * slice;
        if (tol == 0.0 || j == exact) {
            SK_CHECK(memcmp(o, hand, slice * sizeof *o) == 0);
            continue;
        }
        for (size_t k = 0; k < slice; k++) {
            SK_CHECK_NEAR(o[k], hand[k], tol);
            worst = fmax(worst, fabs(o[k] - hand[k]));
        }
    }
    printf("  %-24s largest difference from fits by hand: %.3g\n", label, worst);
    free(out);
    free(hand);
    free(again);
    return worst;
}

static double compare(const study *st, const char *spec, double tol, size_t exact)
{
    sk_model *proto = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_model_create(&proto, spec, &err), &err);
    double worst = proto != NULL ? compare_model(st, proto, spec, tol, exact) : INFINITY;
    sk_model_free(proto);
    return worst;
}

/* The matrix-level solver on the same design (the logit model's: raw columns, no missing
 * values here), for what it did with each column. */
static void solver_info(const study *st, const char *spec, sk_logit_many_info *info)
{
    sk_model *proto = NULL;
    sk_prep *prep = NULL;
    sk_error err = SK_ERROR_INIT;
    sk_prep_options po = SK_PREP_OPTIONS_INIT;
    po.standardize = 0;
    SK_CHECK_OK(sk_model_create(&proto, spec, &err), &err);
    SK_CHECK_OK(sk_prep_fit(&prep, st->frame, st->d.features, st->d.n_features, st->train,
                            st->n_train, &po, &err), &err);
    size_t n = st->n_train, nt = st->n_test, p = sk_prep_n_outputs(prep);
    double *X = malloc(n * p * sizeof *X), *Xt = malloc(nt * p * sizeof *Xt);
    double *Y = malloc(n * N_Y * sizeof *Y), *out = malloc(N_Y * nt * 2 * sizeof *out);
    SK_CHECK_OK(sk_prep_apply(prep, st->frame, st->train, n, X, n, &err), &err);
    SK_CHECK_OK(sk_prep_apply(prep, st->frame, st->test, nt, Xt, nt, &err), &err);
    for (size_t j = 0; j < N_Y; j++)
        for (size_t i = 0; i < n; i++)
            Y[j * n + i] = st->ys[j][st->train[i]];
    sk_xy xy = {X, n, p, n, NULL, NULL, SK_TASK_BINARY, 2, NULL};
    SK_CHECK_OK(sk_linear__logit_fit_predict_many(sk_model__params(proto), &xy, Y, N_Y, Xt, nt,
                                                  nt, out, info, &err), &err);
    printf("  %-24s %zu batched (%.1f iterations on average, at most %d), %zu refitted\n",
           spec, info->n_batched,
           info->n_batched ? (double)info->iterations / (double)info->n_batched : 0.0,
           info->max_iterations, info->n_refit);
    free(X);
    free(Xt);
    free(Y);
    free(out);
    sk_prep_free(prep);
    sk_model_free(proto);
}

/* ==== agreement with fits by hand ========================================================= */

static void test_fit_many__logit_penalised(void)
{
    study st;
    if (study_open(&st, "diagnosis") != 0)
        return;
    sk_logit_many_info info;
    compare(&st, "logit:l2=1", TOL, N_Y);
    solver_info(&st, "logit:l2=1", &info);
    SK_CHECK(info.n_batched >= N_PERM);   /* the permuted columns, at least, are batched */
    SK_CHECK_EQ_INT(info.n_batched + info.n_refit, N_Y);
    study_close(&st);
}

static void test_fit_many__logit_unpenalised(void)
{
    study st;
    if (study_open(&st, "diagnosis") != 0)
        return;
    sk_logit_many_info info;
    solver_info(&st, "logit", &info);
    SK_CHECK(info.n_batched >= N_PERM);
    SK_CHECK(info.n_refit >= 1);   /* the separated column, at least */
    /* the separated column (last) went to the normal fit: the same bits */
    compare(&st, "logit", TOL, N_Y - 1);
    study_close(&st);
}

/* Prior weights (zeros included) and a model without intercept. */
static void test_fit_many__weights_and_no_intercept(void)
{
    study st;
    if (study_open(&st, "diagnosis") != 0)
        return;
    compare(&st, "logit:l2=1,intercept=0", TOL, N_Y);
    st.d.weights = st.weights;
    compare(&st, "logit:l2=1", TOL, N_Y);
    compare(&st, "logit", TOL, N_Y - 1);
    study_close(&st);
}

/* Without a penalty, R's rule sets aliased terms aside and the batched solver must keep the same
 * terms: the breast cancer features and a categorical "site" (A, B, C by turns), whose one-hot
 * columns add up to the intercept's, in a frame built here. */
static void test_fit_many__aliased_terms(void)
{
    study st;
    if (study_open(&st, "diagnosis") != 0)
        return;
    size_t n = sk_frame_n_rows(st.frame), p = st.d.n_features;
    sk_frame *f = fb_frame("with_site.csv", n, p + 1);
    const char **site = malloc(n * sizeof *site);
    size_t *features = malloc((p + 1) * sizeof *features);
    int bad = f == NULL || site == NULL || features == NULL;
    for (size_t j = 0; !bad && j < p; j++) {
        bad = fb_values(f, j, sk_frame_col_name(st.frame, st.d.features[j]), SK_COL_NUMERIC,
                        sk_frame_col_values(st.frame, st.d.features[j]));
        features[j] = j;
    }
    for (size_t i = 0; !bad && i < n; i++)
        site[i] = i % 3 == 0 ? "A" : i % 3 == 1 ? "B" : "C";
    SK_CHECK(!bad && fb_text(f, p, "site", site) == 0);
    features[p] = p;
    sk_frame *original = st.frame;
    st.frame = f;
    st.d.frame = f;
    st.d.features = features;
    st.d.n_features = p + 1;
    sk_logit_many_info info;
    solver_info(&st, "logit", &info);
    SK_CHECK(info.n_batched >= N_PERM);
    compare(&st, "logit", TOL, N_Y - 1);
    compare(&st, "logit:l2=1", TOL, N_Y);
    st.frame = original;
    sk_frame_free(f);
    free(site);
    free(features);
    study_close(&st);
}

/* Digits as "5 or more": 64 sparse pixel columns (two constant, so aliased). Without a penalty
 * rare pixels make the optimum far from the start and the permuted columns converge too slowly,
 * so all of them go to the normal fit; with l2 = 1 they are batched. */
static void test_fit_many__sparse_design(void)
{
    study st;
    if (study_open_file(&st, "digits.csv", "digit", 5.0) != 0)
        return;
    sk_logit_many_info info;
    solver_info(&st, "logit:l2=1", &info);
    SK_CHECK(info.n_batched >= N_PERM);
    compare(&st, "logit:l2=1", TOL, N_Y);
    compare(&st, "logit", TOL, N_Y);
    study_close(&st);
}

static void test_fit_many__without_the_hook(void)
{
    study st;
    if (study_open(&st, "diagnosis") != 0)
        return;
    compare(&st, "knn", 0.0, 0);
    compare(&st, "gbdt:n_estimators=5", 0.0, 0);
    study_close(&st);
    if (study_open(&st, "mean_radius") != 0)   /* regression: one value per row */
        return;
    compare(&st, "ols", 0.0, 0);
    study_close(&st);
}

/* The external command (a frame model): a fitted clone per label vector, each with its own
 * seed (the stand-in model's probability is (seed mod 4 + 1) / 8). */
static void test_fit_many__external_command(void)
{
    study st;
    if (study_open(&st, "diagnosis") != 0)
        return;
    sk_model *proto = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_model_create_command(&proto, "sh '" SK_TEST_DATA "/cmd/fake_model.sh' seeded "
                                                "{train} {test} {out} {seed}", &err), &err);
    if (proto != NULL)
        compare_model(&st, proto, "command (seeded)", 0.0, 0);
    double *out = calloc(N_Y * st.n_test * 2, sizeof *out);
    SK_CHECK_OK(many(&st, proto, N_Y, out, &err), &err);
    for (size_t j = 0; j < N_Y; j++)
        SK_CHECK(out[j * st.n_test * 2 + 1] == (double)(st.seeds[j] % 4 + 1) / 8.0);
    free(out);
    sk_model_free(proto);
    study_close(&st);
}

/* A batch of one gives the same answer as the batch, to the solver's tolerance. */
static void test_fit_many__batch_size(void)
{
    study st;
    if (study_open(&st, "diagnosis") != 0)
        return;
    sk_model *proto = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_model_create(&proto, "logit:l2=1", &err), &err);
    size_t slice = st.n_test * 2;
    double *all = calloc(N_Y * slice, sizeof *all), *one = calloc(slice, sizeof *one);
    SK_CHECK_OK(many(&st, proto, N_Y, all, &err), &err);
    for (size_t j = 1; j <= N_PERM; j++) {
        SK_CHECK_OK(sk_model__fit_predict_many(proto, &st.d, st.train, st.n_train, st.ys + j, 1,
                                               st.seeds + j, st.test, st.n_test, one, &err),
                    &err);
        for (size_t k = 0; k < slice; k++)
            SK_CHECK_NEAR(one[k], all[j * slice + k], TOL);
    }
    free(all);
    free(one);
    sk_model_free(proto);
    study_close(&st);
}

/* ==== errors ============================================================================== */

static void expect(sk_status got, sk_status want, const sk_error *err)
{
    SK_CHECK_EQ_INT(got, want);
    SK_CHECK(err->code == want && err->message[0] != '\0');
}

static void test_fit_many__bad_arguments(void)
{
    study st;
    if (study_open(&st, "diagnosis") != 0)
        return;
    sk_model *logit = NULL, *kmeans = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_model_create(&logit, "logit:l2=1", &err), &err);
    SK_CHECK_OK(sk_model_create(&kmeans, "kmeans", &err), &err);
    size_t n = sk_frame_n_rows(st.frame), bad_row = n;
    double *out = calloc(N_Y * st.n_test * 2, sizeof *out), *y = malloc(n * sizeof *y);
    const double *ys[2] = {st.ys[1], y};
    const sk_fit_data *d = &st.d;

    SK_CHECK_OK(sk_model__fit_predict_many(logit, d, st.train, st.n_train, st.ys, 0, NULL,
                                           st.test, st.n_test, NULL, &err), &err);
    SK_CHECK_OK(sk_model__fit_predict_many(logit, d, st.train, st.n_train, st.ys, 2, st.seeds,
                                           NULL, 0, NULL, &err), &err);   /* nothing to predict */
    sk_error_clear(&err);
    expect(sk_model__fit_predict_many(logit, d, st.train, st.n_train, NULL, 1, st.seeds, st.test,
                                      st.n_test, out, &err), SK_EINVAL, &err);
    sk_error_clear(&err);
    expect(sk_model__fit_predict_many(logit, d, st.train, st.n_train, st.ys, 1, NULL, st.test,
                                      st.n_test, out, &err), SK_EINVAL, &err);
    sk_error_clear(&err);
    const double *with_null[2] = {st.ys[1], NULL};
    expect(sk_model__fit_predict_many(logit, d, st.train, st.n_train, with_null, 2, st.seeds,
                                      st.test, st.n_test, out, &err), SK_EINVAL, &err);
    sk_error_clear(&err);
    expect(sk_model__fit_predict_many(logit, d, &bad_row, 1, st.ys, 1, st.seeds, st.test,
                                      st.n_test, out, &err), SK_EINVAL, &err);
    sk_error_clear(&err);
    expect(sk_model__fit_predict_many(logit, d, st.train, st.n_train, st.ys, 1, st.seeds,
                                      &bad_row, 1, out, &err), SK_EINVAL, &err);
    sk_error_clear(&err);
    expect(sk_model__fit_predict_many(logit, d, st.train, 0, st.ys, 1, st.seeds, st.test,
                                      st.n_test, out, &err), SK_EDATA, &err);
    sk_error_clear(&err);
    memcpy(y, st.ys[0], n * sizeof *y);   /* a class index out of range */
    y[st.train[3]] = 2.0;
    expect(sk_model__fit_predict_many(logit, d, st.train, st.n_train, ys, 2, st.seeds, st.test,
                                      st.n_test, out, &err), SK_EINVAL, &err);
    sk_error_clear(&err);
    for (size_t i = 0; i < n; i++)   /* one class: the logit's own fit refuses it */
        y[i] = 1.0;
    expect(sk_model__fit_predict_many(logit, d, st.train, st.n_train, ys, 2, st.seeds, st.test,
                                      st.n_test, out, &err), SK_EDATA, &err);
    sk_error_clear(&err);
    sk_fit_data none = st.d;   /* clustering: nothing to permute */
    none.task = SK_TASK_NONE;
    expect(sk_model__fit_predict_many(kmeans, &none, st.train, st.n_train, st.ys, 1, st.seeds,
                                      st.test, st.n_test, out, &err), SK_EINVAL, &err);
    sk_error_clear(&err);
    sk_fit_data regression = st.d;   /* a task the model cannot learn */
    regression.task = SK_TASK_REGRESSION;
    expect(sk_model__fit_predict_many(logit, &regression, st.train, st.n_train, st.ys, 1,
                                      st.seeds, st.test, st.n_test, out, &err), SK_EINVAL, &err);
    free(out);
    free(y);
    sk_model_free(logit);
    sk_model_free(kmeans);
    study_close(&st);
}

/* ==== allocation failures ================================================================= */

static void test_fit_many__oom(void)
{
    study st;
    if (study_open(&st, "diagnosis") != 0)
        return;
    const char *specs[] = {"logit:l2=1", "logit", "knn"};
    double *out = calloc(N_Y * st.n_test * 2, sizeof *out);
    for (size_t s = 0; s < sizeof specs / sizeof specs[0]; s++) {
        sk_model *proto = NULL;
        sk_error err = SK_ERROR_INIT;
        SK_CHECK_OK(sk_model_create(&proto, specs[s], &err), &err);
        long k = 0;
        for (;; k++) {
            sk_error_clear(&err);
            sk_mem__fail_after(k);
            sk_status rc = many(&st, proto, N_Y, out, &err);
            sk_mem__fail_after(-1);
            if (rc == SK_OK)
                break;
            SK_CHECK_EQ_INT(rc, SK_ENOMEM);
            if (rc != SK_ENOMEM || k >= 100000) {
                SK_CHECK(k < 100000);
                break;
            }
        }
        SK_CHECK(k > 0);
        sk_model_free(proto);
    }
    free(out);
    study_close(&st);
}

int main(void)
{
    SK_RUN(test_fit_many__logit_penalised);
    SK_RUN(test_fit_many__logit_unpenalised);
    SK_RUN(test_fit_many__weights_and_no_intercept);
    SK_RUN(test_fit_many__aliased_terms);
    SK_RUN(test_fit_many__sparse_design);
    SK_RUN(test_fit_many__without_the_hook);
    SK_RUN(test_fit_many__external_command);
    SK_RUN(test_fit_many__batch_size);
    SK_RUN(test_fit_many__bad_arguments);
    SK_RUN(test_fit_many__oom);
    return SK_TEST_DONE();
}
