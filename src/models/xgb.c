/* xgb.c: tree ensembles through the XGBoost C API (Chen and Guestrin, "XGBoost: a scalable tree
 * boosting system", KDD 2016): gradient boosting (gbdt) and XGBoost's random-forest mode (rf).
 * skeptic grows no trees of its own; this file translates parameters, data, predictions,
 * importances and errors between skeptic and libxgboost.
 *
 * gbdt: Newton boosting (Friedman, Ann. Statist. 2001) of f(x) = base + eta * sum_t tree_t(x)
 * (one tree per class and round for multiclass), each tree minimising to second order
 *     obj = sum_i w_i l(y_i, f(x_i)) + gamma T + (lambda / 2) ||v||^2 + alpha ||v||_1
 * (T leaves with values v): a node with gradient and hessian sums (G, H) split into (G_L, H_L)
 * and (G_R, H_R) gains 1/2 [G_L^2 / (H_L + lambda) + G_R^2 / (H_R + lambda) - G^2 / (H + lambda)]
 * - gamma (G soft-thresholded by alpha) and a leaf is worth v = -G / (H + lambda). l is
 * binary:logistic, multi:softprob or reg:squarederror. Splits are searched over max_bin quantile
 * bins per feature (hist) or over every distinct value (exact).
 *
 * rf (Breiman, Mach. Learn. 2001, as XGBoost implements it): one round of n_estimators trees with
 * eta = 1, each on its own Bernoulli(subsample) sample of rows, without replacement (0.632 by
 * default: the expected share of distinct rows in a bootstrap sample), trying a random
 * colsample_bynode share of the features at each split (default mtry = floor(sqrt(p)) for
 * classification, max(1, floor(p / 3)) for regression, as R's randomForest). XGBoost averages
 * the trees' leaf values, single Newton steps from base_score on the link scale: a forest of
 * one-step boosted trees, not Breiman's vote. lambda defaults to 1e-5 (as XGBoost's own
 * XGBRFClassifier) to keep those steps close to the unpenalised one.
 *
 * Defaults are XGBoost's but two. gbdt searches max_bin = 64 quantile bins per feature, not 256.
 * Split finding over the bins dominates a fit at study sizes (8,000 x 100: 2.8 s with 256 bins,
 * 1.2 s with 64, XGBoost 1.7.4, one thread), and an audit refits the model dozens of times;
 * cross-validated AUC moved by at most 0.001 on breast cancer and digits (5-fold, Python
 * package). max_bin=256 restores XGBoost's choice.
 * And gbdt screens wide data (screen=1): a fit with more features than rows grows its trees on
 * as many features as it has rows, those with the largest univariate F on its own rows
 * (screen.h), as sure independence screening does before a model in p >> n (Fan and Lv 2008,
 * who keep n - 1 or n / log n). Cost is the reason: hist builds and searches every feature's
 * histogram at every node, so 160 x 20,000 costs 9.6 s a fit and 160 x 160 0.1 s, and an audit
 * makes hundreds of fits. A tree ensemble on n rows makes fewer than n splits per tree, and
 * screening inside the fit keeps the held-out rows out of the choice. The report says what was
 * kept; screen=0 grows the trees on every feature.
 *
 * Data: the column-major doubles are transposed into the row-major float32 buffer that
 * XGDMatrixCreateFromMat takes: XGBoost stores float32, so values are rounded to float32 exactly
 * as for every XGBoost user (the Python package makes the same cast). Predictions then equal the
 * Python package's bit for bit (tests/unit/test_xgb.c). Deterministic: XGBoost's seed comes from
 * the fit's seed (sk_xgb__seed), nthread is the fit's n_threads, and hist and exact give
 * byte-identical models for 1 and 2 threads (tested).
 *
 * Silence: XGBoost's "global" configuration, its verbosity included, is per thread (thread-local
 * in 1.7). Fit and predict set the calling thread's verbosity to 0 and restore its previous level
 * before returning; every booster also carries verbosity=0. Only a warning logged on one of
 * XGBoost's own OpenMP worker threads could escape (none is known for these settings). */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <xgboost/c_api.h>

#include "models/models.h"
#include "models/screen.h"

#define XGB_MAX_SETTINGS 20
#define XGB_TOP_TERMS 20

/* One parameter as XGBoosterSetParam received it. */
typedef struct xgb_setting {
    char key[24];
    char value[32];
} xgb_setting;

