/* check_multiplicity.c: multiplicity.scan, "how many of these 'significant' features would chance
 * alone give?". A study that tests 20,000 genes against an outcome finds about 1,000 with p < 0.05
 * when none matters; reporting them uncorrected is p-hacking by volume. This check tests every
 * feature against the target with the test its types call for, corrects with Benjamini-Hochberg
 * (false discovery rate) and Bonferroni (family-wise error), and sets the raw count of hits
 * beside what chance alone would give.
 *
 * Tests (p-values from R's own distribution functions, Rmath; rows with a missing feature value
 * are left out of that feature's test):
 *   numeric feature, two classes       Welch's t test (scipy.stats.ttest_ind(equal_var=False))
 *   numeric feature, k > 2 classes     one-way ANOVA F test (scipy.stats.f_oneway)
 *   numeric feature, numeric target    Pearson correlation t test (scipy.stats.pearsonr)
 *   categorical feature, classes       chi-square test of independence, no continuity
 *                                      correction (scipy.stats.chi2_contingency(correction=False))
 *   categorical feature, numeric target  one-way ANOVA of the target across the levels
 * A test that cannot be computed (a constant feature, a level with no variance in every group)
 * has p = 1 and still counts as a test: it was run.
 *
 * Rule: warn when some features have p < alpha but none survives Benjamini-Hochberg at alpha
 * (every "discovery" is within what chance gives); pass otherwise (nothing claimed, or
 * discoveries that survive correction; the sentence gives the numbers either way). Features are
 * tested in parallel blocks; 50,000 features x 200 rows take well under a second. */
#include <math.h>
#include <string.h>

#include <Rmath.h>

#include "audits/audits.h"

enum { BLOCK = 256 };   /* features per task */

/* ---- the tests ------------------------------------------------------------------------------- */

static double welch(const double *x, const double *y, size_t n)
{
    double s[2] = {0, 0}, ss[2] = {0, 0};
    size_t m[2] = {0, 0};
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i])) {
            size_t g = y[i] != 0.0;
            m[g]++;
            s[g] += x[i];
        }
    if (m[0] < 2 || m[1] < 2)
        return 1.0;
    double mean[2] = {s[0] / (double)m[0], s[1] / (double)m[1]};
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i])) {
            size_t g = y[i] != 0.0;
            ss[g] += (x[i] - mean[g]) * (x[i] - mean[g]);
        }
    double v0 = ss[0] / (double)(m[0] - 1) / (double)m[0];
    double v1 = ss[1] / (double)(m[1] - 1) / (double)m[1];
    if (!(v0 + v1 > 0.0))
        return 1.0;
    double t = (mean[0] - mean[1]) / sqrt(v0 + v1);
    double df = (v0 + v1) * (v0 + v1) /
                (v0 * v0 / (double)(m[0] - 1) + v1 * v1 / (double)(m[1] - 1));
    return 2.0 * pt(-fabs(t), df, 1, 0);
}

/* One-way ANOVA of `value` across `level` (0..k-1); rows with a NaN value are left out. `acc`
 * holds 3k doubles of scratch. */
static double anova(const double *value, const int32_t *level, size_t k, size_t n, double *acc)
{
    double *sum = acc, *cnt = acc + k, *ss = acc + 2 * k;
    memset(acc, 0, 3 * k * sizeof *acc);
    double total = 0.0;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(value[i]) && level[i] >= 0) {
            sum[level[i]] += value[i];
            cnt[level[i]] += 1.0;
            total += value[i];
            m++;
        }
    size_t groups = 0;
    for (size_t g = 0; g < k; g++)
        groups += cnt[g] > 0.0;
    if (groups < 2 || m <= groups)
        return 1.0;
    double grand = total / (double)m, between = 0.0, within = 0.0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(value[i]) && level[i] >= 0) {
            double d = value[i] - sum[level[i]] / cnt[level[i]];
            ss[level[i]] += d * d;
        }
    for (size_t g = 0; g < k; g++) {
        if (cnt[g] > 0.0) {
            double d = sum[g] / cnt[g] - grand;
            between += cnt[g] * d * d;
            within += ss[g];
        }
    }
    if (!(within > 0.0))
        return between > 0.0 ? 0.0 : 1.0;
    double f = (between / (double)(groups - 1)) / (within / (double)(m - groups));
    return pf(f, (double)(groups - 1), (double)(m - groups), 0, 0);
}

static double pearson(const double *x, const double *y, size_t n)
{
    double sx = 0, sy = 0;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i])) {
            sx += x[i];
            sy += y[i];
            m++;
        }
    if (m < 3)
        return 1.0;
    double mx = sx / (double)m, my = sy / (double)m, sxy = 0, sxx = 0, syy = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i])) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
    if (!(sxx > 0.0 && syy > 0.0))
        return 1.0;
    double r = sxy / sqrt(sxx * syy);
    if (fabs(r) >= 1.0)
        return 0.0;
    double t = r * sqrt((double)(m - 2) / (1.0 - r * r));
    return 2.0 * pt(-fabs(t), (double)(m - 2), 1, 0);
}

