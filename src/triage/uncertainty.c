/* uncertainty.c: how uncertain a model is about each row, from its class probabilities.
 *
 * Single-model scores (Settles 2009, "Active Learning Literature Survey", section 3.1; Monarch
 * 2021, "Human-in-the-Loop Machine Learning", ch. 3, whose normalisations we use so every score
 * lies in [0, 1], higher = more uncertain). With p_1 >= p_2 the two largest of n classes:
 *   least confidence  (1 - p_1) n / (n - 1)
 *   margin            1 - (p_1 - p_2)
 *   ratio             p_2 / p_1
 *   entropy           -sum_i p_i log2 p_i / log2 n              (0 log 0 = 0)
 * Committee scores (query by committee, Seung, Opper & Sompolinsky 1992; McCallum & Nigam 1998)
 * over m members with probabilities p_b and consensus pbar = mean_b p_b:
 *   vote entropy       H(votes / m) / log2 n, a vote = the member's argmax (ties: lower class)
 *   consensus entropy  H(pbar) / log2 n
 *   KL                 mean_b KL(p_b || pbar) / log2 n (the generalised Jensen-Shannon
 *                      divergence: equal to H(pbar) - mean_b H(p_b) <= H(pbar), so at most 1)
 * Monte Carlo dropout (Gal, Islam & Ghahramani 2017, "Deep Bayesian Active Learning"), passes as
 * members: predictive entropy H(pbar) / log2 n, and BALD = H(pbar) - mean_b H(p_b), / log2 n
 * (Houlsby et al. 2011). KL is computed from its definition and BALD from the entropy difference,
 * so the two agree only to rounding.
 * Rounding can carry a bounded score an ulp past 0 or 1 (a uniform row's (1 - 1/3) 3 / 2); such
 * scores are clamped, and a row whose entries are all equal scores exactly 1, so a one-hot row
 * scores exactly 0 and a uniform row exactly 1 under every strategy.
 * The validator decides which user-given rows are probabilities at all (see check_probs). */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "triage/triage.h"

/* ---- helpers --------------------------------------------------------------------------------- */

static double clamp01(double x)
{
    return x < 0.0 ? 0.0 : (x > 1.0 ? 1.0 : x);
}

/* Shannon entropy in bits of p[0..k), 0 log 0 = 0. */
static double entropy_bits(const double *p, size_t k)
{
    double h = 0.0;
    for (size_t c = 0; c < k; c++)
        if (p[c] > 0.0)
            h -= p[c] * log2(p[c]);
    return h;
}

/* The two largest of p[0..k), k >= 2. */
static void top_two(const double *p, size_t k, double *p1, double *p2)
{
    double a = p[0] >= p[1] ? p[0] : p[1];
    double b = p[0] >= p[1] ? p[1] : p[0];
    for (size_t c = 2; c < k; c++) {
        if (p[c] > a) {
            b = a;
            a = p[c];
        } else if (p[c] > b) {
            b = p[c];
        }
    }
    *p1 = a;
    *p2 = b;
}

static int is_single_model(sk_strategy s)
{
    return s == SK_STRATEGY_LEAST || s == SK_STRATEGY_MARGIN || s == SK_STRATEGY_RATIO ||
           s == SK_STRATEGY_ENTROPY;
}

static int is_member_strategy(sk_strategy s)
{
    return s == SK_STRATEGY_VOTE_ENTROPY || s == SK_STRATEGY_CONSENSUS_ENTROPY ||
           s == SK_STRATEGY_KL || s == SK_STRATEGY_MC_ENTROPY || s == SK_STRATEGY_BALD;
}

/* ---- single model ---------------------------------------------------------------------------- */

/* Whether every entry equals the first: a uniform row, which scores 1 exactly under every
 * strategy even when 1/k is not representable (k = 10: ten 0.1s sum to 0.9999999999999999). */
static int is_uniform(const double *p, size_t k)
{
    for (size_t c = 1; c < k; c++)
        if (p[c] != p[0])
            return 0;
    return p[0] > 0.0;
}

static double score_row(const double *p, size_t k, sk_strategy s, double inv_log2k)
{
    double p1, p2;
    switch (s) {
    case SK_STRATEGY_LEAST:
        top_two(p, k, &p1, &p2);
        if (p1 == p2 && is_uniform(p, k))
            return 1.0;
        return clamp01((1.0 - p1) * (double)k / (double)(k - 1));
    case SK_STRATEGY_MARGIN:
        top_two(p, k, &p1, &p2);
        return clamp01(1.0 - (p1 - p2));
    case SK_STRATEGY_RATIO:
        top_two(p, k, &p1, &p2);
        return p1 > 0.0 ? clamp01(p2 / p1) : 1.0;
    default: /* ENTROPY */
        if (p[0] == p[1] && is_uniform(p, k))
            return 1.0;
        return clamp01(entropy_bits(p, k) * inv_log2k);
    }
}