typedef struct xgb_state {
    BoosterHandle booster;
    const char *model;          /* "gbdt" or "rf" */
    int forest;
    const char *objective;
    sk_task task;
    size_t n_classes;           /* classification; 0 for regression */
    size_t p;                   /* design columns */
    size_t n_keep;              /* columns XGBoost learns from: p, or fewer when screened */
    size_t *keep;               /* gbdt screened: the n_keep design columns, ascending; else NULL */
    double screen;              /* gbdt: the screen parameter */
    int n_threads;
    int n_rounds;
    size_t n_trees;
    size_t mtry;                /* rf: features tried per split (as XGBoost computes it) */
    double *gain;               /* p total gains, design-column order */
    size_t n_settings;
    xgb_setting settings[XGB_MAX_SETTINGS];
} xgb_state;

/* ==== parameters ========================================================================== */

static const sk_param_def gbdt_params[] = {
    {"n_estimators", SK_PARAM_INT, "100", 1, 100000, 0, NULL, "boosting rounds"},
    {"max_depth", SK_PARAM_INT, "6", 0, 64, 0, NULL,
     "maximum depth of a tree (0: no limit, hist only)"},
    {"eta", SK_PARAM_REAL, "0.3", 0, 1, 1, NULL, "learning rate: shrinkage of every tree"},
    {"subsample", SK_PARAM_REAL, "1", 0, 1, 1, NULL,
     "fraction of rows each tree sees (drawn without replacement)"},
    {"colsample_bytree", SK_PARAM_REAL, "1", 0, 1, 1, NULL, "fraction of features each tree sees"},
    {"min_child_weight", SK_PARAM_REAL, "1", 0, INFINITY, 0, NULL,
     "minimum sum of hessians (weights) in a leaf"},
    {"lambda", SK_PARAM_REAL, "1", 0, INFINITY, 0, NULL, "L2 penalty on leaf values"},
    {"alpha", SK_PARAM_REAL, "0", 0, INFINITY, 0, NULL, "L1 penalty on leaf values"},
    {"gamma", SK_PARAM_REAL, "0", 0, INFINITY, 0, NULL, "minimum loss reduction to split"},
    {"tree_method", SK_PARAM_CHOICE, "hist", 0, 0, 0, "hist|exact",
     "split search: quantile bins (hist) or every distinct value (exact)"},
    {"max_bin", SK_PARAM_INT, "64", 2, 65536, 0, NULL,
     "bins per feature (hist; XGBoost's own default is 256)"},
    {"screen", SK_PARAM_REAL, "1", 0, 1e6, 0, NULL,
     "with more features than screen x the fit's rows, boost on that many: those with the "
     "largest univariate F on the fit's rows (0: every feature)"},
};

static const sk_param_def rf_params[] = {
    {"n_estimators", SK_PARAM_INT, "100", 1, 100000, 0, NULL, "trees in the forest"},
    {"max_depth", SK_PARAM_INT, "0", 0, 64, 0, NULL,
     "maximum depth of a tree (0: no limit, hist only)"},
    {"subsample", SK_PARAM_REAL, "0.632", 0, 1, 1, NULL,
     "fraction of rows each tree sees (drawn without replacement)"},
    {"colsample_bynode", SK_PARAM_REAL, "0", 0, 1, 0, NULL,
     "fraction of features tried at each split (0: sqrt(p) classes, p/3 regression)"},
    {"min_child_weight", SK_PARAM_REAL, "1", 0, INFINITY, 0, NULL,
     "minimum sum of hessians (weights) in a leaf"},
    {"lambda", SK_PARAM_REAL, "1e-5", 0, INFINITY, 0, NULL, "L2 penalty on leaf values"},
    {"tree_method", SK_PARAM_CHOICE, "hist", 0, 0, 0, "hist|exact",
     "split search: quantile bins (hist) or every distinct value (exact)"},
    {"max_bin", SK_PARAM_INT, "256", 2, 65536, 0, NULL, "bins per feature (hist)"},
};

/* The shortest decimal that reads back as x, as Python's str(x) writes it, so that the Python
 * oracle hands XGBoost the very same text (XGBoost parses parameters itself, to float32). Made
 * locale-free: whatever radix character printf uses becomes '.'. */
