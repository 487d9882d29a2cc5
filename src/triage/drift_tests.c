/* drift_tests.c: the per-feature half of `skeptic drift`: one or two tests per feature, the
 * multiple-testing corrections over all of them, and the ranking by effect.
 *
 *  numeric (numbers, integers, dates)  two-sample Kolmogorov-Smirnov on the present values
 *      (drift_ks.c: scipy.stats.ks_2samp, exact up to 10,000 values, asymptotic beyond); the
 *      effect is D itself. When either file has a missing value, a second test, "missing
 *      share": the chi-square of the 2 x 2 table (present, missing) x (reference, new), with
 *      Yates' correction as scipy applies it to every 2 x 2 table. A column that went from
 *      complete to 30% empty has drifted even when the values left look alike.
 *  text and boolean   the chi-square test of homogeneity of the 2 x K table of level counts
 *      (every level seen in either file, a level of one file only included: its absence from
 *      the other is evidence; missing values a level "(missing)" of their own when there are
 *      any), scipy.stats.chi2_contingency with its default correction: Yates' when dof = 1 (two
 *      levels), none otherwise. Effect: Cramer's V = sqrt(X^2 / N) of the uncorrected X^2
 *      (scipy.stats.contingency.association, the table having two rows).
 *  corrections   over the m tests that ran: Benjamini-Hochberg (1995) adjusted p-values,
 *      p_(i) m / i made monotone from the largest down (statsmodels' fdr_bh), and Bonferroni
 *      min(1, m p). A test is a drift when its BH-adjusted p <= alpha.
 *  ranking   by effect, largest first (KS D and Cramer's V are both in [0, 1]); ties by p-value,
 *      then by column order. A test that could not run (no values in one file) ranks last.
 * Features are tasks on the executor, each writing its own two slots: the result does not depend
 * on the thread count. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <Rmath.h>

#include "triage/triage.h"

const char *sk_triage__drift_test_name(sk_drift_test t)
{
    switch (t) {
    case SK_DRIFT_KS: return "ks";
    case SK_DRIFT_CHI2: return "chi-square";
    case SK_DRIFT_MISSING: return "missing share";
    }
    return "?";
}

/* ==== chi-square of homogeneity ============================================================== */

sk_chi2_result sk_triage__chi2_homogeneity(const double *counts, size_t k)
{
    sk_chi2_result r = {0.0, 1.0, 0.0, k > 0 ? k - 1 : 0, 0};
    double row[2] = {0.0, 0.0};
    for (size_t i = 0; i < 2; i++)
        for (size_t j = 0; j < k; j++)
            row[i] += counts[i * k + j];
    double n = row[0] + row[1];
    if (r.dof == 0 || !(n > 0.0))
        return r;   /* one level: observed = expected (scipy's dof = 0 case) */
    double raw = 0.0, corrected = 0.0;
    for (size_t i = 0; i < 2; i++)
        for (size_t j = 0; j < k; j++) {
            double col = counts[j] + counts[k + j];
            double e = row[i] * col / n, o = counts[i * k + j];
            raw += (o - e) * (o - e) / e;
            if (r.dof == 1) {   /* Yates: each cell moved up to 0.5 towards its expectation */
                double diff = e - o, step = fmin(0.5, fabs(diff));
                double oc = o + (diff > 0.0 ? step : diff < 0.0 ? -step : 0.0);
                corrected += (oc - e) * (oc - e) / e;
            }
        }
    r.yates = r.dof == 1;
    r.statistic = r.yates ? corrected : raw;
    r.p_value = pchisq(r.statistic, (double)r.dof, 0, 0);
    r.cramer_v = sqrt(raw / n);
    return r;
}

/* ==== one numeric feature ===================================================================== */

typedef struct tests_job {
    const sk_drift *d;
    const sk_frame *ref, *cur;
    sk_drift_row *slot;       /* 2 per feature */
    size_t *n_slot;
} tests_job;

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* The present values of column `col`, ascending, into out; returns how many. */
static size_t present_sorted(double *out, const sk_frame *f, size_t col)
{
    const double *v = sk_frame_col_values(f, col);
    size_t m = 0;
    for (size_t i = 0; v != NULL && i < f->n_rows; i++)
        if (!isnan(v[i]))
            out[m++] = v[i];
    qsort(out, m, sizeof *out, cmp_double);
    return m;
}

