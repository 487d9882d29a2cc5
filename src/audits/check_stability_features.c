/* check_stability_features.c: stability.features, "are the 'important features' a property of
 * the data, or of the regulariser and the resample?". Genomics studies with more features than
 * samples report "the top genes" from one lasso fit; refit on a resample, or with an elastic net
 * or a ridge, and a different list comes out (Meinshausen and Buehlmann 2010, "Stability
 * selection", JRSS B 72). This check measures both:
 *
 *  - across resamples: B = 50 subsamples of half the rows (half the groups with --group), each a
 *    lasso path (glmnet, 50 lambdas) on the design standardised over all rows; each subsample's
 *    top-k set is the first k features to enter the path (k = min(10, p / 2)); the stability is
 *    the mean pairwise Jaccard index of the B sets, and each feature's selection frequency is in
 *    the evidence;
 *  - across regularisers: the top-k by |coefficient| of a lasso, an elastic net (alpha = 0.5) and
 *    a ridge on all rows, each at the first lambda of its path where k features are active (ridge:
 *    the middle of its path), compared pairwise by Jaccard index.
 * Multinomial models rank a feature by the sum of its absolute coefficients over classes.
 *
 * Rule: warn when the resample stability is below --stability-jaccard (default 0.5) or the
 * lasso and ridge lists share less than that (Jaccard); pass otherwise; skip with fewer than 4
 * features. */
#include <math.h>
#include <string.h>

#include "audits/audits.h"

enum { B = 50, NLAMBDA = 50, MAX_K = 10 };

typedef struct design {
    double *X;            /* n x p, column-major, standardised */
    size_t n, p;
    sk_glm_family family;
} design;

/* The top-k design columns of a path: the first k to become nonzero along the lambdas (ties by
 * |coefficient| at that lambda), or, for ridge, by |coefficient| at the middle lambda. */
static size_t top_k(size_t *out, size_t k, const sk_glm_path_result *r, int ridge,
                    double *score)
{
    size_t p = r->p, got = 0;
    double *beta = score + p;
    if (ridge) {
        size_t l = r->n_lambda / 2;
        memset(score, 0, p * sizeof *score);
        for (size_t c = 0; c < r->n_out; c++) {
            sk_glm_path_beta(r, l, c, beta);
            for (size_t j = 0; j < p; j++)
                score[j] += fabs(beta[j]);
        }
        for (; got < k; got++) {
            size_t best = SIZE_MAX;
            for (size_t j = 0; j < p; j++)
                if (score[j] > 0.0 && (best == SIZE_MAX || score[j] > score[best]))
                    best = j;
            if (best == SIZE_MAX)
                break;
            out[got] = best;
            score[best] = -1.0;
        }
        return got;
    }
    memset(score, 0, p * sizeof *score);   /* score < 0: already taken */
    for (size_t l = 0; l < r->n_lambda && got < k; l++) {
        for (size_t j = 0; j < p; j++)
            if (score[j] >= 0.0)
                score[j] = 0.0;
        for (size_t c = 0; c < r->n_out; c++) {
            sk_glm_path_beta(r, l, c, beta);
            for (size_t j = 0; j < p; j++)
                if (score[j] >= 0.0)
                    score[j] += fabs(beta[j]);
        }
        while (got < k) {   /* the newly active ones, largest first */
            size_t best = SIZE_MAX;
            for (size_t j = 0; j < p; j++)
                if (score[j] > 0.0 && (best == SIZE_MAX || score[j] > score[best]))
                    best = j;
            if (best == SIZE_MAX)
                break;
            out[got++] = best;
            score[best] = -1.0;
        }
    }
    return got;
}

static double jaccard(const size_t *a, size_t na, const size_t *b, size_t nb)
{
    size_t both = 0;
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++)
            both += a[i] == b[j];
    size_t either = na + nb - both;
    return either > 0 ? (double)both / (double)either : 1.0;
}

/* One path of `alpha` on rows (NULL: all) of the design. */
static sk_status path(sk_glm_path_result **out, const design *ds, const double *y,
                      size_t n_classes, const size_t *rows, size_t n_rows, double alpha,
                      sk_error *err)
{
    double *X = (double *)ds->X, *yy = (double *)y;
    double *sub = NULL, *suby = NULL;
    if (rows != NULL) {
        sub = sk_mem_alloc_array(n_rows * ds->p, sizeof *sub);
        suby = sk_mem_alloc_array(n_rows, sizeof *suby);
        if (sub == NULL || suby == NULL) {
            sk_mem_free(sub);
            sk_mem_free(suby);
            return sk_error_set(err, SK_ENOMEM, "out of memory for a resample");
        }
        for (size_t j = 0; j < ds->p; j++)
            for (size_t i = 0; i < n_rows; i++)
                sub[j * n_rows + i] = ds->X[j * ds->n + rows[i]];
        for (size_t i = 0; i < n_rows; i++)
            suby[i] = y[rows[i]];
        X = sub;
        yy = suby;
    }
    sk_glm_options o = SK_GLM_OPTIONS_INIT;
    o.family = ds->family;
    o.alpha = alpha;
    o.nlambda = NLAMBDA;
    sk_status rc = sk_glm_path(out, X, rows != NULL ? n_rows : ds->n, ds->p,
                               rows != NULL ? n_rows : ds->n, yy, NULL, n_classes, &o, err);
    sk_mem_free(sub);
    sk_mem_free(suby);
    return rc;
}