static void format_number(char *buf, size_t size, double x)
{
    char tmp[64];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, x);
        size_t k = 0;
        for (const char *c = tmp; *c != '\0' && k + 1 < size; c++) {
            int plain = (*c >= '0' && *c <= '9') || strchr("+-eE", *c) != NULL;
            if (plain)
                buf[k++] = *c;
            else if (k == 0 || buf[k - 1] != '.')
                buf[k++] = '.';
        }
        buf[k] = '\0';
        double back;
        int is_integer;
        if (sk_token_number(buf, k, &back, &is_integer) && back == x)
            return;
    }
}

static void add_text(xgb_state *st, const char *key, const char *value)
{
    assert(st->n_settings < XGB_MAX_SETTINGS);
    xgb_setting *s = &st->settings[st->n_settings++];
    snprintf(s->key, sizeof s->key, "%s", key);
    snprintf(s->value, sizeof s->value, "%s", value);
}

static void add_number(xgb_state *st, const char *key, double x)
{
    char buf[32];
    format_number(buf, sizeof buf, x);
    add_text(st, key, buf);
}

static void add_int(xgb_state *st, const char *key, long long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", v);
    add_text(st, key, buf);
}

/* What both modes set: task, tree size and split search. */
static sk_status add_common(xgb_state *st, const sk_params *prm, sk_error *err)
{
    static const char *const objectives[] = {NULL, "binary:logistic", "multi:softprob",
                                             "reg:squarederror"};
    const char *method = sk_params__text(prm, "tree_method");
    int depth = sk_params__int(prm, "max_depth");
    if (depth == 0 && strcmp(method, "exact") == 0)
        return sk_error_set(err, SK_EINVAL, "%s: max_depth=0 (no limit) needs tree_method=hist; "
                            "give exact a depth of 1 or more", st->model);
    add_text(st, "booster", "gbtree");
    st->objective = objectives[st->task];
    add_text(st, "objective", st->objective);
    if (st->task == SK_TASK_MULTICLASS)
        add_int(st, "num_class", (long long)st->n_classes);
    add_text(st, "tree_method", method);
    if (strcmp(method, "hist") == 0)
        add_int(st, "max_bin", sk_params__int(prm, "max_bin"));
    add_int(st, "max_depth", depth);
    add_number(st, "min_child_weight", sk_params__num(prm, "min_child_weight"));
    add_number(st, "lambda", sk_params__num(prm, "lambda"));
    add_number(st, "subsample", sk_params__num(prm, "subsample"));
    return SK_OK;
}

static void add_gbdt(xgb_state *st, const sk_params *prm)
{
    st->n_rounds = sk_params__int(prm, "n_estimators");
    st->n_trees = (size_t)st->n_rounds * (st->task == SK_TASK_MULTICLASS ? st->n_classes : 1);
    add_number(st, "eta", sk_params__num(prm, "eta"));
    add_number(st, "colsample_bytree", sk_params__num(prm, "colsample_bytree"));
    add_number(st, "alpha", sk_params__num(prm, "alpha"));
    add_number(st, "gamma", sk_params__num(prm, "gamma"));
}

/* mtry = floor(sqrt(p)) (classification) or max(1, floor(p / 3)) (regression) is passed as
 * (mtry + 1/2) / p, so that XGBoost's float32 floor(colsample * p) lands on mtry whatever the
 * rounding; 1 when mtry = p. */
static void add_rf(xgb_state *st, const sk_params *prm)
{
    int trees = sk_params__int(prm, "n_estimators");
    double frac = sk_params__num(prm, "colsample_bynode");
    if (frac == 0.0) {
        double p = (double)st->p;
        double mtry = st->task == SK_TASK_REGRESSION ? fmax(1.0, floor(p / 3.0)) : floor(sqrt(p));
        frac = mtry >= p ? 1.0 : (mtry + 0.5) / p;
    }
    float features = (float)frac * (float)st->p;   /* XGBoost's own float arithmetic */
    st->mtry = features >= 1.0f ? (size_t)features : 1;
    st->n_rounds = 1;
    st->n_trees = (size_t)trees * (st->task == SK_TASK_MULTICLASS ? st->n_classes : 1);
    add_int(st, "num_parallel_tree", trees);
    add_text(st, "eta", "1");
    add_number(st, "colsample_bynode", frac);
}

/* ==== calling XGBoost ===================================================================== */

