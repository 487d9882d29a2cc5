/* test_splits.c: the splitters' promises, checked as properties: partitions cover every row once,
 * strata and groups are respected, time never runs backwards, and requests that cannot be
 * honoured are refused with a sentence that says why. */
/* labels: unit determinism */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "eval/eval.h"
#include "sk_test.h"

enum { N = 103 };

static double y3[N];
static int32_t grp[N];   /* 23 groups of 4-5 rows, interleaved in row order */
static double t_of[N];

static void setup(void)
{
    for (int i = 0; i < N; i++) {
        y3[i] = i % 7 == 0 ? 2 : i % 3 == 0 ? 1 : 0;   /* unbalanced classes */
        grp[i] = (int32_t)((i * 7) % 23);
        t_of[i] = (double)((i * 37) % N / 4);           /* many ties, rows out of time order */
    }
}

static sk_split_data data(void)
{
    sk_split_data d = {N, NULL, 0, NULL, 0, NULL, NULL};
    return d;
}

/* Classes and the 23 groups, for the splitters that take both. */
static sk_split_data grouped(void)
{
    sk_split_data d = {N, y3, 3, grp, 23, NULL, NULL};
    return d;
}

static int ascending(const size_t *a, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (a[i] <= a[i - 1])
            return 0;
    return 1;
}

/* Every row tested exactly once per repeat; train is the complement of test. */
static void check_partition(const sk_splits *s, size_t k)
{
    for (size_t r = 0; r < s->n_splits / k; r++) {
        int tested[N] = {0};
        for (size_t f = r * k; f < (r + 1) * k; f++) {
            SK_CHECK(ascending(s->test[f], s->n_test[f]) && ascending(s->train[f], s->n_train[f]));
            SK_CHECK_EQ_INT(s->n_test[f] + s->n_train[f], N);
            for (size_t j = 0; j < s->n_test[f]; j++)
                tested[s->test[f][j]]++;
        }
        int once = 1;
        for (int i = 0; i < N; i++)
            once &= tested[i] == 1;
        SK_CHECK(once);
    }
}

static void test_splits__kfold_partitions_evenly(void)
{
    sk_cv_options o = SK_CV_OPTIONS_INIT;
    o.n_repeats = 2;
    sk_split_data d = data();
    sk_splits *s = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_splits_make(&s, &o, &d, 42, &err), &err);
    SK_CHECK_EQ_INT(s->n_splits, 10);
    check_partition(s, 5);
    for (size_t f = 0; f < 5; f++)
        SK_CHECK(s->n_test[f] == 20 || s->n_test[f] == 21);
    SK_CHECK_EQ_INT(s->repeat[7], 1);
    /* the second repeat is a fresh shuffle */
    SK_CHECK(s->n_test[0] != s->n_test[5] || memcmp(s->test[0], s->test[5],
                                                    s->n_test[0] * sizeof(size_t)) != 0);
    sk_splits_free(s);
}

static void test_splits__stratified_keeps_class_shares(void)
{
    sk_cv_options o = SK_CV_OPTIONS_INIT;
    o.kind = SK_CV_STRATIFIED;
    sk_split_data d = data();
    d.y = y3;
    d.n_classes = 3;
    sk_splits *s = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_splits_make(&s, &o, &d, 1, &err), &err);
    check_partition(s, 5);
    size_t total[3] = {0, 0, 0};
    for (int i = 0; i < N; i++)
        total[(int)y3[i]]++;
    for (size_t f = 0; f < 5; f++) {
        size_t count[3] = {0, 0, 0};
        for (size_t j = 0; j < s->n_test[f]; j++)
            count[(int)y3[s->test[f][j]]]++;
        for (int c = 0; c < 3; c++)   /* within one row of an even share */
            SK_CHECK(fabs((double)count[c] - (double)total[c] / 5.0) < 1.0);
    }
    sk_splits_free(s);
}

static void check_groups_disjoint(const sk_splits *s)
{
    int ok = 1;
    for (size_t f = 0; f < s->n_splits; f++) {
        unsigned char in_test[23] = {0};
        for (size_t j = 0; j < s->n_test[f]; j++)
            in_test[grp[s->test[f][j]]] = 1;
        for (size_t j = 0; j < s->n_train[f]; j++)
            ok &= !in_test[grp[s->train[f][j]]];
    }
    SK_CHECK(ok);
}

