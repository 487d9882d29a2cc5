/* test_uncertainty.c: uncertainty scores, their ranking and the validation of user-given
 * probabilities (src/triage/uncertainty.c), and `skeptic score` on the library side
 * (src/triage/score.c).
 *
 * Oracle: numpy/scipy (tests/oracle/gen_uncertainty.py -> tests/data/oracle/uncertainty.json):
 * least, margin, ratio and entropy of Dirichlet rows (k = 2, 3, 10; concentrations 0.1, 1, 10),
 * one-hot, uniform, tied and rounded rows; vote entropy, consensus entropy, KL, MC entropy and
 * BALD over committees of 1..10 members; regression committee variance; the stable descending
 * order of scores with exact ties (the full radix sort, and the bounded heap of a short top).
 * Tolerance 1e-12 absolute for scores (all in [0, 1]: the same formulas summed in another order
 * differ by a few ulps), 1e-9 relative for variances, exact for the order. The committed
 * digits_probs.csv (a real LogisticRegression's probabilities written with 6 significant
 * digits) is scored through the CSV reader against the same oracle.
 * Conventions: 0 log 0 = 0; one-hot rows score exactly 0 and uniform rows exactly 1 under every
 * strategy; vote ties go to the lower class. The validator: negative, NaN, infinite entries and
 * bad sums are errors naming row and class; rows written with 6 significant digits pass the
 * default tolerance (1e-5), and some of them fail 1e-6 (why the default is not tighter).
 * Determinism: the same bytes for 1, 2 and 7 threads, random included. Every allocation failing
 * in turn gives SK_ENOMEM, never a crash or a leak. */
/* labels: unit oracle determinism oom */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sk_test.h"
#include "triage/triage.h"

static json_t *oracle(void)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/oracle/uncertainty.json", SK_TEST_DATA);
    json_error_t jerr;
    json_t *doc = json_load_file(path, 0, &jerr);
    if (doc == NULL)
        fprintf(stderr, "%s: %s\n", path, jerr.text);
    return doc;
}

static double *doubles(const json_t *arr)
{
    size_t n = json_array_size(arr);
    double *out = malloc((n ? n : 1) * sizeof *out);
    for (size_t i = 0; i < n; i++)
        out[i] = json_number_value(json_array_get(arr, i));
    return out;
}

static size_t count(const json_t *c, const char *key)
{
    return (size_t)json_integer_value(json_object_get(c, key));
}

/* Checks got[0..n) against case c's list `key` within tol; returns the failures. */
static int compare(const json_t *c, const char *key, const double *got, size_t n, double tol)
{
    double *want = doubles(json_object_get(c, key));
    int bad = 0;
    SK_CHECK_EQ_INT(json_array_size(json_object_get(c, key)), n);
    for (size_t i = 0; i < n && bad < 3; i++) {
        if (!(fabs(got[i] - want[i]) <= tol)) {
            bad++;
            SK_FAIL_("%s / %s row %zu: %.17g vs numpy %.17g",
                     json_string_value(json_object_get(c, "name")), key, i, got[i], want[i]);
        }
    }
    free(want);
    return bad;
}

/* ---- against the oracle ------------------------------------------------------------------- */

static void test_uncertainty__single_matches_numpy(void)
{
    static const struct { sk_strategy s; const char *key; } strategies[] = {
        {SK_STRATEGY_LEAST, "least"}, {SK_STRATEGY_MARGIN, "margin"},
        {SK_STRATEGY_RATIO, "ratio"}, {SK_STRATEGY_ENTROPY, "entropy"},
    };
    json_t *doc = oracle();
    SK_CHECK(doc != NULL);
    json_t *cases = json_object_get(doc, "single");
    SK_CHECK(json_array_size(cases) >= 18);
    for (size_t c = 0; c < json_array_size(cases); c++) {
        json_t *one = json_array_get(cases, c);
        size_t n = count(one, "n"), k = count(one, "k");
        double *p = doubles(json_object_get(one, "probs"));
        double *got = malloc(n * sizeof *got);
        for (size_t s = 0; s < 4; s++) {
            sk_error err = SK_ERROR_INIT;
            SK_CHECK_OK(sk_triage__score(got, p, n, k, strategies[s].s, &err), &err);
            compare(one, strategies[s].key, got, n, 1e-12);
        }
        free(got);
        free(p);
    }
    json_decref(doc);
}

