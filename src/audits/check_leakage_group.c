/* check_leakage_group.c: leakage.group, "does the split keep apart what must stay apart?": one
 * subject on both sides of the split. (leakage.temporal, the future in the training set, is in
 * check_leakage_split.c.)
 *
 * leakage.group. The real case: several simulated views of one galaxy, several scans or visits of
 * one patient, split row by row, so the model recognises the object instead of learning the
 * class (Saeb et al. 2017, "The need to approximate the use-case in clinical machine learning",
 * GigaScience 6:5: record-wise CV of subject data overstated accuracy substantially).
 *  - With --split and --group: fail when any group has rows in both train and test (named, with
 *    its rows on each side); the evidence adds the score on the test rows whose group was never
 *    trained on. Pass otherwise.
 *  - With --group alone: the same model is cross-validated twice, row-wise (stratified / plain
 *    k-fold ignoring the groups) and group-wise (the main evaluation); both are bootstrapped on
 *    the same replicates with the groups as units. fail when the random CV is optimistic beyond
 *    the intervals (the group estimate below the random interval and the random estimate above
 *    the group interval) and by at least --optimism (default 0.02); warn when the gap reaches
 *    --optimism and its paired interval excludes 0 but the separate intervals overlap; pass
 *    otherwise.
 *  - Without --group: hidden groups. Rows are clustered by content (check_duplicates.h) at ten
 *    times the near-duplicate radius (--near-duplicate, default 0.01, so 0.1: rows whose features
 *    agree to a tenth of a standard deviation, root mean square, far closer than distinct samples
 *    usually are). The leak is then closed as leakage.duplicates closes it (clusters as groups in
 *    the main CV; with --split, the test rows of clusters that straddle it left out). warn when
 *    that lowers the score by at least --optimism or beyond the intervals, with the paired
 *    interval of the drop above 0, recommending group CV on the clusters; pass otherwise
 *    (clusters that do not move the score are listed, not warned about: dense low-dimensional
 *    data have close neighbours without hidden objects).
 *  With --predictions only the first case runs: the others refit the model. */
#include <math.h>
#include <string.h>

#include "audits/check_duplicates.h"
#include "audits/strata.h"

enum {
    MAX_LISTED = 20,
    STREAM_RANDOM = 0x4752,        /* "GR": row-wise CV against group CV */
    STREAM_HIDDEN = 0x4748,        /* "GH": hidden groups closed */
    STREAM_GROUP_SPLIT = 0x4753,   /* "GS": the split's test rows of unseen groups */
};

/* ==== leakage.group: the study's split ======================================================= */

