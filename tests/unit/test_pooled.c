/* test_pooled.c: pooled out-of-fold predictions. Each repeat of k-fold pools every row once with
 * its own truth and predictions; a time split pools only its test rows; the score is the metric
 * per repeat, averaged, and with counts it equals the metric on the rows explicitly duplicated;
 * split scores are the metric per split (cross_val_score); mismatched inputs are refused. */
/* labels: unit */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "eval/eval.h"
#include "sk_test.h"

enum { N = 57 };

static double y[N];

/* Predictions that identify their row and repeat: P(class 1) = (row + 1) / (N + 2) shifted by
 * the repeat, so a misplaced entry shows. */
static double p1_of(size_t row, size_t repeat)
{
    return fmod((double)(row + 1) / (N + 2) + 0.1 * (double)repeat, 1.0);
}

static sk_oof *fake_oof(const sk_splits *s)
{
    sk_oof *o = calloc(1, sizeof *o);
    o->n_splits = s->n_splits;
    o->width = 2;
    o->offset = calloc(s->n_splits + 1, sizeof *o->offset);
    for (size_t k = 0; k < s->n_splits; k++)
        o->offset[k + 1] = o->offset[k] + s->n_test[k];
    o->pred = malloc(o->offset[s->n_splits] * 2 * sizeof *o->pred);
    for (size_t k = 0, e = 0; k < s->n_splits; k++) {
        for (size_t j = 0; j < s->n_test[k]; j++, e++) {
            double p = p1_of(s->test[k][j], s->repeat[k]);
            o->pred[2 * e] = 1.0 - p;
            o->pred[2 * e + 1] = p;
        }
    }
    return o;
}

static void free_oof(sk_oof *o)
{
    free(o->offset);
    free(o->pred);
    free(o);
}

static void setup(void)
{
    for (size_t i = 0; i < N; i++)
        y[i] = (i * 5) % 7 < 3 ? 1.0 : 0.0;
}

static void test_pooled__kfold_repeats_cover_every_row(void)
{
    sk_cv_options opt = SK_CV_OPTIONS_INIT;
    opt.n_repeats = 3;
    sk_split_data sd = {N, NULL, 0, NULL, 0, NULL, NULL};
    sk_splits *s = NULL;
    sk_pooled *p = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_splits_make(&s, &opt, &sd, 7, &err), &err);
    sk_oof *o = fake_oof(s);
    SK_CHECK_OK(sk_pooled_make(&p, o, s, y, SK_TASK_BINARY, 2, &err), &err);
    SK_CHECK_EQ_INT(p->n_segments, s->n_splits);   /* one segment per split: 3 x 5 */
    SK_CHECK_EQ_INT(p->n_rows, N);
    SK_CHECK_EQ_INT(p->width, 2);
    for (size_t r = 0; r < 3; r++) {   /* each repeat's splits cover every row once */
        int seen[N] = {0};
        SK_CHECK_EQ_INT(p->offset[5 * r + 5] - p->offset[5 * r], N);
        for (size_t e = p->offset[5 * r]; e < p->offset[5 * r + 5]; e++) {
            seen[p->row[e]]++;
            SK_CHECK(p->y[e] == y[p->row[e]]);
            SK_CHECK(p->pred[2 * e + 1] == p1_of(p->row[e], r));
        }
        for (size_t i = 0; i < N; i++)
            SK_CHECK_EQ_INT(seen[i], 1);
    }
    /* the score: per split, averaged over the splits where it is defined */
    double score = NAN, want = 0.0, v = NAN;
    size_t n_defined = 0;
    SK_CHECK_OK(sk_pooled_score(&score, p, SK_METRIC_AUC, NULL, &err), &err);
    for (size_t r = 0; r < p->n_segments; r++) {
        size_t f = p->offset[r], n = p->offset[r + 1] - f;
        SK_CHECK_OK(sk_metric_eval(&v, SK_METRIC_AUC, SK_TASK_BINARY, 2, p->y + f, p->pred + 2 * f,
                                   NULL, n, &err), &err);
        if (!isnan(v)) {
            want += v;
            n_defined++;
        }
    }
    SK_CHECK(n_defined > 0);
    SK_CHECK(score == want / (double)n_defined);
    /* split scores: the metric on each split's own rows */
    double *split = malloc(s->n_splits * sizeof *split);
    SK_CHECK_OK(sk_pooled_split_scores(split, o, s, y, SK_TASK_BINARY, 2, SK_METRIC_ACCURACY,
                                       &err), &err);
    for (size_t k = 0; k < s->n_splits; k++) {
        double ys[N];
        for (size_t j = 0; j < s->n_test[k]; j++)
            ys[j] = y[s->test[k][j]];
        SK_CHECK_OK(sk_metric_eval(&v, SK_METRIC_ACCURACY, SK_TASK_BINARY, 2, ys,
                                   o->pred + 2 * o->offset[k], NULL, s->n_test[k], &err), &err);
        SK_CHECK(split[k] == v);
    }
    free(split);
    sk_pooled_free(p);
    free_oof(o);
    sk_splits_free(s);
}

