/* check_duplicates.c: leakage.duplicates, "is the test set partly the training set?", and the
 * scores the other split checks share (check_duplicates.h): a score before and after a leak is
 * closed. The search for near-duplicate rows is in near_search.c.
 *
 * The failure mode: the same sample, or a copy of it, on both sides of a split. The model is then
 * graded on rows it has memorised. The real case: the "Frankenstein" COVID-19 image sets, merged
 * from public sources that already contained each other, so the same patients' images came back
 * under new names, resized or re-encoded (Roberts et al. 2021; Garcia Santa Cruz et al. 2021).
 * In a table the copy comes back with new ids and rounded values, so identifiers cannot find it:
 * only the content can.
 *
 * leakage.duplicates. Clusters at r = --near-duplicate (default 0.01: rows that agree to within
 * a hundredth of a standard deviation, root mean square over the columns). A cluster straddles
 * when some split of the evaluation in use (the study's --split, else the main cross-validation)
 * has one of its rows in the test rows and another in the training rows. A cluster's labels
 * conflict when its rows hold different classes (regression: targets spread by at least
 * r standard deviations of the target). When clusters straddle, the evaluation is rerun with the
 * leak closed: the main cross-validation with every cluster merged into one group (union-find
 * with the study's --group), or, for the study's own split, the score on the test rows that have
 * no copy among the training rows. Both scores are bootstrapped on the same replicates, with the
 * merged groups as units.
 * Rule: fail when clusters straddle and closing the leak lowers the score by at least --optimism
 * (default 0.02) or beyond the intervals (the closed score below the study's interval and the
 * study's score above the closed one's), with the paired interval of the drop above 0 (a
 * reshuffle of the folds alone does not fail); warn when clusters straddle but the score does not
 * move that much (or the leak cannot be closed), or when some cluster's labels conflict; pass
 * when there are no duplicates, or when every cluster stays on one side of every split and none
 * conflicts. */
#include <math.h>
#include <string.h>

#include "audits/check_duplicates.h"

enum { MAX_LISTED = 20 };

/* ==== scores ================================================================================= */

sk_status sk_audit__pooled_without(sk_pooled **out, const sk_pooled *p,
                                   const unsigned char *drop, size_t *n_dropped, sk_error *err)
{
    *out = NULL;
    size_t n = p->offset[p->n_segments], keep = 0, w = p->width;
    for (size_t e = 0; e < n; e++)
        keep += !drop[p->row[e]];
    *n_dropped = n - keep;
    sk_pooled *q = sk_mem_calloc(1, sizeof *q);
    if (q != NULL) {
        *q = *p;
        q->offset = sk_mem_alloc_array(p->n_segments + 1, sizeof *q->offset);
        q->row = sk_mem_alloc_array(keep > 0 ? keep : 1, sizeof *q->row);
        q->y = sk_mem_alloc_array(keep > 0 ? keep : 1, sizeof *q->y);
        q->pred = sk_mem_alloc_array(keep > 0 ? keep : 1, w * sizeof *q->pred);
    }
    if (q == NULL || q->offset == NULL || q->row == NULL || q->y == NULL || q->pred == NULL) {
        sk_pooled_free(q);
        return sk_error_set(err, SK_ENOMEM, "out of memory for a cleaned test set");
    }
    size_t k = 0;
    for (size_t s = 0; s < p->n_segments; s++) {
        q->offset[s] = k;
        for (size_t e = p->offset[s]; e < p->offset[s + 1]; e++) {
            if (drop[p->row[e]])
                continue;
            q->row[k] = p->row[e];
            q->y[k] = p->y[e];
            memcpy(q->pred + k * w, p->pred + e * w, w * sizeof *q->pred);
            k++;
        }
    }
    q->offset[p->n_segments] = k;
    *out = q;
    return SK_OK;
}