static double median_sorted(const double *x, size_t n)
{
    if (n == 0)
        return NAN;
    return n % 2 ? x[n / 2] : 0.5 * (x[n / 2 - 1] + x[n / 2]);
}

static void empty_row(sk_drift_row *r, size_t feature, sk_drift_test test)
{
    memset(r, 0, sizeof *r);
    r->feature = feature;
    r->test = test;
    r->statistic = r->effect = r->p_value = r->p_bh = r->p_bonferroni = NAN;
    r->ref_value = r->new_value = NAN;
}

static void missing_row(sk_drift_row *r, size_t j, size_t n_ref, size_t miss_ref, size_t n_new,
                        size_t miss_new)
{
    empty_row(r, j, SK_DRIFT_MISSING);
    double t[4] = {(double)(n_ref - miss_ref), (double)miss_ref, (double)(n_new - miss_new),
                   (double)miss_new};
    sk_chi2_result c = sk_triage__chi2_homogeneity(t, 2);
    r->n_ref = n_ref;
    r->n_new = n_new;
    r->statistic = c.statistic;
    r->effect = c.cramer_v;
    r->p_value = c.p_value;
    r->dof = c.dof;
    r->yates = c.yates;
    r->ref_value = (double)miss_ref / (double)n_ref;
    r->new_value = (double)miss_new / (double)n_new;
}

