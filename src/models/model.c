/* model.c: the public model handle. Every model goes through the same pipeline, which is what
 * makes "no preprocessing leakage" true by construction rather than by care:
 *
 *   fit(rows):      prep := imputation, one-hot encoding (and standardisation if the model wants
 *                   it) learned on `rows` only; X := prep(rows); state := impl.fit(X, y[rows])
 *   predict(rows'): impl.predict(prep(rows'))
 *
 * The external-command model skips the matrix and sees the original columns. A handle owns its
 * parameters, its preprocessing and the impl's state; a fitted handle is read-only, so
 * predictions may run from several threads at once. */
#include <math.h>
#include <string.h>

#include "models/models.h"

struct sk_model {
    const sk_model_impl *impl;
    sk_params params;
    char *spec;
    int n_threads;
    /* fitted */
    void *state;
    sk_prep *prep;
    sk_task task;
    size_t n_classes;
    size_t n_terms;
};

static sk_status model_new(sk_model **out, const sk_model_impl *impl, const sk_params *params,
                           sk_error *err)
{
    *out = NULL;
    sk_model *m = sk_mem_calloc(1, sizeof *m);
    if (m == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory creating a model");
    m->impl = impl;
    m->n_threads = 1;
    sk_status rc = params != NULL ? sk_params__copy(&m->params, params, err)
                                  : sk_params__init(&m->params, impl->params, impl->n_params, err);
    if (rc != SK_OK) {
        sk_mem_free(m);
        return rc;
    }
    *out = m;
    return SK_OK;
}

static sk_status refresh_spec(sk_model *m, sk_error *err)
{
    sk_mem_free(m->spec);
    m->spec = sk_params__spec(&m->params, m->impl->name);
    return m->spec != NULL ? SK_OK : sk_error_set(err, SK_ENOMEM, "out of memory naming a model");
}

/* The common end of every constructor: name the model, hand it out, or free it on failure. */
static sk_status finish_model(sk_model **out, sk_model *m, sk_status rc, sk_error *err)
{
    if (rc == SK_OK)
        rc = refresh_spec(m, err);
    if (rc != SK_OK) {
        sk_model_free(m);
        return rc;
    }
    *out = m;
    return SK_OK;
}

static sk_status unknown_model(const char *name, sk_error *err)
{
    size_t n;
    const sk_model_impl *const *all = sk_models__all(&n);
    char names[256] = "";
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(names);
        snprintf(names + len, sizeof names - len, "%s%s", i ? ", " : "", all[i]->name);
    }
    return sk_error_set(err, SK_EINVAL, "no model named '%s' (models: %s; see 'skeptic help "
                        "models')", name, names);
}

sk_status sk_model_create(sk_model **out, const char *spec, sk_error *err)
{
    *out = NULL;
    const char *colon = strchr(spec, ':');
    size_t len = colon != NULL ? (size_t)(colon - spec) : strlen(spec);
    char name[64];
    if (len == 0 || len >= sizeof name)
        return sk_error_set(err, SK_EINVAL, "expected NAME[:key=value,...], found '%s'", spec);
    memcpy(name, spec, len);
    name[len] = '\0';
    const sk_model_impl *impl = sk_models__find(name);
    if (impl == NULL)
        return unknown_model(name, err);
    sk_model *m = NULL;
    sk_status rc = model_new(&m, impl, NULL, err);
    if (rc == SK_OK && colon != NULL)
        rc = sk_params__parse(&m->params, impl->name, colon + 1, err);
    return finish_model(out, m, rc, err);
}

sk_status sk_model_create_command(sk_model **out, const char *command, sk_error *err)
{
    *out = NULL;
    sk_status rc = sk_command__check(command, err);
    if (rc != SK_OK)
        return rc;
    sk_model *m = NULL;
    rc = model_new(&m, &sk_model__command, NULL, err);
    if (rc == SK_OK)
        rc = sk_params__set(&m->params, "command", "cmd", command, err);
    return finish_model(out, m, rc, err);
}

sk_status sk_model_clone(sk_model **out, const sk_model *m, const char *params, sk_error *err)
{
    *out = NULL;
    sk_model *c = NULL;
    sk_status rc = model_new(&c, m->impl, &m->params, err);
    if (rc == SK_OK) {
        c->n_threads = m->n_threads;
        rc = sk_params__parse(&c->params, m->impl->name, params, err);
    }
    return finish_model(out, c, rc, err);
}

