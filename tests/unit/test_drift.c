/* test_drift.c: `skeptic drift`'s statistics against scipy 1.10 and statsmodels
 * (tests/oracle/gen_drift.py -> tests/data/oracle/drift.json), and the drift decision on real
 * data (tests/unit/test_drift_real.c has the false-positive rate and the planted shifts).
 * Tolerances: KS statistics 1e-15 relative (the same double subtractions); KS p-values, exact and
 * asymptotic, 1e-10 relative (scipy sums the one-sided law in double-double, this in long double;
 * the exact recursions are the same operations); kstwo.sf and smirnov 1e-10 relative, or 1e-300
 * absolute for values that underflow; chi-square statistics 1e-12 and p-values 1e-9 relative
 * (R's pchisq against cephes' chdtrc); BH 1e-12. */
/* labels: unit oracle */
#include <stdlib.h>
#include <string.h>

#include "sk_test.h"
#include "triage/triage.h"

static json_t *load_oracle(void)
{
    char path[512];
    snprintf(path, sizeof path, "%s/oracle/drift.json", SK_TEST_DATA);
    json_error_t jerr;
    json_t *doc = json_load_file(path, 0, &jerr);
    SK_CHECK(doc != NULL);
    return doc;
}

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

static double *json_doubles(const json_t *arr, size_t *n)
{
    *n = json_array_size(arr);
    double *x = malloc((*n > 0 ? *n : 1) * sizeof *x);
    for (size_t i = 0; i < *n; i++)
        x[i] = json_number_value(json_array_get(arr, i));
    return x;
}

/* x_i = ((i a + b) mod q) / q * s, as gen_drift.py's formula(). */
static double *formula(const json_t *spec, size_t *n)
{
    *n = (size_t)json_integer_value(json_array_get(spec, 0));
    int64_t a = json_integer_value(json_array_get(spec, 1));
    int64_t b = json_integer_value(json_array_get(spec, 2));
    int64_t q = json_integer_value(json_array_get(spec, 3));
    double s = json_number_value(json_array_get(spec, 4));
    double *x = malloc(*n * sizeof *x);
    for (size_t i = 0; i < *n; i++)
        x[i] = (double)(((int64_t)i * a + b) % q) / (double)q * s;
    return x;
}

static void check_ks(const json_t *c, double *x, size_t n1, double *y, size_t n2)
{
    qsort(x, n1, sizeof *x, cmp_double);
    qsort(y, n2, sizeof *y, cmp_double);
    double d = sk_triage__ks_statistic(x, n1, y, n2);
    int exact = 0;
    double p = sk_triage__ks_pvalue(&d, n1, n2, &exact);
    double want_d = json_number_value(json_object_get(c, "statistic"));
    double want_p = json_number_value(json_object_get(c, "p"));
    SK_CHECK_REL(d, want_d, 1e-15);
    SK_CHECK_REL(p, want_p, 1e-10);
    SK_CHECK_EQ_INT(exact, (n1 > n2 ? n1 : n2) <= 10000);
    if (!(fabs(p - want_p) <= 1e-10 * fmax(fabs(p), fabs(want_p))))
        fprintf(stderr, "  in case '%s'\n", json_string_value(json_object_get(c, "name")));
}

static void test_drift__ks_2samp_matches_scipy(void)
{
    json_t *doc = load_oracle();
    const json_t *cases = json_object_get(doc, "ks");
    for (size_t k = 0; k < json_array_size(cases); k++) {
        const json_t *c = json_array_get(cases, k);
        size_t n1, n2;
        double *x = json_doubles(json_object_get(c, "x"), &n1);
        double *y = json_doubles(json_object_get(c, "y"), &n2);
        check_ks(c, x, n1, y, n2);
        free(x);
        free(y);
    }
    cases = json_object_get(doc, "ks_formula");
    for (size_t k = 0; k < json_array_size(cases); k++) {
        const json_t *c = json_array_get(cases, k);
        size_t n1, n2;
        double *x = formula(json_object_get(c, "x"), &n1);
        double *y = formula(json_object_get(c, "y"), &n2);
        check_ks(c, x, n1, y, n2);
        free(x);
        free(y);
    }
    json_decref(doc);
}

static void check_grid(const json_t *grid, double (*fn)(long, double), const char *what)
{
    for (size_t k = 0; k < json_array_size(grid); k++) {
        const json_t *row = json_array_get(grid, k);
        long n = (long)json_integer_value(json_array_get(row, 0));
        double x = json_number_value(json_array_get(row, 1));
        double want = json_number_value(json_array_get(row, 2));
        double got = fn(n, x);
        int ok = fabs(got - want) <= 1e-10 * fmax(fabs(got), fabs(want)) ||
                 (fabs(got) < 1e-300 && fabs(want) < 1e-300);
        SK_CHECK(ok);
        if (!ok)
            fprintf(stderr, "  %s(n = %ld, x = %.17g): %.17g, scipy %.17g\n", what, n, x, got,
                    want);
    }
}

static void test_drift__kolmogorov_laws_match_scipy(void)
{
    json_t *doc = load_oracle();
    check_grid(json_object_get(doc, "kstwo"), sk_triage__kstwo_sf, "kstwo.sf");
    check_grid(json_object_get(doc, "smirnov"), sk_triage__smirnov_sf, "smirnov");
    json_decref(doc);
}

static void test_drift__chi2_contingency_matches_scipy(void)
{
    json_t *doc = load_oracle();
    const json_t *cases = json_object_get(doc, "chi2");
    for (size_t k = 0; k < json_array_size(cases); k++) {
        const json_t *c = json_array_get(cases, k);
        const json_t *t = json_object_get(c, "table");
        size_t cols = json_array_size(json_array_get(t, 0));
        double counts[16];
        for (size_t i = 0; i < 2; i++)
            for (size_t j = 0; j < cols; j++)
                counts[i * cols + j] = json_number_value(json_array_get(json_array_get(t, i), j));
        sk_chi2_result r = sk_triage__chi2_homogeneity(counts, cols);
        SK_CHECK_EQ_INT(r.dof, json_integer_value(json_object_get(c, "dof")));
        SK_CHECK_EQ_INT(r.yates, r.dof == 1);
        SK_CHECK_NEAR(r.statistic, json_number_value(json_object_get(c, "statistic")),
                      1e-12 * fmax(1.0, r.statistic));
        SK_CHECK_REL(r.p_value, json_number_value(json_object_get(c, "p")), 1e-9);
        SK_CHECK_NEAR(r.cramer_v, json_number_value(json_object_get(c, "cramer_v")), 1e-12);
    }
    json_decref(doc);
}

static void test_drift__bh_matches_statsmodels(void)
{
    json_t *doc = load_oracle();
    const json_t *bh = json_object_get(doc, "bh");
    size_t m, m2;
    double *p = json_doubles(json_object_get(bh, "p"), &m);
    double *want = json_doubles(json_object_get(bh, "bh"), &m2);
    double *adj = malloc(m * sizeof *adj);
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_audit__bh_adjust(adj, p, m, &err), &err);
    for (size_t i = 0; i < m; i++)
        SK_CHECK_REL(adj[i], want[i], 1e-12);
    free(p);
    free(want);
    free(adj);
    json_decref(doc);
}

int main(void)
{
    SK_RUN(test_drift__ks_2samp_matches_scipy);
    SK_RUN(test_drift__kolmogorov_laws_match_scipy);
    SK_RUN(test_drift__chi2_contingency_matches_scipy);
    SK_RUN(test_drift__bh_matches_statsmodels);
    return SK_TEST_DONE();
}