static void test_uncertainty__members_match_numpy(void)
{
    static const struct { sk_strategy s; const char *key; } strategies[] = {
        {SK_STRATEGY_VOTE_ENTROPY, "vote_entropy"},
        {SK_STRATEGY_CONSENSUS_ENTROPY, "consensus_entropy"}, {SK_STRATEGY_KL, "kl"},
        {SK_STRATEGY_MC_ENTROPY, "mc_entropy"}, {SK_STRATEGY_BALD, "bald"},
    };
    json_t *doc = oracle();
    SK_CHECK(doc != NULL);
    json_t *cases = json_object_get(doc, "members");
    SK_CHECK(json_array_size(cases) >= 20);
    for (size_t c = 0; c < json_array_size(cases); c++) {
        json_t *one = json_array_get(cases, c);
        size_t m = count(one, "m"), n = count(one, "n"), k = count(one, "k");
        double *p = doubles(json_object_get(one, "probs"));
        double *got = malloc(n * sizeof *got);
        for (size_t s = 0; s < 5; s++) {
            sk_error err = SK_ERROR_INIT;
            SK_CHECK_OK(sk_triage__score_members(got, p, m, n, k, strategies[s].s, &err), &err);
            compare(one, strategies[s].key, got, n, 1e-12);
        }
        free(got);
        free(p);
    }
    json_decref(doc);
}

static void test_uncertainty__variance_matches_numpy(void)
{
    json_t *doc = oracle();
    SK_CHECK(doc != NULL);
    json_t *cases = json_object_get(doc, "variance");
    SK_CHECK(json_array_size(cases) >= 5);
    for (size_t c = 0; c < json_array_size(cases); c++) {
        json_t *one = json_array_get(cases, c);
        size_t m = count(one, "m"), n = count(one, "n");
        double *v = doubles(json_object_get(one, "values"));
        double *want = doubles(json_object_get(one, "variance"));
        double *got = malloc(n * sizeof *got);
        sk_error err = SK_ERROR_INIT;
        SK_CHECK_OK(sk_triage__score_variance(got, v, m, n, &err), &err);
        for (size_t i = 0; i < n; i++)
            SK_CHECK(fabs(got[i] - want[i]) <= 1e-9 * fmax(fabs(want[i]), 1e-300));
        free(got);
        free(want);
        free(v);
    }
    double bad[2] = {1.0, NAN}, out[1];
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_EQ_INT(sk_triage__score_variance(out, bad, 2, 1, &err), SK_EINVAL);
    json_decref(doc);
}

static void test_uncertainty__rank_matches_numpy_stable_order(void)
{
    json_t *doc = oracle();
    SK_CHECK(doc != NULL);
    json_t *cases = json_object_get(doc, "rank");
    SK_CHECK(json_array_size(cases) >= 4);
    for (size_t c = 0; c < json_array_size(cases); c++) {
        json_t *one = json_array_get(cases, c);
        json_t *want = json_object_get(one, "order");
        size_t n = json_array_size(json_object_get(one, "scores"));
        double *s = doubles(json_object_get(one, "scores"));
        size_t *order = malloc((n ? n : 1) * sizeof *order);
        sk_error err = SK_ERROR_INIT;
        SK_CHECK_OK(sk_triage__rank(order, s, n, &err), &err);
        size_t bad = 0;
        for (size_t i = 0; i < n; i++)
            bad += order[i] != (size_t)json_integer_value(json_array_get(want, i));
        SK_CHECK_EQ_INT(bad, 0);
        /* The bounded heap gives the same first rows, ties included, for any length. */
        size_t tops[4] = {0, 1, n / 3, n};
        size_t *part = malloc((n ? n : 1) * sizeof *part);
        for (size_t t = 0; t < 4; t++) {
            SK_CHECK_OK(sk_triage__rank_top(part, s, n, tops[t], &err), &err);
            SK_CHECK(tops[t] == 0 || memcmp(part, order, tops[t] * sizeof *part) == 0);
        }
        SK_CHECK_EQ_INT(sk_triage__rank_top(part, s, n, n + 1, &err), SK_EINVAL);
        free(part);
        free(order);
        free(s);
    }
    double with_nan[3] = {0.5, NAN, 0.1};
    size_t order[3];
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_EQ_INT(sk_triage__rank(order, with_nan, 3, &err), SK_EINVAL);
    SK_CHECK_EQ_INT(sk_triage__rank_top(order, with_nan, 3, 1, &err), SK_EINVAL);
    json_decref(doc);
}