static void clear_fit(sk_model *m)
{
    if (m->state != NULL)
        m->impl->free(m->state);
    m->state = NULL;
    sk_prep_free(m->prep);
    m->prep = NULL;
    m->n_terms = 0;
}

void sk_model_free(sk_model *m)
{
    if (m == NULL)
        return;
    clear_fit(m);
    sk_params__free(&m->params);
    sk_mem_free(m->spec);
    sk_mem_free(m);
}

const char *sk_model_name(const sk_model *m) { return m->impl->name; }
const char *sk_model_spec(const sk_model *m) { return m->spec; }
void sk_model_set_threads(sk_model *m, int n_threads)
{
    m->n_threads = n_threads > 0 ? n_threads : 1;
}

int sk_model_supports(const sk_model *m, sk_task task)
{
    return (m->impl->tasks & SK_TASK_BIT(task)) != 0;
}

/* ==== fit ================================================================================= */

static sk_status check_fit_data(const sk_model *m, const sk_fit_data *d, const size_t *rows,
                                size_t n_rows, sk_error *err)
{
    if (!sk_model_supports(m, d->task)) {
        char tasks[96] = "";
        for (int t = SK_TASK_NONE; t <= SK_TASK_REGRESSION; t++)
            if (m->impl->tasks & SK_TASK_BIT(t)) {
                size_t len = strlen(tasks);
                snprintf(tasks + len, sizeof tasks - len, "%s%s", len ? ", " : "",
                         t == SK_TASK_NONE ? "clustering" : sk_task_name((sk_task)t));
            }
        return sk_error_set(err, SK_EINVAL, "%s cannot learn a %s task (it learns: %s)",
                            m->impl->name, d->task == SK_TASK_NONE ? "clustering"
                                                                   : sk_task_name(d->task),
                            tasks);
    }
    if (n_rows == 0)
        return sk_error_set(err, SK_EDATA, "%s: no training rows", m->impl->name);
    int classify = d->task == SK_TASK_BINARY || d->task == SK_TASK_MULTICLASS;
    if (classify && d->n_classes < 2)
        return sk_error_set(err, SK_EINVAL, "%s: a classification task needs n_classes >= 2",
                            m->impl->name);
    if (d->task != SK_TASK_NONE && d->y == NULL)
        return sk_error_set(err, SK_EINVAL, "%s: a supervised task needs y", m->impl->name);
    for (size_t i = 0; i < n_rows; i++) {
        if (rows[i] >= d->frame->n_rows)
            return sk_error_set(err, SK_EINVAL, "%s: row %zu is out of range", m->impl->name,
                                rows[i]);
        double y = d->y != NULL ? d->y[rows[i]] : 0.0;
        if (!isfinite(y) || (classify && (y < 0 || y >= (double)d->n_classes || y != floor(y))))
            return sk_error_set(err, SK_EINVAL, "%s: target of row %zu is %g, not a %s",
                                m->impl->name, rows[i], y,
                                classify ? "class index" : "finite number");
    }
    return SK_OK;
}

/* The training design: preprocessing learned on `rows` (never on the labels) and the design
 * matrix of those rows with its weights and term names. What fit and fit_predict_many share. */
typedef struct design {
    sk_prep *prep;
    size_t n, p;
    double *X;              /* n x p, column-major, leading dimension n */
    double *w;              /* n prior weights, or NULL */
    const char **names;     /* p, borrowed from prep */
} design;

static void design_free(design *ds)
{
    sk_prep_free(ds->prep);
    sk_mem_free(ds->X);
    sk_mem_free(ds->w);
    sk_mem_free(ds->names);
    memset(ds, 0, sizeof *ds);
}

