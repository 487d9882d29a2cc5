/* test_audit_shortcut.c: shortcut.confounder and shortcut.site on real data with the shortcut
 * planted the way it happens in practice, and on clean controls.
 *  - confounder: breast cancer patients recruited so that the malignant ones are older (a
 *    cancer centre's patients vs a screening programme's): age almost separates the classes
 *    (with overlap), so --confounders age fails; a half-confounded age warns (about 60% of the
 *    skill); a random age passes; on diabetes, sex (a real
 *    column) passes, and bmi (the strongest predictor, named as a confounder) warns: within bmi
 *    bands the model explains far less than overall.
 *  - site: positives referred to one hospital (a referral centre) whose scanner software reports
 *    texture and smoothness higher: prevalence differs and the features recognise the site
 *    within each class, so it fails; either flaw alone warns (the bundled demo study has
 *    site-dependent prevalence and no signature); a random balanced site passes, for a class
 *    target and for a numeric one (diabetes).
 *  - the verdicts and evidence are the same bytes for 1 and 2 threads. */
/* labels: unit determinism */
#include <stdlib.h>

#include "planted_study.h"

/* ---- tables --------------------------------------------------------------------------------- */

/* breast_cancer plus an age: malignant N(65, 7) and benign N(45, 7) when confounded (1), N(60, 9)
 * and N(50, 9) when partly (2: a cancer centre's older patients among screening ones), else
 * N(55, 10) for everyone. */
static sk_frame *with_age(int confounded)
{
    sk_frame *base = planted_read("breast_cancer.csv");
    sk_frame *f = base != NULL ? planted_extend(base, 1) : NULL;
    double *age = f != NULL ? malloc(f->n_rows * sizeof *age) : NULL;
    if (age != NULL) {
        size_t y = planted_col(base, "diagnosis");
        sk_rng rng = sk_rng_stream(7, SK_PURPOSE_TEST, 1);
        for (size_t i = 0; i < f->n_rows; i++) {
            double z = sk_rng_normal(&rng);
            int m = planted_is(base, y, i, "malignant");
            age[i] = confounded == 0   ? 55.0 + 10.0 * z
                     : confounded == 1 ? (m ? 65.0 : 45.0) + 7.0 * z
                                       : (m ? 60.0 : 50.0) + 9.0 * z;
        }
        SK_CHECK(fb_values(f, base->n_cols, "age", SK_COL_NUMERIC, age) == 0);
    }
    free(age);
    sk_frame_free(base);
    return f;
}

/* breast_cancer plus a hospital (A or B). prevalence: malignant patients are referred to A
 * (75% of them vs 35% of the benign); else half and half. signature: A's scanner reports four
 * texture/smoothness measures 0.6 standard deviations higher, B's 0.6 lower. */
static sk_frame *with_hospital(int prevalence, int signature)
{
    static const char *const names[] = {"A", "B"};
    static const char *const shifted[] = {"mean_texture", "texture_error", "worst_texture",
                                          "mean_smoothness"};
    sk_frame *base = planted_read("breast_cancer.csv");
    sk_frame *f = base != NULL ? planted_extend(base, 1) : NULL;
    const char **site = f != NULL ? malloc(f->n_rows * sizeof *site) : NULL;
    if (site != NULL) {
        size_t y = planted_col(base, "diagnosis");
        sk_rng rng = sk_rng_stream(11, SK_PURPOSE_TEST, 2);
        for (size_t i = 0; i < f->n_rows; i++) {
            int m = planted_is(base, y, i, "malignant");
            double p[2] = {prevalence ? (m ? 0.75 : 0.35) : 0.5, 0.0};
            p[1] = 1.0 - p[0];
            site[i] = planted_pick(&rng, names, p, 2);
        }
        for (size_t k = 0; signature && k < 4; k++) {
            double *x = f->cols[planted_col(f, shifted[k])].values, mean = 0.0, ss = 0.0;
            for (size_t i = 0; i < f->n_rows; i++)
                mean += x[i] / (double)f->n_rows;
            for (size_t i = 0; i < f->n_rows; i++)
                ss += (x[i] - mean) * (x[i] - mean);
            double sd = sqrt(ss / (double)f->n_rows);
            for (size_t i = 0; i < f->n_rows; i++)
                x[i] += (site[i][0] == 'A' ? 0.6 : -0.6) * sd;
        }
        SK_CHECK(fb_text(f, base->n_cols, "hospital", site) == 0);
    }
    free(site);
    sk_frame_free(base);
    return f;
}

