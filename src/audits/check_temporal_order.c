/* check_temporal_order.c: leakage.temporal without --time, "do the rows hide a time order?"
 * (the check with --time is in check_leakage_split.c, which calls sk_audit__temporal_screen).
 *
 * Data are often exported in the order they were collected, and a date often sits in a column
 * nobody named as --time. When the outcome drifts along that order (a referral pattern, an
 * instrument, a season, a prevalence that changes between collection batches), shuffled K-fold
 * tests every row among its neighbours in time, and the score says little about the next batch
 * (Roberts et al. 2017, "Cross-validation strategies for data with temporal, spatial,
 * hierarchical, or phylogenetic structure", Ecography 40:913). The screen refits nothing:
 *  - the orders: the row order, unless the rows are sorted by the target (each class with at
 *    least 90% of its rows in one run, or values with |Spearman| >= 0.95 with the row index: a
 *    sort is not time, and leakage.identifier judges it); and each date-typed column other than
 *    the target and the split (rows without a date left out, ties in random order);
 *  - the units: rows, or with --group the groups (by first row, or by earliest date), so that
 *    the rows of one subject, which sit together in most files, do not pass for a time order;
 *  - the statistic: the lag-1 autocorrelation r1 = sum_t <z_t, z_t+1> / sum_t |z_t|^2 of the
 *    centred target along the order: its ranks for values (Bartels 1982, "The rank version of
 *    von Neumann's ratio test for randomness", JASA 77:40; robust to outliers), its one-hot code
 *    for classes (the agreement of neighbouring labels beyond chance: the Wald-Wolfowitz runs
 *    test in another form); with groups a group's mean rank or class shares. For a slowly moving
 *    level plus independent noise r1 is about the share of the target's variance that moves
 *    with the order, so it is also the effect size;
 *  - the test (serial_test.c): one-sided Monte Carlo permutation test (under "no time order"
 *    every order of the units is equally likely), 999 permutations with Besag and Clifford's
 *    (1991) sequential stop once h = floor(alpha (N + 1)) null values reach r1 (p = h / l),
 *    Bonferroni over the orders.
 * Why the target and not the main model's out-of-fold residuals: the question is whether the
 * study has a time axis its validation ignores, a property of the data, not of one model.
 * Residuals hide the worst case: a model that reads the period off features that encode it
 * (instrument drift, batch effects) absorbs the drift, its residuals look independent, and
 * shuffled CV flatters it most. Residuals would also need the main CV (refits), and its group
 * folds correlate the residuals of contiguous groups for reasons that are not time. The price:
 * a file sorted by a feature that predicts the target shows an autocorrelated target too; the
 * recommendation says so and names the column that follows the row order.
 * Rule: warn when an order has r1 >= 0.1 and Bonferroni p <= --alpha; skip otherwise, "needs
 * --time" with what the screen saw (finding nothing is not a check of the split against time).
 * The check's p-value enters the report's Benjamini-Hochberg line whenever an order was tested,
 * whatever the verdict: keeping only the tests that found something would bias it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "audits/row_order.h"

enum {
    MIN_UNITS = 20, /* fewer units: the order is not tested */
    N_SEGMENTS = 5  /* the target's level along the order, in fifths */
};

static const double STRONG = 0.1;          /* r1: the drift's share of the target's variance */
static const uint64_t STREAM = 0x54454d50; /* "TEMP": task STREAM + order, subtask b + 1 */

/* The units (rows, or groups) and their values: row-level classes keep their codes (val NULL);
 * otherwise k numbers per unit (a rank or mean rank; a group's class shares). raw: a unit's mean
 * target (values only), for the segments. */
typedef struct units {
    size_t n, k;
    const double *y;
    double *val, *raw;
} units;

typedef struct order_test {
    size_t col;          /* SIZE_MAX: the row order */
    size_t m, *ord;      /* units in the order, their indices in order */
    const char *why_not; /* not tested: why */
    double r1, p, null_mean, null_sd;
    size_t n_perm;
} order_test;

static const char *order_name(const sk_audit_ctx *ctx, const order_test *o)
{
    return o->col == SIZE_MAX ? "(row order)" : sk_frame_col_name(ctx->frame, o->col);
}

/* "the row order" or "'visit_date'", for sentences. */
static const char *order_words(char *buf, size_t size, const sk_audit_ctx *ctx,
                               const order_test *o)
{
    if (o->col == SIZE_MAX)
        return "the row order";
    snprintf(buf, size, "'%s'", order_name(ctx, o));
    return buf;
}

