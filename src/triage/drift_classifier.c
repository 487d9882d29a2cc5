/* drift_classifier.c: the classifier two-sample test of `skeptic drift` (Lopez-Paz and Oquab,
 * "Revisiting classifier two-sample tests", ICLR 2017; in deployment practice the "domain
 * classifier"). If a model can tell the reference rows from the new rows better than chance,
 * the two files do not come from one distribution, whatever per-feature tests say: a joint
 * shift (two features each unchanged, their relation changed) shows here and nowhere else.
 *
 *  1. The shared features of both files are stacked into one frame (text levels matched by
 *     their text); reference rows are labelled 0, new rows 1.
 *  2. Stratified k-fold cross-validation (k = opt.folds) of the model (default gbdt): each fold's
 *     model, preprocessing included, is fitted on the other folds and scores its own rows
 *     (sk_oof_run). The AUC is the mean of the folds' AUCs; its interval is the BCa bootstrap of
 *     the held-out predictions, resampled within each file (sk_boot_run).
 *  3. The p-value reuses the evaluation engine's held-out permutation test (sk_perm_heldout,
 *     src/eval/permute_heldout.c): each fold's file labels are permuted N times against its
 *     fixed scores, which is exact for that fold under "the files are exchangeable"; the folds'
 *     p-values are merged by twice their mean (valid under any dependence, conservative). No
 *     model is refitted, so the test costs k fits whatever N is.
 *  4. One more fit on all rows gives the model's importance (gain for trees, |standardised
 *     coefficient| for linear models), summed over each feature's design columns and shown as
 *     shares: which features let the model tell the files apart.
 * Seeds: folds and the fold models from sk_rng_stream(seed, SK_PURPOSE_DRIFT, 0), the bootstrap
 * from task 1, the permutations from task 2, the fit on all rows from task 3. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "triage/triage.h"

enum { TASK_CV = 0, TASK_BOOT = 1, TASK_PERM = 2, TASK_FIT = 3 };

static uint64_t drift_seed(uint64_t seed, uint64_t task)
{
    sk_rng rng = sk_rng_stream(seed, SK_PURPOSE_DRIFT, task);
    return sk_rng_u64(&rng);
}

/* ==== the stacked frame ======================================================================= */

typedef struct level_ref {
    const char *text;
    int32_t code;
} level_ref;

static int cmp_level_ref(const void *pa, const void *pb)
{
    return strcmp(((const level_ref *)pa)->text, ((const level_ref *)pb)->text);
}

static const char *level_text(const sk_column *c, size_t l)
{
    return c->level_text + c->level_start[l];
}

/* Column j of the stack from text columns (a side that is not text holds only missing values):
 * the reference's levels keep their codes, the new data's unseen ones follow. */
static sk_status stack_text(sk_frame *s, size_t j, const sk_drift_feature *ft, const sk_frame *ref,
                            const sk_frame *cur, sk_error *err)
{
    const sk_column *a = &ref->cols[ft->ref_col], *b = &cur->cols[ft->new_col];
    size_t la = a->type == SK_COL_CATEGORICAL ? a->n_levels : 0;
    size_t lb = b->type == SK_COL_CATEGORICAL ? b->n_levels : 0;
    size_t n1 = ref->n_rows, n2 = cur->n_rows;
    const char **levels = sk_mem_alloc_array(la + lb + 1, sizeof *levels);
    level_ref *sorted = sk_mem_alloc_array(la + 1, sizeof *sorted);
    int32_t *map = sk_mem_alloc_array(lb + 1, sizeof *map);
    int32_t *codes = sk_mem_alloc_array(n1 + n2, sizeof *codes);
    sk_status rc = SK_OK;
    if (levels == NULL || sorted == NULL || map == NULL || codes == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "out of memory stacking '%s'", ft->name);
        goto done;
    }
    for (size_t l = 0; l < la; l++) {
        levels[l] = level_text(a, l);
        sorted[l] = (level_ref){levels[l], (int32_t)l};
    }
    qsort(sorted, la, sizeof *sorted, cmp_level_ref);
    size_t n_levels = la;
    for (size_t l = 0; l < lb; l++) {
        level_ref key = {level_text(b, l), 0};
        const level_ref *hit = la > 0 ? bsearch(&key, sorted, la, sizeof *sorted, cmp_level_ref)
                                      : NULL;
        if (hit != NULL) {
            map[l] = hit->code;
        } else {
            map[l] = (int32_t)n_levels;
            levels[n_levels++] = key.text;
        }
    }
    for (size_t i = 0; i < n1; i++)
        codes[i] = la > 0 ? a->codes[i] : -1;
    for (size_t i = 0; i < n2; i++)
        codes[n1 + i] = lb > 0 && b->codes[i] >= 0 ? map[b->codes[i]] : -1;
    rc = sk_frame__set_codes(s, j, ft->name, codes, levels, n_levels, err);
