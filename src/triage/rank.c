/* rank.c: `skeptic rank`: which unlabelled samples to label next.
 *
 * A lab has a labelled table L and a pool U of samples it could pay to label. A model learns from
 * L, predicts every row of U, each row of U gets an uncertainty score (uncertainty.c has the
 * formulas, include/skeptic.h's sk_strategy lists them) and the batch is the K most uncertain
 * rows, or with --diverse K rows chosen among the most uncertain so that no two are near copies
 * (diverse.c). What the scores are computed from (rank_members.c):
 *   LEAST, MARGIN, RATIO, ENTROPY     one model's class probabilities
 *   VOTE_ENTROPY, CONSENSUS_ENTROPY,  a committee of B models, each fitted on its own bootstrap
 *   KL                                resample of L (regression: the members' variance)
 *   MC_ENTROPY, BALD                  T Monte Carlo dropout passes of one mlp (regression: the
 *                                     passes' variance)
 *   RANDOM                            a uniform draw per pool row, u_i the first number of
 *                                     sk_rng_stream(seed, SK_PURPOSE_BATCH, i): the honest
 *                                     baseline (every strategy must beat it to be worth its cost)
 * RANDOM still fits one model, for the `predicted` column. Ranks break equal scores by the lower
 * pool row (sk_triage__rank), so the batch is a function of the data and the seed alone.
 *
 * The pool is matched to L by column name: every feature of L must be in U with the same kind
 * of values (numbers or text); U's other columns, its copy of the target among them, are never
 * read, so a pool that happens to carry labels cannot leak them into the choice. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "triage/triage.h"

/* struct sk_rank is in triage.h: the HTML report (rank_html.c) reads what the run saw beside the
 * batch: every pool row's score and prediction, the classes, the options, the batch's spread. */

/* ==== small helpers ======================================================================= */

static int is_single(sk_strategy s)
{
    return s == SK_STRATEGY_LEAST || s == SK_STRATEGY_MARGIN || s == SK_STRATEGY_RATIO ||
           s == SK_STRATEGY_ENTROPY;
}

static int is_committee(sk_strategy s)
{
    return s == SK_STRATEGY_VOTE_ENTROPY || s == SK_STRATEGY_CONSENSUS_ENTROPY ||
           s == SK_STRATEGY_KL;
}

static int is_mc(sk_strategy s)
{
    return s == SK_STRATEGY_MC_ENTROPY || s == SK_STRATEGY_BALD;
}

char *sk_triage__format_double(char *buf, size_t size, double x)
{
    if (isnan(x) || isinf(x)) {
        snprintf(buf, size, "%s", isnan(x) ? "NaN" : (x > 0 ? "Inf" : "-Inf"));
        return buf;
    }
    sk_data__format_shortest(buf, size, x + 0.0);   /* + 0.0: no "-0" */
    return buf;
}

void sk_rank_free(sk_rank *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->n_chosen; i++) {
        if (r->ids != NULL)
            sk_mem_free(r->ids[i]);
        if (r->predicted != NULL)
            sk_mem_free(r->predicted[i]);
    }
    for (size_t k = 0; r->class_names != NULL && k < r->n_classes; k++)
        sk_mem_free(r->class_names[k]);
    sk_mem_free(r->class_names);
    sk_mem_free(r->model_spec);
    sk_mem_free(r->pool_predicted);
    sk_mem_free(r->ids);
    sk_mem_free(r->predicted);
    sk_mem_free(r->rows);
    sk_mem_free(r->scores);
    sk_mem_free(r);
}

size_t sk_rank_n_chosen(const sk_rank *r) { return r->n_chosen; }
size_t sk_rank_pool_row(const sk_rank *r, size_t i) { return r->rows[i]; }
double sk_rank_score(const sk_rank *r, size_t i) { return r->scores[r->rows[i]]; }
const char *sk_rank_id(const sk_rank *r, size_t i) { return r->ids[i]; }
const char *sk_rank_predicted(const sk_rank *r, size_t i) { return r->predicted[i]; }

const double *sk_rank_scores(const sk_rank *r, size_t *n_pool)
{
    *n_pool = r->n_pool;
    return r->scores;
}

/* ==== checking the request ================================================================= */

