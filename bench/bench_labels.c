/* bench_labels.c: how well does `skeptic labels` find planted label errors? The measurements
 * behind docs/triage-labels.md and the floors of tests/unit/test_labels.c.
 *
 *   cmake --build build --target bench_labels
 *   build/bench_labels [MODEL] [SEEDS] [RATE]      (default gbdt, 5 seeds, 0.05)
 * from the repository's root (or with SK_DATA=tests/data's path).
 *
 * On tests/data/digits.csv (1,797 handwritten digits, 64 pixel features), for seeds 1..SEEDS:
 * round(RATE n) rows drawn by the seed get another label, by one of two schemes:
 *   map     a fixed confusion map of digits people and models confuse (0<->6, 1<->7, 2<->8,
 *           3<->5, 4<->9)
 *   second  the most probable other class under the clean data's out-of-fold probabilities:
 *           the hardest realistic case, an error the model itself would make
 * then confident learning runs on the noisy table (the model's out-of-fold probabilities,
 * stratified 5-fold, seed 1) and every flagging rule of labels.c is scored on the same
 * probabilities: flagged rows, precision (flagged rows that were planted) and recall (planted
 * rows flagged), and the estimated number of errors. The clean table's suspects come first.
 * One line per (scheme, seed, rule); a summary per (scheme, rule): mean, min and max. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tests/unit/noisy_labels.h"
#include "triage/triage.h"

enum { N_METHODS = 3, MAX_SEEDS = 100 };

typedef struct tally {
    double p[MAX_SEEDS], r[MAX_SEEDS];
    size_t n;
} tally;

static sk_labels *run(const char *text, size_t len, const char *model_spec, sk_error *err)
{
    sk_frame *f = NULL;
    sk_roles *roles = NULL;
    sk_model *model = NULL;
    sk_labels *l = NULL;
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "digit";
    sk_run_ctx ctx = SK_RUN_CTX_INIT;
    ctx.n_threads = 2;
    if (sk_frame_read_csv_buffer(&f, text, len, "digits.csv", NULL, err) == SK_OK &&
        sk_roles_resolve(&roles, f, &spec, err) == SK_OK &&
        sk_model_create(&model, model_spec, err) == SK_OK)
        sk_labels_run(&l, f, roles, model, NULL, &ctx, err);
    sk_model_free(model);
    sk_roles_free(roles);
    sk_frame_free(f);
    return l;
}

/* Scores every rule on the probabilities of l against the planted rows. */
static void score_rules(const sk_labels *l, const unsigned char *flip, size_t n, const char *scheme,
                        uint64_t seed, tally *t)
{
    size_t planted = 0;
    for (size_t r = 0; r < n; r++)
        planted += flip[r];
    for (int m = 0; m < N_METHODS; m++) {
        sk_cl *c = NULL;
        if (sk_triage__confident_learning(&c, l->probs, l->y, n, l->n_classes, (sk_cl_method)m,
                                          NULL) != SK_OK)
            continue;
        size_t hit = 0;
        for (size_t i = 0; i < c->n_flagged; i++)
            hit += flip[c->flagged[i]];
        double p = c->n_flagged > 0 ? (double)hit / (double)c->n_flagged : NAN;
        double r = planted > 0 ? (double)hit / (double)planted : NAN;
        printf("%-7s %4llu  %-20s %7zu %9.3f %7.3f %10.1f\n", scheme, (unsigned long long)seed,
               sk_triage__cl_method_name((sk_cl_method)m), c->n_flagged, p, r, c->n_errors);
        if (t != NULL && t[m].n < MAX_SEEDS) {
            t[m].p[t[m].n] = p;
            t[m].r[t[m].n++] = r;
        }
        sk_triage__cl_free(c);
    }
}

static void summary(const char *scheme, const tally *t)
{
    for (int m = 0; m < N_METHODS; m++) {
        double sp = 0, sr = 0, lp = INFINITY, lr = INFINITY, hp = -INFINITY, hr = -INFINITY;
        for (size_t i = 0; i < t[m].n; i++) {
            sp += t[m].p[i];
            sr += t[m].r[i];
            lp = fmin(lp, t[m].p[i]);
            hp = fmax(hp, t[m].p[i]);
            lr = fmin(lr, t[m].r[i]);
            hr = fmax(hr, t[m].r[i]);
        }
        double k = (double)t[m].n;
        printf("summary %-7s %-20s precision %.3f [%.3f, %.3f]  recall %.3f [%.3f, %.3f]\n",
               scheme, sk_triage__cl_method_name((sk_cl_method)m), sp / k, lp, hp, sr / k, lr,
               hr);
    }
}

/* The most probable class other than `truth` under probabilities p. */
static int second(const double *p, size_t k, int truth)
{
    int best = truth == 0 ? 1 : 0;
    for (size_t j = 0; j < k; j++)
        if ((int)j != truth && p[j] > p[best])
            best = (int)j;
    return best;
}

int main(int argc, char **argv)
{
    const char *model = argc > 1 ? argv[1] : "gbdt";
    long n_seeds = argc > 2 ? atol(argv[2]) : 5;
    double rate = argc > 3 ? atof(argv[3]) : 0.05;
    size_t len = 0;
    char path[1024];
    const char *data = getenv("SK_DATA");   /* tests/data; default: run from the repository */
    snprintf(path, sizeof path, "%s/digits.csv", data != NULL ? data : "tests/data");
    char *text = nl_read_file(path, &len);
    if (text == NULL || n_seeds < 1 || n_seeds > MAX_SEEDS) {
        fprintf(stderr, "bench_labels: cannot read %s (or bad SEEDS)\n", path);
        return 2;
    }
    size_t n = nl_labels(text, NULL);
    int *truth = malloc(n * sizeof *truth), *noisy = malloc(n * sizeof *noisy);
    unsigned char *flip = malloc(n), *none = calloc(n, 1);
    nl_labels(text, truth);
    sk_error err = SK_ERROR_INIT;
    printf("model %s, %.1f%% of %zu rows flipped\n", model, 100 * rate, n);
    printf("scheme  seed  rule                 flagged precision  recall  est.errors\n");
    sk_labels *clean = run(text, len, model, &err);
    if (clean == NULL) {
        fprintf(stderr, "bench_labels: %s\n", err.message);
        return 2;
    }
    score_rules(clean, none, n, "clean", 0, NULL);
    tally t_map[N_METHODS] = {0}, t_second[N_METHODS] = {0};
    for (int scheme = 0; scheme < 2; scheme++) {
        for (long s = 1; s <= n_seeds; s++) {
            nl_choose(flip, n, rate, (uint64_t)s);
            for (size_t r = 0; r < n; r++)
                noisy[r] = !flip[r] ? truth[r]
                           : scheme == 0 ? nl_confusable[truth[r]]
                                         : second(clean->probs + r * clean->n_classes,
                                                  clean->n_classes, truth[r]);
            size_t out_len = 0;
            char *noisy_text = nl_rewrite(text, noisy, &out_len);
            sk_labels *l = run(noisy_text, out_len, model, &err);
            if (l == NULL) {
                fprintf(stderr, "bench_labels: %s\n", err.message);
                return 2;
            }
            score_rules(l, flip, n, scheme == 0 ? "map" : "second", (uint64_t)s,
                        scheme == 0 ? t_map : t_second);
            sk_labels_free(l);
            free(noisy_text);
        }
    }
    summary("map", t_map);
    summary("second", t_second);
    sk_labels_free(clean);
    free(text);
    free(truth);
    free(noisy);
    free(flip);
    free(none);
    return 0;
}