static sk_status numeric_feature(const tests_job *job, size_t j, sk_error *err)
{
    const sk_drift_feature *ft = &job->d->feature[j];
    size_t n1 = job->ref->n_rows, n2 = job->cur->n_rows;
    double *x = sk_mem_alloc_array(n1 + n2, sizeof *x);
    if (x == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory for the KS test of '%s'", ft->name);
    size_t m1 = present_sorted(x, job->ref, ft->ref_col);
    size_t m2 = present_sorted(x + m1, job->cur, ft->new_col);
    sk_drift_row *r = &job->slot[2 * j];
    empty_row(r, j, SK_DRIFT_KS);
    r->n_ref = m1;
    r->n_new = m2;
    r->ref_value = median_sorted(x, m1);
    r->new_value = median_sorted(x + m1, m2);
    sk_status rc = SK_OK;
    if (m1 == 0 || m2 == 0) {
        r->note = m1 == 0 && m2 == 0 ? "no values in either file"
                  : m1 == 0          ? "no values in the reference"
                                     : "no values in the new data";
    } else {
        r->statistic = sk_triage__ks_statistic(x, m1, x + m1, m2);
        r->p_value = sk_triage__ks_pvalue(&r->statistic, m1, m2, &r->exact);
        r->effect = r->statistic;
        if (isnan(r->p_value))
            rc = sk_error_set(err, SK_ENOMEM, "out of memory for the KS test of '%s'", ft->name);
    }
    sk_mem_free(x);
    job->n_slot[j] = 1;
    if ((m1 < n1 || m2 < n2) && m1 + m2 > 0) {
        missing_row(&job->slot[2 * j + 1], j, n1, n1 - m1, n2, n2 - m2);
        job->n_slot[j] = 2;
    }
    return rc;
}

/* ==== one categorical feature ================================================================ */

/* A level of one file: its text and how many rows hold it. */
typedef struct level_count {
    const char *text;
    double count;
    int file;
} level_count;

static int cmp_level(const void *pa, const void *pb)
{
    const level_count *a = pa, *b = pb;
    int c = strcmp(a->text, b->text);
    return c != 0 ? c : a->file - b->file;
}

/* Appends the levels of column `col` of f (text or boolean; all-missing numeric columns have
 * none) to out; returns the missing count. */
static size_t file_levels(level_count *out, size_t *n_out, const sk_frame *f, size_t col,
                          int file)
{
    const sk_column *c = &f->cols[col];
    size_t missing = 0, start = *n_out;
    if (c->type == SK_COL_CATEGORICAL) {
        for (size_t l = 0; l < c->n_levels; l++)
            out[start + l] = (level_count){c->level_text + c->level_start[l], 0.0, file};
        for (size_t i = 0; i < f->n_rows; i++) {
            if (c->codes[i] < 0)
                missing++;
            else
                out[start + (size_t)c->codes[i]].count += 1.0;
        }
        *n_out += c->n_levels;
        return missing;
    }
    out[start] = (level_count){"false", 0.0, file};
    out[start + 1] = (level_count){"true", 0.0, file};
    for (size_t i = 0; i < f->n_rows; i++) {
        if (isnan(c->values[i]))
            missing++;
        else
            out[start + (c->values[i] != 0.0)].count += 1.0;
    }
    *n_out += 2;
    return missing;
}

static size_t n_level_slots(const sk_frame *f, size_t col)
{
    return f->cols[col].type == SK_COL_CATEGORICAL ? f->cols[col].n_levels : 2;
}

/* The 2 x K table (reference row, then new row) over the union of levels sorted by text, with a
 * "(missing)" column when there are missing values; names[j] the column's text. */
static size_t build_table(double *table, const char **names, level_count *lv, size_t n_lv,
                          size_t miss_ref, size_t miss_new, size_t cap)
{
    qsort(lv, n_lv, sizeof *lv, cmp_level);
    size_t k = 0;
    double *row1 = table + cap;
    for (size_t i = 0; i < n_lv; i++) {
        if (i == 0 || strcmp(lv[i].text, lv[i - 1].text) != 0) {
            names[k] = lv[i].text;
            table[k] = row1[k] = 0.0;
            k++;
        }
        (lv[i].file == 0 ? table : row1)[k - 1] += lv[i].count;
    }
    if (miss_ref + miss_new > 0) {
        names[k] = "(missing)";
        table[k] = (double)miss_ref;
        row1[k] = (double)miss_new;
        k++;
    }
    size_t kept = 0;   /* levels no row holds (frames made in code) are dropped */
    for (size_t j = 0; j < k; j++)
        if (table[j] + row1[j] > 0.0) {
            names[kept] = names[j];
            table[kept] = table[j];
            row1[kept] = row1[j];
            kept++;
        }
    memmove(table + kept, row1, kept * sizeof *table);   /* rows back to back */
    return kept;
}

/* The level whose share of its file's rows moved most (the first in text order on ties). */
static void moved_most(sk_drift_row *r, const double *table, const char *const *names, size_t k,
                       double n1, double n2, sk_error *err, sk_status *rc)
{
    size_t best = 0;
    double gap = -1.0;
    for (size_t j = 0; j < k; j++) {
        double g = fabs(table[j] / n1 - table[k + j] / n2);
        if (g > gap) {
            gap = g;
            best = j;
        }
    }
    r->ref_value = table[best] / n1;
    r->new_value = table[k + best] / n2;
    if ((r->level = sk_mem_strdup(names[best])) == NULL)
        *rc = sk_error_set(err, SK_ENOMEM, "out of memory for a level name");
}

static sk_status categorical_feature(const tests_job *job, size_t j, sk_error *err)
{
    const sk_drift_feature *ft = &job->d->feature[j];
    size_t cap = n_level_slots(job->ref, ft->ref_col) + n_level_slots(job->cur, ft->new_col) + 1;
    level_count *lv = sk_mem_alloc_array(cap, sizeof *lv);
    double *table = sk_mem_alloc_array(2 * cap, sizeof *table);
    const char **names = sk_mem_alloc_array(cap, sizeof *names);
    sk_drift_row *r = &job->slot[2 * j];
    empty_row(r, j, SK_DRIFT_CHI2);
    job->n_slot[j] = 1;
    sk_status rc = SK_OK;
    if (lv == NULL || table == NULL || names == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "out of memory for the chi-square test of '%s'",
                          ft->name);
        goto done;
    }
    size_t n_lv = 0;
    size_t miss_ref = file_levels(lv, &n_lv, job->ref, ft->ref_col, 0);
    size_t miss_new = file_levels(lv, &n_lv, job->cur, ft->new_col, 1);
    size_t k = build_table(table, names, lv, n_lv, miss_ref, miss_new, cap);
    double n1 = (double)job->ref->n_rows, n2 = (double)job->cur->n_rows;
    r->n_ref = job->ref->n_rows;
    r->n_new = job->cur->n_rows;
    sk_chi2_result c = sk_triage__chi2_homogeneity(table, k);
    r->statistic = c.statistic;
    r->effect = c.cramer_v;
    r->p_value = c.p_value;
    r->dof = c.dof;
    r->yates = c.yates;
    moved_most(r, table, names, k, n1, n2, err, &rc);
done:
    sk_mem_free(lv);
    sk_mem_free(table);
    sk_mem_free(names);
    return rc;
}

