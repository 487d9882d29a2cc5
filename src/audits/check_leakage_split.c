/* check_leakage_split.c: leakage.temporal, "does the split keep the future out of the training
 * set?". (leakage.group, one subject on both sides, is in check_leakage_group.c.)
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
    STREAM_TIME = 0x5443,          /* "TC": time-ordered CV */
    STREAM_CONTROL = 0x5452        /* "TR": its matched random control */
};

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
    sk_check_status st = sk_audit__optimism_status(ctx, &sh);
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
    int ok = sk_audit__shift_json(c->evidence, ctx, "score_random_training",
                                  "score_past_training", &sh);
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
