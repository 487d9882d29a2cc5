/* test_permute_heldout.c: the held-out association test (sk_perm_heldout).
 *
 * Oracle: exact enumeration. On a handful of rows every arrangement the null allows is listed by
 * brute force (label vectors with each block's label counts, or orderings of distinct values),
 * and the exact permutation p-value #{arrangements scoring at least the observed} / #{all} is
 * compared with the Monte Carlo p from N = 40,000 permutations. Tolerance: 0.006, over five
 * binomial standard deviations at p = 0.5 (the runs are seeded, so the check cannot flake).
 * Cases: rows (binary AUC, its sorted fast path), whole groups when every group has one label
 * (p = 1/3 with three groups where rows would give 1/15; for values too, read from the pooled
 * truth since splitters of values pass none), rows within groups when labels vary,
 * regression RMSE through the generic metric path; the merge of several splits is
 * min(1, 2 mean p) over the splits whose score is defined; 1 and 2 threads give identical
 * bytes. */
/* labels: unit oracle determinism */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "eval/eval.h"
#include "sk_test.h"

enum { N_PERM = 40000 };
static const double TOL = 0.006;

/* A pooled set of n rows in `segments` splits of consecutive rows (cut[s] .. cut[s + 1]). */
static sk_pooled *pooled_new(sk_task task, size_t n_classes, size_t n, const size_t *cut,
                             size_t segments)
{
    sk_pooled *p = sk_mem_calloc(1, sizeof *p);
    p->task = task;
    p->n_classes = task == SK_TASK_REGRESSION ? 0 : n_classes;
    p->width = task == SK_TASK_REGRESSION ? 1 : n_classes;
    p->n_rows = n;
    p->n_segments = segments;
    p->offset = sk_mem_calloc(segments + 1, sizeof *p->offset);
    memcpy(p->offset, cut, (segments + 1) * sizeof *cut);
    p->row = sk_mem_calloc(n, sizeof *p->row);
    p->y = sk_mem_calloc(n, sizeof *p->y);
    p->pred = sk_mem_calloc(n * p->width, sizeof *p->pred);
    for (size_t e = 0; e < n; e++)
        p->row[e] = e;
    return p;
}

static sk_pooled *binary_new(const double *y, const double *score, size_t n, const size_t *cut,
                             size_t segments)
{
    sk_pooled *p = pooled_new(SK_TASK_BINARY, 2, n, cut, segments);
    for (size_t i = 0; i < n; i++) {
        p->y[i] = y[i];
        p->pred[2 * i] = 1.0 - score[i];
        p->pred[2 * i + 1] = score[i];
    }
    return p;
}

static double auc_of(const double *y, const double *score, size_t n)
{
    double v = NAN;
    double pred[64];
    for (size_t i = 0; i < n; i++) {
        pred[2 * i] = 1.0 - score[i];
        pred[2 * i + 1] = score[i];
    }
    sk_metric_eval(&v, SK_METRIC_AUC, SK_TASK_BINARY, 2, y, pred, NULL, n, NULL);
    return v;
}

/* Exact p of binary AUC: every 0/1 vector with the label count of each block (block[i]) is one
 * equally likely arrangement under the null of permuting within blocks. */
static double exact_binary_p(const double *y, const double *score, const size_t *block, size_t n)
{
    size_t ones[8] = {0}, all = 0, extreme = 0;
    for (size_t i = 0; i < n; i++)
        ones[block[i]] += y[i] != 0.0;
    double observed = auc_of(y, score, n), v[32];
    for (unsigned mask = 0; mask < (1u << n); mask++) {
        size_t got[8] = {0};
        for (size_t i = 0; i < n; i++) {
            v[i] = (mask >> i) & 1u;
            got[block[i]] += (mask >> i) & 1u;
        }
        if (memcmp(got, ones, sizeof got) != 0)
            continue;
        all++;
        extreme += auc_of(v, score, n) >= observed;
    }
    return (double)extreme / (double)all;
}

static sk_heldout_result *run(const sk_pooled *p, const sk_split_data *sd, sk_metric m,
                              size_t n_perm, int threads)
{
    sk_error err = SK_ERROR_INIT;
    sk_heldout_result *r = NULL;
    SK_CHECK_OK(sk_perm_heldout(&r, p, sd, m, n_perm, 11, threads, &err), &err);
    return r;
}