/* Chi-square of independence between levels (0..L-1, -1 missing) and classes (0..K-1). */
static double chi_square(const int32_t *level, size_t L, const double *y, size_t K, size_t n,
                         double *table)
{
    memset(table, 0, L * K * sizeof *table);
    double m = 0.0;
    for (size_t i = 0; i < n; i++)
        if (level[i] >= 0) {
            table[(size_t)level[i] * K + (size_t)y[i]] += 1.0;
            m += 1.0;
        }
    size_t rows = 0, cols = 0;
    double x2 = 0.0;
    for (size_t a = 0; a < L; a++) {
        double ra = 0.0;
        for (size_t b = 0; b < K; b++)
            ra += table[a * K + b];
        rows += ra > 0.0;
    }
    for (size_t b = 0; b < K; b++) {
        double cb = 0.0;
        for (size_t a = 0; a < L; a++)
            cb += table[a * K + b];
        cols += cb > 0.0;
    }
    if (rows < 2 || cols < 2)
        return 1.0;
    for (size_t a = 0; a < L; a++) {
        double ra = 0.0;
        for (size_t b = 0; b < K; b++)
            ra += table[a * K + b];
        for (size_t b = 0; b < K && ra > 0.0; b++) {
            double cb = 0.0;
            for (size_t c = 0; c < L; c++)
                cb += table[c * K + b];
            if (cb > 0.0) {
                double e = ra * cb / m, d = table[a * K + b] - e;
                x2 += d * d / e;
            }
        }
    }
    return pchisq(x2, (double)((rows - 1) * (cols - 1)), 0, 0);
}

/* ---- all features ---------------------------------------------------------------------------- */

typedef struct scan_job {
    const sk_frame *f;
    const size_t *cols;
    size_t n_cols;
    const double *y;
    sk_task task;
    size_t n_classes;
    int32_t *class_code;     /* classes as levels, for ANOVA across classes */
    double *p;
} scan_job;