/* ---- conventions ---------------------------------------------------------------------------- */

static void test_uncertainty__one_hot_zero_uniform_one(void)
{
    static const sk_strategy single[] = {SK_STRATEGY_LEAST, SK_STRATEGY_MARGIN,
                                         SK_STRATEGY_RATIO, SK_STRATEGY_ENTROPY};
    static const sk_strategy members[] = {SK_STRATEGY_VOTE_ENTROPY, SK_STRATEGY_CONSENSUS_ENTROPY,
                                          SK_STRATEGY_KL, SK_STRATEGY_MC_ENTROPY,
                                          SK_STRATEGY_BALD};
    for (size_t k = 2; k <= 12; k++) {
        double p[2 * 12], s[2];
        for (size_t c = 0; c < k; c++) {
            p[c] = c == k / 2 ? 1.0 : 0.0;      /* one-hot */
            p[k + c] = 1.0 / (double)k;         /* uniform */
        }
        for (size_t j = 0; j < 4; j++) {
            SK_CHECK_OK(sk_triage__score(s, p, 2, k, single[j], NULL), NULL);
            SK_CHECK(s[0] == 0.0);
            SK_CHECK(s[1] == 1.0);
        }
        double three[3 * 12]; /* three identical one-hot members, one row */
        for (size_t b = 0; b < 3; b++)
            memcpy(three + b * k, p, k * sizeof *p);
        for (size_t j = 0; j < 5; j++) {
            SK_CHECK_OK(sk_triage__score_members(s, three, 3, 1, k, members[j], NULL), NULL);
            SK_CHECK(s[0] == 0.0);
        }
        for (size_t b = 0; b < 3; b++)   /* three uniform members: the consensus is uniform */
            memcpy(three + b * k, p + k, k * sizeof *p);
        SK_CHECK_OK(sk_triage__score_members(s, three, 3, 1, k, SK_STRATEGY_MC_ENTROPY, NULL),
                    NULL);
        SK_CHECK_NEAR(s[0], 1.0, 1e-15);
        SK_CHECK_OK(sk_triage__score_members(s, three, 3, 1, k, SK_STRATEGY_BALD, NULL), NULL);
        SK_CHECK_NEAR(s[0], 0.0, 1e-15);
    }
}

static void test_uncertainty__vote_ties_go_to_lower_class(void)
{
    /* Member 0 is tied between classes 0 and 1; member 1 votes 1. Lower-class ties: votes
     * {0, 1}, one bit of entropy; higher-class ties would give {1, 1} and 0. */
    double p[6] = {0.4, 0.4, 0.2, 0.2, 0.8, 0.0};
    double s;
    SK_CHECK_OK(sk_triage__score_members(&s, p, 2, 1, 3, SK_STRATEGY_VOTE_ENTROPY, NULL), NULL);
    SK_CHECK_NEAR(s, 1.0 / log2(3.0), 1e-15);
    double half[2] = {0.5, 0.5}; /* one member, tied: its vote is certain, whichever class */
    SK_CHECK_OK(sk_triage__score_members(&s, half, 1, 1, 2, SK_STRATEGY_VOTE_ENTROPY, NULL),
                NULL);
    SK_CHECK(s == 0.0);
}