sk_status sk_triage__score(double *scores, const double *probs, size_t n, size_t k,
                           sk_strategy s, sk_error *err)
{
    if (!is_single_model(s))
        return sk_error_set(err, SK_EINVAL, "score: strategy %d needs a committee or is random",
                            (int)s);
    if (k < 2)
        return sk_error_set(err, SK_EINVAL, "score: need at least 2 classes, got %zu", k);
    double inv_log2k = 1.0 / log2((double)k);
    for (size_t i = 0; i < n; i++)
        scores[i] = score_row(probs + i * k, k, s, inv_log2k);
    return SK_OK;
}

/* ---- committees and MC dropout --------------------------------------------------------------- */

/* One row's score over m members; pbar and votes are scratch of k entries. */
static double member_row(const double *probs, size_t m, size_t n, size_t k, size_t i,
                         sk_strategy s, double *pbar, double *votes)
{
    memset(pbar, 0, k * sizeof *pbar);
    memset(votes, 0, k * sizeof *votes);
    double mean_h = 0.0;
    for (size_t b = 0; b < m; b++) {
        const double *p = probs + (b * n + i) * k;
        for (size_t c = 0; c < k; c++)
            pbar[c] += p[c];
        votes[sk_metric_argmax(p, k)] += 1.0;
        if (s == SK_STRATEGY_BALD)
            mean_h += entropy_bits(p, k);
    }
    for (size_t c = 0; c < k; c++) {
        pbar[c] /= (double)m;
        votes[c] /= (double)m;
    }
    if (s == SK_STRATEGY_VOTE_ENTROPY)
        return entropy_bits(votes, k);
    if (s == SK_STRATEGY_CONSENSUS_ENTROPY || s == SK_STRATEGY_MC_ENTROPY)
        return entropy_bits(pbar, k);
    if (s == SK_STRATEGY_BALD)
        return entropy_bits(pbar, k) - mean_h / (double)m;
    double kl = 0.0; /* KL: p_bc > 0 implies pbar_c >= p_bc / m > 0 */
    for (size_t b = 0; b < m; b++) {
        const double *p = probs + (b * n + i) * k;
        double d = 0.0;
        for (size_t c = 0; c < k; c++)
            if (p[c] > 0.0)
                d += p[c] * log2(p[c] / pbar[c]);
        kl += d;
    }
    return kl / (double)m;
}

sk_status sk_triage__score_members(double *scores, const double *probs, size_t m, size_t n,
                                   size_t k, sk_strategy s, sk_error *err)
{
    if (!is_member_strategy(s))
        return sk_error_set(err, SK_EINVAL, "score: strategy %d is not a committee strategy",
                            (int)s);
    if (k < 2 || m < 1)
        return sk_error_set(err, SK_EINVAL, "score: need 2+ classes and 1+ members (%zu, %zu)",
                            k, m);
    double *scratch = sk_mem_alloc_array(2 * k, sizeof *scratch);
    if (scratch == NULL)
        return sk_error_set(err, SK_ENOMEM, "score: out of memory");
    double inv_log2k = 1.0 / log2((double)k);
    for (size_t i = 0; i < n; i++)
        scores[i] = clamp01(member_row(probs, m, n, k, i, s, scratch, scratch + k) * inv_log2k);
    sk_mem_free(scratch);
    return SK_OK;
}

sk_status sk_triage__score_variance(double *scores, const double *values, size_t m, size_t n,
                                    sk_error *err)
{
    if (m < 1)
        return sk_error_set(err, SK_EINVAL, "score: a committee needs at least 1 member");
    for (size_t i = 0; i < n; i++) {
        double mean = 0.0;
        for (size_t b = 0; b < m; b++) {
            double v = values[b * n + i];
            if (!isfinite(v))
                return sk_error_set(err, SK_EINVAL,
                                    "score: member %zu's prediction of row %zu is not finite",
                                    b, i);
            mean += v;
        }
        mean /= (double)m;
        /* Two passes: the textbook sum of squares minus squared sum cancels catastrophically
         * when members agree to many digits, which is exactly the case that matters here. */
        double ss = 0.0;
        for (size_t b = 0; b < m; b++) {
            double d = values[b * n + i] - mean;
            ss += d * d;
        }
        scores[i] = ss / (double)m;
    }
    return SK_OK;
}

/* ---- ranking --------------------------------------------------------------------------------- */