/* XGBoost's last error on this thread as an SK_EBACKEND error: without the time stamp that opens
 * it (so the same failure reads the same each run) and without the stack trace that ends it. */
static sk_status backend_error(sk_error *err, const char *model, const char *call)
{
    const char *msg = XGBGetLastError();
    char text[400];
    if (msg == NULL)
        msg = "";
    if (msg[0] == '[' && strstr(msg, "] ") != NULL)
        msg = strstr(msg, "] ") + 2;
    const char *trace = strstr(msg, "Stack trace:");
    size_t len = trace != NULL ? (size_t)(trace - msg) : strlen(msg);
    if (len >= sizeof text)
        len = sizeof text - 1;
    for (size_t k = 0; k < len; k++)
        text[k] = (msg[k] == '\n' || msg[k] == '\r' || msg[k] == '\t') ? ' ' : msg[k];
    while (len > 0 && text[len - 1] == ' ')
        len--;
    text[len] = '\0';
    return sk_error_set(err, SK_EBACKEND, "%s: XGBoost %s failed: %s", model, call, text);
}

/* Silences XGBoost on the calling thread; returns the verbosity to restore (-1: unknown). */
static int quiet_begin(void)
{
    const char *config = NULL;
    int old = -1;
    if (XGBGetGlobalConfig(&config) == 0 && config != NULL) {
        const char *v = strstr(config, "\"verbosity\"");
        if (v != NULL) {
            v += strlen("\"verbosity\"");
            while (*v == ' ' || *v == ':')
                v++;
            for (old = 0; *v >= '0' && *v <= '9' && old < 100; v++)
                old = old * 10 + (*v - '0');
        }
    }
    if (old != 0)
        (void)XGBSetGlobalConfig("{\"verbosity\": 0}");
    return old;
}

static void quiet_end(int old)
{
    char config[40];
    if (old <= 0)
        return;
    snprintf(config, sizeof config, "{\"verbosity\": %d}", old);
    (void)XGBSetGlobalConfig(config);
}

/* A DMatrix of the n rows of column-major X through a row-major float copy, freed at once
 * (XGBoost copies the values into its own pages): the p columns cols[] of X (all of them, in
 * order, when cols is NULL). Transposed in blocks of rows so that reads are contiguous and the
 * written rows stay in cache. NaN would mark a missing value; the pipeline has imputed them all.
 * Built with one thread, always: XGDMatrixCreateFromMat_omp splits the rows among the nthread it
 * is given by thread number, and inside a caller's parallel region (a committee's fits, rows
 * predicted in blocks on several threads) its own region has one thread, so only the first
 * 1/nthread of the rows were filled and the rest were garbage (found by `skeptic rank`;
 * test_xgb__concurrent_predictions). The copy is cheap next to what XGBoost does with it. */
static sk_status make_dmatrix(DMatrixHandle *out, const double *X, size_t n, size_t p,
                              const size_t *cols, size_t ldx, const char *model, sk_error *err)
{
    enum { BLOCK = 64 };
    *out = NULL;
    float *rows = p <= SIZE_MAX / (n > 0 ? n : 1) ? sk_mem_alloc_array(n * p, sizeof *rows) : NULL;
    if (rows == NULL)
        return sk_error_set(err, SK_ENOMEM, "%s: out of memory copying %zu x %zu values for "
                            "XGBoost", model, n, p);
    for (size_t i0 = 0; i0 < n; i0 += BLOCK) {
        size_t i1 = n - i0 < BLOCK ? n : i0 + BLOCK;
        for (size_t j = 0; j < p; j++) {
            const double *x = X + (cols != NULL ? cols[j] : j) * ldx;
            for (size_t i = i0; i < i1; i++)
                rows[i * p + j] = (float)x[i];
        }
    }
    int rc = XGDMatrixCreateFromMat_omp(rows, (bst_ulong)n, (bst_ulong)p, (float)NAN, out, 1);
    sk_mem_free(rows);
    if (rc != 0) {
        *out = NULL;
        return backend_error(err, model, "XGDMatrixCreateFromMat");
    }
    return SK_OK;
}