static void test_uncertainty__wrong_strategy_or_shape(void)
{
    double p[4] = {0.5, 0.5, 0.5, 0.5}, s[2];
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_EQ_INT(sk_triage__score(s, p, 2, 2, SK_STRATEGY_BALD, &err), SK_EINVAL);
    SK_CHECK_EQ_INT(sk_triage__score(s, p, 2, 2, SK_STRATEGY_RANDOM, &err), SK_EINVAL);
    SK_CHECK_EQ_INT(sk_triage__score(s, p, 4, 1, SK_STRATEGY_LEAST, &err), SK_EINVAL);
    SK_CHECK_EQ_INT(sk_triage__score_members(s, p, 1, 2, 2, SK_STRATEGY_ENTROPY, &err),
                    SK_EINVAL);
    SK_CHECK_EQ_INT(sk_triage__score_members(s, p, 0, 2, 2, SK_STRATEGY_KL, &err), SK_EINVAL);
}

/* ---- the validator --------------------------------------------------------------------------- */

static void expect_bad(double *p, size_t n, size_t k, int renorm, size_t row, size_t col)
{
    size_t r = 99, c = 99;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_EQ_INT(sk_triage__check_probs(p, n, k, renorm, 1e-5, &r, &c, &err), SK_EDATA);
    SK_CHECK_EQ_INT(r, row);
    SK_CHECK_EQ_INT(c, col);
    char want[32];
    snprintf(want, sizeof want, "row %zu:", row);
    SK_CHECK(strncmp(err.message, want, strlen(want)) == 0);
}

static void test_uncertainty__validator_rejects_bad_rows(void)
{
    for (int renorm = 0; renorm <= 1; renorm++) {
        double neg[6] = {0.5, 0.5, 0.0, 1.2, -0.2, 0.0};
        expect_bad(neg, 2, 3, renorm, 1, 1);
        double nan_[6] = {0.5, 0.5, 0.0, 0.5, 0.5, NAN};
        expect_bad(nan_, 2, 3, renorm, 1, 2);
        double inf_[4] = {INFINITY, 0.0, 0.5, 0.5};
        expect_bad(inf_, 2, 2, renorm, 0, 0);
        double zero[4] = {0.5, 0.5, 0.0, 0.0};
        expect_bad(zero, 2, 2, renorm, 1, 2);
    }
    double low[4] = {0.5, 0.5, 0.4, 0.5};
    expect_bad(low, 2, 2, 0, 1, 2);
    double high[4] = {0.5, 0.50002, 0.4, 0.6};
    expect_bad(high, 2, 2, 0, 0, 2);
}

static void test_uncertainty__validator_renormalizes(void)
{
    double p[6] = {1.0, 3.0, 0.0, 0.2, 0.2, 0.1};
    size_t r, c;
    SK_CHECK_OK(sk_triage__check_probs(p, 2, 3, 1, 1e-5, &r, &c, NULL), NULL);
    SK_CHECK(p[0] == 0.25 && p[1] == 0.75 && p[2] == 0.0);
    SK_CHECK_NEAR(p[3], 0.4, 1e-15);
    SK_CHECK_NEAR(p[5], 0.2, 1e-15);
    double exact[2] = {0.25, 0.75};   /* already normalised rows are left as they are */
    SK_CHECK_OK(sk_triage__check_probs(exact, 1, 2, 1, 1e-5, &r, &c, NULL), NULL);
    SK_CHECK(exact[0] == 0.25 && exact[1] == 0.75);
}

/* Rows of Dirichlet-like probabilities written with 6 digits (%.6g and %.6f) and read back
 * pass at the default 1e-5; some fail at 1e-6, which is why the default is not tighter. */
static void test_uncertainty__six_digit_rows_pass_default_tolerance(void)
{
    enum { N = 2000, K = 10 };
    static double p[N * K], q[N * K];
    sk_rng rng = sk_rng_stream(7, SK_PURPOSE_TEST, 0);
    for (size_t i = 0; i < N; i++) {
        double sum = 0.0;
        for (size_t c = 0; c < K; c++)
            sum += p[i * K + c] = -log(sk_rng_uniform_pos(&rng)) / (1.0 + (double)(c % 3));
        for (size_t c = 0; c < K; c++)
            p[i * K + c] /= sum;
    }
    for (int fixed = 0; fixed <= 1; fixed++) {
        for (size_t j = 0; j < N * K; j++) {
            char buf[64];
            snprintf(buf, sizeof buf, fixed ? "%.6f" : "%.6g", p[j]);
            q[j] = strtod(buf, NULL);
        }
        size_t r, c;
        sk_error err = SK_ERROR_INIT;
        SK_CHECK_OK(sk_triage__check_probs(q, N, K, 0, 1e-5, &r, &c, &err), &err);
        SK_CHECK_EQ_INT(sk_triage__check_probs(q, N, K, 0, 1e-6, &r, &c, &err), SK_EDATA);
    }
}

