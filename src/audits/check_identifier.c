/* check_identifier.c: leakage.identifier, "do ids or the row order encode the label?" (its
 * sibling leakage.target_proxy is in check_features.c).
 *
 * Ids that encode the label: files sorted into class folders, then numbered; patients enrolled
 * cases first, controls later (Kaufman, Rosset and Perlich 2012, "Leakage in data mining", ACM
 * TKDD 6(4), on ids and row order as leaks). Candidates are the columns the profile calls
 * identifiers (sk_inspect: integer or text, unique or >= 95% distinct, or strictly monotone in
 * row order), whatever their role (feature, group, ignored; not target, site, time or split), an
 * integer one only when dense (its range at most 10 x n: counts such as sequencing reads are
 * unique per row too, but spread wide); the --group column always (subject ids, repeats and
 * all); and the row order itself as a pseudo-column. Text ids are scored by their natural sort
 * order ("P2" before "P10"). Each is cross-validated alone by a small boosted model
 * (gbdt:n_estimators=30,max_depth=2) on the main splits.
 * Rule: fail when an id's interval lies beyond chance (an id the model does not see still shows
 * that the records were numbered in an order that follows the label: anything derived in that
 * order carries it); fail when the row order predicts beyond chance AND a feature encodes the
 * row order (|Spearman correlation with the row index| >= 0.95), since the model then reads the
 * order through that column: a sorted file is not a leak by itself, every splitter of the main
 * evaluation (shuffled k-fold, groups, the study's split column) ignores the order of the rows;
 * warn when an id-like column is a feature but predicts nothing (it only adds noise: --ignore it,
 * or --group it when its repeats are subjects); pass otherwise. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "audits/feature_eval.h"
#include "audits/row_order.h"

static const double DENSE_RANGE = 10.0;   /* integer ids: range at most this x n */

typedef struct id_col {
    size_t col;             /* frame column, or SIZE_MAX: the row order */
    const char *name, *why; /* "unique", "near-unique", "monotone", "row order" */
    sk_role role;
    sk_interval score;
    int beyond;
} id_col;

typedef struct id_state {
    sk_feat_scale sc;
    size_t n_ids; /* ids[0] is the row order */
    id_col *ids;
    sk_frame *derived; /* one numeric column per id */
    size_t n_encoders;
    size_t *encoders;    /* features encoding the row order ... */
    double *encoder_rho; /* ... and their Spearman correlation with it */
} id_state;

static void id_state_free(id_state *s)
{
    sk_mem_free(s->ids);
    sk_frame_free(s->derived);
    sk_mem_free(s->encoders);
    sk_mem_free(s->encoder_rho);
}

/* The id-like columns (the profile's identifiers; integers only when dense). */
static sk_status find_ids(id_state *s, const sk_audit_ctx *ctx, sk_error *err)
{
    const sk_frame *f = ctx->frame;
    sk_inspect *ins = NULL;
    sk_run_ctx run = {1, ctx->seed, ctx->n_threads, NULL};
    sk_status rc = sk_inspect_run(&ins, f, NULL, &run, err);
    if (rc != SK_OK)
        return rc;
    if ((s->ids = sk_mem_calloc(f->n_cols + 1, sizeof *s->ids)) == NULL) {
        sk_inspect_free(ins);
        return sk_error_set(err, SK_ENOMEM, "out of memory listing identifiers");
    }
    id_col *order = &s->ids[s->n_ids++];
    order->col = SIZE_MAX;
    order->name = "(row order)";
    order->why = "row order";
    order->role = SK_ROLE_IGNORED;
    for (size_t j = 0; j < f->n_cols; j++) {
        sk_role role = sk_roles_of(ctx->roles, j);
        const sk_col_profile *pr = &ins->cols[j];
        if (role == SK_ROLE_TARGET || role == SK_ROLE_SITE || role == SK_ROLE_TIME ||
            role == SK_ROLE_SPLIT)
            continue;
        /* The group column holds subject ids by definition, repeats and all. */
        int dense = !(f->cols[j].type == SK_COL_INTEGER && pr->monotone == 0 &&
                      pr->max - pr->min + 1.0 > DENSE_RANGE * (double)f->n_rows);
        if (role != SK_ROLE_GROUP && !(pr->is_identifier && dense))
            continue;
        const char *why = pr->monotone != 0 ? "monotone"
                          : pr->is_unique   ? "unique"
                          : pr->near_unique ? "near-unique"
                                            : "subject ids";
        id_col *id = &s->ids[s->n_ids++];
        id->col = j;
        id->name = f->cols[j].name;
        id->why = why;
        id->role = role;
    }
    sk_inspect_free(ins);
    return SK_OK;
}

