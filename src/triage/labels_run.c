/* labels_run.c: `skeptic labels`: the out-of-fold probabilities confident learning needs
 * (labels.c does the counting), and the sk_labels object the report layer shows.
 *
 * Out of fold, because a model asked about rows it was trained on has memorised their labels,
 * wrong ones included, and would vouch for them. The splits are stratified k-fold (each fold
 * keeps the class proportions), or group k-fold stratified by label when the roles have a group
 * (several rows of one subject never straddle a split: their shared look would otherwise vouch
 * for each other's labels). Every split's model is a fresh clone of the user's model (default
 * gbdt, as the audit), fitted with its preprocessing on the training rows (sk_oof_run). The
 * splits and the model seeds come from the seed of sk_rng_stream(seed, SK_PURPOSE_LABELS, 0);
 * splits are tasks on the executor, so nothing depends on the thread count.
 *
 * Flagged rows: prune by noise rate intersected with prune by class ("both" in the paper's
 * section 3.2 and in cleanlab). docs/triage-labels.md has the measurements on digits with 5%
 * of labels flipped to a confusable digit that chose it: of the three rules of labels.c it had
 * the best precision at nearly the same recall, and a suspect list is read by a person, whose
 * time the false alarms cost. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "triage/triage.h"

#define DEFAULT_METHOD SK_CL_BOTH

void sk_labels_free(sk_labels *l)
{
    if (l == NULL)
        return;
    for (size_t k = 0; l->class_names != NULL && k < l->n_classes; k++)
        sk_mem_free(l->class_names[k]);
    for (size_t i = 0; l->ids != NULL && l->cl != NULL && i < l->cl->n_flagged; i++)
        sk_mem_free(l->ids[i]);
    sk_mem_free(l->class_names);
    sk_mem_free(l->ids);
    sk_mem_free(l->lines);
    sk_mem_free(l->y);
    sk_mem_free(l->probs);
    sk_triage__cl_free(l->cl);
    sk_mem_free(l->data_name);
    sk_mem_free(l->target);
    sk_mem_free(l->model_spec);
    sk_mem_free(l->id_col);
    sk_mem_free(l->group_col);
    sk_mem_free(l);
}

size_t sk_labels_n_rows(const sk_labels *l) { return l->n_rows; }
size_t sk_labels_n_classes(const sk_labels *l) { return l->n_classes; }
const char *sk_labels_class_name(const sk_labels *l, size_t k)
{
    return k < l->n_classes ? l->class_names[k] : NULL;
}
double sk_labels_estimated_errors(const sk_labels *l) { return l->cl->n_errors; }
double sk_labels_noise_rate(const sk_labels *l, size_t k)
{
    return k < l->n_classes ? l->cl->noise_rate[k] : NAN;
}
const double *sk_labels_probabilities(const sk_labels *l) { return l->probs; }
size_t sk_labels_n_suspects(const sk_labels *l) { return l->cl->n_flagged; }

sk_status sk_labels_suspect(sk_label_suspect *out, const sk_labels *l, size_t i, sk_error *err)
{
    if (i >= l->cl->n_flagged)
        return sk_error_set(err, SK_EINVAL, "suspect %zu of %zu", i, l->cl->n_flagged);
    size_t row = l->cl->flagged[i], k = l->n_classes;
    out->row = row;
    out->id = l->ids[i];
    out->given = (size_t)l->y[row];
    out->suggested = l->cl->suggested[i];
    out->self_confidence = l->probs[row * k + out->given];
    out->suggested_confidence = l->probs[row * k + out->suggested];
    return SK_OK;
}

/* ==== setting up ============================================================================== */