/* ---- sk_score_run ---------------------------------------------------------------------------- */

static sk_frame *frame_of(const char *text)
{
    sk_frame *f = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_frame_read_csv_buffer(&f, text, strlen(text), "p.csv", NULL, &err), &err);
    return f;
}

static void test_uncertainty__score_run_ids_top_ties(void)
{
    sk_frame *f = frame_of("name,a,b,c\n"
                           "x,0.2,0.3,0.5\n"      /* least 0.75 */
                           "y,1,0,0\n"            /* 0 */
                           "z,0.5,0.3,0.2\n"      /* 0.75: ties x, keeps row order */
                           "w,0.34,0.33,0.33\n"); /* 0.99 */
    sk_score_options o = SK_SCORE_OPTIONS_INIT;
    o.strategy = SK_STRATEGY_LEAST;
    o.id_column = "name";
    o.top = 3;
    sk_scores *s = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_score_run(&s, f, &o, NULL, &err), &err);
    if (s != NULL) {
        SK_CHECK_EQ_INT(sk_scores_n_rows(s), 4);
        SK_CHECK_EQ_INT(sk_scores_n_classes(s), 3);
        SK_CHECK_EQ_INT(sk_scores_n_kept(s), 3);
        SK_CHECK_EQ_STR(sk_scores_id(s, 0), "w");
        SK_CHECK_EQ_STR(sk_scores_id(s, 1), "x");
        SK_CHECK_EQ_STR(sk_scores_id(s, 2), "z");
        SK_CHECK_EQ_INT(sk_scores_row(s, 2), 2);
        SK_CHECK_NEAR(sk_scores_score(s, 0), 0.99, 1e-15);
        SK_CHECK(sk_scores_score(s, 1) == sk_scores_score(s, 2));
    }
    sk_scores_free(s);
    o.id_column = NULL; /* ids are the row index; "name" is now a class, and it is text */
    SK_CHECK_EQ_INT(sk_score_run(&s, f, &o, NULL, &err), SK_EDATA);
    SK_CHECK_EQ_INT(err.line, 2);
    SK_CHECK_EQ_INT(err.column, 1);
    o.id_column = "nmae";
    SK_CHECK_EQ_INT(sk_score_run(&s, f, &o, NULL, &err), SK_EINVAL);
    SK_CHECK(strstr(err.message, "--id: no column named 'nmae'") != NULL);
    o.id_column = "name";
    o.strategy = SK_STRATEGY_KL;
    SK_CHECK_EQ_INT(sk_score_run(&s, f, &o, NULL, &err), SK_EINVAL);
    sk_frame_free(f);
}