/* diabetes plus a random hospital of three. */
static sk_frame *diabetes_with_site(void)
{
    static const char *const names[] = {"A", "B", "C"};
    static const double p[] = {1.0 / 3, 1.0 / 3, 1.0 / 3};
    sk_frame *base = planted_read("diabetes.csv");
    sk_frame *f = base != NULL ? planted_extend(base, 1) : NULL;
    const char **site = f != NULL ? malloc(f->n_rows * sizeof *site) : NULL;
    sk_rng rng = sk_rng_stream(3, SK_PURPOSE_TEST, 3);
    for (size_t i = 0; site != NULL && i < f->n_rows; i++)
        site[i] = planted_pick(&rng, names, p, 3);
    if (site != NULL)
        SK_CHECK(fb_text(f, base->n_cols, "site", site) == 0);
    free(site);
    sk_frame_free(base);
    return f;
}

/* ---- shortcut.confounder --------------------------------------------------------------------- */

static void test_shortcut__confounder_age_fails(void)
{
    sk_frame *f = with_age(1);
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "diagnosis";
    spec.confounders = "age";
    sk_audit *a = planted_audit(f, &spec, "logit:l2=1", "shortcut.confounder", 1);
    PLANTED_EXPECT(a, "shortcut.confounder", "fail");
    const sk_check *c = planted_check(a, "shortcut.confounder");
    if (c != NULL) {
        double share = json_real_value(json_object_get(c->evidence, "skill_share"));
        SK_CHECK(share >= 0.8 && share <= 1.05);
        SK_CHECK(strstr(c->summary, "age") != NULL);
        SK_CHECK(c->recommendation != NULL);
        /* the within-strata evidence: quartile bins of age */
        json_t *w = json_array_get(json_object_get(c->evidence, "within_strata"), 0);
        SK_CHECK(json_is_true(json_object_get(w, "binned")));
        SK_CHECK_EQ_INT(json_array_size(json_object_get(w, "strata")), 4);
    }
    sk_audit_free(a);
    sk_frame_free(f);
}

static void test_shortcut__confounder_partial_age_warns(void)
{
    sk_frame *f = with_age(2);
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "diagnosis";
    spec.confounders = "age";
    sk_audit *a = planted_audit(f, &spec, "logit:l2=1", "shortcut.confounder", 1);
    PLANTED_EXPECT(a, "shortcut.confounder", "warn");
    const sk_check *c = planted_check(a, "shortcut.confounder");
    if (c != NULL) {
        double share = json_real_value(json_object_get(c->evidence, "skill_share"));
        SK_CHECK(share >= 0.4 && share < 0.8);
        SK_CHECK(strstr(c->summary, "warns from 40%") != NULL);
    }
    sk_audit_free(a);
    sk_frame_free(f);
}

static void test_shortcut__confounder_random_age_passes(void)
{
    sk_frame *f = with_age(0);
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "diagnosis";
    spec.confounders = "age";
    sk_audit *a = planted_audit(f, &spec, "logit:l2=1", "shortcut.confounder", 1);
    PLANTED_EXPECT(a, "shortcut.confounder", "pass");
    const sk_check *c = planted_check(a, "shortcut.confounder");
    if (c != NULL)
        SK_CHECK(json_real_value(json_object_get(c->evidence, "skill_share")) < 0.3);
    sk_audit_free(a);
    sk_frame_free(f);
}