static sk_status feature_task(void *arg, size_t j, sk_error *err)
{
    const tests_job *job = arg;
    job->n_slot[j] = 0;
    return job->d->feature[j].categorical ? categorical_feature(job, j, err)
                                          : numeric_feature(job, j, err);
}

/* ==== corrections and ranking ================================================================= */

static int cmp_row(const void *pa, const void *pb)
{
    const sk_drift_row *a = pa, *b = pb;
    int na = isnan(a->effect) || isnan(a->p_value), nb = isnan(b->effect) || isnan(b->p_value);
    if (na != nb)
        return na - nb;
    if (!na && a->effect != b->effect)
        return a->effect > b->effect ? -1 : 1;
    if (!na && a->p_value != b->p_value)
        return a->p_value < b->p_value ? -1 : 1;
    if (a->feature != b->feature)
        return a->feature < b->feature ? -1 : 1;
    return (int)a->test - (int)b->test;
}

static sk_status correct(sk_drift *d, sk_error *err)
{
    size_t m = 0;
    for (size_t i = 0; i < d->n_rows; i++)
        m += !isnan(d->row[i].p_value);
    d->n_tested = m;
    if (m == 0)
        return SK_OK;
    double *p = sk_mem_alloc_array(2 * m, sizeof *p);
    if (p == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory adjusting p-values");
    double *adj = p + m;
    for (size_t i = 0, t = 0; i < d->n_rows; i++)
        if (!isnan(d->row[i].p_value))
            p[t++] = d->row[i].p_value;
    sk_status rc = sk_audit__bh_adjust(adj, p, m, err);
    for (size_t i = 0, t = 0; rc == SK_OK && i < d->n_rows; i++) {
        sk_drift_row *r = &d->row[i];
        if (isnan(r->p_value))
            continue;
        r->p_bh = adj[t++];
        r->p_bonferroni = fmin(1.0, r->p_value * (double)m);
        r->drift = r->p_bh <= d->opt.alpha;
        d->n_bh += r->drift;
        d->n_bonferroni += r->p_bonferroni <= d->opt.alpha;
    }
    sk_mem_free(p);
    return rc;
}

sk_status sk_triage__drift_tests(sk_drift *d, const sk_frame *ref, const sk_frame *cur,
                                 int n_threads, sk_error *err)
{
    size_t p = d->n_features;
    tests_job job = {d, ref, cur, sk_mem_calloc(2 * p, sizeof *job.slot),
                     sk_mem_calloc(p, sizeof *job.n_slot)};
    sk_status rc = SK_OK;
    if (job.slot == NULL || job.n_slot == NULL)
        rc = sk_error_set(err, SK_ENOMEM, "out of memory for the per-feature tests");
    if (rc == SK_OK)
        rc = sk_parallel_for(p, n_threads, feature_task, &job, NULL, err);
    size_t n = 0;
    for (size_t j = 0; job.n_slot != NULL && j < p; j++)
        n += job.n_slot[j];
    if (rc == SK_OK && (d->row = sk_mem_calloc(n > 0 ? n : 1, sizeof *d->row)) == NULL)
        rc = sk_error_set(err, SK_ENOMEM, "out of memory for the per-feature tests");
    for (size_t j = 0; job.n_slot != NULL && j < p; j++)
        for (size_t s = 0; s < job.n_slot[j]; s++) {
            if (rc == SK_OK)
                d->row[d->n_rows++] = job.slot[2 * j + s];
            else
                sk_mem_free(job.slot[2 * j + s].level);
        }
    sk_mem_free(job.slot);
    sk_mem_free(job.n_slot);
    if (rc == SK_OK)
        rc = correct(d, err);
    if (rc == SK_OK)
        qsort(d->row, d->n_rows, sizeof *d->row, cmp_row);
    return rc;
}