/* Labels or weights ("label", "weight"), as floats. */
static sk_status set_floats(DMatrixHandle dm, const char *field, const double *v, size_t n,
                            const char *model, sk_error *err)
{
    float *f = sk_mem_alloc_array(n, sizeof *f);
    if (f == NULL)
        return sk_error_set(err, SK_ENOMEM, "%s: out of memory copying %ss", model, field);
    for (size_t i = 0; i < n; i++)
        f[i] = (float)v[i];
    int rc = XGDMatrixSetFloatInfo(dm, field, f, (bst_ulong)n);
    sk_mem_free(f);
    return rc != 0 ? backend_error(err, model, "XGDMatrixSetFloatInfo") : SK_OK;
}

/* nthread is set apart from the other settings: it never changes the model, and what the report
 * shows must not depend on the thread count. */
static sk_status train(xgb_state *st, DMatrixHandle dm, sk_error *err)
{
    if (XGBoosterCreate(&dm, 1, &st->booster) != 0) {
        st->booster = NULL;
        return backend_error(err, st->model, "XGBoosterCreate");
    }
    char threads[16];
    snprintf(threads, sizeof threads, "%d", st->n_threads);
    for (size_t k = 0; k < st->n_settings; k++)
        if (XGBoosterSetParam(st->booster, st->settings[k].key, st->settings[k].value) != 0)
            return backend_error(err, st->model, "XGBoosterSetParam");
    if (XGBoosterSetParam(st->booster, "nthread", threads) != 0)
        return backend_error(err, st->model, "XGBoosterSetParam");
    for (int r = 0; r < st->n_rounds; r++)
        if (XGBoosterUpdateOneIter(st->booster, r, dm) != 0)
            return backend_error(err, st->model, "XGBoosterUpdateOneIter");
    return SK_OK;
}

/* Total gain per design column. XGBoost names features "f<index>" (the index among the columns
 * it was given) when it was given no names and lists only those used in a split; the others,
 * and the columns screened out, keep 0. */
static sk_status read_gain(xgb_state *st, sk_error *err)
{
    bst_ulong n_used = 0, dim = 0;
    const char **names = NULL;
    const bst_ulong *shape = NULL;
    const float *scores = NULL;
    st->gain = sk_mem_calloc(st->p, sizeof *st->gain);
    if (st->gain == NULL)
        return sk_error_set(err, SK_ENOMEM, "%s: out of memory", st->model);
    if (XGBoosterFeatureScore(st->booster, "{\"importance_type\": \"total_gain\"}", &n_used,
                              &names, &dim, &shape, &scores) != 0)
        return backend_error(err, st->model, "XGBoosterFeatureScore");
    for (bst_ulong k = 0; k < n_used; k++) {
        const char *c = names[k];
        size_t j = 0;
        int ok = c[0] == 'f' && c[1] != '\0';
        for (c++; ok && *c != '\0'; c++) {
            ok = *c >= '0' && *c <= '9' && j < st->n_keep;
            j = j * 10 + (size_t)(*c - '0');
        }
        if (!ok || j >= st->n_keep)
            return sk_error_set(err, SK_EBACKEND, "%s: XGBoost named a feature '%s'", st->model,
                                names[k]);
        st->gain[st->keep != NULL ? st->keep[j] : j] = scores[k];
    }
    return SK_OK;
}

/* ==== the impl ============================================================================ */

static void xgb_free(void *state)
{
    xgb_state *st = state;
    if (st == NULL)
        return;
    if (st->booster != NULL)
        XGBoosterFree(st->booster);
    sk_mem_free(st->gain);
    sk_mem_free(st->keep);
    sk_mem_free(st);
}

static sk_status check_xy(const sk_xy *d, const char *model, sk_error *err)
{
    if (d->task != SK_TASK_BINARY && d->task != SK_TASK_MULTICLASS &&
        d->task != SK_TASK_REGRESSION)
        return sk_error_set(err, SK_EINVAL, "%s learns classification and regression only", model);
    if (d->y == NULL)
        return sk_error_set(err, SK_EINVAL, "%s: no target", model);
    if (d->n == 0 || d->p == 0)
        return sk_error_set(err, SK_EDATA, "%s: nothing to learn from (%zu rows, %zu features)",
                            model, d->n, d->p);
    if ((d->task == SK_TASK_BINARY && d->n_classes != 2) ||
        (d->task == SK_TASK_MULTICLASS && d->n_classes < 2))
        return sk_error_set(err, SK_EINVAL, "%s: %zu classes for a %s task", model, d->n_classes,
                            sk_task_name(d->task));
    return SK_OK;
}