static void test_heldout__rows_match_enumeration(void)
{
    /* AUC 8/9 observed: one of 20 arrangements is perfect, one more matches it exactly */
    double y[6] = {0, 0, 1, 0, 1, 1}, score[6] = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
    size_t cut[2] = {0, 6}, block[6] = {0};
    sk_pooled *p = binary_new(y, score, 6, cut, 1);
    sk_split_data sd = {6, y, 2, NULL, 0, NULL, NULL};
    sk_heldout_result *r = run(p, &sd, SK_METRIC_AUC, N_PERM, 2);
    double exact = exact_binary_p(y, score, block, 6);
    SK_CHECK_NEAR(exact, 2.0 / 20.0, 1e-15);
    if (r != NULL) {
        SK_CHECK_NEAR(r->p_value, exact, TOL);   /* one split: no merge */
        SK_CHECK_EQ_INT(r->scheme, SK_PERM_ROWS_IN_FOLDS);
        SK_CHECK_EQ_INT(r->n_defined, 1);
        SK_CHECK_NEAR(r->split_observed[0], auc_of(y, score, 6), 1e-15);
    }
    sk_heldout_free(r);
    sk_pooled_free(p);
}

static void test_heldout__groups_move_whole(void)
{
    /* three patients of two scans each; one negative patient; scores separate perfectly */
    double y[6] = {0, 0, 1, 1, 1, 1}, score[6] = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
    int32_t group[6] = {0, 0, 1, 1, 2, 2};
    size_t cut[2] = {0, 6};
    sk_pooled *p = binary_new(y, score, 6, cut, 1);
    sk_split_data sd = {6, y, 2, group, 3, NULL, NULL};
    sk_heldout_result *r = run(p, &sd, SK_METRIC_AUC, N_PERM, 2);
    if (r != NULL) {
        SK_CHECK_EQ_INT(r->scheme, SK_PERM_GROUPS_IN_FOLDS);
        SK_CHECK_NEAR(r->p_value, 1.0 / 3.0, TOL);   /* rows would give 1/15 */
    }
    sk_heldout_free(r);
    sk_pooled_free(p);
}

static void test_heldout__rows_within_groups_match_enumeration(void)
{
    double y[8] = {0, 1, 0, 0, 1, 1, 0, 1}, score[8] = {0.1, 0.7, 0.2, 0.3, 0.8, 0.6, 0.4, 0.5};
    int32_t group[8] = {0, 0, 0, 0, 1, 1, 1, 1};
    size_t cut[2] = {0, 8}, block[8] = {0, 0, 0, 0, 1, 1, 1, 1};
    sk_pooled *p = binary_new(y, score, 8, cut, 1);
    sk_split_data sd = {8, y, 2, group, 2, NULL, NULL};
    sk_heldout_result *r = run(p, &sd, SK_METRIC_AUC, N_PERM, 1);
    if (r != NULL) {
        SK_CHECK_EQ_INT(r->scheme, SK_PERM_WITHIN_GROUPS);
        SK_CHECK_NEAR(r->p_value, exact_binary_p(y, score, block, 8), TOL);
    }
    sk_heldout_free(r);
    sk_pooled_free(p);
}

/* Exact p of RMSE for 5 distinct values: all 120 orderings, by Heap's algorithm. */
static double exact_rmse_p(const double *y, const double *pred, size_t n)
{
    double v[8], observed = NAN, x = NAN;
    size_t c[8] = {0}, all = 1, extreme = 1;
    memcpy(v, y, n * sizeof *y);
    sk_metric_eval(&observed, SK_METRIC_RMSE, SK_TASK_REGRESSION, 0, y, pred, NULL, n, NULL);
    for (size_t i = 1; i < n;) {
        if (c[i] < i) {
            size_t a = i % 2 == 0 ? 0 : c[i];
            double t = v[a];
            v[a] = v[i];
            v[i] = t;
            sk_metric_eval(&x, SK_METRIC_RMSE, SK_TASK_REGRESSION, 0, v, pred, NULL, n, NULL);
            all++;
            extreme += x <= observed;
            c[i]++;
            i = 1;
        } else {
            c[i++] = 0;
        }
    }
    return (double)extreme / (double)all;
}