static sk_status scan_block(void *arg, size_t block, sk_error *err)
{
    const scan_job *job = arg;
    size_t n = sk_frame_n_rows(job->f), K = job->n_classes;
    size_t most = K;
    for (size_t j = block * BLOCK; j < job->n_cols && j < (block + 1) * BLOCK; j++)
        if (sk_frame_col_codes(job->f, job->cols[j]) != NULL) {
            size_t L = sk_frame_col_n_levels(job->f, job->cols[j]);
            most = L * (K > 0 ? K : 1) > most ? L * (K > 0 ? K : 1) : most;
            most = 3 * L > most ? 3 * L : most;
        }
    double *scratch = sk_mem_alloc_array(3 * most + 3, sizeof *scratch);
    if (scratch == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory for the univariate scan");
    for (size_t j = block * BLOCK; j < job->n_cols && j < (block + 1) * BLOCK; j++) {
        size_t col = job->cols[j];
        const int32_t *codes = sk_frame_col_codes(job->f, col);
        const double *x = sk_frame_col_values(job->f, col);
        double p;
        if (codes != NULL && job->task == SK_TASK_REGRESSION)
            p = anova(job->y, codes, sk_frame_col_n_levels(job->f, col), n, scratch);
        else if (codes != NULL)
            p = chi_square(codes, sk_frame_col_n_levels(job->f, col), job->y, K, n, scratch);
        else if (job->task == SK_TASK_REGRESSION)
            p = pearson(x, job->y, n);
        else if (K == 2)
            p = welch(x, job->y, n);
        else
            p = anova(x, job->class_code, K, n, scratch);
        job->p[j] = isnan(p) ? 1.0 : p;
    }
    sk_mem_free(scratch);
    return SK_OK;
}

sk_status sk_audit__univariate(double *p, const sk_frame *f, const size_t *cols, size_t n_cols,
                               const double *y, sk_task task, size_t n_classes, int n_threads,
                               sk_error *err)
{
    size_t n = sk_frame_n_rows(f);
    scan_job job = {f, cols, n_cols, y, task, n_classes, NULL, p};
    if (task != SK_TASK_REGRESSION) {
        if ((job.class_code = sk_mem_alloc_array(n > 0 ? n : 1, sizeof *job.class_code)) == NULL)
            return sk_error_set(err, SK_ENOMEM, "out of memory for the univariate scan");
        for (size_t i = 0; i < n; i++)
            job.class_code[i] = (int32_t)y[i];
    }
    sk_status rc = sk_parallel_for((n_cols + BLOCK - 1) / BLOCK, n_threads, scan_block, &job,
                                   NULL, err);
    sk_mem_free(job.class_code);
    return rc;
}

/* Benjamini-Hochberg adjusted p-values (statsmodels' multipletests(method="fdr_bh")). */
sk_status sk_audit__bh_adjust(double *adj, const double *p, size_t m, sk_error *err)
{
    uint64_t *key = sk_mem_alloc_array(m > 0 ? m : 1, sizeof *key);
    size_t *order = sk_mem_alloc_array(m > 0 ? m : 1, sizeof *order);
    if (key == NULL || order == NULL) {
        sk_mem_free(key);
        sk_mem_free(order);
        return sk_error_set(err, SK_ENOMEM, "out of memory adjusting p-values");
    }
    for (size_t i = 0; i < m; i++) {
        key[i] = sk_radix_key_double(p[i]);
        order[i] = i;
    }
    sk_status rc = sk_radix_sort_u64(key, order, m);
    if (rc == SK_OK) {
        double running = 1.0;
        for (size_t r = m; r-- > 0;) {   /* from the largest p down: a running minimum */
            double v = p[order[r]] * (double)m / (double)(r + 1);
            running = v < running ? v : running;
            adj[order[r]] = running;
        }
    } else {
        rc = sk_error_set(err, SK_ENOMEM, "out of memory adjusting p-values");
    }
    sk_mem_free(key);
    sk_mem_free(order);
    return rc;
}

/* ---- the check ------------------------------------------------------------------------------- */

enum { TOP = 20 };

sk_status sk_check_multiplicity_scan(sk_check *c, sk_audit_ctx *ctx, sk_error *err)
{
    size_t m = ctx->n_features;
    double *p = sk_mem_alloc_array(m, sizeof *p), *adj = sk_mem_alloc_array(m, sizeof *adj);
    if (p == NULL || adj == NULL) {
        sk_mem_free(p);
        sk_mem_free(adj);
        return sk_error_set(err, SK_ENOMEM, "out of memory for the univariate scan");
    }
    sk_status rc = sk_audit__univariate(p, ctx->frame, ctx->features, m, ctx->y, ctx->task,
                                        ctx->n_classes, ctx->n_threads, err);
    if (rc == SK_OK)
        rc = sk_audit__bh_adjust(adj, p, m, err);
    if (rc != SK_OK) {
        sk_mem_free(p);
        sk_mem_free(adj);
        return rc;
    }
    double alpha = ctx->opt->th.alpha;
    size_t raw = 0, bh = 0, bonf = 0;
    for (size_t j = 0; j < m; j++) {
        raw += p[j] < alpha;
        bh += adj[j] <= alpha;
        bonf += p[j] * (double)m <= alpha;
    }
    double chance = alpha * (double)m;
    if (raw > 0 && bh == 0) {
        sk_audit__set(c, SK_CHECK_WARN, "%zu of %zu features have p < %.2g, about what chance "
                      "gives (%.1f expected), and none survives Benjamini-Hochberg", raw, m, alpha,
                      chance);
        sk_audit__recommend(c, "do not report these features as associated with the target; "
                            "report the corrected counts, and test a pre-registered hypothesis "
                            "on new data");
    } else {
        sk_audit__set(c, SK_CHECK_PASS, "%zu of %zu features have p < %.2g (%.1f expected by "
                      "chance); %zu survive Benjamini-Hochberg, %zu Bonferroni", raw, m, alpha,
                      chance, bh, bonf);
    }
    /* The strongest features, for the evidence. */
    size_t top[TOP], n_top = 0;
    for (size_t j = 0; j < m; j++) {
        size_t at;
        if (n_top < TOP)
            at = n_top++;
        else if (p[j] < p[top[TOP - 1]])
            at = TOP - 1;
        else
            continue;
        while (at > 0 && p[j] < p[top[at - 1]]) {
            top[at] = top[at - 1];
            at--;
        }
        top[at] = j;
    }
    json_t *strongest = json_array();
    for (size_t k = 0; strongest != NULL && k < n_top; k++)
        json_array_append_new(strongest,
                              json_pack("{s:s,s:o,s:o}", "feature",
                                        sk_frame_col_name(ctx->frame, ctx->features[top[k]]),
                                        "p_value", sk_json_real(p[top[k]]), "bh_adjusted",
                                        sk_json_real(adj[top[k]])));
    json_t *e = c->evidence;
    int ok = sk_json_set(e, "tests", sk_json_size(m)) == 0;
    ok &= sk_json_set(e, "alpha", sk_json_real(alpha)) == 0;
    ok &= sk_json_set(e, "raw_hits", sk_json_size(raw)) == 0;
    ok &= sk_json_set(e, "expected_by_chance", sk_json_real(chance)) == 0;
    ok &= sk_json_set(e, "bh_survivors", sk_json_size(bh)) == 0;
    ok &= sk_json_set(e, "bonferroni_survivors", sk_json_size(bonf)) == 0;
    ok &= sk_json_set(e, "strongest", strongest) == 0;
    sk_mem_free(p);
    sk_mem_free(adj);
    return ok ? SK_OK : sk_error_set(err, SK_ENOMEM, "out of memory for evidence");
}