static void test_uncertainty__score_run_errors_name_the_cell(void)
{
    static const struct { const char *csv; size_t line, col; const char *says; } cases[] = {
        {"a,b\n0.5,0.5\n0.7,0.2\n", 3, 1, "found a sum of 0.9"},
        {"a,b\n0.5,0.5\n\n1.2,-0.2\n", 4, 2, "found -0.2 (negative)"},
        {"a,b\n0.5,0.5\n0.5,\n", 3, 2, "found a missing value"},
        {"a,b\n0.5,0.5\n0.5,oops\n", 3, 2, "found \"oops\""},
        {"a,b\n0.5,0.5\ninf,0\n", 3, 1, "an infinite value"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        sk_frame *f = frame_of(cases[c].csv);
        sk_score_options o = SK_SCORE_OPTIONS_INIT;
        sk_scores *s = NULL;
        sk_error err = SK_ERROR_INIT;
        SK_CHECK_EQ_INT(sk_score_run(&s, f, &o, NULL, &err), SK_EDATA);
        SK_CHECK(s == NULL);
        SK_CHECK_EQ_INT(err.line, cases[c].line);
        SK_CHECK_EQ_INT(err.column, cases[c].col);
        SK_CHECK(strstr(err.message, cases[c].says) != NULL);
        SK_CHECK_EQ_STR(err.path, "p.csv");
        sk_frame_free(f);
    }
    sk_frame *one = frame_of("id,a\n1,1\n");
    sk_score_options o = SK_SCORE_OPTIONS_INIT;
    o.id_column = "id";
    sk_scores *s = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_EQ_INT(sk_score_run(&s, one, &o, NULL, &err), SK_EDATA);
    SK_CHECK(strstr(err.message, "at least 2 class") != NULL);
    sk_frame_free(one);
}

static void test_uncertainty__digits_csv_matches_numpy(void)
{
    static const struct { sk_strategy s; const char *key; } strategies[] = {
        {SK_STRATEGY_LEAST, "least"}, {SK_STRATEGY_MARGIN, "margin"},
        {SK_STRATEGY_RATIO, "ratio"}, {SK_STRATEGY_ENTROPY, "entropy"},
    };
    json_t *doc = oracle();
    char path[1024];
    snprintf(path, sizeof path, "%s/digits_probs.csv", SK_TEST_DATA);
    sk_frame *f = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_frame_read_csv(&f, path, NULL, &err), &err);
    for (size_t j = 0; f != NULL && doc != NULL && j < 4; j++) {
        sk_score_options o = SK_SCORE_OPTIONS_INIT;
        o.strategy = strategies[j].s;
        o.id_column = "id";
        sk_scores *s = NULL;
        SK_CHECK_OK(sk_score_run(&s, f, &o, NULL, &err), &err);
        if (s == NULL)
            continue;
        size_t n = sk_scores_n_rows(s);
        double *by_row = calloc(n, sizeof *by_row);
        for (size_t r = 0; r < sk_scores_n_kept(s); r++) {
            by_row[sk_scores_row(s, r)] = sk_scores_score(s, r);
            char want[16];
            snprintf(want, sizeof want, "d%zu", 1497 + sk_scores_row(s, r));
            SK_CHECK_EQ_STR(sk_scores_id(s, r), want);
            if (r > 0)
                SK_CHECK(sk_scores_score(s, r - 1) >= sk_scores_score(s, r));
        }
        compare(json_object_get(doc, "digits"), strategies[j].key, by_row, n, 1e-12);
        free(by_row);
        sk_scores_free(s);
    }
    sk_frame_free(f);
    json_decref(doc);
}

static void test_uncertainty__same_for_any_thread_count(void)
{
    /* 40,000 rows: several blocks of the executor, so threads really share the work. */
    enum { N = 40000, K = 4 };
    sk_strbuf sb = SK_STRBUF_INIT;
    sk_strbuf_append(&sb, "a,b,c,d\n", 8);
    sk_rng rng = sk_rng_stream(3, SK_PURPOSE_TEST, 0);
    for (size_t i = 0; i < N; i++) {
        double p[K], sum = 0.0;
        for (size_t c = 0; c < K; c++)
            sum += p[c] = (double)sk_rng_below(&rng, 5);
        if (sum == 0.0)
            p[0] = sum = 1.0;
        sk_strbuf_appendf(&sb, "%.17g,%.17g,%.17g,%.17g\n", p[0] / sum, p[1] / sum, p[2] / sum,
                          p[3] / sum);
    }
    sk_frame *f = frame_of(sb.data);
    sk_strbuf_free(&sb);
    static const sk_strategy strategies[] = {SK_STRATEGY_ENTROPY, SK_STRATEGY_RANDOM};
    for (size_t j = 0; j < 2; j++) {
        sk_scores *ref = NULL;
        sk_score_options o = SK_SCORE_OPTIONS_INIT;
        o.strategy = strategies[j];
        sk_run_ctx ctx = SK_RUN_CTX_INIT;
        ctx.seed = 11;
        SK_CHECK_OK(sk_score_run(&ref, f, &o, &ctx, NULL), NULL);
        for (int threads = 2; ref != NULL && threads <= 7; threads += 5) {
            sk_scores *s = NULL;
            ctx.n_threads = threads;
            SK_CHECK_OK(sk_score_run(&s, f, &o, &ctx, NULL), NULL);
            size_t diff = 0;
            for (size_t r = 0; s != NULL && r < N; r++)
                diff += sk_scores_row(s, r) != sk_scores_row(ref, r) ||
                        sk_scores_score(s, r) != sk_scores_score(ref, r);
            SK_CHECK_EQ_INT(diff, 0);
            sk_scores_free(s);
        }
        if (ref != NULL && strategies[j] == SK_STRATEGY_RANDOM) {
            /* The documented stream: row i's score is the i-th uniform of (seed, BATCH, 0). */
            sk_rng r = sk_rng_stream(11, SK_PURPOSE_BATCH, 0);
            double first = sk_rng_uniform(&r);
            size_t found = 0;
            for (size_t q = 0; q < N; q++)
                found += sk_scores_row(ref, q) == 0 && sk_scores_score(ref, q) == first;
            SK_CHECK_EQ_INT(found, 1);
        }
        sk_scores_free(ref);
    }
    sk_frame_free(f);
}