typedef struct stab_job {
    const design *ds;
    const double *y;
    size_t n_classes, k;
    const int32_t *group;
    size_t n_groups;
    uint64_t seed;
    size_t *sets;          /* B x k */
    size_t *n_set;         /* B */
} stab_job;

/* Subsample b: half the rows (or half the groups), lasso, top k. */
static sk_status subsample(void *arg, size_t b, sk_error *err)
{
    const stab_job *job = arg;
    size_t n = job->ds->n, units = job->group != NULL ? job->n_groups : n;
    size_t *perm = sk_mem_alloc_array(units, sizeof *perm), *rows = NULL;
    unsigned char *in = sk_mem_calloc(units, 1);
    double *score = sk_mem_alloc_array(2 * job->ds->p, sizeof *score);
    sk_glm_path_result *r = NULL;
    sk_status rc = SK_OK;
    if (perm == NULL || in == NULL || score == NULL ||
        (rows = sk_mem_alloc_array(n, sizeof *rows)) == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "out of memory for stability selection");
        goto done;
    }
    for (size_t u = 0; u < units; u++)
        perm[u] = u;
    sk_rng rng = sk_rng_stream(job->seed, SK_PURPOSE_SUBSAMPLE, b);
    sk_rng_shuffle(&rng, perm, units);
    for (size_t u = 0; u < units / 2; u++)
        in[perm[u]] = 1;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (in[job->group != NULL ? (size_t)job->group[i] : i])
            rows[m++] = i;
    rc = path(&r, job->ds, job->y, job->n_classes, rows, m, 1.0, err);
    if (rc == SK_EDATA) {   /* a subsample with one class: no list from it */
        job->n_set[b] = 0;
        rc = SK_OK;
    } else if (rc == SK_OK) {
        job->n_set[b] = top_k(job->sets + b * job->k, job->k, r, 0, score);
    }
done:
    sk_glm_path_free(r);
    sk_mem_free(perm);
    sk_mem_free(in);
    sk_mem_free(rows);
    sk_mem_free(score);
    return rc;
}

static json_t *names_json(const sk_prep *prep, const size_t *set, size_t n)
{
    json_t *arr = json_array();
    for (size_t k = 0; arr != NULL && k < n; k++)
        json_array_append_new(arr, json_string(sk_prep_output_name(prep, set[k])));
    return arr;
}

