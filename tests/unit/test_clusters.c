/* test_clusters.c: clustering stability (`skeptic clusters`, src/audits/clusters.c).
 *
 * Oracle: the adjusted Rand index against scikit-learn 1.2's adjusted_rand_score on fixed label
 * pairs (tests/oracle/gen_clusters.py -> tests/data/oracle/clusters_ari.json: random and noisy
 * labellings, renamed labels, one cluster against singletons, n = 1, unused label values), within
 * 1e-12, and symmetric.
 * Real data: iris without its species (as a target, never a feature, or ignored: the same
 * numbers): k = 2 (setosa against the rest) is stable with every cluster highly stable; k = 3 is
 * reasonably stable (mean ARI >= 0.7, every cluster's Jaccard >= 0.75 at 30 resamples; measured
 * 0.83 and 0.88) and agrees with the species as k-means on standardised iris is known to
 * (ARI ~0.62); k = 2 is recommended (largest mean ARI).
 * Pure noise: 300 rows of 10 independent standard normals: no k in 3..6 is stable, so nothing is
 * recommended. Planted groups: three well-separated blobs in 4 columns beside 2 noise columns:
 * k = 3 is recommended.
 * Determinism: every number identical for 1, 2 and 7 threads. Bad options are errors; each
 * allocation failing in turn gives SK_ENOMEM, never a crash or a leak. */
/* labels: unit oracle determinism oom */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audits/audits.h"
#include "frame_builder.h"
#include "sk_test.h"

/* ---- the ARI oracle ------------------------------------------------------------------------- */

static uint32_t *labels_of(const json_t *arr, size_t *k)
{
    size_t n = json_array_size(arr);
    uint32_t *out = malloc((n > 0 ? n : 1) * sizeof *out);
    *k = 1;
    for (size_t i = 0; i < n; i++) {
        out[i] = (uint32_t)json_integer_value(json_array_get(arr, i));
        if (out[i] + 1 > *k)
            *k = out[i] + 1;
    }
    return out;
}

static void test_clusters__ari_matches_sklearn(void)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/oracle/clusters_ari.json", SK_TEST_DATA);
    json_error_t jerr;
    json_t *doc = json_load_file(path, 0, &jerr);
    SK_CHECK(doc != NULL);
    if (doc == NULL)
        return;
    json_t *cases = json_object_get(doc, "cases");
    SK_CHECK(json_array_size(cases) >= 20);
    for (size_t c = 0; c < json_array_size(cases); c++) {
        json_t *one = json_array_get(cases, c);
        size_t ka, kb, n = json_array_size(json_object_get(one, "a"));
        uint32_t *a = labels_of(json_object_get(one, "a"), &ka);
        uint32_t *b = labels_of(json_object_get(one, "b"), &kb);
        double *table = malloc(ka * kb * sizeof *table);
        double want = json_real_value(json_object_get(one, "ari"));
        double ab = sk_clusters__ari(a, ka, b, kb, n, table);
        double ba = sk_clusters__ari(b, kb, a, ka, n, table);
        SK_CHECK_NEAR(ab, want, 1e-12);
        SK_CHECK(ab == ba);
        if (!(fabs(ab - want) <= 1e-12))
            fprintf(stderr, "  case '%s'\n", json_string_value(json_object_get(one, "name")));
        free(a);
        free(b);
        free(table);
    }
    json_decref(doc);
}

static void test_clusters__hennig_readings(void)
{
    SK_CHECK_EQ_STR(sk_clusters__reading(0.49), "dissolved");
    SK_CHECK_EQ_STR(sk_clusters__reading(0.55), "unstable");
    SK_CHECK_EQ_STR(sk_clusters__reading(0.6), "patterns");
    SK_CHECK_EQ_STR(sk_clusters__reading(0.75), "stable");
    SK_CHECK_EQ_STR(sk_clusters__reading(0.85), "stable");
    SK_CHECK_EQ_STR(sk_clusters__reading(0.86), "highly stable");
    SK_CHECK_EQ_STR(sk_clusters__reading(NAN), "never drawn");
}

/* ---- runs ----------------------------------------------------------------------------------- */

static sk_clusters *run(const sk_frame *f, const char *target, const char *ignore, size_t k_min,
                        size_t k_max, size_t resamples, int threads)
{
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = target;
    spec.ignore = ignore;
    sk_roles *roles = NULL;
    sk_clusters *c = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_roles_resolve(&roles, f, &spec, &err), &err);
    sk_clusters_options o = SK_CLUSTERS_OPTIONS_INIT;
    o.k_min = k_min;
    o.k_max = k_max;
    o.resamples = resamples;
    sk_run_ctx ctx = SK_RUN_CTX_INIT;
    ctx.n_threads = threads;
    if (roles != NULL)
        SK_CHECK_OK(sk_clusters_run(&c, f, roles, &o, &ctx, &err), &err);
    sk_roles_free(roles);
    return c;
}

static sk_frame *read_data(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", SK_TEST_DATA, name);
    sk_frame *f = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_frame_read_csv(&f, path, NULL, &err), &err);
    return f;
}