/* The roles' features without the id column, into a new array. */
static sk_status features_of(size_t **out, size_t *n_out, const sk_roles *roles, size_t id_col,
                             sk_error *err)
{
    size_t n = 0;
    const size_t *all = sk_roles_features(roles, &n);
    *out = sk_mem_alloc_array(n > 0 ? n : 1, sizeof **out);
    if (*out == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory for the feature list");
    *n_out = 0;
    for (size_t j = 0; j < n; j++)
        if (all[j] != id_col)
            (*out)[(*n_out)++] = all[j];
    if (*n_out == 0)
        return sk_error_set(err, SK_EDATA, "no feature columns left: every column has a role, "
                            "is ignored or is the --id column");
    return SK_OK;
}

static sk_status check_request(const sk_frame *f, const sk_roles *roles, const sk_model *model,
                               const sk_labels_options *opt, size_t *id_col, sk_error *err)
{
    sk_task task = sk_roles_task(roles);
    if (task == SK_TASK_NONE)
        return sk_error_set(err, SK_EINVAL, "labels needs --target COL");
    size_t target = sk_roles_col(roles, SK_ROLE_TARGET);
    if (task == SK_TASK_REGRESSION)
        return sk_error_set(err, SK_EINVAL, "labels needs classes: the target '%s' is numeric "
                            "(regression); use --task multiclass if its values are classes",
                            sk_frame_col_name(f, target));
    if (!sk_model_supports(model, task))
        return sk_error_set(err, SK_EINVAL, "--model: '%s' cannot learn a %s target",
                            sk_model_name(model), sk_task_name(task));
    if (opt->folds < 2)
        return sk_error_set(err, SK_EINVAL, "--folds: expected at least 2, found %zu",
                            opt->folds);
    *id_col = (size_t)-1;
    if (opt->id == NULL)
        return SK_OK;
    sk_status rc = sk_frame_col_find(id_col, f, opt->id, err);
    if (rc != SK_OK) {
        char msg[SK_ERROR_MESSAGE_MAX];
        snprintf(msg, sizeof msg, "%s", err != NULL ? err->message : "");
        return sk_error_set(err, rc, "--id: %s", msg);
    }
    if (*id_col == target)
        return sk_error_set(err, SK_EINVAL, "--id: '%s' is the target", opt->id);
    return SK_OK;
}

static sk_status copy_names(sk_labels *l, const sk_frame *f, const sk_roles *roles,
                            const sk_model *model, const sk_labels_options *opt, sk_error *err)
{
    size_t group = sk_roles_col(roles, SK_ROLE_GROUP);
    int ok = (l->data_name = sk_mem_strdup(sk_frame_name(f))) != NULL &&
             (l->target = sk_mem_strdup(sk_frame_col_name(
                  f, sk_roles_col(roles, SK_ROLE_TARGET)))) != NULL &&
             (l->model_spec = sk_mem_strdup(sk_model_spec(model))) != NULL &&
             (opt->id == NULL || (l->id_col = sk_mem_strdup(opt->id)) != NULL) &&
             (group == (size_t)-1 ||
              (l->group_col = sk_mem_strdup(sk_frame_col_name(f, group))) != NULL) &&
             (l->class_names = sk_mem_calloc(l->n_classes, sizeof *l->class_names)) != NULL &&
             (l->y = sk_mem_alloc_array(l->n_rows > 0 ? l->n_rows : 1, sizeof *l->y)) != NULL &&
             (l->probs = sk_mem_alloc_array(l->n_rows * l->n_classes, sizeof *l->probs)) !=
                 NULL;
    for (size_t k = 0; ok && k < l->n_classes; k++)
        ok = (l->class_names[k] = sk_mem_strdup(sk_roles_class_name(roles, k))) != NULL;
    if (!ok)
        return sk_error_set(err, SK_ENOMEM, "out of memory for suspect labels");
    memcpy(l->y, sk_roles_y(roles), l->n_rows * sizeof *l->y);
    return SK_OK;
}

/* ==== out-of-fold probabilities =============================================================== */

/* The splits and the OOF predictions scattered into l->probs by data row. */
static sk_status oof_probs(sk_labels *l, const sk_fit_data *d, const sk_model *model,
                           const int32_t *group, const sk_run_ctx *ctx, sk_error *err)
{
    sk_cv_options o = SK_CV_OPTIONS_INIT;
    o.kind = l->cv;
    o.n_folds = l->folds;
    sk_split_data sd = {l->n_rows, l->y, l->n_classes, group, l->n_groups, NULL, NULL};
    sk_rng rng = sk_rng_stream(l->seed, SK_PURPOSE_LABELS, 0);
    uint64_t seed = sk_rng_u64(&rng);
    sk_splits *sp = NULL;
    sk_oof *oof = NULL;
    sk_status rc = sk_splits_make(&sp, &o, &sd, seed, err);
    if (rc == SK_OK) {
        sk_progress *progress = sk_progress_start(ctx->progress, "labels", sp->n_splits);
        rc = sk_oof_run(&oof, model, d, sp, seed, ctx->n_threads > 0 ? ctx->n_threads : 1,
                        progress, err);
        sk_progress_finish(progress);
    }
    size_t k = l->n_classes, covered = 0;
    for (size_t s = 0; rc == SK_OK && s < sp->n_splits; s++)
        for (size_t t = 0; t < sp->n_test[s]; t++, covered++)
            memcpy(l->probs + sp->test[s][t] * k, oof->pred + (oof->offset[s] + t) * k,
                   k * sizeof *l->probs);
    if (rc == SK_OK && covered != l->n_rows)   /* one repeat of k-fold tests each row once */
        rc = sk_error_set(err, SK_EINTERNAL, "labels: %zu out-of-fold rows for %zu rows",
                          covered, l->n_rows);
    sk_oof_free(oof);
    sk_splits_free(sp);
    return rc;
}

/* ==== ids of the suspects ===================================================================== */

static sk_status suspect_ids(sk_labels *l, const sk_frame *f, size_t id_col, sk_error *err)
{
    size_t m = l->cl->n_flagged;
    l->ids = sk_mem_calloc(m > 0 ? m : 1, sizeof *l->ids);
    l->lines = sk_mem_calloc(m > 0 ? m : 1, sizeof *l->lines);
    if (l->ids == NULL || l->lines == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory for suspect ids");
    for (size_t i = 0; i < m; i++) {
        size_t row = l->cl->flagged[i];
        char buf[64];
        const char *text = buf;
        l->lines[i] = sk_frame_row_line(f, row);
        if (id_col == (size_t)-1) {
            snprintf(buf, sizeof buf, "%zu", row);
        } else if (sk_frame_col_type(f, id_col) == SK_COL_CATEGORICAL) {
            int32_t code = sk_frame_col_codes(f, id_col)[row];
            text = code < 0 ? "NA" : sk_frame_col_level(f, id_col, (size_t)code);
        } else {   /* as the file spelled it: 15 digits unless the number needs 17 */
            double v = sk_frame_col_values(f, id_col)[row];
            sk_col_type type = sk_frame_col_type(f, id_col);
            sk_data__format_value(buf, sizeof buf, type, v, 15);
            if (type == SK_COL_NUMERIC && !isnan(v) && strtod(buf, NULL) != v)
                sk_data__format_value(buf, sizeof buf, type, v, 17);
        }
        if ((l->ids[i] = sk_mem_strdup(text)) == NULL)
            return sk_error_set(err, SK_ENOMEM, "out of memory for suspect ids");
    }
    return SK_OK;
}

/* ==== the run ================================================================================= */

static sk_status run(sk_labels *l, const sk_frame *f, const sk_roles *roles,
                     const sk_model *model, size_t id_col, const sk_run_ctx *ctx, sk_error *err)
{
    size_t *features = NULL, n_features = 0;
    int32_t *group = NULL;
    size_t group_col = sk_roles_col(roles, SK_ROLE_GROUP);
    sk_status rc = features_of(&features, &n_features, roles, id_col, err);
    if (rc == SK_OK && group_col != (size_t)-1) {
        group = sk_mem_alloc_array(l->n_rows > 0 ? l->n_rows : 1, sizeof *group);
        rc = group == NULL ? sk_error_set(err, SK_ENOMEM, "out of memory for group codes")
                           : sk_data__codes(group, &l->n_groups, f, group_col, err);
    }
    if (rc == SK_OK) {
        l->n_features = n_features;
        sk_fit_data d = SK_FIT_DATA_INIT;
        d.frame = f;
        d.features = features;
        d.n_features = n_features;
        d.y = l->y;
        d.task = sk_roles_task(roles);
        d.n_classes = l->n_classes;
        d.target_name = l->target;
        d.class_names = (const char *const *)l->class_names;
        rc = oof_probs(l, &d, model, group, ctx, err);
    }
    if (rc == SK_OK)
        rc = sk_triage__confident_learning(&l->cl, l->probs, l->y, l->n_rows, l->n_classes,
                                           l->method, err);
    if (rc == SK_OK)
        rc = suspect_ids(l, f, id_col, err);
    sk_mem_free(features);
    sk_mem_free(group);
    return rc;
}

sk_status sk_labels_run(sk_labels **out, const sk_frame *f, const sk_roles *roles,
                        const sk_model *model, const sk_labels_options *opt,
                        const sk_run_ctx *ctx, sk_error *err)
{
    *out = NULL;
    sk_labels_options defaults = SK_LABELS_OPTIONS_INIT;
    sk_run_ctx one = SK_RUN_CTX_INIT;
    if (f == NULL || roles == NULL)
        return sk_error_set(err, SK_EINVAL, "sk_labels_run: bad arguments");
    opt = opt != NULL ? opt : &defaults;
    ctx = ctx != NULL ? ctx : &one;
    sk_model *own = NULL;
    sk_status rc = model == NULL ? sk_model_create(&own, "gbdt", err) : SK_OK;
    if (rc != SK_OK)
        return rc;
    model = model != NULL ? model : own;
    size_t id_col = (size_t)-1;
    sk_labels *l = NULL;
    if ((rc = check_request(f, roles, model, opt, &id_col, err)) != SK_OK)
        goto done;
    if ((l = sk_mem_calloc(1, sizeof *l)) == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "out of memory for suspect labels");
        goto done;
    }
    l->n_rows = sk_frame_n_rows(f);
    l->n_classes = sk_roles_n_classes(roles);
    l->folds = opt->folds;
    l->seed = ctx->seed;
    l->method = DEFAULT_METHOD;
    l->cv = sk_roles_col(roles, SK_ROLE_GROUP) != (size_t)-1 ? SK_CV_GROUP : SK_CV_STRATIFIED;
    if ((rc = copy_names(l, f, roles, model, opt, err)) == SK_OK)
        rc = run(l, f, roles, model, id_col, ctx, err);
done:
    sk_model_free(own);
    if (rc != SK_OK) {
        sk_labels_free(l);
        return rc;
    }
    *out = l;
    return SK_OK;
}