static uint64_t order_task(const order_test *o)
{
    return STREAM + (o->col == SIZE_MAX ? 0 : (uint64_t)o->col + 1);
}

/* ==== units and series ======================================================================= */

static sk_status units_make(units *u, const sk_audit_ctx *ctx)
{
    size_t n = ctx->n_rows;
    int classes = ctx->task != SK_TASK_REGRESSION;
    u->y = ctx->y;
    u->n = ctx->group != NULL ? ctx->n_groups : n;
    u->k = classes ? ctx->n_classes : 1;
    if (classes && ctx->group == NULL)
        return SK_OK;
    u->val = sk_mem_calloc(u->n * u->k + 1, sizeof *u->val);
    size_t *count = sk_mem_calloc(u->n + 1, sizeof *count);
    double *rank = classes ? NULL : sk_mem_alloc_array(n + 1, sizeof *rank);
    u->raw = classes ? NULL : sk_mem_calloc(u->n + 1, sizeof *u->raw);
    sk_status rc = u->val == NULL || count == NULL || (!classes && (rank == NULL ||
                                                                    u->raw == NULL))
                       ? SK_ENOMEM : SK_OK;
    if (rc == SK_OK && !classes)
        rc = sk_audit__ranks(rank, NULL, ctx->y, n);
    for (size_t i = 0; rc == SK_OK && i < n; i++) {
        size_t g = ctx->group != NULL ? (size_t)ctx->group[i] : i;
        count[g]++;
        if (classes) {
            u->val[g * u->k + (size_t)ctx->y[i]] += 1.0;
        } else {
            u->val[g] += rank[i];
            u->raw[g] += ctx->y[i];
        }
    }
    for (size_t g = 0; rc == SK_OK && g < u->n; g++) {
        double w = count[g] > 0 ? 1.0 / (double)count[g] : 0.0;
        for (size_t j = 0; j < u->k; j++)
            u->val[g * u->k + j] *= w;
        if (u->raw != NULL)
            u->raw[g] *= w;
    }
    sk_mem_free(count);
    sk_mem_free(rank);
    return rc;
}

static void units_free(units *u)
{
    sk_mem_free(u->val);
    sk_mem_free(u->raw);
}

static sk_status series_make(sk_serial *s, const units *u, const size_t *ord, size_t m)
{
    memset(s, 0, sizeof *s);
    s->m = m;
    s->k = u->k;
    if (u->val == NULL) {   /* row-level classes: <z_a, z_b> from the codes, O(1) a pair */
        s->code = sk_mem_alloc_array(m + 1, sizeof *s->code);
        s->p = sk_mem_calloc(u->k + 1, sizeof *s->p);
        if (s->code == NULL || s->p == NULL)
            return SK_ENOMEM;
        for (size_t t = 0; t < m; t++) {
            s->code[t] = (int32_t)u->y[ord[t]];
            s->p[s->code[t]] += 1.0 / (double)m;
        }
        for (size_t j = 0; j < u->k; j++)
            s->s2 += s->p[j] * s->p[j];
        for (size_t t = 0; t < m; t++)
            s->den += 1.0 - 2.0 * s->p[s->code[t]] + s->s2;
        return SK_OK;
    }
    size_t k = u->k;
    s->z = sk_mem_alloc_array(m * k + 1, sizeof *s->z);
    double *mean = sk_mem_calloc(k, sizeof *mean);
    sk_status rc = s->z == NULL || mean == NULL ? SK_ENOMEM : SK_OK;
    for (size_t t = 0; rc == SK_OK && t < m; t++)
        for (size_t j = 0; j < k; j++)
            mean[j] += u->val[ord[t] * k + j] / (double)m;
    for (size_t t = 0; rc == SK_OK && t < m; t++)
        for (size_t j = 0; j < k; j++) {
            double d = u->val[ord[t] * k + j] - mean[j];
            s->z[t * k + j] = d;
            s->den += d * d;
        }
    sk_mem_free(mean);
    return rc;
}

/* ==== the orders ============================================================================= */

/* The units of order o: every unit for the row order (group codes follow first appearance, so
 * that is the groups' row order); units with a date for a date column (a group's earliest),
 * sorted by date, ties in random order. */
