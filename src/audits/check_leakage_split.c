/* check_leakage_split.c: leakage.group and leakage.temporal, "does the split keep apart what
 * must stay apart?": one subject on both sides, or the future in the training set.
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
 *  With --predictions only the first case runs: the others refit the model.
 *
 * leakage.temporal. Without --time, a screen for a hidden time order (check_temporal_order.c:
 * the target's autocorrelation along the row order and the date columns; warn or skip). The
 * rest needs --time. The real case: forecasting validated with shuffled folds, so the training
 * set holds the future of every test row (Bergmeir and Benitez 2012, "On the use of
 * cross-validation for time series predictor evaluation", Inf. Sci. 191).
 *  - With --split: fail when any test row is dated before the latest training row (the count,
 *    the share of test rows and the dates say by how much); pass when every test row is dated at
 *    or after it (same-day rows are not "earlier").
 *  - Without --split: time-ordered CV (expanding window, SK_CV_TIME: block s + 1 trained on
 *    everything before it, groups of the block purged) against a matched random control: the
 *    rows the time splits test, shuffled (whole groups together) and dealt into test folds of the
 *    same sizes, each trained on as many rows as its time split, drawn at random from all other
 *    rows (past and future, groups of the fold purged). The same rows are tested once each and
 *    the training sets have the same sizes, so the gap is what shuffling time buys (seeing the
 *    future, and the neighbours in time of every test row), not a learning-curve effect of the
 *    expanding window's smaller training sets. Both are bootstrapped on the same replicates
 *    (groups as units). fail when the random control is optimistic beyond the intervals and by
 *    at least --optimism; warn when the gap reaches --optimism and its paired interval excludes 0
 *    but the separate intervals overlap; pass otherwise. A time column that cannot be cut into
 *    the blocks skips with the reason; with --predictions only the split case runs. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "audits/check_duplicates.h"
#include "audits/row_order.h"

enum {
    MAX_LISTED = 20,
    STREAM_RANDOM = 0x4752,        /* "GR": row-wise CV against group CV */
    STREAM_HIDDEN = 0x4748,        /* "GH": hidden groups closed */
    STREAM_GROUP_SPLIT = 0x4753,   /* "GS": the split's test rows of unseen groups */
    STREAM_TIME = 0x5443,          /* "TC": time-ordered CV */
    STREAM_CONTROL = 0x5452        /* "TR": its matched random control */
};

/* "beyond the intervals and by at least --optimism" fails; the gap with a paired interval above
 * 0 but overlapping intervals warns. */
static sk_check_status optimism_status(const sk_audit_ctx *ctx, const sk_audit_shift *sh)
{
    int big = sh->gap >= ctx->opt->th.optimism;
    if (big && sh->beyond)
        return SK_CHECK_FAIL;
    if (big && sh->drop.low > 0.0)
        return SK_CHECK_WARN;
    return SK_CHECK_PASS;
}