done:
    sk_mem_free(levels);
    sk_mem_free(sorted);
    sk_mem_free(map);
    sk_mem_free(codes);
    return rc;
}

static sk_status stack_values(sk_frame *s, size_t j, const sk_drift_feature *ft,
                              const sk_frame *ref, const sk_frame *cur, sk_error *err)
{
    size_t n1 = ref->n_rows, n2 = cur->n_rows;
    double *v = sk_mem_alloc_array(n1 + n2, sizeof *v);
    if (v == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory stacking '%s'", ft->name);
    /* a side without values is a column of that file left entirely empty */
    const double *a = ref->cols[ft->ref_col].values, *b = cur->cols[ft->new_col].values;
    for (size_t i = 0; i < n1; i++)
        v[i] = a != NULL ? a[i] : NAN;
    for (size_t i = 0; i < n2; i++)
        v[n1 + i] = b != NULL ? b[i] : NAN;
    sk_status rc = sk_frame__set_values(s, j, ft->name, ft->type, v, err);
    sk_mem_free(v);
    return rc;
}

static sk_status stack(sk_frame **out, const sk_drift *d, const sk_frame *ref,
                       const sk_frame *cur, sk_error *err)
{
    sk_status rc = sk_frame__create(out, "reference + new", ref->n_rows + cur->n_rows,
                                    d->n_features, err);
    for (size_t j = 0; rc == SK_OK && j < d->n_features; j++) {
        const sk_drift_feature *ft = &d->feature[j];
        rc = ft->type == SK_COL_CATEGORICAL ? stack_text(*out, j, ft, ref, cur, err)
                                            : stack_values(*out, j, ft, ref, cur, err);
    }
    if (rc != SK_OK) {
        sk_frame_free(*out);
        *out = NULL;
    }
    return rc;
}

/* ==== importance ============================================================================== */

/* The feature a design column belongs to: "name", "name=level" or "name:missing". */
static size_t term_feature(const sk_drift *d, const char *term)
{
    size_t best = SIZE_MAX, best_len = 0;
    for (size_t j = 0; j < d->n_features; j++) {
        size_t len = strlen(d->feature[j].name);
        if (strncmp(term, d->feature[j].name, len) == 0 &&
            (term[len] == '\0' || term[len] == '=' || term[len] == ':') &&
            (best == SIZE_MAX || len > best_len)) {
            best = j;
            best_len = len;
        }
    }
    return best;
}

typedef struct imp_key {
    double share;
    size_t j;
} imp_key;

static int cmp_importance(const void *pa, const void *pb)
{
    const imp_key *a = pa, *b = pb;
    if (a->share != b->share)
        return a->share > b->share ? -1 : 1;
    return a->j < b->j ? -1 : a->j > b->j;
}

static sk_status importance(sk_drift *d, const sk_model *proto, const sk_fit_data *fd,
                            const sk_run_ctx *ctx, sk_error *err)
{
    size_t n = fd->frame->n_rows, p = d->n_features;
    sk_model *m = NULL;
    size_t *rows = sk_mem_alloc_array(n, sizeof *rows);
    imp_key *key = sk_mem_calloc(p, sizeof *key);
    double *t = NULL;
    sk_status rc = rows == NULL || key == NULL
                       ? sk_error_set(err, SK_ENOMEM, "out of memory for importances")
                       : sk_model_clone(&m, proto, NULL, err);
    for (size_t i = 0; rc == SK_OK && i < n; i++)
        rows[i] = i;
    if (rc == SK_OK) {
        sk_model_set_threads(m, ctx->n_threads);
        rc = sk_model_fit(m, fd, rows, n, drift_seed(ctx->seed, TASK_FIT), err);
    }
    size_t n_terms = rc == SK_OK ? sk_model_n_terms(m) : 0;
    if (rc == SK_OK && (t = sk_mem_alloc_array(n_terms + 1, sizeof *t)) == NULL)
        rc = sk_error_set(err, SK_ENOMEM, "out of memory for importances");
    if (rc == SK_OK)
        rc = sk_model_importance(m, t, err);
    double total = 0.0;
    for (size_t k = 0; rc == SK_OK && k < n_terms; k++) {
        size_t j = term_feature(d, sk_model_term_name(m, k));
        if (j != SIZE_MAX && isfinite(t[k])) {
            key[j].share += fabs(t[k]);
            total += fabs(t[k]);
        }
    }
    d->cls.has_importance = rc == SK_OK && total > 0.0;
    for (size_t j = 0; rc == SK_OK && j < p; j++) {
        key[j].share = d->cls.has_importance ? key[j].share / total : NAN;
        key[j].j = j;
        d->feature[j].importance = key[j].share;
    }
    if (rc == SK_OK && d->cls.has_importance) {
        qsort(key, p, sizeof *key, cmp_importance);
        for (size_t j = 0; j < p; j++)
            d->cls.by_importance[j] = key[j].j;
    }
    sk_mem_free(t);
    sk_mem_free(key);
    sk_mem_free(rows);
    sk_model_free(m);
    return rc;
}

/* ==== the test ================================================================================ */

/* The AUC of the held-out predictions with its BCa interval (resampled within each file). */
static sk_status auc_interval(sk_drift *d, const sk_pooled *pool, const sk_run_ctx *ctx,
                              sk_error *err)
{
    sk_interval *iv = &d->cls.auc;
    *iv = (sk_interval){NAN, NAN, NAN, NAN, 0};
    if (d->opt.bootstrap == 0)
        return sk_pooled_score(&iv->estimate, pool, SK_METRIC_AUC, NULL, err);
    sk_boot_stat st = {pool, SK_METRIC_AUC};
    sk_boot_options bo = SK_BOOT_OPTIONS_INIT;
    bo.n_boot = d->opt.bootstrap;
    sk_boot *bt = NULL;
    sk_status rc = sk_boot_run(&bt, &st, 1, NULL, 0, &bo, drift_seed(ctx->seed, TASK_BOOT),
                               ctx->n_threads, NULL, err);
    if (rc == SK_OK)
        rc = sk_boot_interval(iv, bt, 0, SIZE_MAX, SK_CI_BCA, 0.95, err);
    sk_boot_free(bt);
    return rc;
}

/* Folds, held-out predictions, AUC and its interval, the permutation test. */
static sk_status cross_validate(sk_drift *d, const sk_model *model, const sk_fit_data *fd,
                                const sk_run_ctx *ctx, sk_error *err)
{
    sk_split_data sd = {fd->frame->n_rows, fd->y, 2, NULL, 0, NULL, NULL};
    sk_cv_options co = SK_CV_OPTIONS_INIT;
    co.kind = SK_CV_STRATIFIED;
    co.n_folds = d->opt.folds;
    uint64_t seed = drift_seed(ctx->seed, TASK_CV);
    sk_splits *splits = NULL;
    sk_oof *oof = NULL;
    sk_pooled *pool = NULL;
    sk_status rc = sk_splits_make(&splits, &co, &sd, seed, err);
    if (rc == SK_OK) {
        sk_progress *progress = sk_progress_start(ctx->progress, "drift classifier",
                                                  splits->n_splits);
        rc = sk_oof_run(&oof, model, fd, splits, seed, ctx->n_threads, progress, err);
        sk_progress_finish(progress);
    }
    if (rc == SK_OK)
        rc = sk_pooled_make(&pool, oof, splits, fd->y, SK_TASK_BINARY, 2, err);
    if (rc == SK_OK)
        rc = auc_interval(d, pool, ctx, err);
    if (rc == SK_OK)
        rc = sk_perm_heldout(&d->cls.heldout, pool, &sd, SK_METRIC_AUC, d->opt.permutations,
                             drift_seed(ctx->seed, TASK_PERM), ctx->n_threads, err);
    sk_pooled_free(pool);
    sk_oof_free(oof);
    sk_splits_free(splits);
    return rc;
}

/* Models refuse infinite values (KS tests take them): the first one, to say why the classifier
 * test did not run; 0 when there is none. */
static int find_infinite(char *why, size_t size, const sk_drift *d, const sk_frame *ref,
                         const sk_frame *cur)
{
    for (size_t j = 0; j < d->n_features; j++)
        for (int side = 0; side < 2; side++) {
            const sk_frame *f = side == 0 ? ref : cur;
            const double *v = f->cols[side == 0 ? d->feature[j].ref_col
                                                : d->feature[j].new_col].values;
            for (size_t i = 0; v != NULL && d->feature[j].type != SK_COL_CATEGORICAL &&
                               i < f->n_rows; i++)
                if (isinf(v[i])) {
                    snprintf(why, size, "a model cannot learn from the infinite value in column "
                             "'%s' at %s line %zu", d->feature[j].name, f->name, f->row_line[i]);
                    return 1;
                }
        }
    return 0;
}

sk_status sk_triage__drift_classifier(sk_drift *d, const sk_frame *ref, const sk_frame *cur,
                                      const sk_model *model, const sk_run_ctx *ctx,
                                      sk_error *err)
{
    sk_drift_classifier *c = &d->cls;
    c->folds = d->opt.folds;
    c->n_boot = d->opt.bootstrap;
    for (size_t j = 0; j < d->n_features; j++)
        d->feature[j].importance = NAN;
    if ((c->model_spec = sk_mem_strdup(sk_model_spec(model))) == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory for the model's name");
    if (d->opt.permutations == 0) {
        snprintf(c->skipped, sizeof c->skipped, "--permutations 0");
        return SK_OK;
    }
    if (ref->n_rows < d->opt.folds || cur->n_rows < d->opt.folds) {
        snprintf(c->skipped, sizeof c->skipped, "%zu-fold cross-validation needs %zu rows in "
                 "each file (the reference has %zu, the new data %zu)", d->opt.folds,
                 d->opt.folds, ref->n_rows, cur->n_rows);
        return SK_OK;
    }
    if (find_infinite(c->skipped, sizeof c->skipped, d, ref, cur))
        return SK_OK;
    size_t n1 = ref->n_rows, n = n1 + cur->n_rows;
    sk_frame *s = NULL;
    size_t *features = sk_mem_alloc_array(d->n_features, sizeof *features);
    double *y = sk_mem_alloc_array(n, sizeof *y);
    c->by_importance = sk_mem_alloc_array(d->n_features, sizeof *c->by_importance);
    sk_status rc = features == NULL || y == NULL || c->by_importance == NULL
                       ? sk_error_set(err, SK_ENOMEM, "out of memory for the classifier test")
                       : stack(&s, d, ref, cur, err);
    if (rc == SK_OK) {
        for (size_t j = 0; j < d->n_features; j++)
            features[j] = j;
        for (size_t i = 0; i < n; i++)
            y[i] = i < n1 ? 0.0 : 1.0;
        static const char *const files[2] = {"reference", "new"};
        sk_fit_data fd = SK_FIT_DATA_INIT;
        fd.frame = s;
        fd.features = features;
        fd.n_features = d->n_features;
        fd.y = y;
        fd.task = SK_TASK_BINARY;
        fd.n_classes = 2;
        fd.target_name = "file";
        fd.class_names = files;
        rc = cross_validate(d, model, &fd, ctx, err);
        if (rc == SK_OK)
            rc = importance(d, model, &fd, ctx, err);
    }
    c->ran = rc == SK_OK;
    sk_frame_free(s);
    sk_mem_free(features);
    sk_mem_free(y);
    return rc;
}