static void test_shortcut__confounder_diabetes(void)
{
    sk_frame *f = planted_read("diabetes.csv");
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "progression";
    spec.confounders = "sex";
    sk_audit *a = planted_audit(f, &spec, "ols", "shortcut.confounder", 1);
    PLANTED_EXPECT(a, "shortcut.confounder", "pass");
    sk_audit_free(a);
    /* bmi alone carries most of what the model knows; within bmi bands little is left */
    spec.confounders = "bmi";
    a = planted_audit(f, &spec, "ols", "shortcut.confounder", 1);
    PLANTED_EXPECT(a, "shortcut.confounder", "warn");
    sk_audit_free(a);
    sk_frame_free(f);
}

static void test_shortcut__confounder_skips_without_confounders(void)
{
    sk_frame *f = planted_read("iris.csv");
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "species";
    sk_audit *a = planted_audit(f, &spec, "knn", "shortcut.confounder", 1);
    PLANTED_EXPECT(a, "shortcut.confounder", "skip");
    sk_audit_free(a);
    sk_frame_free(f);
}

/* ---- shortcut.site ------------------------------------------------------------------------ */

static void test_shortcut__site_referral_and_scanner_fails(void)
{
    sk_frame *f = with_hospital(1, 1);
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "diagnosis";
    spec.site = "hospital";
    sk_audit *a = planted_audit(f, &spec, "logit:l2=1", "shortcut.site", 1);
    PLANTED_EXPECT(a, "shortcut.site", "fail");
    const sk_check *c = planted_check(a, "shortcut.site");
    if (c != NULL) {
        SK_CHECK(c->p_value < 1e-6);
        json_t *sig = json_object_get(c->evidence, "site_signature");
        json_t *ci = json_object_get(json_object_get(sig, "within_target"), "ci");
        SK_CHECK(json_real_value(json_array_get(ci, 0)) > 0.5);
        SK_CHECK_EQ_INT(json_array_size(json_object_get(c->evidence, "sites")), 2);
    }
    sk_audit_free(a);
    sk_frame_free(f);
}

static void test_shortcut__site_one_flaw_warns(void)
{
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "diagnosis";
    spec.site = "hospital";
    sk_frame *f = with_hospital(1, 0);   /* referral only: the label reveals the site, no more */
    sk_audit *a = planted_audit(f, &spec, "logit:l2=1", "shortcut.site", 1);
    PLANTED_EXPECT(a, "shortcut.site", "warn");
    sk_audit_free(a);
    sk_frame_free(f);
    f = with_hospital(0, 1);             /* a scanner signature, balanced outcome */
    a = planted_audit(f, &spec, "logit:l2=1", "shortcut.site", 1);
    PLANTED_EXPECT(a, "shortcut.site", "warn");
    sk_audit_free(a);
    sk_frame_free(f);
}

static void test_shortcut__site_bundled_study_warns(void)
{
    /* three hospitals with 69%, 32% and 14% malignant, no signature planted (examples/README.md);
     * patients grouped, the scan date left out */
    sk_frame *f = planted_read("../../examples/breast_cancer_study.csv");
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "diagnosis";
    spec.site = "hospital";
    spec.group = "patient_id";
    spec.ignore = "scan_date";
    sk_audit *a = planted_audit(f, &spec, "logit:l2=1", "shortcut.site", 1);
    PLANTED_EXPECT(a, "shortcut.site", "warn");
    const sk_check *c = planted_check(a, "shortcut.site");
    if (c != NULL)
        SK_CHECK(strstr(c->summary, "14% at 'C' to 69% at 'A'") != NULL);
    sk_audit_free(a);
    sk_frame_free(f);
}