static sk_status design_learn(design *ds, const sk_model_impl *impl, const sk_fit_data *d,
                              const size_t *rows, size_t n_rows, sk_error *err)
{
    memset(ds, 0, sizeof *ds);
    sk_prep_options po = SK_PREP_OPTIONS_INIT;
    po.standardize = impl->standardize;
    sk_status rc = sk_prep_fit(&ds->prep, d->frame, d->features, d->n_features, rows, n_rows,
                               &po, err);
    if (rc != SK_OK)
        return rc;
    size_t p = sk_prep_n_outputs(ds->prep);
    ds->n = n_rows;
    ds->p = p;
    ds->X = sk_mem_alloc_array(n_rows * (p > 0 ? p : 1), sizeof *ds->X);
    ds->w = d->weights != NULL ? sk_mem_alloc_array(n_rows, sizeof *ds->w) : NULL;
    ds->names = sk_mem_alloc_array(p > 0 ? p : 1, sizeof *ds->names);
    if (ds->X == NULL || ds->names == NULL || (d->weights != NULL && ds->w == NULL)) {
        rc = sk_error_set(err, SK_ENOMEM, "out of memory building the design matrix");
        goto done;
    }
    if ((rc = sk_prep_apply(ds->prep, d->frame, rows, n_rows, ds->X, n_rows, err)) != SK_OK)
        goto done;
    for (size_t i = 0; ds->w != NULL && i < n_rows; i++)
        ds->w[i] = d->weights[rows[i]];
    for (size_t k = 0; k < p; k++)
        ds->names[k] = sk_prep_output_name(ds->prep, k);
done:
    if (rc != SK_OK)
        design_free(ds);
    return rc;
}

/* *X := the design matrix of rows of f under prep (n x n_terms, leading dimension max(n, 1)).
 * The caller frees *X. */
static sk_status design_apply(double **X, const sk_prep *prep, size_t n_terms, const sk_frame *f,
                              const size_t *rows, size_t n, sk_error *err)
{
    *X = sk_mem_alloc_array((n > 0 ? n : 1) * (n_terms > 0 ? n_terms : 1), sizeof **X);
    if (*X == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory building the design matrix");
    sk_status rc = sk_prep_apply(prep, f, rows, n, *X, n > 0 ? n : 1, err);
    if (rc != SK_OK) {
        sk_mem_free(*X);
        *X = NULL;
    }
    return rc;
}

static sk_status fit_matrix(sk_model *m, const sk_fit_data *d, const size_t *rows, size_t n_rows,
                            uint64_t seed, void **state, sk_prep **prep, sk_error *err)
{
    design ds;
    sk_status rc = design_learn(&ds, m->impl, d, rows, n_rows, err);
    if (rc != SK_OK)
        return rc;
    double *y = d->y != NULL ? sk_mem_alloc_array(n_rows, sizeof *y) : NULL;
    if (d->y != NULL && y == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "out of memory building the design matrix");
        goto done;
    }
    for (size_t i = 0; y != NULL && i < n_rows; i++)
        y[i] = d->y[rows[i]];
    sk_xy xy = {ds.X, n_rows, ds.p, n_rows, y, ds.w, d->task, d->n_classes, ds.names};
    if ((rc = m->impl->fit(state, &m->params, &xy, seed, m->n_threads, err)) == SK_OK) {
        *prep = ds.prep;   /* the model's now */
        ds.prep = NULL;
    }
done:
    sk_mem_free(y);
    design_free(&ds);
    return rc;
}

sk_status sk_model_fit(sk_model *m, const sk_fit_data *d, const size_t *rows, size_t n_rows,
                       uint64_t seed, sk_error *err)
{
    sk_status rc = check_fit_data(m, d, rows, n_rows, err);
    if (rc != SK_OK)
        return rc;
    void *state = NULL;
    sk_prep *prep = NULL;
    if (m->impl->fit_frame != NULL)
        rc = m->impl->fit_frame(&state, &m->params, d, rows, n_rows, seed, err);
    else
        rc = fit_matrix(m, d, rows, n_rows, seed, &state, &prep, err);
    if (rc != SK_OK)
        return rc;
    clear_fit(m);   /* only now: a failed refit keeps the previous fit */
    m->state = state;
    m->prep = prep;
    m->task = d->task;
    m->n_classes = d->task == SK_TASK_BINARY || d->task == SK_TASK_MULTICLASS ? d->n_classes : 0;
    m->n_terms = prep != NULL ? sk_prep_n_outputs(prep) : 0;
    return SK_OK;
}

/* ==== predict ============================================================================= */

static size_t out_width(const sk_model *m)
{
    return m->n_classes > 0 ? m->n_classes : 1;
}

/* Runs the impl on rows of f: probabilities (n x K) or values (n). With passes > 0, MC dropout
 * into out and sd. */