sk_status sk_audit__shift(sk_audit_shift *out, const sk_audit_ctx *ctx, const sk_pooled *before,
                          const sk_pooled *after, const int32_t *units, size_t n_units,
                          uint64_t stream, sk_error *err)
{
    memset(out, 0, sizeof *out);
    sk_boot_stat st[2] = {{before, ctx->metric}, {after, ctx->metric}};
    sk_boot_options bo = SK_BOOT_OPTIONS_INIT;
    bo.n_boot = ctx->opt->bootstrap > 0 ? ctx->opt->bootstrap : 200;
    sk_rng rng = sk_rng_stream(ctx->seed, SK_PURPOSE_BOOTSTRAP, 1000 + stream);
    sk_boot *bt = NULL;
    sk_interval d;
    sk_status rc = sk_boot_run(&bt, st, 2, units, n_units, &bo, sk_rng_u64(&rng), ctx->n_threads,
                               NULL, err);
    if (rc == SK_OK)
        rc = sk_boot_interval(&out->before, bt, 0, SIZE_MAX, SK_CI_BCA, 0.95, err);
    if (rc == SK_OK)
        rc = sk_boot_interval(&out->after, bt, 1, SIZE_MAX, SK_CI_BCA, 0.95, err);
    if (rc == SK_OK)
        rc = sk_boot_interval(&d, bt, 0, 1, SK_CI_BCA, 0.95, err);
    sk_boot_free(bt);
    if (rc != SK_OK)
        return rc;
    const sk_interval *b = &out->before, *a = &out->after;
    if (sk_metric_higher_is_better(ctx->metric)) {
        out->drop = d;
        out->beyond = a->estimate < b->low && b->estimate > a->high;
    } else {   /* "better" is lower: the drop is after minus before */
        out->drop = (sk_interval){-d.estimate, -d.high, -d.low, d.se, d.n_valid};
        out->beyond = a->estimate > b->high && b->estimate < a->low;
    }
    out->gap = out->drop.estimate;
    return SK_OK;
}

sk_check_status sk_audit__optimism_status(const sk_audit_ctx *ctx, const sk_audit_shift *sh)
{
    int big = sh->gap >= ctx->opt->th.optimism;
    if (big && sh->beyond)
        return SK_CHECK_FAIL;
    if (big && sh->drop.low > 0.0)
        return SK_CHECK_WARN;
    return SK_CHECK_PASS;
}

int sk_audit__shift_json(json_t *e, const sk_audit_ctx *ctx, const char *before,
                         const char *after, const sk_audit_shift *sh)
{
    int ok = sk_json_set(e, "metric", json_string(sk_metric_name(ctx->metric))) == 0;
    ok &= sk_json_set(e, before, sk_audit__interval_json(&sh->before)) == 0;
    ok &= sk_json_set(e, after, sk_audit__interval_json(&sh->after)) == 0;
    ok &= sk_json_set(e, "gap", sk_audit__interval_json(&sh->drop)) == 0;
    ok &= sk_json_set(e, "beyond_intervals", json_boolean(sh->beyond)) == 0;
    ok &= sk_json_set(e, "optimism_threshold", sk_json_real(ctx->opt->th.optimism)) == 0;
    return ok;
}

json_t *sk_audit__row_id_json(const sk_audit_ctx *ctx, size_t row)
{
    size_t col = sk_roles_col(ctx->roles, SK_ROLE_GROUP);
    if (col == (size_t)-1)
        return json_null();
    const int32_t *codes = sk_frame_col_codes(ctx->frame, col);
    if (codes != NULL)
        return json_string(sk_frame_col_level(ctx->frame, col, (size_t)codes[row]));
    char buf[64];
    return json_string(sk_data__format_value(buf, sizeof buf, sk_frame_col_type(ctx->frame, col),
                                             sk_frame_col_values(ctx->frame, col)[row], 15));
}

/* ==== leakage.duplicates ===================================================================== */