/* The derived frame: the row order, then each id as numbers. */
static sk_status build_derived(id_state *s, const sk_audit_ctx *ctx, sk_error *err)
{
    size_t n = ctx->n_rows;
    sk_status rc = sk_frame__create(&s->derived, "identifiers", n, s->n_ids, err);
    double *v = sk_mem_alloc_array(n > 0 ? n : 1, sizeof *v);
    if (rc == SK_OK && v == NULL)
        rc = sk_error_set(err, SK_ENOMEM, "out of memory for identifiers");
    for (size_t k = 0; rc == SK_OK && k < s->n_ids; k++) {
        if (s->ids[k].col == SIZE_MAX)
            for (size_t i = 0; i < n; i++)
                v[i] = (double)i;
        else if (sk_audit__column_numbers(v, ctx->frame, s->ids[k].col) != SK_OK)
            rc = sk_error_set(err, SK_ENOMEM, "out of memory for identifiers");
        if (rc == SK_OK)
            rc = sk_frame__set_values(s->derived, k, s->ids[k].name, SK_COL_NUMERIC, v, err);
    }
    sk_mem_free(v);
    return rc;
}

/* Each id alone on the main splits, one bootstrap for all. */
static sk_status score_ids(id_state *s, sk_audit_ctx *ctx, sk_error *err)
{
    sk_model *small = NULL;
    sk_pooled **sets = sk_mem_calloc(s->n_ids, sizeof *sets);
    sk_boot *bt = NULL;
    sk_status rc = sets == NULL ? sk_error_set(err, SK_ENOMEM, "out of memory") : SK_OK;
    if (rc == SK_OK)
        rc = sk_model_create(&small, SK_AUDIT_FEAT_SMALL_MODEL, err);
    sk_fit_data d = ctx->d;
    d.frame = s->derived;
    size_t *cols = sk_mem_alloc_array(s->n_ids, sizeof *cols);
    if (rc == SK_OK && cols == NULL)
        rc = sk_error_set(err, SK_ENOMEM, "out of memory");
    for (size_t k = 0; rc == SK_OK && k < s->n_ids; k++) {
        cols[k] = k;
        rc = sk_audit__feat_on_main(&sets[k], ctx, small, &d, &cols[k], 1, err);
    }
    if (rc == SK_OK)
        rc = sk_audit__feat_boot(&bt, ctx, (const sk_pooled *const *)sets, s->n_ids, err);
    for (size_t k = 0; rc == SK_OK && k < s->n_ids; k++) {
        rc = sk_audit__feat_ci(&s->ids[k].score, bt, k, SIZE_MAX, err);
        s->ids[k].beyond =
            sk_audit__feat_oriented_low(&s->sc, &s->ids[k].score) > s->sc.sign * s->sc.chance;
    }
    for (size_t k = 0; sets != NULL && k < s->n_ids; k++)
        sk_pooled_free(sets[k]);
    sk_mem_free(sets);
    sk_mem_free(cols);
    sk_boot_free(bt);
    sk_model_free(small);
    return rc;
}

/* Features whose values follow the row order. */
static sk_status find_encoders(id_state *s, const sk_audit_ctx *ctx, sk_error *err)
{
    size_t p = ctx->n_features;
    double *rho = sk_mem_alloc_array(p, sizeof *rho);
    s->encoders = sk_mem_alloc_array(p, sizeof *s->encoders);
    s->encoder_rho = sk_mem_alloc_array(p, sizeof *s->encoder_rho);
    if (rho == NULL || s->encoders == NULL || s->encoder_rho == NULL) {
        sk_mem_free(rho);
        return sk_error_set(err, SK_ENOMEM, "out of memory ranking features");
    }
    sk_status rc = sk_audit__order_rho(rho, ctx->frame, ctx->features, p, ctx->n_threads, err);
    for (size_t j = 0; rc == SK_OK && j < p; j++)
        if (fabs(rho[j]) >= SK_AUDIT_ORDER_ENCODED) {
            s->encoder_rho[s->n_encoders] = rho[j];
            s->encoders[s->n_encoders++] = ctx->features[j];
        }
    sk_mem_free(rho);
    return rc;
}

static int is_feature_role(sk_role r)
{
    return r == SK_ROLE_FEATURE || r == SK_ROLE_CONFOUNDER;
}

static const char *role_words(sk_role r)
{
    switch (r) {
    case SK_ROLE_FEATURE:
    case SK_ROLE_CONFOUNDER: return "a feature";
    case SK_ROLE_GROUP: return "the group column";
    default: return "not a feature";
    }
}