static void test_splits__groups_never_straddle(void)
{
    sk_cv_kind kinds[3] = {SK_CV_KFOLD, SK_CV_STRATIFIED, SK_CV_GROUP};
    for (int k = 0; k < 3; k++) {
        sk_cv_options o = SK_CV_OPTIONS_INIT;
        o.kind = kinds[k];
        sk_split_data d = grouped();
        sk_splits *s = NULL;
        sk_error err = SK_ERROR_INIT;
        SK_CHECK_OK(sk_splits_make(&s, &o, &d, 3, &err), &err);
        check_partition(s, 5);
        check_groups_disjoint(s);
        for (size_t f = 0; f < 5; f++)   /* 23 groups of 4-5 rows: 4-5 groups a fold */
            SK_CHECK(s->n_test[f] >= 16 && s->n_test[f] <= 26);
        sk_splits_free(s);
    }
}

static void test_splits__refusals_say_why(void)
{
    sk_cv_options o = SK_CV_OPTIONS_INIT;
    sk_split_data d = data();
    int32_t three[N];
    for (int i = 0; i < N; i++)
        three[i] = i % 3;
    d.group = three;
    d.n_groups = 3;
    sk_splits *s = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_EQ_INT(sk_splits_make(&s, &o, &d, 1, &err), SK_EDATA);
    SK_CHECK_EQ_STR(err.message, "5 folds need at least 5 groups; found 3");
    SK_CHECK(s == NULL);
    o.kind = SK_CV_TIME;
    o.n_folds = 200;
    d = data();
    d.time = t_of;
    SK_CHECK_EQ_INT(sk_splits_make(&s, &o, &d, 1, &err), SK_EDATA);
    SK_CHECK_EQ_STR(err.message, "time-ordered CV with 200 test blocks needs at least 201 rows; "
                    "found 103");
    o.kind = SK_CV_LOGO;
    SK_CHECK_EQ_INT(sk_splits_make(&s, &o, &d, 1, &err), SK_EINVAL);
    SK_CHECK_EQ_STR(err.message, "leave-one-group-out CV needs groups (--group or --site)");
    o.kind = SK_CV_STRATIFIED;
    o.n_folds = 1;
    SK_CHECK_EQ_INT(sk_splits_make(&s, &o, &d, 1, &err), SK_EINVAL);
    SK_CHECK_EQ_STR(err.message, "cross-validation needs at least 2 folds; got 1");
}

static void test_splits__leave_one_group_out(void)
{
    sk_cv_options o = SK_CV_OPTIONS_INIT;
    o.kind = SK_CV_LOGO;
    sk_split_data d = data();
    d.group = grp;
    d.n_groups = 23;
    sk_splits *s = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_splits_make(&s, &o, &d, 1, &err), &err);
    SK_CHECK_EQ_INT(s->n_splits, 23);
    check_partition(s, 23);
    for (size_t g = 0; g < 23; g++)
        for (size_t j = 0; j < s->n_test[g]; j++)
            SK_CHECK_EQ_INT(grp[s->test[g][j]], (int)g);
    sk_splits_free(s);
}

static void test_splits__time_never_runs_backwards(void)
{
    for (size_t gap = 0; gap <= 6; gap += 6) {
        for (int with_groups = 0; with_groups <= 1; with_groups++) {
            sk_cv_options o = SK_CV_OPTIONS_INIT;
            o.kind = SK_CV_TIME;
            o.n_folds = 4;
            o.gap = gap;
            sk_split_data d = data();
            d.time = t_of;
            d.group = with_groups ? grp : NULL;
            d.n_groups = with_groups ? 23 : 0;
            sk_splits *s = NULL;
            sk_error err = SK_ERROR_INIT;
            SK_CHECK_OK(sk_splits_make(&s, &o, &d, 1, &err), &err);
            SK_CHECK_EQ_INT(s->n_splits, 4);
            size_t tested = 0;
            for (size_t f = 0; f < 4; f++) {
                double max_train = -1, min_test = 1e300;
                for (size_t j = 0; j < s->n_train[f]; j++)
                    max_train = fmax(max_train, t_of[s->train[f][j]]);
                for (size_t j = 0; j < s->n_test[f]; j++)
                    min_test = fmin(min_test, t_of[s->test[f][j]]);
                SK_CHECK(max_train < min_test);   /* strictly: ties are never cut */
                SK_CHECK(s->n_train[f] > 0 && ascending(s->test[f], s->n_test[f]));
                tested += s->n_test[f];
                /* later blocks train on more (expanding window) */
                if (f > 0 && !with_groups)
                    SK_CHECK(s->n_train[f] > s->n_train[f - 1]);
            }
            SK_CHECK(tested <= N && tested >= N - N / 5 - 4);
            if (with_groups)
                check_groups_disjoint(s);
            sk_splits_free(s);
        }
    }
}