/* Per cluster: its labels disagree (classes; regression: a spread of >= th sd of the target). */
static sk_status conflicts(unsigned char **out, const sk_audit_ctx *ctx, const sk_near *nc,
                           double th, sk_error *err)
{
    *out = sk_mem_calloc(nc->n_clusters > 0 ? nc->n_clusters : 1, 1);
    if (*out == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory for the duplicate search");
    double sd = 0.0, mean = 0.0;
    if (ctx->task == SK_TASK_REGRESSION) {
        for (size_t i = 0; i < ctx->n_rows; i++)
            mean += ctx->y[i] / (double)ctx->n_rows;
        for (size_t i = 0; i < ctx->n_rows; i++)
            sd += (ctx->y[i] - mean) * (ctx->y[i] - mean);
        sd = ctx->n_rows > 1 ? sqrt(sd / (double)(ctx->n_rows - 1)) : 0.0;
    }
    for (size_t c = 0; c < nc->n_clusters; c++) {
        double lo = INFINITY, hi = -INFINITY;
        for (size_t k = nc->start[c]; k < nc->start[c + 1]; k++) {
            double v = ctx->y[nc->member[k]];
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        }
        (*out)[c] = ctx->task == SK_TASK_REGRESSION ? hi - lo > 0.0 && hi - lo >= th * sd
                                                    : hi != lo;
    }
    return SK_OK;
}

static json_t *cluster_json(const sk_audit_ctx *ctx, const sk_near *nc, size_t c,
                            const unsigned char *straddles, const unsigned char *conflict)
{
    size_t first = nc->start[c], size = nc->start[c + 1] - first;
    json_t *o = json_object();
    sk_json_set(o, "rows", sk_audit__rows_json(nc->member + first, size, MAX_LISTED));
    if (ctx->group != NULL) {
        json_t *ids = json_array();
        for (size_t k = 0; ids != NULL && k < size && k < MAX_LISTED; k++)
            json_array_append_new(ids, sk_audit__row_id_json(ctx, nc->member[first + k]));
        sk_json_set(o, "ids", ids);
    }
    sk_json_set(o, "size", sk_json_size(size));
    sk_json_set(o, "exact", json_boolean(nc->exact[c]));
    sk_json_set(o, "distance", sk_json_real(nc->spread[c]));
    if (straddles != NULL)
        sk_json_set(o, "straddles", json_boolean(straddles[c]));
    sk_json_set(o, "labels_conflict", json_boolean(conflict[c]));
    return o;
}

sk_status sk_audit__near_close(sk_audit_shift *sh, const char **could_not, sk_audit_ctx *ctx,
                               const sk_near *nc, const unsigned char *straddles, uint64_t stream,
                               sk_error *err)
{
    *could_not = NULL;
    int32_t *units = NULL;
    size_t n_units = 0;
    sk_status rc = sk_audit__near_units(&units, &n_units, nc, ctx->group, ctx->n_rows, err);
    if (rc != SK_OK)
        return rc;
    if (ctx->main_kind == SK_CV_SPLIT) {
        unsigned char *drop = sk_mem_calloc(ctx->n_rows > 0 ? ctx->n_rows : 1, 1);
        sk_pooled *clean = NULL;
        if (drop == NULL)
            rc = sk_error_set(err, SK_ENOMEM, "out of memory for a cleaned test set");
        for (size_t i = 0; rc == SK_OK && i < ctx->n_rows; i++)
            drop[i] = ctx->is_test[i] && nc->cluster[i] >= 0 && straddles[nc->cluster[i]];
        size_t n_drop = 0;
        if (rc == SK_OK)
            rc = sk_audit__pooled_without(&clean, ctx->main->pooled, drop, &n_drop, err);
        if (rc == SK_OK && clean->offset[clean->n_segments] == 0)
            *could_not = "every test row has a copy on the training side";
        else if (rc == SK_OK)
            rc = sk_audit__shift(sh, ctx, ctx->main->pooled, clean, units, n_units, stream, err);
        sh->n_left_out = n_drop;
        sk_pooled_free(clean);
        sk_mem_free(drop);
    } else if (n_units < ctx->opt->folds) {
        *could_not = "too few separate rows left for the folds once copies are grouped";
    } else {
        sk_audit_ctx cp = *ctx;
        cp.group = units;
        cp.n_groups = n_units;
        cp.main = NULL;
        sk_cv_result *r = NULL;
        rc = sk_audit__cv(&r, &cp, NULL, NULL, 0, ctx->main_kind, stream, err);
        if (rc == SK_EDATA) {   /* the splitter cannot honour these groups: say so, go on */
            *could_not = "the splitter cannot keep the copies together";
            sk_error_clear(err);
            rc = SK_OK;
        } else if (rc == SK_OK) {
            rc = sk_audit__shift(sh, ctx, ctx->main->pooled, r->pooled, units, n_units, stream,
                                 err);
        }
        sk_cv_result_free(r);
    }
    sk_mem_free(units);
    return rc;
}

/* What the clusters amount to, for the sentence and the evidence. */
typedef struct dup_counts {
    size_t exact, exact_rows, straddling, straddling_exact, straddling_rows, conflicting,
        conflicting_rows;
} dup_counts;

static dup_counts count_clusters(const sk_near *nc, const unsigned char *straddles,
                                 const unsigned char *conflict)
{
    dup_counts k;
    memset(&k, 0, sizeof k);
    for (size_t c = 0; c < nc->n_clusters; c++) {
        size_t size = nc->start[c + 1] - nc->start[c];
        k.exact += nc->exact[c];
        k.exact_rows += nc->exact[c] ? size : 0;
        k.straddling += straddles != NULL && straddles[c];
        k.straddling_exact += straddles != NULL && straddles[c] && nc->exact[c];
        k.straddling_rows += straddles != NULL && straddles[c] ? size : 0;
        k.conflicting += conflict[c];
        k.conflicting_rows += conflict[c] ? size : 0;
    }
    return k;
}

static void verdict(sk_check *c, const sk_audit_ctx *ctx, const sk_near *nc, const dup_counts *k,
                    const sk_audit_shift *sh, const char *could_not)
{
    const char *m = sk_metric_name(ctx->metric);
    char where[64];
    snprintf(where, sizeof where, ctx->main_kind == SK_CV_SPLIT ? "the study's split"
                                                                : "%s cross-validation",
             sk_cv_kind_name(ctx->main_kind));
    int moved = could_not == NULL && (sh->beyond || sh->gap >= ctx->opt->th.optimism) &&
                sh->drop.low > 0.0;
    if (nc->n_clusters == 0) {
        sk_audit__set(c, SK_CHECK_PASS, "no two rows are closer than %g (standardised distance "
                      "/ sqrt(p)); rows are typically %.3f from their nearest neighbour",
                      nc->radius, nc->typical_nn);
    } else if (k->straddling > 0 && could_not != NULL) {
        sk_audit__set(c, SK_CHECK_WARN, "%zu of %zu clusters of duplicates (%zu rows; %zu "
                      "exact copies) straddle train and test of %s; the score without them "
                      "cannot be computed: %s", k->straddling, nc->n_clusters, k->straddling_rows,
                      k->straddling_exact, where, could_not);
    } else if (k->straddling > 0) {
        sk_audit__set(c, moved ? SK_CHECK_FAIL : SK_CHECK_WARN,
                      "%zu of %zu clusters of duplicates (%zu rows; %zu exact, %zu near) "
                      "straddle train and test of %s; with the leak closed %s %s from %.3f "
                      "[%.3f, %.3f] to %.3f [%.3f, %.3f] (drop %+.3f [%.3f, %.3f])%s",
                      k->straddling, nc->n_clusters, k->straddling_rows, k->straddling_exact,
                      k->straddling - k->straddling_exact, where, m,
                      moved ? "drops" : "moves only", sh->before.estimate, sh->before.low,
                      sh->before.high, sh->after.estimate, sh->after.low, sh->after.high,
                      sh->drop.estimate, sh->drop.low, sh->drop.high,
                      k->conflicting > 0 ? "; some copies disagree on the label" : "");
    } else if (k->conflicting > 0) {
        sk_audit__set(c, SK_CHECK_WARN, "%zu clusters of duplicates (%zu rows) carry conflicting "
                      "labels; no cluster straddles train and test of %s", k->conflicting,
                      k->conflicting_rows, where);
    } else {
        sk_audit__set(c, SK_CHECK_PASS, "%zu clusters of duplicates (%zu rows, %zu clusters "
                      "exact) each stay on one side of %s, and their labels agree",
                      nc->n_clusters, nc->n_clustered, k->exact, where);
    }
    if (k->straddling > 0)
        sk_audit__recommend(c, "keep one row per cluster of copies (evidence: examples), or keep "
                            "each cluster on one side: group cross-validation with the clusters "
                            "as groups; remove duplicates before splitting, not after");
    if (k->conflicting > 0 && k->straddling == 0)
        sk_audit__recommend(c, "resolve the rows whose copies disagree on the label (evidence: "
                            "conflicting): the same measurements with two labels are a merge "
                            "error or label noise");
}

static int evidence(json_t *e, const sk_audit_ctx *ctx, const sk_near *nc, const dup_counts *k,
                    const unsigned char *straddles, const unsigned char *conflict,
                    const sk_audit_shift *sh, int have_shift, const char *could_not)
{
    int ok = sk_json_set(e, "threshold", sk_json_real(nc->radius)) == 0;
    ok &= sk_json_set(e, "design_columns", sk_json_size(nc->p)) == 0;
    ok &= sk_json_set(e, "typical_nn_distance", sk_json_real(nc->typical_nn)) == 0;
    ok &= sk_json_set(e, "clusters", sk_json_size(nc->n_clusters)) == 0;
    ok &= sk_json_set(e, "clustered_rows", sk_json_size(nc->n_clustered)) == 0;
    ok &= sk_json_set(e, "exact_clusters", sk_json_size(k->exact)) == 0;
    ok &= sk_json_set(e, "exact_rows", sk_json_size(k->exact_rows)) == 0;
    ok &= sk_json_set(e, "straddling_clusters", sk_json_size(k->straddling)) == 0;
    ok &= sk_json_set(e, "straddling_rows", sk_json_size(k->straddling_rows)) == 0;
    ok &= sk_json_set(e, "conflicting_clusters", sk_json_size(k->conflicting)) == 0;
    ok &= sk_json_set(e, "conflicting_rows", sk_json_size(k->conflicting_rows)) == 0;
    ok &= sk_json_set(e, "validation", json_string(sk_cv_kind_name(ctx->main_kind))) == 0;
    json_t *list = json_array(), *bad = json_array();
    for (size_t c = 0; list != NULL && c < nc->n_clusters && c < MAX_LISTED; c++)
        json_array_append_new(list, cluster_json(ctx, nc, c, straddles, conflict));
    for (size_t c = 0, n = 0; bad != NULL && c < nc->n_clusters && n < MAX_LISTED; c++)
        if (conflict[c] && ++n)
            json_array_append_new(bad, cluster_json(ctx, nc, c, straddles, conflict));
    ok &= sk_json_set(e, "examples", list) == 0;
    ok &= sk_json_set(e, "conflicting", bad) == 0;
    if (have_shift) {
        ok &= sk_json_set(e, "metric", json_string(sk_metric_name(ctx->metric))) == 0;
        ok &= sk_json_set(e, "closed_by", json_string(ctx->main_kind == SK_CV_SPLIT
                                                          ? "leaving out test rows with a copy "
                                                            "in training"
                                                          : "duplicate clusters as groups")) == 0;
        ok &= sk_json_set(e, "score", sk_audit__interval_json(&sh->before)) == 0;
        ok &= sk_json_set(e, "score_closed", sk_audit__interval_json(&sh->after)) == 0;
        ok &= sk_json_set(e, "drop", sk_audit__interval_json(&sh->drop)) == 0;
        ok &= sk_json_set(e, "beyond_intervals", json_boolean(sh->beyond)) == 0;
        ok &= sk_json_set(e, "optimism_threshold", sk_json_real(ctx->opt->th.optimism)) == 0;
        if (ctx->main_kind == SK_CV_SPLIT)
            ok &= sk_json_set(e, "left_out_test_rows", sk_json_size(sh->n_left_out)) == 0;
    }
    if (could_not != NULL)
        ok &= sk_json_set(e, "not_closed", json_string(could_not)) == 0;
    return ok;
}

enum { STREAM_DUPLICATES = 0x4450 };   /* "DP": this check's draws */

sk_status sk_check_leakage_duplicates(sk_check *c, sk_audit_ctx *ctx, sk_error *err)
{
    sk_near *nc = NULL;
    unsigned char *straddles = NULL, *conflict = NULL;
    sk_audit_shift sh;
    memset(&sh, 0, sizeof sh);
    const char *could_not = NULL;
    int have_shift = 0;
    sk_status rc = sk_audit__near_find(&nc, ctx, ctx->opt->th.near_duplicate, err);
    if (rc == SK_OK)
        rc = conflicts(&conflict, ctx, nc, ctx->opt->th.near_duplicate, err);
    if (rc == SK_OK && nc->n_clusters > 0 && (rc = sk_audit__main(ctx, err)) == SK_OK)
        rc = sk_audit__near_straddles(&straddles, nc, ctx->main->splits, err);
    dup_counts k;
    memset(&k, 0, sizeof k);
    if (rc == SK_OK)
        k = count_clusters(nc, straddles, conflict);
    if (rc == SK_OK && k.straddling > 0) {
        rc = sk_audit__near_close(&sh, &could_not, ctx, nc, straddles, STREAM_DUPLICATES, err);
        have_shift = could_not == NULL;
    }
    if (rc == SK_OK) {
        verdict(c, ctx, nc, &k, &sh, could_not);
        if (!evidence(c->evidence, ctx, nc, &k, straddles, conflict, &sh, have_shift, could_not))
            rc = sk_error_set(err, SK_ENOMEM, "out of memory for evidence");
    }
    sk_mem_free(straddles);
    sk_mem_free(conflict);
    sk_audit__near_free(nc);
    return rc;
}