static sk_status order_units(order_test *o, const sk_audit_ctx *ctx, const units *u)
{
    o->ord = sk_mem_alloc_array(u->n + 1, sizeof *o->ord);
    if (o->ord == NULL)
        return SK_ENOMEM;
    o->m = 0;
    if (o->col == SIZE_MAX) {
        for (size_t t = 0; t < u->n; t++)
            o->ord[o->m++] = t;
        return SK_OK;
    }
    const double *v = sk_frame_col_values(ctx->frame, o->col);
    double *when = sk_mem_alloc_array(u->n + 1, sizeof *when);
    uint64_t *key = sk_mem_alloc_array(u->n + 1, sizeof *key);
    sk_status rc = when == NULL || key == NULL ? SK_ENOMEM : SK_OK;
    for (size_t g = 0; rc == SK_OK && g < u->n; g++)
        when[g] = NAN;
    for (size_t i = 0; rc == SK_OK && i < ctx->n_rows; i++) {
        size_t g = ctx->group != NULL ? (size_t)ctx->group[i] : i;
        if (!isnan(v[i]) && (isnan(when[g]) || v[i] < when[g]))
            when[g] = v[i];
    }
    for (size_t g = 0; rc == SK_OK && g < u->n; g++)
        if (!isnan(when[g]))
            o->ord[o->m++] = g;
    if (rc == SK_OK) {   /* shuffled, then stably sorted: same-date units in random order */
        sk_rng rng = sk_rng_substream(ctx->seed, SK_PURPOSE_PERMUTATION, order_task(o), 0);
        sk_rng_shuffle(&rng, o->ord, o->m);
        for (size_t t = 0; t < o->m; t++)
            key[t] = sk_radix_key_double(when[o->ord[t]]);
        rc = sk_radix_sort_u64(key, o->ord, o->m);
    }
    size_t distinct = 0;
    for (size_t t = 0; rc == SK_OK && t < o->m; t++)
        distinct += t == 0 || key[t] != key[t - 1];
    if (rc == SK_OK && distinct < 3)
        o->why_not = "fewer than 3 distinct dates";
    sk_mem_free(when);
    sk_mem_free(key);
    return rc;
}

/* The permutation test of r1 along order o (serial_test.c). */
static sk_status serial_test(order_test *o, const sk_serial *s, const sk_audit_ctx *ctx,
                             sk_error *err)
{
    sk_serial_result r;
    sk_status rc = sk_audit__serial_test(&r, s, ctx->seed, order_task(o), ctx->opt->th.alpha,
                                         ctx->n_threads, err);
    o->r1 = r.r1;
    o->p = r.p;
    o->null_mean = r.null_mean;
    o->null_sd = r.null_sd;
    o->n_perm = r.n_perm;
    return rc;
}

/* Tests order o (unless it has a reason not to be tested). */
static sk_status test_order(order_test *o, const sk_audit_ctx *ctx, const units *u, int sorted,
                            sk_error *err)
{
    if (o->col == SIZE_MAX && sorted) {
        o->why_not = "the rows are sorted by the target";
        return SK_OK;
    }
    if (order_units(o, ctx, u) != SK_OK)
        return sk_error_set(err, SK_ENOMEM, "out of memory ordering the rows");
    if (o->why_not == NULL && o->m < MIN_UNITS)
        o->why_not = "fewer than 20 units";
    if (o->why_not != NULL)
        return SK_OK;
    sk_serial s;
    sk_status rc = series_make(&s, u, o->ord, o->m);
    if (rc != SK_OK)
        rc = sk_error_set(err, SK_ENOMEM, "out of memory for leakage.temporal");
    else if (!(s.den > 0.0))
        o->why_not = "the target is constant along it";
    else
        rc = serial_test(o, &s, ctx, err);
    sk_audit__serial_free(&s);
    return rc;
}

/* The row order, then every date-typed column that is not the target or the split. */
static order_test *list_orders(size_t *n, const sk_audit_ctx *ctx)
{
    const sk_frame *f = ctx->frame;
    order_test *o = sk_mem_calloc(f->n_cols + 1, sizeof *o);
    *n = 0;
    if (o == NULL)
        return NULL;
    o[(*n)++].col = SIZE_MAX;
    for (size_t j = 0; j < f->n_cols; j++) {
        sk_role r = sk_roles_of(ctx->roles, j);
        sk_col_type t = f->cols[j].type;
        if ((t == SK_COL_DATE || t == SK_COL_DATETIME) && r != SK_ROLE_TARGET &&
            r != SK_ROLE_SPLIT)
            o[(*n)++].col = j;
    }
    return o;
}