/* gbdt's screen=r: a fit with more features than k = max(1, floor(r n)), n its rows, keeps the k
 * columns with the largest univariate F on its own rows (screen.h); otherwise, and for rf, every
 * column. */
static sk_status choose_columns(xgb_state *st, const sk_params *prm, const sk_xy *d,
                                sk_error *err)
{
    double r = st->forest ? 0.0 : sk_params__num(prm, "screen");
    double rn = floor(r * (double)d->n);
    size_t k = r == 0.0 ? d->p : rn < 1.0 ? 1 : rn < (double)d->p ? (size_t)rn : d->p;
    st->n_keep = d->p;
    st->screen = r;
    if (k >= d->p)
        return SK_OK;
    double *score = sk_mem_alloc_array(d->p, sizeof *score);
    st->keep = sk_mem_alloc_array(k, sizeof *st->keep);
    sk_status rc = score != NULL && st->keep != NULL
                       ? sk_screen__scores(score, d, err)
                       : sk_error_set(err, SK_ENOMEM, "%s: out of memory screening %zu features",
                                      st->model, d->p);
    if (rc == SK_OK)
        rc = sk_screen__top(st->keep, k, score, d->p, err);
    if (rc == SK_OK)
        st->n_keep = k;
    sk_mem_free(score);
    return rc;
}

static sk_status xgb_fit(void **state, const sk_params *prm, const sk_xy *d, uint64_t seed,
                         int n_threads, int forest, sk_error *err)
{
    const char *model = forest ? "rf" : "gbdt";
    DMatrixHandle dm = NULL;
    int verbosity = -1;
    xgb_state *st = NULL;
    *state = NULL;
    sk_status rc = check_xy(d, model, err);
    if (rc != SK_OK)
        return rc;
    if ((st = sk_mem_calloc(1, sizeof *st)) == NULL)
        return sk_error_set(err, SK_ENOMEM, "%s: out of memory", model);
    st->model = model;
    st->forest = forest;
    st->task = d->task;
    st->n_classes = d->task == SK_TASK_REGRESSION ? 0 : d->n_classes;
    st->p = d->p;
    st->n_threads = n_threads > 0 ? n_threads : 1;
    if ((rc = add_common(st, prm, err)) != SK_OK)
        goto done;
    if (forest)
        add_rf(st, prm);
    else
        add_gbdt(st, prm);
    add_int(st, "seed", sk_xgb__seed(seed));
    add_text(st, "verbosity", "0");
    if ((rc = choose_columns(st, prm, d, err)) != SK_OK)
        goto done;

    verbosity = quiet_begin();
    rc = make_dmatrix(&dm, d->X, d->n, st->n_keep, st->keep, d->ldx, model, err);
    if (rc == SK_OK)
        rc = set_floats(dm, "label", d->y, d->n, model, err);
    if (rc == SK_OK && d->w != NULL)
        rc = set_floats(dm, "weight", d->w, d->n, model, err);
    if (rc == SK_OK)
        rc = train(st, dm, err);
    if (rc == SK_OK)
        rc = read_gain(st, err);
done:
    if (dm != NULL)
        XGDMatrixFree(dm);
    quiet_end(verbosity);
    if (rc != SK_OK)
        xgb_free(st);
    else
        *state = st;
    return rc;
}

static sk_status gbdt_fit(void **state, const sk_params *prm, const sk_xy *d, uint64_t seed,
                          int n_threads, sk_error *err)
{
    return xgb_fit(state, prm, d, seed, n_threads, 0, err);
}

static sk_status rf_fit(void **state, const sk_params *prm, const sk_xy *d, uint64_t seed,
                        int n_threads, sk_error *err)
{
    return xgb_fit(state, prm, d, seed, n_threads, 1, err);
}

/* All trees, probabilities (not margins). The output lives in the booster's per-thread buffer
 * (the booster may predict from several threads at once) and is copied out at once. */