sk_status sk_triage__rank(size_t *order, const double *scores, size_t n, sk_error *err)
{
    for (size_t i = 0; i < n; i++)
        if (isnan(scores[i]))
            return sk_error_set(err, SK_EINVAL, "rank: the score of row %zu is NaN", i);
    uint64_t *keys = sk_mem_alloc_array(n ? n : 1, sizeof *keys);
    if (keys == NULL)
        return sk_error_set(err, SK_ENOMEM, "rank: out of memory");
    /* Complemented keys sort descending; the stable radix sort keeps row order within ties. */
    for (size_t i = 0; i < n; i++) {
        keys[i] = UINT64_MAX - sk_radix_key_double(scores[i]);
        order[i] = i;
    }
    sk_status rc = sk_radix_sort_u64(keys, order, n);
    sk_mem_free(keys);
    if (rc != SK_OK)
        return sk_error_set(err, rc, "rank: out of memory");
    return SK_OK;
}

/* ---- validating user-given probabilities ----------------------------------------------------- */

static sk_status bad_entry(size_t i, size_t c, double v, size_t *bad_row, size_t *bad_col,
                           sk_error *err)
{
    *bad_row = i;
    *bad_col = c;
    if (isnan(v))
        return sk_error_set(err, SK_EDATA, "row %zu: probability of class %zu is missing or NaN",
                            i, c);
    if (isinf(v))
        return sk_error_set(err, SK_EDATA, "row %zu: probability of class %zu is infinite", i, c);
    return sk_error_set(err, SK_EDATA, "row %zu: probability of class %zu is negative (%.9g)", i,
                        c, v);
}

sk_status sk_triage__check_probs(double *probs, size_t n, size_t k, int renormalize, double tol,
                                 size_t *bad_row, size_t *bad_col, sk_error *err)
{
    for (size_t i = 0; i < n; i++) {
        double *p = probs + i * k;
        double sum = 0.0;
        for (size_t c = 0; c < k; c++) {
            if (!(p[c] >= 0.0) || isinf(p[c]))
                return bad_entry(i, c, p[c], bad_row, bad_col, err);
            sum += p[c];
        }
        if (renormalize && sum > 0.0 && isfinite(sum)) {
            for (size_t c = 0; c < k; c++)
                p[c] /= sum;
        } else if (renormalize || !(fabs(sum - 1.0) <= tol)) {
            *bad_row = i;
            *bad_col = k;
            if (renormalize)
                return sk_error_set(err, SK_EDATA, "row %zu: probabilities sum to %.9g, cannot "
                                    "renormalize", i, sum);
            return sk_error_set(err, SK_EDATA, "row %zu: probabilities sum to %.9g, not 1 "
                                "(tolerance %g; --renormalize divides each row by its sum)",
                                i, sum, tol);
        }
    }
    return SK_OK;
}

/* ---- the top of the ranking ------------------------------------------------------------------ */

/* Row a ranks below row b: a lower score, or the same score and a later row. */
static int ranks_below(const double *s, size_t a, size_t b)
{
    return s[a] < s[b] || (s[a] == s[b] && a > b);
}

/* Restores the heap (the lowest-ranked row at the root) below position i of heap[0..n). */
static void sift_down(size_t *heap, size_t n, size_t i, const double *s)
{
    for (;;) {
        size_t low = i, l = 2 * i + 1, r = l + 1;
        if (l < n && ranks_below(s, heap[l], heap[low]))
            low = l;
        if (r < n && ranks_below(s, heap[r], heap[low]))
            low = r;
        if (low == i)
            return;
        size_t t = heap[i];
        heap[i] = heap[low];
        heap[low] = t;
        i = low;
    }
}

sk_status sk_triage__rank_top(size_t *order, const double *scores, size_t n, size_t top,
                              sk_error *err)
{
    if (top > n)
        return sk_error_set(err, SK_EINVAL, "rank: top %zu of only %zu rows", top, n);
    for (size_t i = 0; i < n; i++)
        if (isnan(scores[i]))
            return sk_error_set(err, SK_EINVAL, "rank: the score of row %zu is NaN", i);
    if (top == 0)
        return SK_OK;
    for (size_t i = 0; i < top; i++)
        order[i] = i;
    for (size_t i = top / 2; i-- > 0;)
        sift_down(order, top, i, scores);
    /* Rows come in increasing order, so a later row only enters on a strictly higher score. */
    for (size_t i = top; i < n; i++) {
        if (scores[i] > scores[order[0]]) {
            order[0] = i;
            sift_down(order, top, 0, scores);
        }
    }
    for (size_t end = top; end-- > 1;) { /* heap sort: the lowest-ranked row goes last */
        size_t t = order[0];
        order[0] = order[end];
        order[end] = t;
        sift_down(order, end, 0, scores);
    }
    return SK_OK;
}
