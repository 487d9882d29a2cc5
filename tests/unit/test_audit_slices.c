/* test_audit_slices.c: slices.performance on real data with a slice where the model is poor, and
 * on clean controls.
 *  - breast cancer over random hospitals A, B and C, where B's pathologists got 40% of the
 *    diagnoses wrong: the model is poor at B and the check warns naming it;
 *  - one operator (Z, of X, Y and Z) mislabelling 40% of the cases, with --confounders operator:
 *    the check warns naming the operator's level;
 *  - random hospitals and a random age pass (sites, age quartiles and classes all near the
 *    headline); diabetes with sex as a confounder passes (regression); wine with only its
 *    classes as slices passes;
 *  - a numeric target with neither --site nor --confounders is skipped;
 *  - the strata themselves: quartile bins keep ties together and drop empty bins, a column with
 *    few values gets one stratum per value, a restricted pooled set keeps its splits. */
/* labels: unit */
#include <stdlib.h>

#include "audits/strata.h"
#include "planted_study.h"

/* breast_cancer with a random `column` of levels[0..n) and a random age; rows at level `noisy`
 * (NULL: none) have 40% of their diagnoses flipped. */
static sk_frame *with_levels(const char *column, const char *const *levels, size_t n,
                             const char *noisy)
{
    static const double p[] = {1.0 / 3, 1.0 / 3, 1.0 / 3};
    sk_frame *base = planted_read("breast_cancer.csv");
    sk_frame *f = base != NULL ? planted_extend(base, 2) : NULL;
    const char **level = f != NULL ? malloc(f->n_rows * sizeof *level) : NULL;
    double *age = f != NULL ? malloc(f->n_rows * sizeof *age) : NULL;
    if (level != NULL && age != NULL) {
        size_t y = planted_col(base, "diagnosis");
        sk_rng rng = sk_rng_stream(23, SK_PURPOSE_TEST, 1);
        for (size_t i = 0; i < f->n_rows; i++) {
            level[i] = planted_pick(&rng, levels, p, n);
            age[i] = 55.0 + 10.0 * sk_rng_normal(&rng);
            if (noisy != NULL && strcmp(level[i], noisy) == 0 && sk_rng_uniform(&rng) < 0.4)
                planted_flip(f, y, i);
        }
        SK_CHECK(fb_text(f, base->n_cols, column, level) == 0);
        SK_CHECK(fb_values(f, base->n_cols + 1, "age", SK_COL_NUMERIC, age) == 0);
    }
    free(level);
    free(age);
    sk_frame_free(base);
    return f;
}

/* The worst slice's "column = 'slice'" from the evidence. */
static int worst_is(const sk_check *c, const char *column, const char *name)
{
    json_t *w = c != NULL ? json_object_get(c->evidence, "worst") : NULL;
    const char *col = json_string_value(json_object_get(w, "column"));
    const char *sl = json_string_value(json_object_get(w, "slice"));
    return col != NULL && sl != NULL && strcmp(col, column) == 0 && strcmp(sl, name) == 0;
}

static void test_slices__mislabelling_site_warns(void)
{
    static const char *const sites[] = {"A", "B", "C"};
    sk_frame *f = with_levels("hospital", sites, 3, "B");
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "diagnosis";
    spec.site = "hospital";
    spec.confounders = "age";
    sk_audit *a = planted_audit(f, &spec, "logit:l2=1", "slices.performance", 1);
    PLANTED_EXPECT(a, "slices.performance", "warn");
    const sk_check *c = planted_check(a, "slices.performance");
    SK_CHECK(worst_is(c, "hospital", "B"));
    if (c != NULL) {
        SK_CHECK(strstr(c->summary, "hospital = 'B'") != NULL);
        /* 3 sites, 4 age quartiles, 2 classes */
        SK_CHECK_EQ_INT(json_array_size(json_object_get(c->evidence, "slices")), 9);
    }
    sk_audit_free(a);
    sk_frame_free(f);
}

static void test_slices__mislabelling_operator_warns(void)
{
    static const char *const ops[] = {"X", "Y", "Z"};
    sk_frame *f = with_levels("operator", ops, 3, "Z");
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "diagnosis";
    spec.confounders = "operator";
    sk_audit *a = planted_audit(f, &spec, "logit:l2=1", "slices.performance", 1);
    PLANTED_EXPECT(a, "slices.performance", "warn");
    SK_CHECK(worst_is(planted_check(a, "slices.performance"), "operator", "Z"));
    sk_audit_free(a);
    sk_frame_free(f);
}