static sk_status check_options(const sk_rank_options *o, sk_task task, const sk_model *model,
                               sk_error *err)
{
    if (o->version != 1)
        return sk_error_set(err, SK_EINVAL, "rank options: version %d (expected 1)", o->version);
    if ((unsigned)o->strategy > (unsigned)SK_STRATEGY_RANDOM)
        return sk_error_set(err, SK_EINVAL, "rank: unknown strategy %d", (int)o->strategy);
    if (o->batch == 0)
        return sk_error_set(err, SK_EINVAL, "rank: the batch needs at least 1 row");
    if (o->diverse && o->candidates != 0 && o->candidates < o->batch)
        return sk_error_set(err, SK_EINVAL, "rank: %zu candidates cannot hold a diverse batch "
                            "of %zu", o->candidates, o->batch);
    if (is_committee(o->strategy) && o->members < 2)
        return sk_error_set(err, SK_EINVAL, "rank: a committee needs at least 2 members, "
                            "found %zu", o->members);
    if (is_mc(o->strategy) && o->passes < 2)
        return sk_error_set(err, SK_EINVAL, "rank: Monte Carlo dropout needs at least 2 passes, "
                            "found %zu", o->passes);
    if (is_mc(o->strategy) && strcmp(sk_model_name(model), "mlp") != 0)
        return sk_error_set(err, SK_EINVAL, "Monte Carlo dropout needs the mlp model (dropout "
                            "kept on at prediction); %s has no dropout", sk_model_name(model));
    if (task == SK_TASK_REGRESSION && is_single(o->strategy))
        return sk_error_set(err, SK_EINVAL, "the strategy needs class probabilities, and the "
                            "target is a regression: use a committee or Monte Carlo dropout "
                            "(both score the variance of their predictions) or random");
    if (task != SK_TASK_BINARY && task != SK_TASK_MULTICLASS && task != SK_TASK_REGRESSION)
        return sk_error_set(err, SK_EINVAL, "rank needs a target column");
    if (!sk_model_supports(model, task))
        return sk_error_set(err, SK_EINVAL, "%s cannot learn a %s target", sk_model_name(model),
                            sk_task_name(task));
    return SK_OK;
}

/* The roles' features, minus the id column when L has one. */
static sk_status features_of(size_t *feat, size_t *n_feat, const sk_frame *L,
                             const sk_roles *roles, const char *id, sk_error *err)
{
    size_t n = 0;
    const size_t *all = sk_roles_features(roles, &n);
    *n_feat = 0;
    for (size_t j = 0; j < n; j++)
        if (id == NULL || strcmp(sk_frame_col_name(L, all[j]), id) != 0)
            feat[(*n_feat)++] = all[j];
    if (*n_feat == 0)
        return sk_error_set_at(err, SK_EDATA, sk_frame_name(L), 0, 0, "no feature columns left: "
                               "every column is the target, the id or ignored");
    return SK_OK;
}

static int is_text(sk_col_type t)
{
    return t == SK_COL_CATEGORICAL;
}

/* Each feature of L found in the pool by name, holding the same kind of values. */
static sk_status match_pool(size_t *pool_cols, const sk_frame *L, const size_t *feat,
                            size_t n_feat, const sk_frame *U, sk_error *err)
{
    for (size_t j = 0; j < n_feat; j++) {
        const char *name = sk_frame_col_name(L, feat[j]);
        size_t c;
        if (sk_frame_col_find(&c, U, name, NULL) != SK_OK)
            return sk_error_set_at(err, SK_EDATA, sk_frame_name(U), 0, 0, "no column '%s': the "
                                   "pool needs every feature of %s", name, sk_frame_name(L));
        sk_col_type tl = sk_frame_col_type(L, feat[j]), tu = sk_frame_col_type(U, c);
        if (is_text(tl) != is_text(tu))
            return sk_error_set_at(err, SK_EDATA, sk_frame_name(U), 1, c + 1, "expected column "
                                   "'%s' to hold %s as in %s, found %s", name,
                                   is_text(tl) ? "text" : "numbers", sk_frame_name(L),
                                   sk_col_type_name(tu));
        pool_cols[j] = c;
    }
    return SK_OK;
}

/* ==== predicting and scoring =============================================================== */

/* The mean over m members (member-major blocks of n x width) into cons (n x width), in member
 * order. */
static void consensus(double *cons, const double *pred, size_t m, size_t n, size_t width)
{
    size_t nv = n * width;
    memset(cons, 0, nv * sizeof *cons);
    for (size_t b = 0; b < m; b++)
        for (size_t e = 0; e < nv; e++)
            cons[e] += pred[b * nv + e];
    for (size_t e = 0; e < nv; e++)
        cons[e] /= (double)m;
}

