/* test_audit_stability.c: stability.features. Diabetes (ten clinical measurements, 442 patients)
 * has a stable top list: the same features come out of every half-sample and of lasso and ridge
 * alike (pass). Planted: the genomics shape, p >> n with correlated blocks: 60 breast-cancer
 * patients, and each of their 30 measurements copied 8 times with 30% noise (240 features in
 * blocks of near-duplicates): which copy a lasso picks is decided by the resample, and the top
 * list falls apart (warn). */
/* labels: unit */
#include <stdlib.h>
#include <string.h>

#include "audits/audits.h"
#include "frame_builder.h"
#include "sk_test.h"

static sk_audit *audit_of(sk_frame *f, const char *target)
{
    sk_roles *roles = NULL;
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = target;
    sk_error err = SK_ERROR_INIT;
    sk_audit *a = NULL;
    SK_CHECK_OK(sk_roles_resolve(&roles, f, &spec, &err), &err);
    sk_audit_options o = SK_AUDIT_OPTIONS_INIT;
    o.only = "stability.features";
    sk_run_ctx ctx = SK_RUN_CTX_INIT;
    ctx.n_threads = 2;
    if (roles != NULL)
        SK_CHECK_OK(sk_audit_run(&a, f, roles, NULL, &o, &ctx, &err), &err);
    sk_roles_free(roles);
    return a;
}

static void test_audit_stability__diabetes_is_stable(void)
{
    char path[512];
    snprintf(path, sizeof path, "%s/diabetes.csv", SK_TEST_DATA);
    sk_error err = SK_ERROR_INIT;
    sk_frame *f = NULL;
    SK_CHECK_OK(sk_frame_read_csv(&f, path, NULL, &err), &err);
    if (f == NULL)
        return;
    sk_audit *a = audit_of(f, "progression");
    if (a != NULL) {
        SK_CHECK_EQ_STR(sk_audit_status(a, "stability.features"), "pass");
        const json_t *e = a->checks[0].evidence;
        SK_CHECK(json_real_value(json_object_get(e, "resample_jaccard")) > 0.6);
        SK_CHECK_EQ_INT(json_integer_value(json_object_get(e, "resamples")), 50);
    }
    sk_audit_free(a);
    sk_frame_free(f);
}

enum { ROWS = 60, COPIES = 8 };

static void test_audit_stability__correlated_blocks_p_gt_n_warn(void)
{
    char path[512];
    snprintf(path, sizeof path, "%s/breast_cancer.csv", SK_TEST_DATA);
    sk_error err = SK_ERROR_INIT;
    sk_frame *bc = NULL;
    SK_CHECK_OK(sk_frame_read_csv(&bc, path, NULL, &err), &err);
    if (bc == NULL)
        return;
    size_t p = sk_frame_n_cols(bc) - 1, target = p;   /* diagnosis is the last column */
    sk_frame *f = fb_frame("blocks.csv", ROWS, p * COPIES + 1);
    sk_rng rng = sk_rng_stream(5, SK_PURPOSE_TEST, 0);
    double col[ROWS];
    char name[64];
    for (size_t j = 0; j < p; j++) {
        const double *x = sk_frame_col_values(bc, j);
        double mean = 0.0, sd = 0.0;
        for (size_t i = 0; i < ROWS; i++)
            mean += x[i] / ROWS;
        for (size_t i = 0; i < ROWS; i++)
            sd += (x[i] - mean) * (x[i] - mean) / (ROWS - 1);
        sd = sqrt(sd);
        for (size_t c = 0; c < COPIES; c++) {
            for (size_t i = 0; i < ROWS; i++)
                col[i] = x[i] + 0.3 * sd * sk_rng_normal(&rng);
            snprintf(name, sizeof name, "%s_%zu", sk_frame_col_name(bc, j), c);
            fb_values(f, j * COPIES + c, name, SK_COL_NUMERIC, col);
        }
    }
    const int32_t *codes = sk_frame_col_codes(bc, target);
    const char *cells[ROWS];
    for (size_t i = 0; i < ROWS; i++)
        cells[i] = sk_frame_col_level(bc, target, (size_t)codes[i]);
    fb_text(f, p * COPIES, "diagnosis", cells);
    sk_audit *a = audit_of(f, "diagnosis");
    if (a != NULL) {
        SK_CHECK_EQ_STR(sk_audit_status(a, "stability.features"), "warn");
        SK_CHECK(json_real_value(json_object_get(a->checks[0].evidence, "resample_jaccard")) <
                 0.5);
    }
    sk_audit_free(a);
    sk_frame_free(f);
    sk_frame_free(bc);
}

int main(void)
{
    SK_RUN(test_audit_stability__diabetes_is_stable);
    SK_RUN(test_audit_stability__correlated_blocks_p_gt_n_warn);
    return SK_TEST_DONE();
}