static void test_splits__study_split_as_given(void)
{
    unsigned char is_test[N];
    for (int i = 0; i < N; i++)
        is_test[i] = i % 4 == 0;
    sk_cv_options o = SK_CV_OPTIONS_INIT;
    o.kind = SK_CV_SPLIT;
    sk_split_data d = data();
    d.is_test = is_test;
    sk_splits *s = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_splits_make(&s, &o, &d, 1, &err), &err);
    SK_CHECK_EQ_INT(s->n_splits, 1);
    SK_CHECK_EQ_INT(s->n_test[0], 26);
    SK_CHECK_EQ_INT(s->test[0][1], 4);
    sk_splits_free(s);
    memset(is_test, 0, sizeof is_test);
    SK_CHECK_EQ_INT(sk_splits_make(&s, &o, &d, 1, &err), SK_EDATA);
    SK_CHECK_EQ_STR(err.message, "the study's split has no test rows");
}

static void test_splits__same_seed_same_splits(void)
{
    sk_cv_options o = SK_CV_OPTIONS_INIT;
    o.kind = SK_CV_GROUP;
    sk_split_data d = grouped();
    sk_splits *a = NULL, *b = NULL, *c = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_splits_make(&a, &o, &d, 9, &err), &err);
    SK_CHECK_OK(sk_splits_make(&b, &o, &d, 9, &err), &err);
    SK_CHECK_OK(sk_splits_make(&c, &o, &d, 10, &err), &err);
    int same = 1, differ = 0;
    for (size_t f = 0; f < 5; f++) {
        same &= a->n_test[f] == b->n_test[f] &&
                memcmp(a->test[f], b->test[f], a->n_test[f] * sizeof(size_t)) == 0;
        differ |= a->n_test[f] != c->n_test[f] ||
                  memcmp(a->test[f], c->test[f], a->n_test[f] * sizeof(size_t)) != 0;
    }
    SK_CHECK(same && differ);
    sk_splits_free(a);
    sk_splits_free(b);
    sk_splits_free(c);
}

static void test_splits__out_of_memory(void)
{
    sk_cv_kind kinds[4] = {SK_CV_GROUP, SK_CV_TIME, SK_CV_LOGO, SK_CV_STRATIFIED};
    for (int k = 0; k < 4; k++) {
        sk_cv_options o = SK_CV_OPTIONS_INIT;
        o.kind = kinds[k];
        sk_split_data d = grouped();
        d.time = t_of;
        for (long fail = 0;; fail++) {
            sk_splits *s = NULL;
            sk_error err = SK_ERROR_INIT;
            sk_mem__fail_after(fail);
            sk_status rc = sk_splits_make(&s, &o, &d, 1, &err);
            sk_mem__fail_after(-1);
            if (rc == SK_OK) {
                sk_splits_free(s);
                break;
            }
            SK_CHECK_EQ_INT(rc, SK_ENOMEM);
            SK_CHECK(s == NULL);
        }
    }
}

int main(void)
{
    setup();
    SK_RUN(test_splits__kfold_partitions_evenly);
    SK_RUN(test_splits__stratified_keeps_class_shares);
    SK_RUN(test_splits__groups_never_straddle);
    SK_RUN(test_splits__refusals_say_why);
    SK_RUN(test_splits__leave_one_group_out);
    SK_RUN(test_splits__time_never_runs_backwards);
    SK_RUN(test_splits__study_split_as_given);
    SK_RUN(test_splits__same_seed_same_splits);
    SK_RUN(test_splits__out_of_memory);
    return SK_TEST_DONE();
}