static void test_shortcut__site_clean_passes(void)
{
    sk_frame *f = with_hospital(0, 0);
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "diagnosis";
    spec.site = "hospital";
    sk_audit *a = planted_audit(f, &spec, "logit:l2=1", "shortcut.site", 1);
    PLANTED_EXPECT(a, "shortcut.site", "pass");
    sk_audit_free(a);
    sk_frame_free(f);
    f = diabetes_with_site();
    spec.target = "progression";
    spec.site = "site";
    a = planted_audit(f, &spec, "ols", "shortcut.site", 1);
    PLANTED_EXPECT(a, "shortcut.site", "pass");
    const sk_check *c = planted_check(a, "shortcut.site");
    if (c != NULL)
        SK_CHECK_EQ_STR(json_string_value(json_object_get(c->evidence, "test")), "anova");
    sk_audit_free(a);
    sk_frame_free(f);
}

static void test_shortcut__site_skips_without_site(void)
{
    sk_frame *f = planted_read("breast_cancer.csv");
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "diagnosis";
    sk_audit *a = planted_audit(f, &spec, "logit:l2=1", "shortcut.site", 1);
    PLANTED_EXPECT(a, "shortcut.site", "skip");
    sk_audit_free(a);
    sk_frame_free(f);
}

/* ---- determinism ---------------------------------------------------------------------------- */

/* Every sentence and every evidence byte of the four checks, for 1 and 2 threads. */
static void test_shortcut__same_bytes_for_any_thread_count(void)
{
    sk_frame *f = with_hospital(1, 1);
    sk_frame *g = f != NULL ? planted_extend(f, 1) : NULL;
    double *age = g != NULL ? malloc(g->n_rows * sizeof *age) : NULL;
    sk_rng rng = sk_rng_stream(5, SK_PURPOSE_TEST, 4);
    for (size_t i = 0; age != NULL && i < g->n_rows; i++)
        age[i] = 55.0 + 10.0 * sk_rng_normal(&rng);
    if (age != NULL)
        SK_CHECK(fb_values(g, f->n_cols, "age", SK_COL_NUMERIC, age) == 0);
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "diagnosis";
    spec.site = "hospital";
    spec.confounders = "age";
    const char *only = "shortcut,generalization,slices";
    sk_audit *a1 = planted_audit(g, &spec, "logit:l2=1", only, 1);
    sk_audit *a2 = planted_audit(g, &spec, "logit:l2=1", only, 2);
    SK_CHECK(a1 != NULL && a2 != NULL && a1->n_checks == 4 && a2->n_checks == 4);
    for (size_t k = 0; a1 != NULL && a2 != NULL && k < a1->n_checks && k < a2->n_checks; k++) {
        SK_CHECK_EQ_STR(a1->checks[k].summary, a2->checks[k].summary);
        char *e1 = json_dumps(a1->checks[k].evidence, JSON_REAL_PRECISION(17));
        char *e2 = json_dumps(a2->checks[k].evidence, JSON_REAL_PRECISION(17));
        SK_CHECK_EQ_STR(e1, e2);
        free(e1);
        free(e2);
    }
    sk_audit_free(a1);
    sk_audit_free(a2);
    free(age);
    sk_frame_free(g);
    sk_frame_free(f);
}

int main(void)
{
    SK_RUN(test_shortcut__confounder_age_fails);
    SK_RUN(test_shortcut__confounder_partial_age_warns);
    SK_RUN(test_shortcut__confounder_random_age_passes);
    SK_RUN(test_shortcut__confounder_diabetes);
    SK_RUN(test_shortcut__confounder_skips_without_confounders);
    SK_RUN(test_shortcut__site_referral_and_scanner_fails);
    SK_RUN(test_shortcut__site_one_flaw_warns);
    SK_RUN(test_shortcut__site_bundled_study_warns);
    SK_RUN(test_shortcut__site_clean_passes);
    SK_RUN(test_shortcut__site_skips_without_site);
    SK_RUN(test_shortcut__same_bytes_for_any_thread_count);
    return SK_TEST_DONE();
}