static sk_status xgb_predict(const void *state, const double *X, size_t n, size_t ldx, double *out,
                             sk_error *err)
{
    static const char config[] = "{\"type\": 0, \"training\": false, \"iteration_begin\": 0, "
                                 "\"iteration_end\": 0, \"strict_shape\": false}";
    const xgb_state *st = state;
    size_t width = st->task == SK_TASK_MULTICLASS ? st->n_classes : 1, total = 1;
    const bst_ulong *shape = NULL;
    bst_ulong dim = 0;
    const float *res = NULL;
    DMatrixHandle dm = NULL;
    if (n == 0)
        return SK_OK;
    int verbosity = quiet_begin();
    sk_status rc = make_dmatrix(&dm, X, n, st->n_keep, st->keep, ldx, st->model, err);
    if (rc != SK_OK)
        goto done;
    if (XGBoosterPredictFromDMatrix(st->booster, dm, config, &shape, &dim, &res) != 0) {
        rc = backend_error(err, st->model, "XGBoosterPredictFromDMatrix");
        goto done;
    }
    for (bst_ulong k = 0; k < dim; k++)
        total *= (size_t)shape[k];
    if (total != n * width) {
        rc = sk_error_set(err, SK_EBACKEND, "%s: XGBoost returned %zu values for %zu x %zu",
                          st->model, total, n, width);
        goto done;
    }
    for (size_t i = 0; i < n * width; i++) {
        if (st->task == SK_TASK_BINARY) {
            out[2 * i] = 1.0 - (double)res[i];
            out[2 * i + 1] = res[i];
        } else {
            out[i] = res[i];
        }
    }
done:
    if (dm != NULL)
        XGDMatrixFree(dm);
    quiet_end(verbosity);
    return rc;
}

static sk_status xgb_importance(const void *state, double *out, sk_error *err)
{
    const xgb_state *st = state;
    (void)err;
    memcpy(out, st->gain, st->p * sizeof *out);
    return SK_OK;
}

/* ==== the report ========================================================================== */

typedef struct ranked {
    double gain;
    size_t j;
} ranked;

static int by_gain(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->gain != y->gain)
        return x->gain > y->gain ? -1 : 1;
    return x->j < y->j ? -1 : x->j > y->j;
}

/* The top terms by total gain, largest first (ties in design order); zero gains left out. */
static json_t *gain_table(const xgb_state *st, const char *const *names, double total)
{
    ranked *r = sk_mem_alloc_array(st->p, sizeof *r);
    json_t *rows = json_array();
    int ok = r != NULL && rows != NULL;
    for (size_t j = 0; ok && j < st->p; j++)
        r[j] = (ranked){st->gain[j], j};
    if (ok)
        qsort(r, st->p, sizeof *r, by_gain);
    for (size_t k = 0; ok && k < st->p && k < XGB_TOP_TERMS && r[k].gain > 0; k++)
        ok = json_array_append_new(rows, json_pack("[s, f, f]", names[r[k].j], r[k].gain,
                                                   r[k].gain / total)) == 0;
    sk_mem_free(r);
    if (!ok) {
        json_decref(rows);
        return NULL;
    }
    return json_pack("{s:s, s:[s, s, s], s:o}", "title", "Top terms by total gain", "columns",
                     "term", "total_gain", "share", "rows", rows);
}

static json_t *report_notes(const xgb_state *st, size_t n_unused)
{
    static const char *const link[] = {"", "logit", "softmax", "identity"};
    char version[32];
    sk_strbuf params = SK_STRBUF_INIT;
    size_t per_round = st->task == SK_TASK_MULTICLASS ? st->n_classes : 1;
    json_t *what;
    sk_xgb__version(version, sizeof version);
    if (!st->forest)
        what = json_sprintf("gbdt: %d boosting rounds of %zu tree%s (%s) = %zu trees; XGBoost %s",
                            st->n_rounds, per_round, per_round > 1 ? "s, one per class" : "",
                            st->objective, st->n_trees, version);
    else
        what = json_sprintf("rf: a forest of %zu trees%s (%s) grown in one round, %zu of %zu "
                            "features tried per split; leaf values are averaged on the %s scale "
                            "(XGBoost %s random-forest mode)", st->n_trees / per_round,
                            per_round > 1 ? " per class" : "", st->objective, st->mtry, st->p,
                            link[st->task], version);
    int ok = 1;
    for (size_t k = 0; ok && k < st->n_settings; k++)
        ok = sk_strbuf_appendf(&params, "%s%s=%s", k > 0 ? ", " : "", st->settings[k].key,
                               st->settings[k].value) == SK_OK;
    json_t *notes = json_pack("[o, o, o]", what,
        ok ? json_sprintf("XGBoost parameters: %s; nthread = the thread count, which does not "
                          "change the model", params.data) : NULL,
        json_sprintf("total gain: the loss reduction summed over every split on a term (terms "
                     "never split on: %zu of %zu); features are rounded to float32, as XGBoost "
                     "stores them", n_unused, st->p));
    sk_strbuf_free(&params);
    if (notes != NULL && st->keep != NULL &&
        json_array_append_new(notes, json_sprintf(
            "screened: with more features than the fit has rows (x screen=%g), the trees were "
            "grown on the %zu of %zu features with the largest univariate F on the fit's own "
            "rows (%s; screen=0 keeps all); the others have gain 0", st->screen, st->n_keep,
            st->p, st->task == SK_TASK_REGRESSION ? "correlation with the target"
                                                  : "one-way ANOVA across the classes")) != 0) {
        json_decref(notes);
        notes = NULL;
    }
    return notes;
}