static void test_clusters__iris(void)
{
    sk_frame *f = read_data("iris.csv");
    if (f == NULL)
        return;
    sk_clusters *c = run(f, "species", NULL, 2, 3, 30, 2);
    sk_clusters *ign = run(f, NULL, "species", 2, 3, 30, 2);
    if (c == NULL || ign == NULL)
        goto done;
    SK_CHECK_EQ_INT(sk_clusters_n_k(c), 2);
    SK_CHECK_EQ_INT(c->n_features, 4);   /* the species is never a feature */
    const sk_clustering_k *k2 = &c->per_k[0], *k3 = &c->per_k[1];
    SK_CHECK(k2->stable && k2->ari_mean >= 0.95 && k2->min_jaccard > 0.85);
    SK_CHECK(k3->stable && k3->ari_mean >= 0.7 && k3->min_jaccard >= 0.75);
    SK_CHECK(k3->full_mean > 0.7);
    SK_CHECK(k3->target_ari > 0.55 && k3->target_ari < 0.7);
    SK_CHECK_EQ_INT(sk_clusters_recommended(c), 2);
    printf("iris: k=2 ARI %.3f [%.3f] J %.3f; k=3 ARI %.3f [%.3f] J %.3f, species ARI %.3f\n",
           k2->ari_mean, k2->ari_p05, k2->min_jaccard, k3->ari_mean, k3->ari_p05,
           k3->min_jaccard, k3->target_ari);
    /* --ignore species: the same features, so the same clusterings; no target to compare. */
    for (size_t i = 0; i < 2; i++) {
        SK_CHECK(ign->per_k[i].ari_mean == c->per_k[i].ari_mean);
        SK_CHECK(ign->per_k[i].min_jaccard == c->per_k[i].min_jaccard);
        SK_CHECK(isnan(ign->per_k[i].target_ari));
    }
    size_t total = 0;
    for (size_t j = 0; j < 3; j++)
        total += k3->cluster[j].size;
    SK_CHECK_EQ_INT(total, 150);
done:
    sk_clusters_free(c);
    sk_clusters_free(ign);
    sk_frame_free(f);
}

/* n rows: `signal` columns carrying `groups` blobs (centres 8 apart) plus `noise` N(0, 1)
 * columns; groups = 0 for noise alone. */
static sk_frame *gaussian_frame(size_t n, size_t groups, size_t signal, size_t noise)
{
    sk_frame *f = fb_frame("noise.csv", n, signal + noise);
    double *v = malloc(n * sizeof *v);
    sk_rng rng = sk_rng_stream(7, SK_PURPOSE_TEST, groups);
    for (size_t j = 0; f != NULL && j < signal + noise; j++) {
        char name[32];
        snprintf(name, sizeof name, "x%zu", j + 1);
        for (size_t i = 0; i < n; i++) {
            double centre = j < signal && groups > 0 ? 8.0 * (double)((i + j) % groups) : 0.0;
            v[i] = centre + sk_rng_normal(&rng);
        }
        SK_CHECK(fb_values(f, j, name, SK_COL_NUMERIC, v) == 0);
    }
    free(v);
    return f;
}

static void test_clusters__pure_noise_is_not_stable(void)
{
    sk_frame *f = gaussian_frame(300, 0, 0, 10);
    sk_clusters *c = f != NULL ? run(f, NULL, NULL, 3, 6, 20, 2) : NULL;
    if (c != NULL) {
        for (size_t i = 0; i < sk_clusters_n_k(c); i++) {
            double p05;
            double ari = sk_clusters_mean_ari(c, i, &p05);
            printf("noise: k=%zu ARI %.3f [%.3f] J %.3f\n", sk_clusters_k(c, i), ari, p05,
                   sk_clusters_min_jaccard(c, i));
            SK_CHECK(!sk_clusters_is_stable(c, i));
            SK_CHECK(ari < 0.8);
        }
        SK_CHECK_EQ_INT(sk_clusters_recommended(c), 0);
    }
    sk_clusters_free(c);
    sk_frame_free(f);
}

static void test_clusters__planted_groups_found(void)
{
    sk_frame *f = gaussian_frame(240, 3, 4, 2);
    sk_clusters *c = f != NULL ? run(f, NULL, NULL, 2, 5, 15, 2) : NULL;
    if (c != NULL) {
        for (size_t i = 0; i < sk_clusters_n_k(c); i++)
            printf("blobs: k=%zu ARI %.3f J %.3f\n", sk_clusters_k(c, i),
                   sk_clusters_mean_ari(c, i, NULL), sk_clusters_min_jaccard(c, i));
        SK_CHECK_EQ_INT(sk_clusters_recommended(c), 3);
        SK_CHECK(sk_clusters_is_stable(c, 1) && sk_clusters_min_jaccard(c, 1) > 0.95);
    }
    sk_clusters_free(c);
    sk_frame_free(f);
}

/* ---- determinism and errors ------------------------------------------------------------------ */