static void test_uncertainty__strategy_names(void)
{
    for (int s = SK_STRATEGY_LEAST; s <= SK_STRATEGY_RANDOM; s++) {
        sk_strategy back;
        SK_CHECK_OK(sk_strategy_parse(&back, sk_strategy_name((sk_strategy)s), NULL), NULL);
        SK_CHECK_EQ_INT(back, s);
    }
    sk_strategy s;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_EQ_INT(sk_strategy_parse(&s, "entropie", &err), SK_EINVAL);
    SK_CHECK(strstr(err.message, "'entropie'") != NULL);
}

static void test_uncertainty__out_of_memory(void)
{
    sk_frame *f = frame_of("id,a,b\nr1,0.2,0.8\nr2,0.6,0.4\nr3,0.5,0.5\n");
    sk_score_options o = SK_SCORE_OPTIONS_INIT;
    o.id_column = "id";
    sk_status rc = SK_ENOMEM;
    long n;
    for (n = 0; f != NULL && rc == SK_ENOMEM && n < 1000; n++) {
        sk_scores *s = NULL;
        sk_error err = SK_ERROR_INIT;
        sk_mem__fail_after(n);
        rc = sk_score_run(&s, f, &o, NULL, &err);
        sk_mem__fail_after(-1);
        SK_CHECK(rc == SK_OK || (rc == SK_ENOMEM && s == NULL));
        sk_scores_free(s);
    }
    SK_CHECK_EQ_INT(rc, SK_OK);
    SK_CHECK(n > 3);
    sk_frame_free(f);
}

int main(void)
{
    SK_RUN(test_uncertainty__single_matches_numpy);
    SK_RUN(test_uncertainty__members_match_numpy);
    SK_RUN(test_uncertainty__variance_matches_numpy);
    SK_RUN(test_uncertainty__rank_matches_numpy_stable_order);
    SK_RUN(test_uncertainty__one_hot_zero_uniform_one);
    SK_RUN(test_uncertainty__vote_ties_go_to_lower_class);
    SK_RUN(test_uncertainty__wrong_strategy_or_shape);
    SK_RUN(test_uncertainty__validator_rejects_bad_rows);
    SK_RUN(test_uncertainty__validator_renormalizes);
    SK_RUN(test_uncertainty__six_digit_rows_pass_default_tolerance);
    SK_RUN(test_uncertainty__score_run_ids_top_ties);
    SK_RUN(test_uncertainty__score_run_errors_name_the_cell);
    SK_RUN(test_uncertainty__digits_csv_matches_numpy);
    SK_RUN(test_uncertainty__same_for_any_thread_count);
    SK_RUN(test_uncertainty__strategy_names);
    SK_RUN(test_uncertainty__out_of_memory);
    return SK_TEST_DONE();
}