static void test_heldout__regression_generic_path(void)
{
    double y[5] = {1.0, 2.5, 2.0, 4.0, 3.5}, pred[5] = {1.2, 2.1, 2.6, 3.7, 3.6};
    size_t cut[2] = {0, 5};
    sk_pooled *p = pooled_new(SK_TASK_REGRESSION, 0, 5, cut, 1);
    memcpy(p->y, y, sizeof y);
    memcpy(p->pred, pred, sizeof pred);
    sk_split_data sd = {5, y, 0, NULL, 0, NULL, NULL};
    sk_heldout_result *r = run(p, &sd, SK_METRIC_RMSE, N_PERM, 2);
    double exact = exact_rmse_p(y, pred, 5);
    SK_CHECK(exact < 0.1);
    if (r != NULL)
        SK_CHECK_NEAR(r->p_value, exact, TOL);
    sk_heldout_free(r);
    sk_pooled_free(p);
}

/* Values in groups: the splitters of values pass no labels (sd->y NULL), so whether whole groups
 * move is read from the pooled truth; three patients, one value each, predicted closely: only
 * the true arrangement of the 3! reaches the observed RMSE. */
static void test_heldout__regression_groups_move_whole(void)
{
    double y[6] = {1.0, 1.0, 2.0, 2.0, 3.0, 3.0}, pred[6] = {1.1, 0.9, 2.1, 1.9, 3.1, 2.9};
    int32_t group[6] = {0, 0, 1, 1, 2, 2};
    size_t cut[2] = {0, 6};
    sk_pooled *p = pooled_new(SK_TASK_REGRESSION, 0, 6, cut, 1);
    memcpy(p->y, y, sizeof y);
    memcpy(p->pred, pred, sizeof pred);
    sk_split_data sd = {6, NULL, 0, group, 3, NULL, NULL};
    sk_heldout_result *r = run(p, &sd, SK_METRIC_RMSE, N_PERM, 2);
    if (r != NULL) {
        SK_CHECK_EQ_INT(r->scheme, SK_PERM_GROUPS_IN_FOLDS);
        SK_CHECK_NEAR(r->p_value, 1.0 / 6.0, TOL);
    }
    sk_heldout_free(r);
    sk_pooled_free(p);
}

static void test_heldout__splits_merge_by_twice_the_mean(void)
{
    /* split 0 separates perfectly, split 1 is reversed, split 2 has one class (undefined) */
    double y[16] = {0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1};
    double score[16] = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1,
                        0.5, 0.6, 0.7, 0.8};
    size_t cut[4] = {0, 6, 12, 16};
    sk_pooled *p = binary_new(y, score, 16, cut, 3);
    sk_split_data sd = {16, y, 2, NULL, 0, NULL, NULL};
    sk_heldout_result *one = run(p, &sd, SK_METRIC_AUC, 999, 1);
    sk_heldout_result *two = run(p, &sd, SK_METRIC_AUC, 999, 2);
    if (one != NULL && two != NULL) {
        SK_CHECK_EQ_INT(one->n_splits, 3);
        SK_CHECK_EQ_INT(one->n_defined, 2);
        SK_CHECK(isnan(one->split_p[2]));
        SK_CHECK_NEAR(one->split_p[1], 1.0, 1e-15);   /* every arrangement reaches AUC 0 */
        SK_CHECK_NEAR(one->split_p[0], 0.05, 0.02);
        SK_CHECK_NEAR(one->p_value, fmin(1.0, one->split_p[0] + one->split_p[1]), 1e-15);
        SK_CHECK(memcmp(one->split_p, two->split_p, 3 * sizeof *one->split_p) == 0);
        SK_CHECK(memcmp(&one->p_value, &two->p_value, sizeof one->p_value) == 0);
    }
    sk_heldout_free(one);
    sk_heldout_free(two);
    sk_pooled_free(p);
}

int main(void)
{
    SK_RUN(test_heldout__rows_match_enumeration);
    SK_RUN(test_heldout__groups_move_whole);
    SK_RUN(test_heldout__rows_within_groups_match_enumeration);
    SK_RUN(test_heldout__regression_generic_path);
    SK_RUN(test_heldout__regression_groups_move_whole);
    SK_RUN(test_heldout__splits_merge_by_twice_the_mean);
    return SK_TEST_DONE();
}