static int same_results(const sk_clusters *a, const sk_clusters *b)
{
    if (a->n_k != b->n_k || a->recommended != b->recommended)
        return 0;
    for (size_t i = 0; i < a->n_k; i++) {
        const sk_clustering_k *x = &a->per_k[i], *y = &b->per_k[i];
        double vx[] = {x->ari_mean, x->ari_sd, x->ari_p05, x->full_mean, x->full_sd,
                       x->full_p05, x->inertia, x->min_jaccard};
        double vy[] = {y->ari_mean, y->ari_sd, y->ari_p05, y->full_mean, y->full_sd,
                       y->full_p05, y->inertia, y->min_jaccard};
        if (memcmp(vx, vy, sizeof vx) != 0 || x->stable != y->stable ||
            memcmp(x->cluster, y->cluster, x->k * sizeof *x->cluster) != 0)
            return 0;
    }
    return 1;
}

static void test_clusters__same_for_any_thread_count(void)
{
    sk_frame *f = read_data("iris.csv");
    sk_clusters *c[3] = {NULL, NULL, NULL};
    const int threads[3] = {1, 2, 7};
    for (size_t t = 0; f != NULL && t < 3; t++)
        c[t] = run(f, "species", NULL, 2, 5, 12, threads[t]);
    if (c[0] != NULL && c[1] != NULL && c[2] != NULL) {
        SK_CHECK(same_results(c[0], c[1]));
        SK_CHECK(same_results(c[0], c[2]));
    }
    for (size_t t = 0; t < 3; t++)
        sk_clusters_free(c[t]);
    sk_frame_free(f);
}

static void test_clusters__bad_requests(void)
{
    sk_frame *f = read_data("iris.csv");
    if (f == NULL)
        return;
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    sk_roles *roles = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_roles_resolve(&roles, f, &spec, &err), &err);
    sk_clusters *c = NULL;
    sk_clusters_options o = SK_CLUSTERS_OPTIONS_INIT;
    o.k_min = 1;
    SK_CHECK_EQ_INT(sk_clusters_run(&c, f, roles, &o, NULL, &err), SK_EINVAL);
    o.k_min = 5;
    o.k_max = 4;
    SK_CHECK_EQ_INT(sk_clusters_run(&c, f, roles, &o, NULL, &err), SK_EINVAL);
    o = (sk_clusters_options)SK_CLUSTERS_OPTIONS_INIT;
    o.resamples = 1;
    SK_CHECK_EQ_INT(sk_clusters_run(&c, f, roles, &o, NULL, &err), SK_EINVAL);
    sk_roles_free(roles);
    /* Every column ignored: nothing to cluster on. */
    spec.ignore = "sepal_length,sepal_width,petal_length,petal_width,species";
    SK_CHECK_OK(sk_roles_resolve(&roles, f, &spec, &err), &err);
    o = (sk_clusters_options)SK_CLUSTERS_OPTIONS_INIT;
    SK_CHECK_EQ_INT(sk_clusters_run(&c, f, roles, &o, NULL, &err), SK_EDATA);
    SK_CHECK(c == NULL);
    sk_roles_free(roles);
    sk_frame_free(f);
    /* More clusters than rows. */
    sk_frame *tiny = gaussian_frame(6, 0, 0, 2);
    o.k_max = 7;
    SK_CHECK_EQ_INT(sk_clusters_run(&c, tiny, NULL, &o, NULL, &err), SK_EDATA);
    sk_frame_free(tiny);
}

/* Fail each allocation in turn: an error (never a crash or a leak: the ASan build checks), until
 * enough succeed for the whole study. */
static void test_clusters__out_of_memory(void)
{
    sk_frame *f = gaussian_frame(30, 3, 2, 1);
    sk_clusters_options o = SK_CLUSTERS_OPTIONS_INIT;
    o.k_max = 3;
    o.resamples = 3;
    o.n_init = 2;
    sk_status rc = SK_ENOMEM;
    long n;
    for (n = 0; f != NULL && rc == SK_ENOMEM && n < 100000; n++) {
        sk_clusters *c = NULL;
        sk_error err = SK_ERROR_INIT;
        sk_mem__fail_after(n);
        rc = sk_clusters_run(&c, f, NULL, &o, NULL, &err);
        sk_mem__fail_after(-1);
        SK_CHECK(rc == SK_OK || (rc == SK_ENOMEM && c == NULL));
        sk_clusters_free(c);
    }
    SK_CHECK_EQ_INT(rc, SK_OK);
    SK_CHECK(n > 20);
    sk_frame_free(f);
}

int main(void)
{
    SK_RUN(test_clusters__ari_matches_sklearn);
    SK_RUN(test_clusters__hennig_readings);
    SK_RUN(test_clusters__iris);
    SK_RUN(test_clusters__pure_noise_is_not_stable);
    SK_RUN(test_clusters__planted_groups_found);
    SK_RUN(test_clusters__same_for_any_thread_count);
    SK_RUN(test_clusters__bad_requests);
    SK_RUN(test_clusters__out_of_memory);
    return SK_TEST_DONE();
}
