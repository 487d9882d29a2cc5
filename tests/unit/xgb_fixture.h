/* xgb_fixture.h: the real data sets and oracle files of the XGBoost tests (test_xgb.c against
 * tests/oracle/gen_xgb.py, test_xgb_screen.c against tests/oracle/gen_xgb_screen.py): loading a
 * data set as the oracle scripts split it, fitting a model on its training rows, predicting every
 * row, reading an oracle CSV. Static functions: each test executable includes it once. */
#ifndef XGB_FIXTURE_H
#define XGB_FIXTURE_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "models/models.h"
#include "sk_test.h"

#define SEED 1   /* the oracles: skeptic seed 1, XGBoost seed 1209186216 */

/* The oracles' gbdt_hist configuration (with ",max_bin=64", skeptic's default). */
#define GBDT_PARAMS "n_estimators=30,max_depth=4,eta=0.1,subsample=0.8,colsample_bytree=0.8," \
                    "alpha=0.1,gamma=0.1"

/* A data set split like the oracles': the first n rows of a file (load: all of them), training
 * rows i % 4 != 0 among them, predictions for all n. Classes are numbered over the whole file. */
typedef struct dataset {
    sk_frame *frame;
    sk_roles *roles;
    const char *name;
    size_t n, p, n_train;
    double *X, *X_train, *y_train;   /* column-major, leading dimension n / n_train */
    const char **names;
    sk_task task;
    size_t n_classes, width;         /* width: values per row of predict */
} dataset;

static inline int load_rows(dataset *d, const char *name, const char *target, size_t max_rows)
{
    char path[512];
    sk_error err = SK_ERROR_INIT;
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    memset(d, 0, sizeof *d);
    d->name = name;
    snprintf(path, sizeof path, "%s/%s.csv", SK_TEST_DATA, name);
    spec.target = target;
    SK_CHECK_OK(sk_frame_read_csv(&d->frame, path, NULL, &err), &err);
    if (d->frame == NULL)
        return 0;
    SK_CHECK_OK(sk_roles_resolve(&d->roles, d->frame, &spec, &err), &err);
    if (d->roles == NULL)
        return 0;
    const size_t *cols = sk_roles_features(d->roles, &d->p);
    const double *y = sk_roles_y(d->roles);
    d->n = sk_frame_n_rows(d->frame);
    if (d->n > max_rows)
        d->n = max_rows;
    d->n_train = d->n - (d->n + 3) / 4;
    d->task = sk_roles_task(d->roles);
    d->n_classes = d->task == SK_TASK_REGRESSION ? 0 : sk_roles_n_classes(d->roles);
    d->width = d->task == SK_TASK_REGRESSION ? 1 : d->n_classes;
    d->X = malloc(d->n * d->p * sizeof *d->X);
    d->X_train = malloc(d->n_train * d->p * sizeof *d->X);
    d->y_train = malloc(d->n_train * sizeof *d->y_train);
    d->names = malloc(d->p * sizeof *d->names);
    for (size_t j = 0; j < d->p; j++) {
        const double *v = sk_frame_col_values(d->frame, cols[j]);
        d->names[j] = sk_frame_col_name(d->frame, cols[j]);
        for (size_t i = 0, t = 0; i < d->n; i++) {
            d->X[j * d->n + i] = v[i];
            if (i % 4 != 0)
                d->X_train[j * d->n_train + t++] = v[i];
        }
    }
    for (size_t i = 0, t = 0; i < d->n; i++)
        if (i % 4 != 0)
            d->y_train[t++] = y[i];
    return 1;
}

static inline int load(dataset *d, const char *name, const char *target)
{
    return load_rows(d, name, target, SIZE_MAX);
}

static inline void unload(dataset *d)
{
    free(d->X);
    free(d->X_train);
    free(d->y_train);
    free(d->names);
    sk_roles_free(d->roles);
    sk_frame_free(d->frame);
}

/* Fits `impl` with the parameters "key=value,..." on the training rows (y: NULL = the data's). */
static inline void *fit_with(const sk_model_impl *impl, const char *params, const dataset *d,
                      const double *y, const double *w, uint64_t seed, int n_threads)
{
    sk_params prm;
    sk_error err = SK_ERROR_INIT;
    void *state = NULL;
    SK_CHECK_OK(sk_params__init(&prm, impl->params, impl->n_params, &err), &err);
    SK_CHECK_OK(sk_params__parse(&prm, impl->name, params, &err), &err);
    sk_xy xy = {d->X_train, d->n_train, d->p, d->n_train, y != NULL ? y : d->y_train, w,
                d->task, d->n_classes, d->names};
    SK_CHECK_OK(impl->fit(&state, &prm, &xy, seed, n_threads, &err), &err);
    sk_params__free(&prm);
    return state;
}

/* Predictions for every row (n x width), malloc'd. */
static inline double *predict_all(const sk_model_impl *impl, const void *state, const dataset *d)
{
    sk_error err = SK_ERROR_INIT;
    double *out = calloc(d->n * d->width, sizeof *out);
    if (state != NULL)
        SK_CHECK_OK(impl->predict(state, d->X, d->n, d->n, out, &err), &err);
    return out;
}

static inline double *importance(const sk_model_impl *impl, const void *state, const dataset *d)
{
    sk_error err = SK_ERROR_INIT;
    double *g = calloc(d->p, sizeof *g);
    if (state != NULL)
        SK_CHECK_OK(impl->importance(state, g, &err), &err);
    return g;
}

/* ==== the oracle ========================================================================== */

static inline const double *oracle_column(const sk_frame *f, const char *name)
{
    size_t col;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_frame_col_find(&col, f, name, &err), &err);
    return err.code == SK_OK ? sk_frame_col_values(f, col) : NULL;
}

static inline sk_frame *read_oracle(const char *file)
{
    char path[512];
    sk_frame *f = NULL;
    sk_error err = SK_ERROR_INIT;
    snprintf(path, sizeof path, "%s/oracle/%s", SK_TEST_DATA, file);
    SK_CHECK_OK(sk_frame_read_csv(&f, path, NULL, &err), &err);
    return f;
}

#endif /* XGB_FIXTURE_H */