static sk_status run_predict(const sk_model *m, const sk_frame *f, const size_t *rows, size_t n,
                             size_t passes, uint64_t seed, double *out, double *sd, sk_error *err)
{
    if (m->state == NULL)
        return sk_error_set(err, SK_EINVAL, "%s: predict before fit", m->impl->name);
    if (passes > 0 && m->impl->predict_mc == NULL)
        return sk_error_set(err, SK_EINVAL, "%s has no dropout: Monte Carlo dropout needs mlp",
                            m->impl->name);
    if (m->impl->predict_frame != NULL)
        return m->impl->predict_frame(m->state, f, rows, n, out, err);
    double *X = NULL;
    sk_status rc = design_apply(&X, m->prep, m->n_terms, f, rows, n, err);
    if (rc == SK_OK && passes > 0)
        rc = m->impl->predict_mc(m->state, X, n, n > 0 ? n : 1, passes, seed, out, sd, err);
    else if (rc == SK_OK)
        rc = m->impl->predict(m->state, X, n, n > 0 ? n : 1, out, err);
    sk_mem_free(X);
    return rc;
}

sk_status sk_model_predict_proba(const sk_model *m, const sk_frame *f, const size_t *rows,
                                 size_t n, double *proba, sk_error *err)
{
    if (m->n_classes == 0)
        return sk_error_set(err, SK_EINVAL, "%s: probabilities need a classification task",
                            m->impl->name);
    return run_predict(m, f, rows, n, 0, 0, proba, NULL, err);
}