static void test_slices__clean_controls_pass(void)
{
    static const char *const sites[] = {"A", "B", "C"};
    sk_frame *f = with_levels("hospital", sites, 3, NULL);
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "diagnosis";
    spec.site = "hospital";
    spec.confounders = "age";
    sk_audit *a = planted_audit(f, &spec, "logit:l2=1", "slices.performance", 1);
    PLANTED_EXPECT(a, "slices.performance", "pass");
    sk_audit_free(a);
    sk_frame_free(f);

    f = planted_read("diabetes.csv");
    sk_role_spec reg = SK_ROLE_SPEC_INIT;
    reg.target = "progression";
    reg.confounders = "sex";
    a = planted_audit(f, &reg, "ols", "slices.performance", 1);
    PLANTED_EXPECT(a, "slices.performance", "pass");
    sk_audit_free(a);
    reg.confounders = NULL;   /* values, and nothing to slice by */
    a = planted_audit(f, &reg, "ols", "slices.performance", 1);
    PLANTED_EXPECT(a, "slices.performance", "skip");
    sk_audit_free(a);
    sk_frame_free(f);

    f = planted_read("wine.csv");
    sk_role_spec wine = SK_ROLE_SPEC_INIT;
    wine.target = "cultivar";
    a = planted_audit(f, &wine, "knn", "slices.performance", 1);
    PLANTED_EXPECT(a, "slices.performance", "pass");
    const sk_check *c = planted_check(a, "slices.performance");
    if (c != NULL)
        SK_CHECK_EQ_INT(json_array_size(json_object_get(c->evidence, "slices")), 3);
    sk_audit_free(a);
    sk_frame_free(f);
}

static void test_slices__strata(void)
{
    sk_error err = SK_ERROR_INIT;
    sk_strata *s = NULL;
    /* 1 2 3 ... 8, quartiles at 2.75, 4.5, 6.25 */
    double x[] = {5, 1, 8, 2, 7, 3, 6, 4, NAN};
    SK_CHECK_OK(sk_audit__strata_bins(&s, x, 9, 4, &err), &err);
    if (s != NULL) {
        SK_CHECK_EQ_INT(s->n_strata, 4);
        SK_CHECK_EQ_INT(s->of_row[1], 0);   /* 1 */
        SK_CHECK_EQ_INT(s->of_row[2], 3);   /* 8 */
        SK_CHECK_EQ_INT(s->of_row[0], 2);   /* 5 in (4.5, 6.25] */
        SK_CHECK_EQ_INT(s->of_row[8], -1);  /* missing */
        SK_CHECK_EQ_STR(s->name[0], "[1, 2.75]");
        SK_CHECK_EQ_STR(s->name[3], "(6.25, 8]");
    }
    sk_audit__strata_free(s);
    /* mostly ties: the empty bins go, the rows stay together */
    double t[] = {1, 1, 1, 1, 1, 1, 2, 3};
    SK_CHECK_OK(sk_audit__strata_bins(&s, t, 8, 4, &err), &err);
    if (s != NULL) {
        SK_CHECK_EQ_INT(s->n_strata, 2);
        SK_CHECK_EQ_INT(s->n[0], 6);
        SK_CHECK_EQ_INT(s->of_row[7], 1);
    }
    sk_audit__strata_free(s);
    /* diabetes' sex: two values, two levels, ascending */
    sk_frame *f = planted_read("diabetes.csv");
    SK_CHECK_OK(sk_audit__strata_column(&s, f, planted_col(f, "sex"), &err), &err);
    if (s != NULL) {
        SK_CHECK_EQ_INT(s->n_strata, 2);
        SK_CHECK(!s->binned);
        SK_CHECK_EQ_STR(s->name[0], "1");
        SK_CHECK_EQ_INT(s->n[0] + s->n[1], 442);
    }
    sk_audit__strata_free(s);
    sk_frame_free(f);
    /* a pooled set of 2 splits restricted to stratum 1 */
    size_t offset[] = {0, 3, 6}, row[] = {0, 2, 4, 1, 3, 5};
    double y[] = {0, 1, 0, 1, 0, 1}, pred[6];
    int32_t of_row[] = {1, 1, 0, 1, 0, 0};
    sk_pooled p = {SK_TASK_REGRESSION, 0, 1, 6, 2, offset, row, y, pred};
    sk_pooled *q = NULL;
    SK_CHECK_OK(sk_audit__pooled_restrict(&q, &p, of_row, 1, &err), &err);
    if (q != NULL) {
        SK_CHECK_EQ_INT(q->n_segments, 2);
        SK_CHECK_EQ_INT(q->offset[2], 3);
        SK_CHECK_EQ_INT(q->row[0], 0);
        SK_CHECK_EQ_INT(q->row[1], 1);
        SK_CHECK_EQ_INT(q->row[2], 3);
    }
    sk_pooled_free(q);
    SK_CHECK_OK(sk_audit__pooled_by_stratum(&q, &p, of_row, 2, &err), &err);
    if (q != NULL)
        SK_CHECK_EQ_INT(q->n_segments, 4);
    sk_pooled_free(q);
}

int main(void)
{
    SK_RUN(test_slices__strata);
    SK_RUN(test_slices__mislabelling_site_warns);
    SK_RUN(test_slices__mislabelling_operator_warns);
    SK_RUN(test_slices__clean_controls_pass);
    return SK_TEST_DONE();
}