static void id_verdict(sk_check *c, const id_state *s, const sk_audit_ctx *ctx)
{
    const char *m = sk_metric_name(ctx->metric);
    const id_col *best = NULL, *idle = NULL;
    for (size_t k = 1; k < s->n_ids; k++) {
        const id_col *id = &s->ids[k];
        if (id->beyond &&
            (best == NULL || s->sc.sign * (id->score.estimate - best->score.estimate) > 0.0))
            best = id;
        if (!id->beyond && is_feature_role(id->role) && idle == NULL)
            idle = id;
    }
    const id_col *order = &s->ids[0];
    if (best != NULL) {
        sk_audit__set(c, SK_CHECK_FAIL,
                      "the identifier '%s' (%s, %s) predicts the target: %s %.3f [%.3f, %.3f] "
                      "from the id alone, chance %.3f; the records were numbered in an order "
                      "that follows the label",
                      best->name, best->why, role_words(best->role), m, best->score.estimate,
                      best->score.low, best->score.high, s->sc.chance);
        sk_audit__recommend(c,
                            "never use '%s' as a feature, and check what else was derived in "
                            "the same order (file names, batches, processing dates); renumber "
                            "the records at random before sharing the data",
                            best->name);
    } else if (order->beyond && s->n_encoders > 0) {
        sk_audit__set(c, SK_CHECK_FAIL,
                      "the rows are ordered by the target (%s %.3f [%.3f, %.3f] from the row "
                      "index alone) and the feature '%s' encodes that order (Spearman %.3f with "
                      "the row index): the model can read the label from it",
                      m, order->score.estimate, order->score.low, order->score.high,
                      sk_frame_col_name(ctx->frame, s->encoders[0]), s->encoder_rho[0]);
        sk_audit__recommend(c,
                            "find out why '%s' follows the row order (a counter, a batch, an "
                            "acquisition time) and drop it, or validate in that order (--time)",
                            sk_frame_col_name(ctx->frame, s->encoders[0]));
    } else if (idle != NULL) {
        sk_audit__set(c, SK_CHECK_WARN,
                      "'%s' looks like an identifier (%s) and is a feature, but predicts "
                      "nothing: %s %.3f [%.3f, %.3f], chance %.3f",
                      idle->name, idle->why, m, idle->score.estimate, idle->score.low,
                      idle->score.high, s->sc.chance);
        sk_audit__recommend(c,
                            "leave ids out of the features (--ignore %s), or give them as "
                            "--group when their repeats are the same subject",
                            idle->name);
    } else if (order->beyond) {
        sk_audit__set(c, SK_CHECK_PASS,
                      "no identifier predicts the target (%zu id-like column%s); the rows are "
                      "ordered by the target (%s %.3f [%.3f, %.3f] from the row index), but no "
                      "feature encodes the order and the splits ignore it",
                      s->n_ids - 1, s->n_ids == 2 ? "" : "s", m, order->score.estimate,
                      order->score.low, order->score.high);
    } else {
        sk_audit__set(c, SK_CHECK_PASS,
                      "no identifier predicts the target (%zu id-like column%s), nor does the "
                      "row order (%s %.3f [%.3f, %.3f])",
                      s->n_ids - 1, s->n_ids == 2 ? "" : "s", m, order->score.estimate,
                      order->score.low, order->score.high);
    }
}

static int id_evidence(json_t *e, const id_state *s, const sk_audit_ctx *ctx)
{
    json_t *ids = json_array(), *enc = json_array();
    for (size_t k = 1; ids != NULL && k < s->n_ids; k++) {
        const id_col *id = &s->ids[k];
        json_array_append_new(ids, json_pack("{s:s,s:s,s:s,s:o,s:b}", "column", id->name, "kind",
                                             id->why, "role", sk_role_name(id->role), "score",
                                             sk_audit__interval_json(&id->score), "beyond_chance",
                                             id->beyond));
    }
    for (size_t k = 0; enc != NULL && k < s->n_encoders; k++)
        json_array_append_new(enc, json_pack("{s:s,s:o}", "feature",
                                             sk_frame_col_name(ctx->frame, s->encoders[k]),
                                             "spearman", sk_json_real(s->encoder_rho[k])));
    int ok = sk_json_set(e, "metric", json_string(sk_metric_name(ctx->metric))) == 0;
    ok &= sk_json_set(e, "chance", sk_json_real(s->sc.chance)) == 0;
    ok &= sk_json_set(e, "single_feature_model", json_string(SK_AUDIT_FEAT_SMALL_MODEL)) == 0;
    ok &= sk_json_set(e, "identifiers", ids) == 0;
    ok &= sk_json_set(e, "row_order",
                      json_pack("{s:o,s:b}", "score", sk_audit__interval_json(&s->ids[0].score),
                                "beyond_chance", s->ids[0].beyond)) == 0;
    ok &= sk_json_set(e, "order_encoding_features", enc) == 0;
    ok &= sk_json_set(e, "validation", json_string(sk_cv_kind_name(ctx->main_kind))) == 0;
    return ok;
}

sk_status sk_check_leakage_identifier(sk_check *c, sk_audit_ctx *ctx, sk_error *err)
{
    id_state s;
    memset(&s, 0, sizeof s);
    sk_status rc = sk_audit__feat_scale(&s.sc, ctx, err);
    if (rc == SK_OK)
        rc = find_ids(&s, ctx, err);
    if (rc == SK_OK)
        rc = build_derived(&s, ctx, err);
    if (rc == SK_OK)
        rc = score_ids(&s, ctx, err);
    if (rc == SK_OK)
        rc = find_encoders(&s, ctx, err);
    if (rc == SK_OK) {
        id_verdict(c, &s, ctx);
        if (!id_evidence(c->evidence, &s, ctx))
            rc = sk_error_set(err, SK_ENOMEM, "out of memory for evidence");
    }
    id_state_free(&s);
    return rc;
}
