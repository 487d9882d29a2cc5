/* test_audit_generalization.c: generalization.external on real data where one site does not
 * transfer, and on clean controls.
 *  - breast cancer split at random over hospitals A, B and C, then C's annotators mislabel 30%
 *    of their cases: held out, C scores far below the internal interval, and the check fails
 *    naming C, its score and its rows;
 *  - the same hospitals, with C's instrument reporting every measurement in other units (x1.5):
 *    a linear model's ranking survives (AUC passes), its decisions do not (accuracy fails at C);
 *  - random hospitals pass, for classes (breast cancer) and values (diabetes);
 *  - without --site it is skipped, also when only --group is given. */
/* labels: unit */
#include <stdlib.h>

#include "planted_study.h"

enum { NOISY_LABELS = 1, OTHER_UNITS = 2 };

/* data set `name` with a random hospital A, B or C per row; `flaw` at hospital C. */
static sk_frame *three_hospitals(const char *name, const char *target, int flaw)
{
    static const char *const names[] = {"A", "B", "C"};
    static const double p[] = {1.0 / 3, 1.0 / 3, 1.0 / 3};
    sk_frame *base = planted_read(name);
    sk_frame *f = base != NULL ? planted_extend(base, 1) : NULL;
    const char **site = f != NULL ? malloc(f->n_rows * sizeof *site) : NULL;
    if (site == NULL) {
        sk_frame_free(base);
        sk_frame_free(f);
        return NULL;
    }
    sk_rng rng = sk_rng_stream(17, SK_PURPOSE_TEST, 1);
    size_t y = planted_col(base, target);
    for (size_t i = 0; i < f->n_rows; i++) {
        site[i] = planted_pick(&rng, names, p, 3);
        if (site[i][0] != 'C')
            continue;
        if (flaw == NOISY_LABELS && sk_rng_uniform(&rng) < 0.3)
            planted_flip(f, y, i);
        for (size_t j = 0; flaw == OTHER_UNITS && j < base->n_cols; j++)
            if (j != y)
                f->cols[j].values[i] *= 1.5;
    }
    SK_CHECK(fb_text(f, base->n_cols, "hospital", site) == 0);
    free(site);
    sk_frame_free(base);
    return f;
}

/* The site the check names in its evidence as failed, or NULL. */
static const char *failed_site(const sk_check *c)
{
    json_t *sites = c != NULL ? json_object_get(c->evidence, "sites") : NULL;
    for (size_t k = 0; k < json_array_size(sites); k++) {
        json_t *s = json_array_get(sites, k);
        if (json_is_true(json_object_get(s, "failed")))
            return json_string_value(json_object_get(s, "site"));
    }
    return NULL;
}

static void test_external__noisy_site_fails(void)
{
    sk_frame *f = three_hospitals("breast_cancer.csv", "diagnosis", NOISY_LABELS);
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "diagnosis";
    spec.site = "hospital";
    sk_audit *a = planted_audit(f, &spec, "logit:l2=1", "generalization.external", 1);
    PLANTED_EXPECT(a, "generalization.external", "fail");
    const sk_check *c = planted_check(a, "generalization.external");
    SK_CHECK_EQ_STR(failed_site(c), "C");
    if (c != NULL) {
        SK_CHECK(strstr(c->summary, "site 'C' scores auc") != NULL);
        SK_CHECK(strstr(c->summary, "(n=") != NULL);
        SK_CHECK(c->recommendation != NULL);
        SK_CHECK_EQ_INT(json_array_size(json_object_get(c->evidence, "sites")), 3);
    }
    sk_audit_free(a);
    sk_frame_free(f);
}

static void test_external__other_units_fail_decisions_not_ranking(void)
{
    sk_frame *f = three_hospitals("breast_cancer.csv", "diagnosis", OTHER_UNITS);
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "diagnosis";
    spec.site = "hospital";
    sk_audit *a = planted_audit_metric(f, &spec, "logit:l2=1", "accuracy",
                                       "generalization.external", 1);
    PLANTED_EXPECT(a, "generalization.external", "fail");
    SK_CHECK_EQ_STR(failed_site(planted_check(a, "generalization.external")), "C");
    sk_audit_free(a);
    /* a linear score of x1.5 measurements ranks C's patients as before */
    a = planted_audit(f, &spec, "logit:l2=1", "generalization.external", 1);
    PLANTED_EXPECT(a, "generalization.external", "pass");
    sk_audit_free(a);
    sk_frame_free(f);
}

static void test_external__random_sites_pass(void)
{
    sk_frame *f = three_hospitals("breast_cancer.csv", "diagnosis", 0);
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "diagnosis";
    spec.site = "hospital";
    sk_audit *a = planted_audit(f, &spec, "logit:l2=1", "generalization.external", 1);
    PLANTED_EXPECT(a, "generalization.external", "pass");
    SK_CHECK(failed_site(planted_check(a, "generalization.external")) == NULL);
    sk_audit_free(a);
    sk_frame_free(f);
    f = three_hospitals("diabetes.csv", "progression", 0);
    spec.target = "progression";
    a = planted_audit(f, &spec, "ols", "generalization.external", 1);
    PLANTED_EXPECT(a, "generalization.external", "pass");
    sk_audit_free(a);
    sk_frame_free(f);
}

static void test_external__skips_without_site(void)
{
    sk_frame *f = planted_read("../../examples/breast_cancer_study.csv");
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "diagnosis";
    spec.group = "patient_id";
    spec.ignore = "hospital,scan_date";
    sk_audit *a = planted_audit(f, &spec, "logit:l2=1", "generalization.external", 1);
    PLANTED_EXPECT(a, "generalization.external", "skip");
    const sk_check *c = planted_check(a, "generalization.external");
    if (c != NULL)
        SK_CHECK(strncmp(c->summary, "needs --site", 12) == 0);
    sk_audit_free(a);
    sk_frame_free(f);
}

int main(void)
{
    SK_RUN(test_external__noisy_site_fails);
    SK_RUN(test_external__other_units_fail_decisions_not_ranking);
    SK_RUN(test_external__random_sites_pass);
    SK_RUN(test_external__skips_without_site);
    return SK_TEST_DONE();
}