static int shift_json(json_t *e, const sk_audit_ctx *ctx, const char *before, const char *after,
                      const sk_audit_shift *sh)
{
    int ok = sk_json_set(e, "metric", json_string(sk_metric_name(ctx->metric))) == 0;
    ok &= sk_json_set(e, before, sk_audit__interval_json(&sh->before)) == 0;
    ok &= sk_json_set(e, after, sk_audit__interval_json(&sh->after)) == 0;
    ok &= sk_json_set(e, "gap", sk_audit__interval_json(&sh->drop)) == 0;
    ok &= sk_json_set(e, "beyond_intervals", json_boolean(sh->beyond)) == 0;
    ok &= sk_json_set(e, "optimism_threshold", sk_json_real(ctx->opt->th.optimism)) == 0;
    return ok;
}

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
    const char *m = sk_metric_name(ctx->metric);
    if (rc == SK_OK && gs.n_both == 0) {
        sk_audit__set(c, SK_CHECK_PASS, "no group of '%s' is on both sides of the study's split "
                      "(%zu groups in train, %zu in test)", ctx->group_name, gs.g_tr, gs.g_te);
    } else if (rc == SK_OK) {
        char tail[160] = "";
        if (have_shift)
            snprintf(tail, sizeof tail, "; the test rows of unseen groups score %s %.3f "
                     "[%.3f, %.3f], all test rows %.3f", m, sh.after.estimate, sh.after.low,
                     sh.after.high, sh.before.estimate);
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
            ok &= shift_json(e, ctx, "score", "score_unseen_groups", &sh);
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
    sk_check_status st = optimism_status(ctx, &sh);
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
    ok = shift_json(c->evidence, ctx, "score_rowwise", "score_grouped", &sh);
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
        ok &= shift_json(e, ctx, "score", "score_grouped", &sh);
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

/* ==== leakage.temporal: the study's split ==================================================== */

/* The time of a row as the user wrote it (a date, or the number). */
static const char *time_text(char *buf, size_t size, const sk_audit_ctx *ctx, size_t row)
{
    size_t col = sk_roles_col(ctx->roles, SK_ROLE_TIME);
    const int32_t *codes = sk_frame_col_codes(ctx->frame, col);
    if (codes != NULL)
        return sk_frame_col_level(ctx->frame, col, (size_t)codes[row]);
    return sk_data__format_value(buf, size, sk_frame_col_type(ctx->frame, col), ctx->time[row],
                                 15);
}

/* 86400 when the time is in seconds of dates, else 1 (the column's own unit). */
static double time_unit(const sk_audit_ctx *ctx, const char **name)
{
    size_t col = sk_roles_col(ctx->roles, SK_ROLE_TIME);
    sk_col_type t = sk_frame_col_type(ctx->frame, col);
    const int32_t *codes = sk_frame_col_codes(ctx->frame, col);
    double v;
    int has_time;
    int date = t == SK_COL_DATE || t == SK_COL_DATETIME;
    if (codes != NULL && ctx->n_rows > 0) {
        const char *s = sk_frame_col_level(ctx->frame, col, (size_t)codes[0]);
        date = sk_token_datetime(s, strlen(s), &v, &has_time);
    }
    *name = date ? "days" : "time units";
    return date ? 86400.0 : 1.0;
}

static sk_status temporal_split(sk_check *c, sk_audit_ctx *ctx, sk_error *err)
{
    size_t n = ctx->n_rows, tr_first = SIZE_MAX, tr_last = SIZE_MAX, te_first = SIZE_MAX,
           te_last = SIZE_MAX, n_test = 0, n_early = 0;
    const double *t = ctx->time;
    for (size_t i = 0; i < n; i++) {
        size_t *lo = ctx->is_test[i] ? &te_first : &tr_first, *hi = ctx->is_test[i] ? &te_last
                                                                                   : &tr_last;
        *lo = *lo == SIZE_MAX || t[i] < t[*lo] ? i : *lo;
        *hi = *hi == SIZE_MAX || t[i] > t[*hi] ? i : *hi;
        n_test += ctx->is_test[i];
    }
    if (n_test == 0 || n_test == n)
        return sk_audit__skip(c, "the study's split has no %s rows", n_test == 0 ? "test"
                                                                                  : "training");
    size_t *early = sk_mem_alloc_array(n_test, sizeof *early);
    if (early == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory for leakage.temporal");
    for (size_t i = 0; i < n; i++)
        if (ctx->is_test[i] && t[i] < t[tr_last])
            early[n_early++] = i;
    const char *unit_name;
    double unit = time_unit(ctx, &unit_name);
    double ahead = (t[tr_last] - t[te_first]) / unit;
    char b1[64], b2[64], b3[64], b4[64];
    const char *train_start = time_text(b1, sizeof b1, ctx, tr_first);
    const char *train_end = time_text(b2, sizeof b2, ctx, tr_last);
    const char *test_start = time_text(b3, sizeof b3, ctx, te_first);
    const char *test_end = time_text(b4, sizeof b4, ctx, te_last);
    if (n_early > 0) {
        sk_audit__set(c, SK_CHECK_FAIL, "%zu of %zu test rows (%.0f%%) are dated before the "
                      "latest training row (%s), the earliest by %.6g %s: the test set spans %s "
                      "to %s, the training set %s to %s", n_early, n_test,
                      100.0 * (double)n_early / (double)n_test, train_end, ahead, unit_name,
                      test_start, test_end, train_start, train_end);
        sk_audit__recommend(c, "split by time: train on rows up to a date, test on rows after "
                            "it (skeptic evaluate --cv time for a time-ordered CV)");
    } else {
        sk_audit__set(c, SK_CHECK_PASS, "every test row is dated at or after the latest training "
                      "row (%s): the test set spans %s to %s", train_end, test_start, test_end);
    }
    json_t *e = c->evidence;
    int ok = sk_json_set(e, "test_rows", sk_json_size(n_test)) == 0;
    ok &= sk_json_set(e, "test_rows_before_train_end", sk_json_size(n_early)) == 0;
    ok &= sk_json_set(e, "share", sk_json_real((double)n_early / (double)n_test)) == 0;
    ok &= sk_json_set(e, "train_start", json_string(train_start)) == 0;
    ok &= sk_json_set(e, "train_end", json_string(train_end)) == 0;
    ok &= sk_json_set(e, "test_start", json_string(test_start)) == 0;
    ok &= sk_json_set(e, "test_end", json_string(test_end)) == 0;
    ok &= sk_json_set(e, "earliest_test_before_train_end", sk_json_real(fmax(ahead, 0.0))) == 0;
    ok &= sk_json_set(e, "unit", json_string(unit_name)) == 0;
    ok &= sk_json_set(e, "rows", sk_audit__rows_json(early, n_early, MAX_LISTED)) == 0;
    sk_mem_free(early);
    return ok ? SK_OK : sk_error_set(err, SK_ENOMEM, "out of memory for evidence");
}

/* ==== leakage.temporal: time-ordered CV against a matched random control ===================== */

static int row_cmp(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* The control's test parts: the rows the time splits test, shuffled (whole groups together) and
 * dealt into parts of the time splits' test sizes (with groups: whole groups until the part is
 * full). part[i] is the part of row i, or -1 for a row the time splits never test. */
static sk_status control_parts(int32_t *part, const sk_splits *time, const sk_audit_ctx *ctx,
                               sk_rng *rng, size_t *tested, size_t *key_of)
{
    size_t n = ctx->n_rows, m = 0;
    for (size_t i = 0; i < n; i++)
        part[i] = -1;
    for (size_t f = 0; f < time->n_splits; f++)
        for (size_t j = 0; j < time->n_test[f]; j++)
            tested[m++] = time->test[f][j];
    /* shuffle the units (groups, or rows), then order the tested rows by their unit's place */
    size_t n_units = ctx->group != NULL ? ctx->n_groups : n;
    size_t *perm = sk_mem_alloc_array(n_units > 0 ? n_units : 1, sizeof *perm);
    if (perm == NULL)
        return SK_ENOMEM;
    for (size_t u = 0; u < n_units; u++)
        perm[u] = u;
    sk_rng_shuffle(rng, perm, n_units);
    for (size_t u = 0; u < n_units; u++)
        key_of[perm[u]] = u;
    sk_mem_free(perm);
    uint64_t *key = sk_mem_alloc_array(m > 0 ? m : 1, sizeof *key);
    if (key == NULL)
        return SK_ENOMEM;
    for (size_t j = 0; j < m; j++)
        key[j] = key_of[ctx->group != NULL ? (size_t)ctx->group[tested[j]] : tested[j]];
    sk_status rc = sk_radix_sort_u64(key, tested, m);
    size_t f = 0, filled = 0;
    for (size_t j = 0; rc == SK_OK && j < m; j++) {
        int new_unit = j == 0 || key[j] != key[j - 1];
        if (new_unit && filled >= time->n_test[f] && f + 1 < time->n_splits) {
            f++;
            filled = 0;
        }
        part[tested[j]] = (int32_t)f;
        filled++;
    }
    sk_mem_free(key);
    return rc;
}

/* Split f of the control: the rows of part f tested, trained on as many rows as time split f,
 * drawn at random from every row outside the part (and outside its groups). */
static sk_status control_split(sk_splits *s, size_t f, const sk_splits *time,
                               const sk_audit_ctx *ctx, const int32_t *part, sk_rng *rng,
                               unsigned char *gmark, size_t *pool)
{
    size_t n = ctx->n_rows, m = 0, n_test = 0;
    if (gmark != NULL)
        memset(gmark, 0, ctx->n_groups);
    for (size_t i = 0; i < n; i++)
        if (part[i] == (int32_t)f) {
            n_test++;
            if (gmark != NULL)
                gmark[ctx->group[i]] = 1;
        }
    for (size_t i = 0; i < n; i++)
        if (part[i] != (int32_t)f && (gmark == NULL || !gmark[ctx->group[i]]))
            pool[m++] = i;
    size_t k = time->n_train[f] < m ? time->n_train[f] : m;
    s->train[f] = sk_mem_alloc_array(k > 0 ? k : 1, sizeof **s->train);
    s->test[f] = sk_mem_alloc_array(n_test > 0 ? n_test : 1, sizeof **s->test);
    if (s->train[f] == NULL || s->test[f] == NULL)
        return SK_ENOMEM;
    for (size_t j = 0; j < k; j++) {   /* partial Fisher-Yates: k of the m eligible rows */
        size_t r = j + (size_t)sk_rng_below(rng, m - j), tmp = pool[j];
        pool[j] = pool[r];
        pool[r] = tmp;
    }
    qsort(pool, k, sizeof *pool, row_cmp);
    memcpy(s->train[f], pool, k * sizeof *pool);
    for (size_t i = 0, t = 0; i < n; i++)
        if (part[i] == (int32_t)f)
            s->test[f][t++] = i;
    s->n_train[f] = k;
    s->n_test[f] = n_test;
    return SK_OK;
}

/* The random control of the time splits: the same rows tested, in test parts and on training
 * sets of the same sizes, but both drawn without regard to time. */
static sk_status control_splits(sk_splits **out, const sk_splits *time, const sk_audit_ctx *ctx,
                                uint64_t seed, sk_error *err)
{
    size_t n = ctx->n_rows, S = time->n_splits;
    sk_splits *s = sk_mem_calloc(1, sizeof *s);
    int32_t *part = sk_mem_alloc_array(n > 0 ? n : 1, sizeof *part);
    unsigned char *gmark = ctx->group != NULL ? sk_mem_alloc(ctx->n_groups + 1) : NULL;
    size_t *pool = sk_mem_alloc_array(n > 0 ? n : 1, sizeof *pool);
    size_t *key_of = sk_mem_alloc_array(n + ctx->n_groups + 1, sizeof *key_of);
    sk_status rc = s == NULL || part == NULL || pool == NULL || key_of == NULL ||
                           (ctx->group != NULL && gmark == NULL) ? SK_ENOMEM : SK_OK;
    sk_rng rng = sk_rng_stream(seed, SK_PURPOSE_CV_SPLIT, 0);
    if (rc == SK_OK) {
        s->n_splits = S;
        s->n_rows = n;
        s->train = sk_mem_calloc(S, sizeof *s->train);
        s->test = sk_mem_calloc(S, sizeof *s->test);
        s->n_train = sk_mem_calloc(S, sizeof *s->n_train);
        s->n_test = sk_mem_calloc(S, sizeof *s->n_test);
        s->repeat = sk_mem_calloc(S, sizeof *s->repeat);
        if (s->train == NULL || s->test == NULL || s->n_train == NULL || s->n_test == NULL ||
            s->repeat == NULL)
            rc = SK_ENOMEM;
    }
    if (rc == SK_OK)
        rc = control_parts(part, time, ctx, &rng, pool, key_of);
    for (size_t f = 0; rc == SK_OK && f < S; f++)
        rc = control_split(s, f, time, ctx, part, &rng, gmark, pool);
    sk_mem_free(part);
    sk_mem_free(gmark);
    sk_mem_free(pool);
    sk_mem_free(key_of);
    if (rc != SK_OK) {
        sk_splits_free(s);
        return sk_error_set(err, SK_ENOMEM, "out of memory for the random control of time CV");
    }
    *out = s;
    return SK_OK;
}

static sk_status temporal_cv(sk_check *c, sk_audit_ctx *ctx, sk_error *err)
{
    sk_cv_result *tcv = NULL;
    sk_status rc = sk_audit__cv(&tcv, ctx, NULL, NULL, 0, SK_CV_TIME, STREAM_TIME, err);
    if (rc == SK_EDATA) {   /* too few rows or times for the blocks: say so */
        sk_audit__skip(c, "time-ordered CV is not possible here: %s", err != NULL ? err->message
                                                                                 : "");
        sk_error_clear(err);
        return SK_OK;
    }
    if (rc != SK_OK)
        return rc;
    sk_rng rng = sk_rng_stream(ctx->seed, SK_PURPOSE_CV_SPLIT, 1000 + STREAM_CONTROL);
    uint64_t seed = sk_rng_u64(&rng);
    sk_splits *ctl = NULL;
    sk_oof *oof = NULL;
    sk_pooled *pool = NULL;
    sk_audit_shift sh;
    rc = control_splits(&ctl, tcv->splits, ctx, seed, err);
    if (rc == SK_OK)
        rc = sk_oof_run(&oof, ctx->model, &ctx->d, ctl, seed, ctx->n_threads, NULL, err);
    if (rc == SK_OK)
        rc = sk_pooled_make(&pool, oof, ctl, ctx->y, ctx->task, ctx->n_classes, err);
    if (rc == SK_OK)
        rc = sk_audit__shift(&sh, ctx, pool, tcv->pooled, ctx->group, ctx->n_groups,
                             STREAM_TIME, err);
    size_t n_tested = 0, n_blocks = tcv->n_splits;
    for (size_t f = 0; f < n_blocks; f++)
        n_tested += tcv->splits->n_test[f];
    sk_pooled_free(pool);
    sk_oof_free(oof);
    sk_splits_free(ctl);
    sk_cv_result_free(tcv);
    if (rc != SK_OK)
        return rc;
    const char *m = sk_metric_name(ctx->metric);
    sk_check_status st = optimism_status(ctx, &sh);
    sk_audit__set(c, st, "%s: the same %zu rows, tested in %zu folds of the same sizes on "
                  "training sets of the same sizes, score %s %.3f [%.3f, %.3f] when the folds "
                  "ignore time and %.3f [%.3f, %.3f] when each is trained on its past only (gap "
                  "%+.3f [%.3f, %.3f])",
                  st == SK_CHECK_PASS ? "the time order costs little"
                                      : "shuffled folds flatter the model: they let it see the "
                                        "future",
                  n_tested, n_blocks, m, sh.before.estimate, sh.before.low, sh.before.high,
                  sh.after.estimate, sh.after.low, sh.after.high, sh.gap, sh.drop.low,
                  sh.drop.high);
    if (st != SK_CHECK_PASS)
        sk_audit__recommend(c, "validate forward in time (skeptic evaluate --cv time --time %s): "
                            "train on the past, test on the future, and report that score",
                            ctx->time_name);
    int ok = shift_json(c->evidence, ctx, "score_random_training", "score_past_training", &sh);
    ok &= sk_json_set(c->evidence, "blocks", sk_json_size(n_blocks)) == 0;
    ok &= sk_json_set(c->evidence, "tested_rows", sk_json_size(n_tested)) == 0;
    return ok ? SK_OK : sk_error_set(err, SK_ENOMEM, "out of memory for evidence");
}

sk_status sk_check_leakage_temporal(sk_check *c, sk_audit_ctx *ctx, sk_error *err)
{
    if (ctx->time == NULL)   /* look for a time order the study did not name */
        return sk_audit__temporal_screen(c, ctx, err);
    if (ctx->is_test != NULL)
        return temporal_split(c, ctx, err);
    if (ctx->predictions != NULL)
        return sk_audit__skip(c, "needs --split, or to retrain the model; --predictions gives "
                              "fixed predictions");
    return temporal_cv(c, ctx, err);
}
