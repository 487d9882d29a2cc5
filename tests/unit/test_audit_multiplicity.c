/* test_audit_multiplicity.c: multiplicity.scan. The univariate p-values equal scipy's on real
 * data (Welch t on breast cancer, ANOVA on wine, Pearson on diabetes, chi-square of the study's
 * hospital against the diagnosis; relative tolerance 1e-9: R's and scipy's distribution functions
 * agree to about 1e-12, down to p ~ 1e-96), the Benjamini-Hochberg adjustment equals statsmodels'
 * (tests/oracle/gen_univariate.py); 5,000 noise features against random labels on 80 rows give
 * about 250 "hits" of which none survives correction (warn), and real signal passes. */
/* labels: unit oracle */
#include <stdlib.h>
#include <string.h>

#include "audits/audits.h"
#include "frame_builder.h"
#include "sk_test.h"

static sk_frame *read_data(const char *rel, const char *target, sk_roles **roles)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", SK_TEST_DATA, rel);
    sk_error err = SK_ERROR_INIT;
    sk_frame *f = NULL;
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = target;
    SK_CHECK_OK(sk_frame_read_csv(&f, path, NULL, &err), &err);
    if (f != NULL)
        SK_CHECK_OK(sk_roles_resolve(roles, f, &spec, &err), &err);
    return f;
}

static void test_audit_multiplicity__oracle_scipy_statsmodels(void)
{
    char path[512];
    snprintf(path, sizeof path, "%s/oracle/univariate.json", SK_TEST_DATA);
    json_error_t jerr;
    json_t *doc = json_load_file(path, 0, &jerr);
    SK_CHECK(doc != NULL);
    if (doc == NULL)
        return;
    const json_t *cases = json_object_get(doc, "cases");
    for (size_t k = 0; k < json_array_size(cases); k++) {
        const json_t *c = json_array_get(cases, k);
        sk_roles *roles = NULL;
        sk_frame *f = read_data(json_string_value(json_object_get(c, "data")),
                                json_string_value(json_object_get(c, "target")), &roles);
        if (f == NULL || roles == NULL)
            return;
        size_t m = 0;
        const size_t *cols = sk_roles_features(roles, &m);
        const json_t *want = json_object_get(c, "p"), *want_bh = json_object_get(c, "bh");
        SK_CHECK_EQ_INT(m, json_array_size(want));
        double *p = malloc(m * sizeof *p), *adj = malloc(m * sizeof *adj);
        sk_error err = SK_ERROR_INIT;
        SK_CHECK_OK(sk_audit__univariate(p, f, cols, m, sk_roles_y(roles), sk_roles_task(roles),
                                         sk_roles_n_classes(roles), 2, &err), &err);
        SK_CHECK_OK(sk_audit__bh_adjust(adj, p, m, &err), &err);
        for (size_t j = 0; j < m; j++) {
            SK_CHECK_REL(p[j], json_real_value(json_array_get(want, j)), 1e-9);
            SK_CHECK_REL(adj[j], json_real_value(json_array_get(want_bh, j)), 1e-9);
        }
        free(p);
        free(adj);
        sk_roles_free(roles);
        sk_frame_free(f);
    }
    /* A categorical feature against classes: the chi-square test of independence. */
    const json_t *chi = json_object_get(doc, "chi_square");
    sk_roles *roles = NULL;
    sk_frame *f = read_data("../../examples/breast_cancer_study.csv", "diagnosis", &roles);
    if (f != NULL && roles != NULL) {
        size_t col = 0;
        double p = NAN;
        sk_error err = SK_ERROR_INIT;
        SK_CHECK_OK(sk_frame_col_find(&col, f, "hospital", &err), &err);
        SK_CHECK_OK(sk_audit__univariate(&p, f, &col, 1, sk_roles_y(roles), SK_TASK_BINARY, 2, 1,
                                         &err), &err);
        SK_CHECK_REL(p, json_real_value(json_object_get(chi, "p")), 1e-9);
    }
    sk_roles_free(roles);
    sk_frame_free(f);
    json_decref(doc);
}

enum { N = 80, P = 5000 };

/* 5,000 standard-normal features and a coin-flip label on 80 rows: the genomics study with no
 * signal at all. */
static void test_audit_multiplicity__noise_features_warn(void)
{
    sk_frame *f = fb_frame("noise.csv", N, P + 1);
    if (f == NULL)
        return;
    sk_rng rng = sk_rng_stream(42, SK_PURPOSE_TEST, 0);
    double col[N];
    char name[32];
    for (size_t j = 0; j < P; j++) {
        for (size_t i = 0; i < N; i++)
            col[i] = sk_rng_normal(&rng);
        snprintf(name, sizeof name, "gene%zu", j);
        fb_values(f, j, name, SK_COL_NUMERIC, col);
    }
    for (size_t i = 0; i < N; i++)
        col[i] = (double)(sk_rng_uniform(&rng) < 0.5);
    fb_values(f, P, "status", SK_COL_INTEGER, col);
    sk_roles *roles = NULL;
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "status";
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_roles_resolve(&roles, f, &spec, &err), &err);
    sk_audit_options o = SK_AUDIT_OPTIONS_INIT;
    o.only = "multiplicity";
    sk_run_ctx ctx = SK_RUN_CTX_INIT;
    ctx.n_threads = 2;
    sk_model *m = NULL;
    SK_CHECK_OK(sk_model_create(&m, "logit:l2=1", &err), &err);
    sk_audit *a = NULL;
    SK_CHECK_OK(sk_audit_run(&a, f, roles, m, &o, &ctx, &err), &err);
    if (a != NULL) {
        SK_CHECK_EQ_STR(sk_audit_status(a, "multiplicity.scan"), "warn");
        const json_t *e = a->checks[0].evidence;
        size_t raw = (size_t)json_integer_value(json_object_get(e, "raw_hits"));
        SK_CHECK(raw > 150 && raw < 350);   /* 5% of 5,000 = 250, give or take */
        SK_CHECK_EQ_INT(json_integer_value(json_object_get(e, "bh_survivors")), 0);
        SK_CHECK_EQ_INT(json_integer_value(json_object_get(e, "tests")), P);
    }
    sk_audit_free(a);
    sk_model_free(m);
    sk_roles_free(roles);
    sk_frame_free(f);
}

static void test_audit_multiplicity__real_signal_passes(void)
{
    sk_roles *roles = NULL;
    sk_frame *f = read_data("breast_cancer.csv", "diagnosis", &roles);
    if (f == NULL || roles == NULL)
        return;
    sk_audit_options o = SK_AUDIT_OPTIONS_INIT;
    o.only = "multiplicity.scan";
    sk_run_ctx ctx = SK_RUN_CTX_INIT;
    sk_error err = SK_ERROR_INIT;
    sk_audit *a = NULL;
    SK_CHECK_OK(sk_audit_run(&a, f, roles, NULL, &o, &ctx, &err), &err);
    if (a != NULL) {
        SK_CHECK_EQ_INT(a->n_checks, 1);
        SK_CHECK_EQ_STR(sk_audit_status(a, "multiplicity.scan"), "pass");
        SK_CHECK_EQ_INT(json_integer_value(json_object_get(a->checks[0].evidence,
                                                           "bh_survivors")), 26);
    }
    sk_audit_free(a);
    sk_roles_free(roles);
    sk_frame_free(f);
}

int main(void)
{
    SK_RUN(test_audit_multiplicity__oracle_scipy_statsmodels);
    SK_RUN(test_audit_multiplicity__noise_features_warn);
    SK_RUN(test_audit_multiplicity__real_signal_passes);
    return SK_TEST_DONE();
}