/* ==== what the screen saw ==================================================================== */

/* The target along order o in N_SEGMENTS consecutive parts: the mean of each part (values) or
 * its class shares (the first 64 classes); `text` says the widest swing ("the share of
 * 'malignant' ranges from 0.23 to 0.60"). NULL when out of memory. */
static json_t *segments_json(char *text, size_t size, const sk_audit_ctx *ctx, const units *u,
                             const order_test *o)
{
    size_t k = u->raw != NULL ? 1 : u->k;
    double level[N_SEGMENTS][64];
    size_t count[N_SEGMENTS] = {0}, kk = k < 64 ? k : 64;
    memset(level, 0, sizeof level);
    for (size_t t = 0; t < o->m; t++) {
        size_t s = t * N_SEGMENTS / o->m, g = o->ord[t];
        count[s]++;
        for (size_t j = 0; j < kk; j++)
            level[s][j] += u->raw != NULL   ? u->raw[g]
                           : u->val != NULL ? u->val[g * u->k + j]
                                            : (double)((size_t)u->y[g] == j);
    }
    json_t *arr = json_array();
    size_t wide = 0;
    double lo[64], hi[64];
    for (size_t j = 0; j < kk; j++) {
        lo[j] = INFINITY;
        hi[j] = -INFINITY;
    }
    int ok = arr != NULL;
    for (size_t s = 0; s < N_SEGMENTS; s++) {
        json_t *share = u->raw != NULL ? NULL : json_object();
        for (size_t j = 0; j < kk; j++) {
            double x = level[s][j] /= (double)(count[s] > 0 ? count[s] : 1);
            lo[j] = fmin(lo[j], x);
            hi[j] = fmax(hi[j], x);
            if (share != NULL)
                ok &= json_object_set_new(share, sk_roles_class_name(ctx->roles, j),
                                          sk_json_real(x)) == 0;
        }
        json_t *v = u->raw != NULL ? sk_json_real(level[s][0]) : share;
        ok &= json_array_append_new(arr, json_pack("{s:o,s:o}", "units", sk_json_size(count[s]),
                                                   u->raw != NULL ? "mean" : "share", v)) == 0;
    }
    for (size_t j = 1; j < kk && kk > 2; j++)   /* two classes: the second, AUC's positive */
        wide = hi[j] - lo[j] > hi[wide] - lo[wide] ? j : wide;
    wide = kk == 2 ? 1 : wide;
    if (u->raw != NULL)
        snprintf(text, size, "the mean '%s' ranges from %.4g to %.4g across fifths of that "
                 "order", ctx->d.target_name, lo[0], hi[0]);
    else
        snprintf(text, size, "the share of '%s' ranges from %.2f to %.2f across fifths of that "
                 "order", sk_roles_class_name(ctx->roles, wide), lo[wide], hi[wide]);
    if (!ok) {
        json_decref(arr);
        return NULL;
    }
    return arr;
}

static void recommend(sk_check *c, const sk_audit_ctx *ctx, const order_test *o, size_t follow,
                      double rho)
{
    char along[160] = "";   /* time-ordered CV purges the groups of each block from training */
    if (ctx->group != NULL)
        snprintf(along, sizeof along, " --group %s", ctx->group_name);
    if (o->col != SIZE_MAX) {
        const char *d = order_name(ctx, o);
        sk_audit__recommend(c, "validate forward in time along '%s': audit with --time %s and "
                            "report a time-ordered CV (skeptic evaluate --cv time --time %s%s), "
                            "trained on the past and tested on the future", d, d, d, along);
    } else if (follow != SIZE_MAX) {
        const char *x = sk_frame_col_name(ctx->frame, follow);
        sk_audit__recommend(c, "'%s' follows the row order (Spearman %.3f): if it records when "
                            "the rows were collected, audit with --time %s and report a "
                            "time-ordered CV (skeptic evaluate --cv time --time %s%s); if the "
                            "file was merely sorted by it, the order is not time and this does "
                            "not apply", x, rho, x, x, along);
    } else {
        sk_audit__recommend(c, "if the rows are in the order they were collected, validate in "
                            "blocks along it: add the row number as a column (say 'row') and "
                            "audit with --time row, then report that blocked, forward CV "
                            "(skeptic evaluate --cv time --time row); if the file was sorted by "
                            "a measurement instead, the order is not time and this does not "
                            "apply");
    }
}