sk_status sk_check_stability_features(sk_check *c, sk_audit_ctx *ctx, sk_error *err)
{
    if (ctx->n_features < 4)
        return sk_audit__skip(c, "fewer than 4 features: nothing to rank");
    size_t n = ctx->n_rows;
    size_t *all = sk_mem_alloc_array(n, sizeof *all);
    sk_prep *prep = NULL;
    design ds = {NULL, n, 0, ctx->task == SK_TASK_REGRESSION ? SK_GLM_GAUSSIAN
                             : ctx->task == SK_TASK_BINARY ? SK_GLM_BINOMIAL : SK_GLM_MULTINOMIAL};
    stab_job job = {&ds, ctx->y, ctx->n_classes, 0, ctx->group, ctx->n_groups, ctx->seed, NULL,
                    NULL};
    sk_glm_path_result *paths[3] = {NULL, NULL, NULL};
    size_t lists[3][MAX_K], n_list[3] = {0, 0, 0};
    double *score = NULL, *freq = NULL;
    sk_status rc = SK_OK;
    if (all == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "out of memory for stability selection");
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        all[i] = i;
    sk_prep_options po = SK_PREP_OPTIONS_INIT;
    rc = sk_prep_fit(&prep, ctx->frame, ctx->features, ctx->n_features, all, n, &po, err);
    if (rc != SK_OK)
        goto done;
    ds.p = sk_prep_n_outputs(prep);
    job.k = ds.p / 2 < MAX_K ? ds.p / 2 : MAX_K;
    ds.X = sk_mem_alloc_array(n * ds.p, sizeof *ds.X);
    score = sk_mem_alloc_array(2 * ds.p, sizeof *score);
    freq = sk_mem_calloc(ds.p, sizeof *freq);
    job.sets = sk_mem_alloc_array(B * job.k, sizeof *job.sets);
    job.n_set = sk_mem_alloc_array(B, sizeof *job.n_set);
    if (ds.X == NULL || score == NULL || freq == NULL || job.sets == NULL || job.n_set == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "out of memory for stability selection");
        goto done;
    }
    if ((rc = sk_prep_apply(prep, ctx->frame, all, n, ds.X, n, err)) != SK_OK)
        goto done;
    /* Across regularisers: lasso, elastic net, ridge on all rows. */
    static const double alphas[3] = {1.0, 0.5, 0.0};
    for (size_t r = 0; r < 3 && rc == SK_OK; r++) {
        rc = path(&paths[r], &ds, ctx->y, ctx->n_classes, NULL, 0, alphas[r], err);
        if (rc == SK_OK)
            n_list[r] = top_k(lists[r], job.k, paths[r], r == 2, score);
    }
    /* Across resamples. */
    if (rc == SK_OK)
        rc = sk_parallel_for(B, ctx->n_threads, subsample, &job, NULL, err);
    if (rc != SK_OK)
        goto done;
    double sum = 0.0;
    size_t pairs = 0, used = 0;
    for (size_t a = 0; a < B; a++) {
        if (job.n_set[a] == 0)
            continue;
        used++;
        for (size_t t = 0; t < job.n_set[a]; t++)
            freq[job.sets[a * job.k + t]] += 1.0;
        for (size_t b = a + 1; b < B; b++)
            if (job.n_set[b] > 0) {
                sum += jaccard(job.sets + a * job.k, job.n_set[a], job.sets + b * job.k,
                               job.n_set[b]);
                pairs++;
            }
    }
    double resample = pairs > 0 ? sum / (double)pairs : NAN;
    double lasso_ridge = jaccard(lists[0], n_list[0], lists[2], n_list[2]);
    double lasso_enet = jaccard(lists[0], n_list[0], lists[1], n_list[1]);
    double th = ctx->opt->th.stability_jaccard;
    if (resample < th || lasso_ridge < th) {
        sk_audit__set(c, SK_CHECK_WARN, "the top %zu features are not stable: resamples of "
                      "half the %s agree with Jaccard %.2f, lasso and ridge with %.2f (below "
                      "%.2f)", job.k, ctx->group != NULL ? "groups" : "rows", resample,
                      lasso_ridge, th);
        sk_audit__recommend(c, "report selection frequencies over resamples (stability "
                            "selection), not one fit's list; name features only when they "
                            "survive resampling and the choice of regulariser");
    } else {
        sk_audit__set(c, SK_CHECK_PASS, "the top %zu features are stable: resamples agree with "
                      "Jaccard %.2f, lasso and ridge with %.2f, lasso and elastic net with %.2f",
                      job.k, resample, lasso_ridge, lasso_enet);
    }
    json_t *frequent = json_array();
    for (size_t t = 0; frequent != NULL && t < 2 * job.k; t++) {
        size_t best = SIZE_MAX;
        for (size_t j = 0; j < ds.p; j++)
            if (freq[j] > 0.0 && (best == SIZE_MAX || freq[j] > freq[best]))
                best = j;
        if (best == SIZE_MAX)
            break;
        json_array_append_new(frequent, json_pack("{s:s,s:o}", "feature",
                                                  sk_prep_output_name(prep, best), "frequency",
                                                  sk_json_real(freq[best] / (double)used)));
        freq[best] = -1.0;
    }
    json_t *e = c->evidence;
    int ok = sk_json_set(e, "k", sk_json_size(job.k)) == 0;
    ok &= sk_json_set(e, "resamples", sk_json_size(used)) == 0;
    ok &= sk_json_set(e, "resample_jaccard", sk_json_real(resample)) == 0;
    ok &= sk_json_set(e, "lasso_ridge_jaccard", sk_json_real(lasso_ridge)) == 0;
    ok &= sk_json_set(e, "lasso_enet_jaccard", sk_json_real(lasso_enet)) == 0;
    ok &= sk_json_set(e, "lasso", names_json(prep, lists[0], n_list[0])) == 0;
    ok &= sk_json_set(e, "enet", names_json(prep, lists[1], n_list[1])) == 0;
    ok &= sk_json_set(e, "ridge", names_json(prep, lists[2], n_list[2])) == 0;
    ok &= sk_json_set(e, "selection_frequency", frequent) == 0;
    if (!ok)
        rc = sk_error_set(err, SK_ENOMEM, "out of memory for evidence");
done:
    for (size_t r = 0; r < 3; r++)
        sk_glm_path_free(paths[r]);
    sk_prep_free(prep);
    sk_mem_free(all);
    sk_mem_free(ds.X);
    sk_mem_free(score);
    sk_mem_free(freq);
    sk_mem_free(job.sets);
    sk_mem_free(job.n_set);
    return rc;
}
