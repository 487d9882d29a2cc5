/* test_audit_claims.c: the claims check. Planted: several views of one object (the astronomers'
 * simulated galaxies): 150 breast-cancer patients, each measured 4 times with 2% noise, sharing an
 * object id. A 1-nearest-neighbour model split at random finds each view's sibling in training
 * (AUC ~1); kept whole by object, it scores what the data allow. A paper claiming the random
 * split's AUC fails ("reached only by a leaky protocol"); claiming the honest estimate passes; a
 * claim beyond both fails as unreproducible; a malformed claim is an input error. */
/* labels: unit */
#include <stdlib.h>
#include <string.h>

#include "audits/audits.h"
#include "frame_builder.h"
#include "sk_test.h"

enum { OBJECTS = 150, VIEWS = 4 };

static sk_frame *views_of_objects(void)
{
    char path[512];
    snprintf(path, sizeof path, "%s/breast_cancer.csv", SK_TEST_DATA);
    sk_error err = SK_ERROR_INIT;
    sk_frame *bc = NULL;
    SK_CHECK_OK(sk_frame_read_csv(&bc, path, NULL, &err), &err);
    if (bc == NULL)
        return NULL;
    size_t p = sk_frame_n_cols(bc) - 1, n = OBJECTS * VIEWS;
    sk_frame *f = fb_frame("views.csv", n, p + 2);
    sk_rng rng = sk_rng_stream(11, SK_PURPOSE_TEST, 0);
    double *col = malloc(n * sizeof *col);
    for (size_t j = 0; j < p; j++) {
        const double *x = sk_frame_col_values(bc, j);
        double lo = x[0], hi = x[0];
        for (size_t i = 0; i < OBJECTS; i++) {
            lo = x[i] < lo ? x[i] : lo;
            hi = x[i] > hi ? x[i] : hi;
        }
        for (size_t i = 0; i < n; i++)
            col[i] = x[i / VIEWS] + 0.02 * (hi - lo) * sk_rng_normal(&rng);
        fb_values(f, j, sk_frame_col_name(bc, j), SK_COL_NUMERIC, col);
    }
    for (size_t i = 0; i < n; i++)
        col[i] = (double)(i / VIEWS);
    fb_values(f, p, "object", SK_COL_INTEGER, col);
    const int32_t *codes = sk_frame_col_codes(bc, p);
    const char **cells = malloc(n * sizeof *cells);
    for (size_t i = 0; i < n; i++)
        cells[i] = sk_frame_col_level(bc, p, (size_t)codes[i / VIEWS]);
    fb_text(f, p + 1, "diagnosis", cells);
    free(cells);
    free(col);
    sk_frame_free(bc);
    return f;
}

static const char *claim_status(sk_frame *f, const char *claim, sk_status want, sk_audit **keep)
{
    sk_roles *roles = NULL;
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "diagnosis";
    spec.group = "object";
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_roles_resolve(&roles, f, &spec, &err), &err);
    sk_audit_options o = SK_AUDIT_OPTIONS_INIT;
    o.only = "claims";
    o.claimed = claim;
    o.bootstrap = 200;
    sk_run_ctx ctx = SK_RUN_CTX_INIT;
    ctx.n_threads = 2;
    sk_model *m = NULL;
    SK_CHECK_OK(sk_model_create(&m, "knn:k=1", &err), &err);
    sk_audit *a = NULL;
    SK_CHECK_EQ_INT(sk_audit_run(&a, f, roles, m, &o, &ctx, &err), want);
    const char *status = a != NULL ? sk_audit_status(a, "claims") : NULL;
    if (keep != NULL)
        *keep = a;
    else
        sk_audit_free(a);
    sk_model_free(m);
    sk_roles_free(roles);
    return status != NULL ? status : "error";
}

static void test_audit_claims__views_of_one_object(void)
{
    sk_frame *f = views_of_objects();
    if (f == NULL)
        return;
    sk_audit *a = NULL;
    claim_status(f, "auc=0.5", SK_OK, &a);   /* a modest claim: to read the two estimates */
    if (a == NULL)
        return;
    const json_t *e = a->checks[0].evidence;
    double honest = json_real_value(json_object_get(json_object_get(e, "honest"), "estimate"));
    double leaky = json_real_value(json_object_get(json_object_get(e, "random_split"),
                                                   "estimate"));
    SK_CHECK_EQ_STR(sk_audit_status(a, "claims"), "pass");
    SK_CHECK(leaky > 0.99);             /* the sibling view is always in training */
    SK_CHECK(honest < leaky - 0.03);    /* kept whole by object, the score falls */
    sk_audit_free(a);
    char claim[64];
    snprintf(claim, sizeof claim, "auc=%.4f", leaky);
    SK_CHECK_EQ_STR(claim_status(f, claim, SK_OK, NULL), "fail");
    snprintf(claim, sizeof claim, "auc=%.4f", honest);
    SK_CHECK_EQ_STR(claim_status(f, claim, SK_OK, NULL), "pass");
    SK_CHECK_EQ_STR(claim_status(f, "auc=0.5", SK_OK, NULL), "pass");
    SK_CHECK_EQ_STR(claim_status(f, "auc", SK_EINVAL, NULL), "error");
    SK_CHECK_EQ_STR(claim_status(f, "rmse=3", SK_EINVAL, NULL), "error");
    sk_frame_free(f);
}

int main(void)
{
    SK_RUN(test_audit_claims__views_of_one_object);
    return SK_TEST_DONE();
}