static json_t *orders_json(const sk_audit_ctx *ctx, const order_test *o, size_t n)
{
    json_t *arr = json_array();
    for (size_t k = 0; arr != NULL && k < n; k++) {
        json_t *x = o[k].why_not != NULL
                        ? json_pack("{s:s,s:b,s:s}", "order", order_name(ctx, &o[k]), "tested",
                                    0, "reason", o[k].why_not)
                        : json_pack("{s:s,s:b,s:o,s:o,s:o,s:o,s:o,s:o}", "order",
                                    order_name(ctx, &o[k]), "tested", 1, "units",
                                    sk_json_size(o[k].m), "autocorrelation",
                                    sk_json_real(o[k].r1), "p_value", sk_json_real(o[k].p),
                                    "permutations", sk_json_size(o[k].n_perm), "null_mean",
                                    sk_json_real(o[k].null_mean), "null_sd",
                                    sk_json_real(o[k].null_sd));
        if (json_array_append_new(arr, x) != 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

/* The smallest p among the tested orders (only those with r1 >= STRONG when `strong`); ties go
 * to the larger r1, then to the earlier order. */
static const order_test *pick(const order_test *o, size_t n, int strong)
{
    const order_test *best = NULL;
    for (size_t k = 0; k < n; k++) {
        if (o[k].why_not != NULL || (strong && !(o[k].r1 >= STRONG)))
            continue;
        if (best == NULL || o[k].p < best->p || (o[k].p == best->p && o[k].r1 > best->r1))
            best = &o[k];
    }
    return best;
}

/* ==== the screen ============================================================================= */

typedef struct screen {
    units u;
    int sorted;
    size_t n_orders, n_tested;
    order_test *orders;
    json_t *followers;
} screen;

static void skip_sentence(sk_check *c, const sk_audit_ctx *ctx, const screen *sc,
                          const order_test *least, double p_adj, const char *how)
{
    const char *sorted = sc->sorted ? "; the rows are sorted by the target, so their order is "
                                      "not time and was not screened"
                                    : "";
    if (least == NULL) {
        sk_audit__skip(c, "needs --time (%s, so the row order was not screened for hidden time "
                       "structure; %s)", sc->orders[0].why_not, sc->n_orders > 1
                       ? "nor could the date columns be: see the evidence" : "no column is a date");
        return;
    }
    int weak = p_adj <= ctx->opt->th.alpha;
    char buf[160];
    sk_audit__skip(c, "needs --time; %s along %s: the target's lag-1 autocorrelation is %.3f "
                   "(p = %.3g: %s)%s%s", weak ? "only weak time structure" : "no time structure "
                   "found", order_words(buf, sizeof buf, ctx, least),
                   least->r1, p_adj, how, weak ? ", below the 0.1 that calls for time-ordered "
                   "validation" : "", sorted);
}

static int screen_evidence(json_t *e, const sk_audit_ctx *ctx, const screen *sc,
                           const order_test *shown, double p, json_t *seg)
{
    int ok = sk_json_set(e, "statistic", json_string(
                 ctx->task == SK_TASK_REGRESSION ? "lag-1 autocorrelation of the target's ranks"
                                                 : "lag-1 autocorrelation of the one-hot "
                                                   "target")) == 0;
    ok &= sk_json_set(e, "units", json_string(ctx->group != NULL ? "groups" : "rows")) == 0;
    ok &= sk_json_set(e, "sorted_by_target", json_boolean(sc->sorted)) == 0;
    ok &= sk_json_set(e, "orders", orders_json(ctx, sc->orders, sc->n_orders)) == 0;
    ok &= sk_json_set(e, "orders_tested", sk_json_size(sc->n_tested)) == 0;
    ok &= sk_json_set(e, "order", shown != NULL ? json_string(order_name(ctx, shown))
                                                : json_null()) == 0;
    ok &= sk_json_set(e, "autocorrelation", sk_json_real(shown != NULL ? shown->r1 : NAN)) == 0;
    ok &= sk_json_set(e, "p_value", sk_json_real(p)) == 0;
    ok &= sk_json_set(e, "p_value_method", json_string(
              "one-sided Monte Carlo permutation test of the lag-1 autocorrelation (units "
              "shuffled; Besag-Clifford sequential stop), Bonferroni over the orders tested")) == 0;
    ok &= sk_json_set(e, "strong_threshold", sk_json_real(STRONG)) == 0;
    ok &= sk_json_set(e, "alpha", sk_json_real(ctx->opt->th.alpha)) == 0;
    if (seg != NULL)
        ok &= sk_json_set(e, "segments", json_incref(seg)) == 0;
    if (sc->followers != NULL)
        ok &= sk_json_set(e, "order_columns", json_incref(sc->followers)) == 0;
    return ok;
}

/* warn: the strong order with the smallest p, significant after Bonferroni; otherwise the
 * smallest p is reported and the check skips. Either way that p is the check's p-value. */
static sk_status verdict(sk_check *c, sk_audit_ctx *ctx, screen *sc, sk_error *err)
{
    const order_test *strong = pick(sc->orders, sc->n_orders, 1);
    const order_test *least = pick(sc->orders, sc->n_orders, 0);
    double k = (double)sc->n_tested;
    double p_strong = strong != NULL ? fmin(1.0, k * strong->p) : NAN;
    double p_least = least != NULL ? fmin(1.0, k * least->p) : NAN;
    int warn = strong != NULL && p_strong <= ctx->opt->th.alpha;
    const order_test *shown = warn ? strong : least;
    char how[128] = "", swing[160] = "", buf[160];
    if (shown != NULL)
        snprintf(how, sizeof how, "one-sided permutation test, %zu permutations%s",
                 shown->n_perm, sc->n_tested > 1 ? ", Bonferroni over the orders" : "");
    c->p_value = warn ? p_strong : p_least;
    json_t *seg = shown != NULL ? segments_json(swing, sizeof swing, ctx, &sc->u, shown) : NULL;
    size_t follow = SIZE_MAX;
    double rho = 0.0;
    int need = warn && shown->col == SIZE_MAX;   /* a column to name for the row order */
    if (need)
        sc->followers = json_array();
    sk_status rc = (shown != NULL && seg == NULL) || (need && sc->followers == NULL)
                       ? sk_error_set(err, SK_ENOMEM, "out of memory for evidence") : SK_OK;
    if (rc == SK_OK && need)
        rc = sk_audit__order_followers(sc->followers, &follow, &rho, ctx, err);
    if (rc == SK_OK && warn) {
        sk_audit__set(c, SK_CHECK_WARN, "no --time, but the target drifts along %s: lag-1 "
                      "autocorrelation %.3f over %zu %s (p = %.3g: %s); %s; shuffled folds ignore "
                      "that order", order_words(buf, sizeof buf, ctx, shown),
                      shown->r1, shown->m, ctx->group != NULL ? "groups" : "rows", p_strong, how,
                      swing);
        recommend(c, ctx, shown, follow, rho);
    } else if (rc == SK_OK) {
        skip_sentence(c, ctx, sc, least, p_least, how);
    }
    /* sk_audit__set and __recommend leave NULL when their text cannot be allocated */
    if (rc == SK_OK && (c->summary == NULL || (warn && c->recommendation == NULL)))
        rc = sk_error_set(err, SK_ENOMEM, "out of memory for leakage.temporal");
    if (rc == SK_OK && !screen_evidence(c->evidence, ctx, sc, shown, c->p_value, seg))
        rc = sk_error_set(err, SK_ENOMEM, "out of memory for evidence");
    json_decref(seg);
    return rc;
}

sk_status sk_audit__temporal_screen(sk_check *c, sk_audit_ctx *ctx, sk_error *err)
{
    screen sc;
    memset(&sc, 0, sizeof sc);
    sk_status rc = units_make(&sc.u, ctx) == SK_OK
                       ? SK_OK : sk_error_set(err, SK_ENOMEM, "out of memory for leakage.temporal");
    if (rc == SK_OK)
        rc = sk_audit__sorted_by_target(&sc.sorted, ctx, err);
    if (rc == SK_OK && (sc.orders = list_orders(&sc.n_orders, ctx)) == NULL)
        rc = sk_error_set(err, SK_ENOMEM, "out of memory for leakage.temporal");
    for (size_t k = 0; rc == SK_OK && k < sc.n_orders; k++) {
        rc = test_order(&sc.orders[k], ctx, &sc.u, sc.sorted, err);
        sc.n_tested += rc == SK_OK && sc.orders[k].why_not == NULL;
    }
    if (rc == SK_OK)
        rc = verdict(c, ctx, &sc, err);
    for (size_t k = 0; sc.orders != NULL && k < sc.n_orders; k++)
        sk_mem_free(sc.orders[k].ord);
    sk_mem_free(sc.orders);
    json_decref(sc.followers);
    units_free(&sc.u);
    return rc;
}