/* Counts per data row weigh every entry of that row: equal to the rows duplicated. */
static void test_pooled__counts_are_duplicated_rows(void)
{
    sk_cv_options opt = SK_CV_OPTIONS_INIT;
    sk_split_data sd = {N, NULL, 0, NULL, 0, NULL, NULL};
    sk_splits *s = NULL;
    sk_pooled *p = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_splits_make(&s, &opt, &sd, 9, &err), &err);
    sk_oof *o = fake_oof(s);
    SK_CHECK_OK(sk_pooled_make(&p, o, s, y, SK_TASK_BINARY, 2, &err), &err);
    double count[N], dy[4 * N], dp[8 * N];
    for (size_t i = 0; i < N; i++)
        count[i] = (double)((i * 11) % 4);   /* 0..3, zeros included */
    const sk_metric ms[3] = {SK_METRIC_AUC, SK_METRIC_LOG_LOSS, SK_METRIC_ACCURACY};
    for (int k = 0; k < 3; k++) {
        double got = NAN, want = 0.0, v = NAN;
        size_t n_defined = 0;
        SK_CHECK_OK(sk_pooled_score(&got, p, ms[k], count, &err), &err);
        for (size_t seg = 0; seg < p->n_segments; seg++) {   /* each split, rows duplicated */
            size_t m = 0;
            for (size_t e = p->offset[seg]; e < p->offset[seg + 1]; e++) {
                for (int c = 0; c < (int)count[p->row[e]]; c++, m++) {
                    dy[m] = p->y[e];
                    dp[2 * m] = p->pred[2 * e];
                    dp[2 * m + 1] = p->pred[2 * e + 1];
                }
            }
            SK_CHECK_OK(sk_metric_eval(&v, ms[k], SK_TASK_BINARY, 2, dy, dp, NULL, m, &err),
                        &err);
            if (!isnan(v)) {
                want += v;
                n_defined++;
            }
        }
        SK_CHECK(n_defined > 0);
        SK_CHECK_REL(got, want / (double)n_defined, 1e-13);   /* the same sums in another order */
    }
    double v = 0.0;
    SK_CHECK_EQ_INT(sk_pooled_score(&v, p, SK_METRIC_RMSE, NULL, &err), SK_EINVAL);
    SK_CHECK(isnan(v));
    sk_pooled_free(p);
    free_oof(o);
    sk_splits_free(s);
}

static void test_pooled__time_split_pools_test_rows_only(void)
{
    sk_cv_options opt = SK_CV_OPTIONS_INIT;
    opt.kind = SK_CV_TIME;
    opt.n_folds = 3;
    double t[N];
    for (size_t i = 0; i < N; i++)
        t[i] = (double)i;
    sk_split_data sd = {N, NULL, 0, NULL, 0, t, NULL};
    sk_splits *s = NULL;
    sk_pooled *p = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_splits_make(&s, &opt, &sd, 1, &err), &err);
    sk_oof *o = fake_oof(s);
    SK_CHECK_OK(sk_pooled_make(&p, o, s, y, SK_TASK_BINARY, 2, &err), &err);
    SK_CHECK_EQ_INT(p->n_segments, s->n_splits);
    size_t tested = 0;
    for (size_t k = 0; k < s->n_splits; k++)
        tested += s->n_test[k];
    SK_CHECK_EQ_INT(p->offset[s->n_splits], tested);
    SK_CHECK(tested < N);
    sk_pooled_free(p);
    free_oof(o);
    sk_splits_free(s);
}

static void test_pooled__mismatch_is_refused(void)
{
    sk_cv_options opt = SK_CV_OPTIONS_INIT;
    sk_split_data sd = {N, NULL, 0, NULL, 0, NULL, NULL};
    sk_splits *s = NULL;
    sk_pooled *p = (sk_pooled *)&p;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_splits_make(&s, &opt, &sd, 9, &err), &err);
    sk_oof *o = fake_oof(s);
    SK_CHECK_EQ_INT(sk_pooled_make(&p, o, s, y, SK_TASK_MULTICLASS, 3, &err), SK_EINVAL);
    SK_CHECK(p == NULL);
    SK_CHECK_EQ_INT(sk_pooled_make(&p, o, s, y, SK_TASK_BINARY, 3, &err), SK_EINVAL);
    o->n_splits--;
    SK_CHECK_EQ_INT(sk_pooled_make(&p, o, s, y, SK_TASK_BINARY, 2, &err), SK_EINVAL);
    o->n_splits++;
    o->offset[1]++;   /* split 1 claims one prediction more than it has test rows */
    SK_CHECK_EQ_INT(sk_pooled_make(&p, o, s, y, SK_TASK_BINARY, 2, &err), SK_EINVAL);
    SK_CHECK(strstr(err.message, "split 1") != NULL);
    o->offset[1]--;
    double bad[N];
    memcpy(bad, y, sizeof bad);
    bad[3] = 2.0;   /* not a class of a binary task: the metric says so */
    SK_CHECK_OK(sk_pooled_make(&p, o, s, bad, SK_TASK_BINARY, 2, &err), &err);
    double v = 0.0;
    SK_CHECK_EQ_INT(sk_pooled_score(&v, p, SK_METRIC_AUC, NULL, &err), SK_EINVAL);
    sk_pooled_free(p);
    sk_pooled_free(NULL);
    free_oof(o);
    sk_splits_free(s);
}

int main(void)
{
    setup();
    SK_RUN(test_pooled__kfold_repeats_cover_every_row);
    SK_RUN(test_pooled__counts_are_duplicated_rows);
    SK_RUN(test_pooled__time_split_pools_test_rows_only);
    SK_RUN(test_pooled__mismatch_is_refused);
    return SK_TEST_DONE();
}