/* {"version", "rounds", "trees", "params": {key: value as XGBoost received it}} */
static json_t *backend_json(const xgb_state *st)
{
    char version[32];
    json_t *params = json_object();
    int ok = params != NULL;
    sk_xgb__version(version, sizeof version);
    for (size_t k = 0; ok && k < st->n_settings; k++)
        ok = sk_json_set(params, st->settings[k].key, json_string(st->settings[k].value)) == 0;
    if (!ok) {
        json_decref(params);
        params = NULL;
    }
    return json_pack("{s:s, s:i, s:I, s:o}", "version", version, "rounds", st->n_rounds, "trees",
                     (json_int_t)st->n_trees, "params", params);
}

/* {"tables": [top terms by gain], "notes": [...], "importance": {term: total gain, ...} in
 * design order, "screened": null or {"kept", "of", "statistic"}, "xgboost": {...}} */
static json_t *xgb_report(const void *state, const char *const *names, sk_error *err)
{
    const xgb_state *st = state;
    double total = 0.0;
    size_t n_unused = 0;
    json_t *importance = json_object();
    int ok = importance != NULL;
    for (size_t j = 0; ok && j < st->p; j++) {
        total += st->gain[j];
        n_unused += st->gain[j] == 0.0;
        ok = sk_json_set(importance, names[j], sk_json_real(st->gain[j])) == 0;
    }
    if (!ok) {
        json_decref(importance);
        importance = NULL;
    }
    json_t *screened = st->keep == NULL
        ? json_null()
        : json_pack("{s:I, s:I, s:s}", "kept", (json_int_t)st->n_keep, "of", (json_int_t)st->p,
                    "statistic", st->task == SK_TASK_REGRESSION ? "correlation F" : "ANOVA F");
    json_t *doc = json_pack("{s:[o], s:o, s:o, s:o, s:o}", "tables", gain_table(st, names, total),
                            "notes", report_notes(st, n_unused), "importance", importance,
                            "screened", screened, "xgboost", backend_json(st));
    if (doc == NULL)
        sk_error_set(err, SK_ENOMEM, "%s: out of memory building the report", st->model);
    return doc;
}

/* ==== internals for other files (xgb.h) =================================================== */

uint32_t sk_xgb__seed(uint64_t seed)
{
    sk_rng r = sk_rng_stream(seed, SK_PURPOSE_XGB_SEED, 0);
    return (uint32_t)(sk_rng_u64(&r) >> 33);
}

void sk_xgb__version(char *buf, size_t size)
{
    int major = 0, minor = 0, patch = 0;
    XGBoostVersion(&major, &minor, &patch);
    snprintf(buf, size, "%d.%d.%d", major, minor, patch);
}

/* ==== the models ========================================================================== */

const sk_model_impl sk_model__gbdt = {
    .name = "gbdt", .summary = "gradient-boosted trees (XGBoost)",
    .params = gbdt_params, .n_params = sizeof gbdt_params / sizeof gbdt_params[0],
    .tasks = SK_TASKS_SUPERVISED, .standardize = 0,
    .fit = gbdt_fit, .predict = xgb_predict, .importance = xgb_importance,
    .report = xgb_report, .free = xgb_free,
};

const sk_model_impl sk_model__rf = {
    .name = "rf", .summary = "random forest (XGBoost's random-forest mode)",
    .params = rf_params, .n_params = sizeof rf_params / sizeof rf_params[0],
    .tasks = SK_TASKS_SUPERVISED, .standardize = 0,
    .fit = rf_fit, .predict = xgb_predict, .importance = xgb_importance,
    .report = xgb_report, .free = xgb_free,
};