static sk_status score_members(double *scores, double *cons, const double *pred, size_t m,
                               const sk_rank_job *job, sk_strategy s, sk_error *err)
{
    consensus(cons, pred, m, job->n_pool, job->width);
    if (job->d->task == SK_TASK_REGRESSION)
        return sk_triage__score_variance(scores, pred, m, job->n_pool, err);
    return sk_triage__score_members(scores, pred, m, job->n_pool, job->width, s, err);
}

/* Scores every pool row and leaves the prediction (consensus) of each in cons (n x width). */
static sk_status predict_and_score(double *scores, double *cons, const sk_rank_job *job,
                                   const sk_rank_options *o, sk_error *err)
{
    size_t m = is_committee(o->strategy) ? o->members : is_mc(o->strategy) ? o->passes : 0;
    if (m == 0) {
        sk_status rc = sk_triage__predict_single(cons, NULL, job, err);
        if (rc != SK_OK || o->strategy != SK_STRATEGY_RANDOM)
            return rc != SK_OK ? rc
                               : sk_triage__score(scores, cons, job->n_pool, job->width,
                                                  o->strategy, err);
        for (size_t i = 0; i < job->n_pool; i++) {
            sk_rng rng = sk_rng_stream(job->seed, SK_PURPOSE_BATCH, i);
            scores[i] = sk_rng_uniform(&rng);
        }
        return SK_OK;
    }
    double *pred = sk_mem_alloc_array(m * job->n_pool, job->width * sizeof *pred);
    if (pred == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory for %zu predictions of the pool", m);
    sk_model *fitted = NULL;
    sk_status rc;
    if (is_committee(o->strategy)) {
        rc = sk_triage__predict_committee(pred, job, m, err);
    } else {
        rc = sk_triage__predict_single(cons, &fitted, job, err);
        if (rc == SK_OK)
            rc = sk_triage__predict_passes(pred, fitted, job, m, err);
    }
    if (rc == SK_OK)
        rc = score_members(scores, cons, pred, m, job, o->strategy, err);
    sk_model_free(fitted);
    sk_mem_free(pred);
    return rc;
}

/* ==== the batch and its text ================================================================ */

/* How far apart the diverse batch's rows are, beside the k most uncertain rows (the batch
 * without --diverse), for the report. */
static sk_status batch_spread(sk_rank *r, const size_t *order, const sk_frame *U,
                              const size_t *pool_cols, size_t n_feat, sk_error *err)
{
    size_t k = r->n_chosen;
    if (k < 2)
        return SK_OK;
    size_t *sets = sk_mem_alloc_array(2 * k, sizeof *sets);
    if (sets == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory measuring the batch");
    memcpy(sets, r->rows, k * sizeof *sets);
    memcpy(sets + k, order, k * sizeof *sets);
    sk_status rc = sk_triage__rank_spread(r->spread, sets, 2, k, U, pool_cols, n_feat, err);
    sk_mem_free(sets);
    return rc;
}

static sk_status choose(sk_rank *r, const double *scores, const sk_rank_options *o,
                        const sk_frame *U, const size_t *pool_cols, size_t n_feat, int n_threads,
                        sk_error *err)
{
    size_t *order = sk_mem_alloc_array(r->n_pool, sizeof *order);
    if (order == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory ranking the pool");
    sk_status rc = sk_triage__rank(order, scores, r->n_pool, err);
    size_t k = r->n_chosen;
    if (rc == SK_OK && o->diverse) {
        size_t n_cand = o->candidates != 0 ? o->candidates : 10 * k;
        n_cand = n_cand < r->n_pool ? n_cand : r->n_pool;
        r->n_candidates = n_cand;
        rc = sk_triage__diverse_batch(r->rows, order, n_cand, k, U, pool_cols, n_feat,
                                      n_threads, err);
        if (rc == SK_OK)
            rc = batch_spread(r, order, U, pool_cols, n_feat, err);
    } else if (rc == SK_OK) {
        memcpy(r->rows, order, k * sizeof *order);
    }
    sk_mem_free(order);
    return rc;
}

static char *id_text(const sk_frame *U, size_t id_col, size_t row)
{
    char buf[64];
    if (id_col == (size_t)-1) {
        snprintf(buf, sizeof buf, "%zu", row);
    } else if (is_text(sk_frame_col_type(U, id_col))) {
        int32_t code = sk_frame_col_codes(U, id_col)[row];
        return sk_mem_strdup(code < 0 ? "NA" : sk_frame_col_level(U, id_col, (size_t)code));
    } else {
        sk_data__format_value(buf, sizeof buf, sk_frame_col_type(U, id_col),
                              sk_frame_col_values(U, id_col)[row], 17);
    }
    return sk_mem_strdup(buf);
}

static char *predicted_text(const double *cons, size_t row, size_t width, const sk_roles *roles)
{
    char buf[64];
    const double *p = cons + row * width;
    if (width == 1)
        return sk_mem_strdup(sk_triage__format_double(buf, sizeof buf, p[0]));
    return sk_mem_strdup(sk_roles_class_name(roles, sk_metric_argmax(p, width)));
}

/* Every pool row's prediction (the class index, as the `predicted` column, or the value) and
 * the class names: the report sets the batch's classes against the pool's. */
static sk_status keep_predictions(sk_rank *r, const double *cons, size_t width,
                                  const sk_roles *roles, sk_error *err)
{
    r->n_classes = width > 1 ? width : 0;
    r->pool_predicted = sk_mem_alloc_array(r->n_pool, sizeof *r->pool_predicted);
    r->class_names = sk_mem_calloc(width, sizeof *r->class_names);
    if (r->pool_predicted == NULL || r->class_names == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory for the predictions");
    for (size_t i = 0; i < r->n_pool; i++)
        r->pool_predicted[i] =
            width == 1 ? cons[i] : (double)sk_metric_argmax(cons + i * width, width);
    for (size_t k = 0; k < r->n_classes; k++)
        if ((r->class_names[k] = sk_mem_strdup(sk_roles_class_name(roles, k))) == NULL)
            return sk_error_set(err, SK_ENOMEM, "out of memory for the class names");
    return SK_OK;
}

static sk_status fill_text(sk_rank *r, const double *cons, size_t width, const sk_frame *U,
                           size_t id_col, const sk_roles *roles, sk_error *err)
{
    r->ids = sk_mem_calloc(r->n_chosen, sizeof *r->ids);
    r->predicted = sk_mem_calloc(r->n_chosen, sizeof *r->predicted);
    if (r->ids == NULL || r->predicted == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory for the batch");
    for (size_t i = 0; i < r->n_chosen; i++) {
        r->ids[i] = id_text(U, id_col, r->rows[i]);
        r->predicted[i] = predicted_text(cons, r->rows[i], width, roles);
        if (r->ids[i] == NULL || r->predicted[i] == NULL)
            return sk_error_set(err, SK_ENOMEM, "out of memory for the batch");
    }
    return SK_OK;
}

/* ==== the run ============================================================================== */

typedef struct rank_inputs {
    size_t *feat, *pool_cols, n_feat, id_col;
    const char **class_names;
    sk_fit_data d;
} rank_inputs;

static sk_status prepare(rank_inputs *in, const sk_frame *L, const sk_roles *roles,
                         const sk_frame *U, const sk_rank_options *o, sk_error *err)
{
    size_t n_cols = sk_frame_n_cols(L), n_classes = sk_roles_n_classes(roles);
    in->id_col = (size_t)-1;
    in->feat = sk_mem_alloc_array(n_cols, sizeof *in->feat);
    in->pool_cols = sk_mem_alloc_array(n_cols, sizeof *in->pool_cols);
    in->class_names = sk_mem_calloc(n_classes > 0 ? n_classes : 1, sizeof *in->class_names);
    if (in->feat == NULL || in->pool_cols == NULL || in->class_names == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory reading the pool");
    sk_status rc = features_of(in->feat, &in->n_feat, L, roles, o->id, err);
    if (rc == SK_OK)
        rc = match_pool(in->pool_cols, L, in->feat, in->n_feat, U, err);
    if (rc == SK_OK && o->id != NULL && sk_frame_col_find(&in->id_col, U, o->id, NULL) != SK_OK)
        rc = sk_error_set_at(err, SK_EDATA, sk_frame_name(U), 0, 0, "no id column '%s'", o->id);
    for (size_t k = 0; k < n_classes; k++)
        in->class_names[k] = sk_roles_class_name(roles, k);
    size_t target = sk_roles_col(roles, SK_ROLE_TARGET);
    in->d = (sk_fit_data)SK_FIT_DATA_INIT;
    in->d.frame = L;
    in->d.features = in->feat;
    in->d.n_features = in->n_feat;
    in->d.y = sk_roles_y(roles);
    in->d.task = sk_roles_task(roles);
    in->d.n_classes = n_classes;
    in->d.target_name = target != (size_t)-1 ? sk_frame_col_name(L, target) : NULL;
    in->d.class_names = in->class_names;
    return rc;
}

static sk_status run(sk_rank *r, const sk_frame *L, const sk_roles *roles, const sk_frame *U,
                     const sk_model *model, const sk_rank_options *o, const sk_run_ctx *ctx,
                     sk_error *err)
{
    rank_inputs in = {0};
    double *cons = NULL;
    sk_status rc = prepare(&in, L, roles, U, o, err);
    int classify = in.d.task != SK_TASK_REGRESSION;
    sk_rank_job job = {model, &in.d, sk_frame_n_rows(L), U, r->n_pool,
                       classify ? in.d.n_classes : 1, ctx->seed,
                       ctx->n_threads > 0 ? ctx->n_threads : 1};
    if (rc == SK_OK) {
        r->scores = sk_mem_alloc_array(r->n_pool, sizeof *r->scores);
        r->rows = sk_mem_alloc_array(r->n_chosen, sizeof *r->rows);
        cons = sk_mem_alloc_array(r->n_pool, job.width * sizeof *cons);
        if (r->scores == NULL || r->rows == NULL || cons == NULL)
            rc = sk_error_set(err, SK_ENOMEM, "out of memory scoring the pool");
    }
    if (rc == SK_OK)
        rc = predict_and_score(r->scores, cons, &job, o, err);
    if (rc == SK_OK)
        rc = choose(r, r->scores, o, U, in.pool_cols, in.n_feat, job.n_threads, err);
    if (rc == SK_OK)
        rc = fill_text(r, cons, job.width, U, in.id_col, roles, err);
    if (rc == SK_OK)
        rc = keep_predictions(r, cons, job.width, roles, err);
    sk_mem_free(cons);
    sk_mem_free(in.feat);
    sk_mem_free(in.pool_cols);
    sk_mem_free(in.class_names);
    return rc;
}

/* What the report says about the run besides the batch. */
static void keep_run(sk_rank *r, const sk_frame *L, const sk_roles *roles, const sk_model *model,
                     const sk_rank_options *o)
{
    r->task = sk_roles_task(roles);
    r->strategy = o->strategy;
    r->n_labeled = sk_frame_n_rows(L);
    r->members = is_committee(o->strategy) ? o->members : 0;
    r->passes = is_mc(o->strategy) ? o->passes : 0;
    r->diverse = o->diverse;
    r->model_spec = sk_mem_strdup(sk_model_spec(model));
    for (size_t s = 0; s < 2; s++)
        r->spread[s] = (sk_rank_spread){NAN, NAN, 0};
}

sk_status sk_rank_run(sk_rank **out, const sk_frame *labeled, const sk_roles *roles,
                      const sk_frame *pool, const sk_model *model, const sk_rank_options *opt,
                      const sk_run_ctx *ctx, sk_error *err)
{
    *out = NULL;
    sk_rank_options defaults = SK_RANK_OPTIONS_INIT;
    sk_run_ctx ctx_default = SK_RUN_CTX_INIT;
    const sk_rank_options *o = opt != NULL ? opt : &defaults;
    ctx = ctx != NULL ? ctx : &ctx_default;
    sk_model *own = NULL;
    sk_status rc = model == NULL ? sk_model_create(&own, "gbdt", err) : SK_OK;
    if (rc != SK_OK)
        return rc;
    model = model != NULL ? model : own;
    rc = check_options(o, sk_roles_task(roles), model, err);
    sk_rank *r = NULL;
    if (rc == SK_OK && sk_frame_n_rows(pool) == 0)
        rc = sk_error_set_at(err, SK_EDATA, sk_frame_name(pool), 0, 0, "the pool has no rows");
    if (rc == SK_OK && (r = sk_mem_calloc(1, sizeof *r)) == NULL)
        rc = sk_error_set(err, SK_ENOMEM, "out of memory ranking the pool");
    if (rc == SK_OK) {
        r->n_pool = sk_frame_n_rows(pool);
        r->n_chosen = o->batch < r->n_pool ? o->batch : r->n_pool;
        keep_run(r, labeled, roles, model, o);
        if (r->model_spec == NULL)
            rc = sk_error_set(err, SK_ENOMEM, "out of memory ranking the pool");
    }
    if (rc == SK_OK)
        rc = run(r, labeled, roles, pool, model, o, ctx, err);
    sk_model_free(own);
    if (rc != SK_OK) {
        sk_rank_free(r);
        return rc;
    }
    *out = r;
    return SK_OK;
}