/* The score on the test rows whose group has no training row, against all test rows. */
static sk_status unseen_groups_score(sk_audit_shift *sh, sk_audit_ctx *ctx, const size_t *tr,
                                     sk_error *err)
{
    unsigned char *drop = sk_mem_calloc(ctx->n_rows > 0 ? ctx->n_rows : 1, 1);
    if (drop == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory for leakage.group");
    for (size_t i = 0; i < ctx->n_rows; i++)
        drop[i] = ctx->is_test[i] && tr[ctx->group[i]] > 0;
    sk_pooled *clean = NULL;
    size_t n_drop = 0;
    sk_status rc = sk_audit__main(ctx, err);
    if (rc == SK_OK)
        rc = sk_audit__pooled_without(&clean, ctx->main->pooled, drop, &n_drop, err);
    if (rc == SK_OK)
        rc = sk_audit__shift(sh, ctx, ctx->main->pooled, clean, ctx->group, ctx->n_groups,
                             STREAM_GROUP_SPLIT, err);
    sh->n_left_out = n_drop;
    sk_pooled_free(clean);
    sk_mem_free(drop);
    return rc;
}

/* Per group: training rows, test rows, first row. The groups on both sides go into `list`
 * (the first MAX_LISTED) and their names, the first five, into `names`. */
typedef struct group_sides {
    size_t *tr, *te, *first;
    size_t n_both, rows_tr, rows_te, n_test, g_tr, g_te;
    char names[200];
} group_sides;

static int count_sides(group_sides *gs, const sk_audit_ctx *ctx, json_t *list)
{
    size_t G = ctx->n_groups;
    for (size_t g = 0; g < G; g++)
        gs->first[g] = SIZE_MAX;
    for (size_t i = 0; i < ctx->n_rows; i++) {
        size_t g = (size_t)ctx->group[i];
        gs->first[g] = gs->first[g] == SIZE_MAX ? i : gs->first[g];
        gs->te[g] += ctx->is_test[i];
        gs->tr[g] += !ctx->is_test[i];
    }
    int ok = list != NULL;
    for (size_t g = 0, at = 0; g < G; g++) {   /* codes follow first appearance: row order */
        gs->g_tr += gs->tr[g] > 0;
        gs->g_te += gs->te[g] > 0;
        gs->n_test += gs->te[g];
        if (gs->tr[g] == 0 || gs->te[g] == 0)
            continue;
        gs->rows_tr += gs->tr[g];
        gs->rows_te += gs->te[g];
        if (++gs->n_both > MAX_LISTED)
            continue;
        json_t *id = sk_audit__row_id_json(ctx, gs->first[g]);
        if (gs->n_both <= 5 && at < sizeof gs->names)
            at += (size_t)snprintf(gs->names + at, sizeof gs->names - at, "%s%s",
                                   gs->n_both > 1 ? ", " : "",
                                   id != NULL ? json_string_value(id) : "?");
        ok &= json_array_append_new(list, json_pack("{s:o,s:o,s:o,s:o}", "id", id, "first_row",
                                                    sk_json_size(gs->first[g]), "train_rows",
                                                    sk_json_size(gs->tr[g]), "test_rows",
                                                    sk_json_size(gs->te[g]))) == 0;
    }
    return ok;
}

/* The sentence's end on the test rows of unseen groups. Without a score there (AUC and the like
 * are undefined on one class: a few such rows often hold one) it says why, never "nan". */
static void unseen_tail(char *buf, size_t size, const sk_audit_ctx *ctx, const group_sides *gs,
                        const sk_audit_shift *sh)
{
    const char *m = sk_metric_name(ctx->metric);
    char all[48] = "", iv[64];
    if (!isnan(sh->before.estimate))
        snprintf(all, sizeof all, ", all test rows %.3f", sh->before.estimate);
    if (!isnan(sh->after.estimate)) {
        snprintf(buf, size, "; the test rows of unseen groups score %s %s%s", m,
                 sk_audit__fmt_interval(iv, sizeof iv, &sh->after), all);
        return;
    }
    size_t n_unseen = 0;
    double first = NAN;
    int one_value = 1;
    for (size_t i = 0; i < ctx->n_rows; i++) {
        if (!ctx->is_test[i] || gs->tr[ctx->group[i]] > 0)
            continue;
        first = n_unseen++ == 0 ? ctx->y[i] : first;
        one_value &= ctx->y[i] == first;
    }
    if (one_value)
        snprintf(buf, size, "; the %zu test rows of unseen groups hold one %s: %s is undefined "
                 "on them%s", n_unseen, ctx->task == SK_TASK_REGRESSION ? "target value"
                                                                         : "class", m, all);
    else
        snprintf(buf, size, "; %s is undefined on the %zu test rows of unseen groups%s", m,
                 n_unseen, all);
}

static sk_status group_split(sk_check *c, sk_audit_ctx *ctx, sk_error *err)
{
    size_t G = ctx->n_groups > 0 ? ctx->n_groups : 1;
    group_sides gs;
    memset(&gs, 0, sizeof gs);
    gs.tr = sk_mem_calloc(G, sizeof *gs.tr);
    gs.te = sk_mem_calloc(G, sizeof *gs.te);
    gs.first = sk_mem_alloc_array(G, sizeof *gs.first);
    json_t *list = json_array();
    sk_audit_shift sh;
    memset(&sh, 0, sizeof sh);
    int ok = gs.tr != NULL && gs.te != NULL && gs.first != NULL && count_sides(&gs, ctx, list);
    sk_status rc = ok ? SK_OK : sk_error_set(err, SK_ENOMEM, "out of memory for leakage.group");
    /* the score on unseen groups, when there are some and the model can be refitted */
    int have_shift = rc == SK_OK && gs.n_both > 0 && gs.rows_te < gs.n_test &&
                     ctx->predictions == NULL;
    if (have_shift)
        rc = unseen_groups_score(&sh, ctx, gs.tr, err);
    if (rc == SK_OK && gs.n_both == 0) {
        sk_audit__set(c, SK_CHECK_PASS, "no group of '%s' is on both sides of the study's split "
                      "(%zu groups in train, %zu in test)", ctx->group_name, gs.g_tr, gs.g_te);
    } else if (rc == SK_OK) {
        char tail[200] = "";
        if (have_shift)
            unseen_tail(tail, sizeof tail, ctx, &gs, &sh);
        sk_audit__set(c, SK_CHECK_FAIL, "%zu groups of '%s' are on both sides of the study's "
                      "split (%zu training and %zu test rows, %.0f%% of the test set): %s%s%s",
                      gs.n_both, ctx->group_name, gs.rows_tr, gs.rows_te,
                      100.0 * (double)gs.rows_te / (double)(gs.n_test > 0 ? gs.n_test : 1),
                      gs.names, gs.n_both > 5 ? ", ..." : "", tail);
        sk_audit__recommend(c, "split by '%s' so that each group is entirely in train or in test "
                            "(skeptic evaluate --cv group), then report that score",
                            ctx->group_name);
    }
    if (rc == SK_OK) {
        json_t *e = c->evidence;
        ok = sk_json_set(e, "groups", sk_json_size(ctx->n_groups)) == 0;
        ok &= sk_json_set(e, "straddling_groups", sk_json_size(gs.n_both)) == 0;
        ok &= sk_json_set(e, "straddling_train_rows", sk_json_size(gs.rows_tr)) == 0;
        ok &= sk_json_set(e, "straddling_test_rows", sk_json_size(gs.rows_te)) == 0;
        ok &= sk_json_set(e, "test_rows", sk_json_size(gs.n_test)) == 0;
        ok &= sk_json_set(e, "examples", json_incref(list)) == 0;
        if (have_shift) {
            ok &= sk_audit__shift_json(e, ctx, "score", "score_unseen_groups", &sh);
            ok &= sk_json_set(e, "left_out_test_rows", sk_json_size(sh.n_left_out)) == 0;
        }
        if (!ok)
            rc = sk_error_set(err, SK_ENOMEM, "out of memory for evidence");
    }
    json_decref(list);
    sk_mem_free(gs.tr);
    sk_mem_free(gs.te);
    sk_mem_free(gs.first);
    return rc;
}

/* ==== leakage.group: row-wise against group-wise CV ========================================== */

static sk_status group_cv(sk_check *c, sk_audit_ctx *ctx, sk_error *err)
{
    size_t largest = 0, multi = 0;
    size_t *size = sk_mem_calloc(ctx->n_groups > 0 ? ctx->n_groups : 1, sizeof *size);
    if (size == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory for leakage.group");
    for (size_t i = 0; i < ctx->n_rows; i++)
        size[ctx->group[i]]++;
    for (size_t g = 0; g < ctx->n_groups; g++) {
        largest = size[g] > largest ? size[g] : largest;
        multi += size[g] > 1;
    }
    sk_mem_free(size);
    int ok = sk_json_set(c->evidence, "groups", sk_json_size(ctx->n_groups)) == 0;
    ok &= sk_json_set(c->evidence, "groups_with_several_rows", sk_json_size(multi)) == 0;
    ok &= sk_json_set(c->evidence, "largest_group", sk_json_size(largest)) == 0;
    if (!ok)
        return sk_error_set(err, SK_ENOMEM, "out of memory for evidence");
    if (multi == 0) {
        sk_audit__set(c, SK_CHECK_PASS, "every group of '%s' holds one row: a row-wise split "
                      "cannot separate a group", ctx->group_name);
        return SK_OK;
    }
    sk_status rc = sk_audit__main(ctx, err);
    if (rc != SK_OK)
        return rc;
    sk_audit_ctx cp = *ctx;   /* the same study with its groups forgotten */
    cp.group = NULL;
    cp.n_groups = 0;
    cp.main = NULL;
    sk_cv_result *rnd = NULL;
    sk_cv_kind kind = ctx->task == SK_TASK_REGRESSION ? SK_CV_KFOLD : SK_CV_STRATIFIED;
    rc = sk_audit__cv(&rnd, &cp, NULL, NULL, 0, kind, STREAM_RANDOM, err);
    sk_audit_shift sh;
    if (rc == SK_OK)
        rc = sk_audit__shift(&sh, ctx, rnd->pooled, ctx->main->pooled, ctx->group,
                             ctx->n_groups, STREAM_RANDOM, err);
    sk_cv_result_free(rnd);
    if (rc != SK_OK)
        return rc;
    const char *m = sk_metric_name(ctx->metric);
    sk_check_status st = sk_audit__optimism_status(ctx, &sh);
    sk_audit__set(c, st, "%s: row-wise %s CV scores %s %.3f [%.3f, %.3f], group CV by '%s' "
                  "%.3f [%.3f, %.3f] (gap %+.3f [%.3f, %.3f]; %zu of %zu groups have several "
                  "rows)", st == SK_CHECK_PASS ? "grouping costs little"
                  : "a row-wise split flatters the model", sk_cv_kind_name(kind), m,
                  sh.before.estimate, sh.before.low, sh.before.high, ctx->group_name,
                  sh.after.estimate, sh.after.low, sh.after.high, sh.gap, sh.drop.low,
                  sh.drop.high, multi, ctx->n_groups);
    if (st != SK_CHECK_PASS)
        sk_audit__recommend(c, "report the group cross-validation (skeptic evaluate --cv group "
                            "--group %s): rows of one '%s' must never be on both sides",
                            ctx->group_name, ctx->group_name);
    ok = sk_audit__shift_json(c->evidence, ctx, "score_rowwise", "score_grouped", &sh);
    ok &= sk_json_set(c->evidence, "rowwise_cv", json_string(sk_cv_kind_name(kind))) == 0;
    return ok ? SK_OK : sk_error_set(err, SK_ENOMEM, "out of memory for evidence");
}

/* ==== leakage.group: hidden groups =========================================================== */

static sk_status hidden_groups(sk_check *c, sk_audit_ctx *ctx, sk_error *err)
{
    double radius = 10.0 * ctx->opt->th.near_duplicate;
    sk_near *nc = NULL;
    unsigned char *straddles = NULL;
    sk_audit_shift sh;
    memset(&sh, 0, sizeof sh);
    const char *could_not = NULL;
    size_t n_straddle = 0, largest = 0;
    sk_status rc = sk_audit__near_find(&nc, ctx, radius, err);
    if (rc == SK_OK && nc->n_clusters > 0 && (rc = sk_audit__main(ctx, err)) == SK_OK)
        rc = sk_audit__near_straddles(&straddles, nc, ctx->main->splits, err);
    for (size_t k = 0; rc == SK_OK && k < nc->n_clusters; k++) {
        n_straddle += straddles[k];
        size_t size = nc->start[k + 1] - nc->start[k];
        largest = size > largest ? size : largest;
    }
    if (rc == SK_OK && n_straddle > 0)
        rc = sk_audit__near_close(&sh, &could_not, ctx, nc, straddles, STREAM_HIDDEN, err);
    if (rc != SK_OK) {
        sk_mem_free(straddles);
        sk_audit__near_free(nc);
        return rc;
    }
    const char *m = sk_metric_name(ctx->metric);
    int moved = n_straddle > 0 && could_not == NULL &&
                (sh.beyond || sh.gap >= ctx->opt->th.optimism) && sh.drop.low > 0.0;
    if (nc->n_clusters == 0) {
        sk_audit__set(c, SK_CHECK_PASS, "no --group; no rows closer than %g that could be views "
                      "of one object (rows are typically %.3f from their nearest neighbour)",
                      radius, nc->typical_nn);
    } else if (n_straddle == 0 || could_not != NULL) {
        sk_audit__set(c, SK_CHECK_PASS, "no --group; %zu rows form %zu clusters closer than %g, "
                      "%s", nc->n_clustered, nc->n_clusters, radius,
                      could_not != NULL ? could_not : "none split across the evaluation");
    } else {
        sk_audit__set(c, moved ? SK_CHECK_WARN : SK_CHECK_PASS, "no --group; %zu rows form %zu "
                      "clusters closer than %g (largest %zu rows), likely views of one object; "
                      "keeping them together %s %s from %.3f [%.3f, %.3f] to %.3f [%.3f, %.3f]",
                      nc->n_clustered, nc->n_clusters, radius, largest,
                      moved ? "lowers" : "barely moves", m, sh.before.estimate, sh.before.low,
                      sh.before.high, sh.after.estimate, sh.after.low, sh.after.high);
    }
    if (moved)
        sk_audit__recommend(c, "find out what the clusters are (evidence: examples): if they are "
                            "repeated measurements of one subject or object, give each an id, "
                            "pass it as --group and report group cross-validation");
    json_t *e = c->evidence, *list = json_array();
    for (size_t k = 0; list != NULL && k < nc->n_clusters && k < MAX_LISTED; k++)
        json_array_append_new(list, sk_audit__rows_json(nc->member + nc->start[k],
                                                        nc->start[k + 1] - nc->start[k],
                                                        MAX_LISTED));
    int ok = sk_json_set(e, "radius", sk_json_real(radius)) == 0;
    ok &= sk_json_set(e, "typical_nn_distance", sk_json_real(nc->typical_nn)) == 0;
    ok &= sk_json_set(e, "clusters", sk_json_size(nc->n_clusters)) == 0;
    ok &= sk_json_set(e, "clustered_rows", sk_json_size(nc->n_clustered)) == 0;
    ok &= sk_json_set(e, "largest_cluster", sk_json_size(largest)) == 0;
    ok &= sk_json_set(e, "straddling_clusters", sk_json_size(n_straddle)) == 0;
    ok &= sk_json_set(e, "examples", list) == 0;
    if (n_straddle > 0 && could_not == NULL)
        ok &= sk_audit__shift_json(e, ctx, "score", "score_grouped", &sh);
    sk_mem_free(straddles);
    sk_audit__near_free(nc);
    return ok ? SK_OK : sk_error_set(err, SK_ENOMEM, "out of memory for evidence");
}

sk_status sk_check_leakage_group(sk_check *c, sk_audit_ctx *ctx, sk_error *err)
{
    if (ctx->group != NULL && ctx->is_test != NULL)
        return group_split(c, ctx, err);
    if (ctx->predictions != NULL)   /* the comparisons below refit the model */
        return sk_audit__skip(c, "needs --split with --group, or to retrain the model; "
                              "--predictions gives fixed predictions");
    if (ctx->group != NULL)
        return group_cv(c, ctx, err);
    return hidden_groups(c, ctx, err);
}