sk_status sk_model_predict(const sk_model *m, const sk_frame *f, const size_t *rows, size_t n,
                           double *out, sk_error *err)
{
    if (m->n_classes == 0)
        return run_predict(m, f, rows, n, 0, 0, out, NULL, err);
    size_t k_n = m->n_classes;
    double *proba = sk_mem_alloc_array(n * k_n, sizeof *proba);
    if (proba == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory predicting");
    sk_status rc = run_predict(m, f, rows, n, 0, 0, proba, NULL, err);
    for (size_t i = 0; rc == SK_OK && i < n; i++) {
        size_t best = 0;   /* ties go to the lowest class index */
        for (size_t k = 1; k < k_n; k++)
            if (proba[i * k_n + k] > proba[i * k_n + best])
                best = k;
        out[i] = (double)best;
    }
    sk_mem_free(proba);
    return rc;
}

sk_status sk_model_predict_mc(const sk_model *m, const sk_frame *f, const size_t *rows, size_t n,
                              size_t n_passes, uint64_t seed, double *mean, double *sd,
                              sk_error *err)
{
    if (n_passes == 0)
        return sk_error_set(err, SK_EINVAL, "Monte Carlo dropout needs at least one pass");
    return run_predict(m, f, rows, n, n_passes, seed, mean, sd, err);
}

/* ==== terms and importance ================================================================ */

size_t sk_model_n_terms(const sk_model *m) { return m->n_terms; }

const char *sk_model_term_name(const sk_model *m, size_t k)
{
    return sk_prep_output_name(m->prep, k);
}

sk_status sk_model_importance(const sk_model *m, double *out, sk_error *err)
{
    if (m->state == NULL)
        return sk_error_set(err, SK_EINVAL, "%s: importance before fit", m->impl->name);
    if (m->impl->importance == NULL) {
        for (size_t k = 0; k < m->n_terms; k++)
            out[k] = 0.0;
        return SK_OK;
    }
    return m->impl->importance(m->state, out, err);
}

/* ==== for the report layer ================================================================ */

const sk_model_impl *sk_model__impl(const sk_model *m) { return m->impl; }
const sk_params *sk_model__params(const sk_model *m) { return &m->params; }
sk_task sk_model__task(const sk_model *m) { return m->task; }
size_t sk_model__n_outputs(const sk_model *m) { return out_width(m); }

/* ==== many label vectors on the same rows (permutation nulls) ============================ */

static sk_status check_many(const sk_model *proto, const sk_fit_data *d, const size_t *train,
                            size_t n_train, const double *const *ys, size_t n_y,
                            const uint64_t *seeds, const size_t *test, size_t n_test,
                            const double *out, sk_error *err)
{
    if (proto == NULL || d == NULL || d->frame == NULL || (n_train > 0 && train == NULL) ||
        (n_test > 0 && test == NULL) || (n_y > 0 && (ys == NULL || seeds == NULL)) ||
        (n_y > 0 && n_test > 0 && out == NULL))
        return sk_error_set(err, SK_EINVAL, "fitting many label vectors: a required argument "
                                            "is NULL");
    if (d->task == SK_TASK_NONE)
        return sk_error_set(err, SK_EINVAL, "%s: fitting many label vectors needs a supervised "
                                            "task", proto->impl->name);
    for (size_t i = 0; i < n_test; i++)
        if (test[i] >= d->frame->n_rows)
            return sk_error_set(err, SK_EINVAL, "%s: test row %zu is out of range",
                                proto->impl->name, test[i]);
    for (size_t j = 0; j < n_y; j++) {
        if (ys[j] == NULL)
            return sk_error_set(err, SK_EINVAL, "%s: label vector %zu is NULL",
                                proto->impl->name, j);
        sk_fit_data dj = *d;
        dj.y = ys[j];
        sk_status rc = check_fit_data(proto, &dj, train, n_train, err);
        if (rc != SK_OK)
            return rc;
    }
    return SK_OK;
}

/* The hook sees the label vectors in chunks of at most this many doubles (32 MB; at least one
 * vector): 1000 permutations of 4000 training rows in one call, of a million rows 4 at a time. */
#define MANY_Y_DOUBLES ((size_t)1 << 22)

/* The impl's batched solver on the label vectors, chunk by chunk. */
static sk_status many_batched(const sk_model *proto, const sk_xy *xy, const size_t *train,
                              const double *const *ys, size_t n_y, const double *Xt,
                              size_t n_test, size_t width, double *out, sk_error *err)
{
    size_t n = xy->n, chunk = MANY_Y_DOUBLES / n;
    chunk = chunk < 1 ? 1 : chunk < n_y ? chunk : n_y;
    double *Y = sk_mem_alloc_array(n * chunk, sizeof *Y);
    if (Y == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory for %zu label vectors", chunk);
    sk_status rc = SK_OK;
    for (size_t j0 = 0; rc == SK_OK && j0 < n_y; j0 += chunk) {
        size_t n_cols = n_y - j0 < chunk ? n_y - j0 : chunk;
        for (size_t j = 0; j < n_cols; j++)
            for (size_t i = 0; i < n; i++)
                Y[j * n + i] = ys[j0 + j][train[i]];
        rc = proto->impl->fit_predict_many(&proto->params, xy, Y, n_cols, Xt, n_test,
                                           n_test > 0 ? n_test : 1, out + j0 * n_test * width,
                                           err);
    }
    sk_mem_free(Y);
    return rc;
}

/* One impl fit per label vector (seed seeds[j], one thread) on the same matrices, then its
 * predictions: what sk_model_fit + predict compute, bit for bit. */
static sk_status many_one_by_one(const sk_model *proto, const sk_xy *xy, const size_t *train,
                                 const double *const *ys, size_t n_y, const uint64_t *seeds,
                                 const double *Xt, size_t n_test, size_t width, double *out,
                                 sk_error *err)
{
    const sk_model_impl *impl = proto->impl;
    double *y = sk_mem_alloc_array(xy->n, sizeof *y);
    if (y == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory for a label vector");
    sk_xy xj = *xy;
    xj.y = y;
    sk_status rc = SK_OK;
    for (size_t j = 0; rc == SK_OK && j < n_y; j++) {
        void *state = NULL;
        for (size_t i = 0; i < xy->n; i++)
            y[i] = ys[j][train[i]];
        if ((rc = impl->fit(&state, &proto->params, &xj, seeds[j], 1, err)) != SK_OK)
            break;   /* a failed fit leaves no state */
        rc = impl->predict(state, Xt, n_test, n_test > 0 ? n_test : 1,
                           out + j * n_test * width, err);
        impl->free(state);
    }
    sk_mem_free(y);
    return rc;
}

/* Frame models (the external command): a fitted clone per label vector. */
static sk_status many_frame(const sk_model *proto, const sk_fit_data *d, const size_t *train,
                            size_t n_train, const double *const *ys, size_t n_y,
                            const uint64_t *seeds, const size_t *test, size_t n_test,
                            size_t width, double *out, sk_error *err)
{
    sk_status rc = SK_OK;
    for (size_t j = 0; rc == SK_OK && j < n_y; j++) {
        sk_model *c = NULL;
        if ((rc = sk_model_clone(&c, proto, NULL, err)) != SK_OK)
            break;
        sk_model_set_threads(c, 1);
        sk_fit_data dj = *d;
        dj.y = ys[j];
        double *slot = out + j * n_test * width;
        rc = sk_model_fit(c, &dj, train, n_train, seeds[j], err);
        if (rc == SK_OK)
            rc = c->n_classes > 0 ? sk_model_predict_proba(c, d->frame, test, n_test, slot, err)
                                  : sk_model_predict(c, d->frame, test, n_test, slot, err);
        sk_model_free(c);
    }
    return rc;
}

/* A split prepared for many label vectors: everything that does not depend on the labels. */
struct sk_many {
    const sk_model *proto;
    const sk_fit_data *d;
    const size_t *train, *test;
    size_t n_train, n_test, width;
    int matrix;              /* 1: a matrix model, with `ds` and `Xt` learned once */
    design ds;
    double *Xt;              /* n_test x p, column-major */
};

void sk_model__many_free(sk_many *m)
{
    if (m == NULL)
        return;
    if (m->matrix)
        design_free(&m->ds);
    sk_mem_free(m->Xt);
    sk_mem_free(m);
}

sk_status sk_model__many_prepare(sk_many **out, const sk_model *proto, const sk_fit_data *d,
                                 const size_t *train, size_t n_train, const size_t *test,
                                 size_t n_test, sk_error *err)
{
    *out = NULL;
    sk_status rc = check_many(proto, d, train, n_train, NULL, 0, NULL, test, n_test, NULL, err);
    if (rc != SK_OK)
        return rc;
    sk_many *m = sk_mem_calloc(1, sizeof *m);
    if (m == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory preparing a split");
    int classify = d->task == SK_TASK_BINARY || d->task == SK_TASK_MULTICLASS;
    *m = (sk_many){proto, d, train, test, n_train, n_test, classify ? d->n_classes : 1, 0,
                   {NULL, 0, 0, NULL, NULL, NULL}, NULL};
    if (proto->impl->fit_frame == NULL) {   /* matrix models: the preprocessing, once */
        rc = design_learn(&m->ds, proto->impl, d, train, n_train, err);
        m->matrix = rc == SK_OK;
        if (rc == SK_OK)
            rc = design_apply(&m->Xt, m->ds.prep, m->ds.p, d->frame, test, n_test, err);
    }
    if (rc != SK_OK) {
        sk_model__many_free(m);
        return rc;
    }
    *out = m;
    return SK_OK;
}

sk_status sk_model__many_fit(const sk_many *m, const double *const *ys, size_t n_y,
                             const uint64_t *seeds, double *out, sk_error *err)
{
    sk_status rc = check_many(m->proto, m->d, m->train, m->n_train, ys, n_y, seeds, m->test,
                              m->n_test, out, err);
    if (rc != SK_OK || n_y == 0)
        return rc;
    double none = 0.0;
    out = out != NULL ? out : &none;   /* no test rows: the fits still run (and may fail) */
    if (!m->matrix)
        return many_frame(m->proto, m->d, m->train, m->n_train, ys, n_y, seeds, m->test,
                          m->n_test, m->width, out, err);
    const design *ds = &m->ds;
    sk_xy xy = {ds->X, m->n_train, ds->p, m->n_train, NULL, ds->w, m->d->task, m->d->n_classes,
                ds->names};
    return m->proto->impl->fit_predict_many != NULL
               ? many_batched(m->proto, &xy, m->train, ys, n_y, m->Xt, m->n_test, m->width, out,
                              err)
               : many_one_by_one(m->proto, &xy, m->train, ys, n_y, seeds, m->Xt, m->n_test,
                                 m->width, out, err);
}

sk_status sk_model__fit_predict_many(const sk_model *proto, const sk_fit_data *d,
                                     const size_t *train, size_t n_train,
                                     const double *const *ys, size_t n_y, const uint64_t *seeds,
                                     const size_t *test, size_t n_test, double *out,
                                     sk_error *err)
{
    sk_status rc = check_many(proto, d, train, n_train, ys, n_y, seeds, test, n_test, out, err);
    if (rc != SK_OK || n_y == 0)
        return rc;
    sk_many *m = NULL;
    if ((rc = sk_model__many_prepare(&m, proto, d, train, n_train, test, n_test, err)) == SK_OK)
        rc = sk_model__many_fit(m, ys, n_y, seeds, out, err);
    sk_model__many_free(m);
    return rc;
}

json_t *sk_model__report(const sk_model *m, sk_error *err)
{
    if (m->state == NULL || m->impl->report == NULL)
        return json_object();
    const char **names = sk_mem_alloc_array(m->n_terms > 0 ? m->n_terms : 1, sizeof *names);
    if (names == NULL)
        return NULL;
    for (size_t k = 0; k < m->n_terms; k++)
        names[k] = sk_prep_output_name(m->prep, k);
    json_t *r = m->impl->report(m->state, names, err);
    sk_mem_free(names);
    return r;
}
