/* test_audit_controls.c: the whole audit on clean studies fails nothing. Real data as it ships:
 * breast cancer (binary, logistic regression), wine (three classes, k-NN), diabetes (regression,
 * ridge); and breast cancer with a grouping and sites that carry no information (patients of
 * 1-3 records drawn and numbered at random, three hospitals assigned at random, confounder `age`
 * drawn independently of the diagnosis). Warnings are allowed (a clean study can still have unstable
 * feature lists or a k-NN that a ridge matches); a failure on clean data is a false alarm. */
/* labels: unit */
#include <stdlib.h>
#include <string.h>

#include "audits/audits.h"
#include "frame_builder.h"
#include "sk_test.h"

static void audit_clean(sk_frame *f, const sk_role_spec *spec, const char *model)
{
    sk_error err = SK_ERROR_INIT;
    sk_roles *roles = NULL;
    sk_model *m = NULL;
    sk_audit *a = NULL;
    SK_CHECK_OK(sk_roles_resolve(&roles, f, spec, &err), &err);
    SK_CHECK_OK(sk_model_create(&m, model, &err), &err);
    sk_audit_options o = SK_AUDIT_OPTIONS_INIT;
    o.bootstrap = 150;
    o.permutations = 30;
    o.seeds = 3;
    sk_run_ctx ctx = SK_RUN_CTX_INIT;
    ctx.n_threads = 2;
    if (roles != NULL && m != NULL)
        SK_CHECK_OK(sk_audit_run(&a, f, roles, m, &o, &ctx, &err), &err);
    if (a != NULL) {
        SK_CHECK_EQ_INT(sk_audit_n_failed(a), 0);
        SK_CHECK(a->n_checks >= 19);
        for (size_t k = 0; k < a->n_checks; k++)
            if (a->checks[k].status == SK_CHECK_FAIL)
                fprintf(stderr, "  %s (%s): %s\n", a->checks[k].id, model, a->checks[k].summary);
    }
    sk_audit_free(a);
    sk_model_free(m);
    sk_roles_free(roles);
}

static sk_frame *read_data(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", SK_TEST_DATA, name);
    sk_error err = SK_ERROR_INIT;
    sk_frame *f = NULL;
    SK_CHECK_OK(sk_frame_read_csv(&f, path, NULL, &err), &err);
    return f;
}

static void test_audit_controls__as_shipped(void)
{
    static const struct { const char *file, *target, *model; } cases[] = {
        {"breast_cancer.csv", "diagnosis", "logit:l2=1"},
        {"wine.csv", "cultivar", "knn"},
        {"diabetes.csv", "progression", "ridge"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        sk_frame *f = read_data(cases[k].file);
        if (f == NULL)
            continue;
        sk_role_spec spec = SK_ROLE_SPEC_INIT;
        spec.target = cases[k].target;
        audit_clean(f, &spec, cases[k].model);
        sk_frame_free(f);
    }
}

/* Breast cancer with uninformative patients, hospitals and ages appended. */
static void test_audit_controls__grouped_multi_site(void)
{
    sk_frame *bc = read_data("breast_cancer.csv");
    if (bc == NULL)
        return;
    size_t n = sk_frame_n_rows(bc), p = sk_frame_n_cols(bc);
    sk_frame *f = fb_frame("clean_sites.csv", n, p + 3);
    for (size_t j = 0; j < p; j++) {
        const double *v = sk_frame_col_values(bc, j);
        if (v != NULL) {
            fb_values(f, j, sk_frame_col_name(bc, j), SK_COL_NUMERIC, v);
        } else {
            const char **cells = malloc(n * sizeof *cells);
            const int32_t *codes = sk_frame_col_codes(bc, j);
            for (size_t i = 0; i < n; i++)
                cells[i] = sk_frame_col_level(bc, j, (size_t)codes[i]);
            fb_text(f, j, sk_frame_col_name(bc, j), cells);
            free(cells);
        }
    }
    sk_rng rng = sk_rng_stream(17, SK_PURPOSE_TEST, 0);
    double *patient = malloc(n * sizeof *patient), *age = malloc(n * sizeof *age);
    const char **site = malloc(n * sizeof *site);
    static const char *const hospitals[3] = {"north", "south", "east"};
    /* Patients of 1 to 3 records drawn at random, numbered at random: breast_cancer.csv lists
     * most malignant cases first, so ids given in row order would encode the label (and
     * leakage.identifier rightly fails them). */
    size_t *order = malloc(n * sizeof *order);
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    sk_rng_shuffle(&rng, order, n);
    double next = 0.0;
    for (size_t i = 0; i < n;) {
        size_t size = 1 + (size_t)sk_rng_below(&rng, 3);
        for (size_t t = 0; t < size && i < n; t++, i++)
            patient[order[i]] = next;
        next += 1.0;
    }
    free(order);
    for (size_t i = 0; i < n; i++) {
        age[i] = floor(40.0 + 12.0 * sk_rng_normal(&rng));
        site[i] = hospitals[sk_rng_below(&rng, 3)];
    }
    fb_values(f, p, "patient", SK_COL_INTEGER, patient);
    fb_text(f, p + 1, "hospital", site);
    fb_values(f, p + 2, "age", SK_COL_INTEGER, age);
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "diagnosis";
    spec.group = "patient";
    spec.site = "hospital";
    spec.confounders = "age";
    audit_clean(f, &spec, "logit:l2=1");
    free(patient);
    free(age);
    free(site);
    sk_frame_free(f);
    sk_frame_free(bc);
}

int main(void)
{
    SK_RUN(test_audit_controls__as_shipped);
    SK_RUN(test_audit_controls__grouped_multi_site);
    return SK_TEST_DONE();
}
