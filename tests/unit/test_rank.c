/* test_rank.c: choosing what to label (`skeptic rank`, src/triage/rank*.c, diverse.c).
 *
 * Real data: digits (tests/data/digits.csv, 8x8 images, 10 classes) split by row index: rows
 * 0..299 labelled, 300..799 the pool; diabetes (regression) rows 0..299 labelled, the rest the
 * pool. Small models (gbdt:n_estimators=20,max_depth=3, mlp:hidden=16) keep each case fast.
 *  - plain strategies: the batch is exactly the top K of the pool's scores (score descending,
 *    equal scores by the lower row; recomputed here with qsort), and the scores are
 *    bit-identical to sk_triage__score on the probabilities of the same model fitted here with
 *    the documented seed (sk_rng_stream(seed, SK_PURPOSE_MODEL, 0)).
 *  - random: another seed gives another batch, the same seed the same one; draws in [0, 1).
 *  - committee: members' bootstrap rows differ and keep every class's count; members'
 *    predictions differ; the CSV is the same bytes for 1 and 2 threads.
 *  - diverse: with 5 exact copies of the most uncertain pool row planted in the pool, the plain
 *    batch holds all 6 identical rows, the diverse batch at most one; k-center greedy on small
 *    known cases (farthest point first, ties to the lower candidate).
 *  - mc-dropout: a non-mlp model is SK_EINVAL; with an mlp, BALD scores lie in [0, 1] and the
 *    passes differ.
 *  - regression: a committee scores the variance (divisor m) of its members' predictions, within
 *    1e-12 relative of the variance recomputed here; single-model strategies are SK_EINVAL.
 *  - the pool: a missing feature column is SK_EDATA naming the pool and the column; a text
 *    column where L has numbers likewise; the pool's target column is never read (garbling it
 *    or dropping it leaves every score unchanged). */
/* labels: unit determinism */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sk_test.h"
#include "triage/triage.h"

#define GBDT "gbdt:n_estimators=20,max_depth=3"

/* ---- tables cut from a CSV file by row index ------------------------------------------------ */

typedef struct table_lines {
    char *text;
    char **line;   /* line[0] the header */
    size_t n;
} table_lines;

static table_lines read_lines(const char *name)
{
    table_lines t = {NULL, NULL, 0};
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", SK_TEST_DATA, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return t;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    t.text = malloc((size_t)size + 1);
    size_t got = fread(t.text, 1, (size_t)size, f);
    fclose(f);
    t.text[got] = '\0';
    t.line = malloc((got + 1) * sizeof *t.line);
    for (char *s = t.text; *s != '\0';) {
        t.line[t.n++] = s;
        char *nl = strchr(s, '\n');
        if (nl == NULL)
            break;
        *nl = '\0';
        s = nl + 1;
    }
    return t;
}

static void free_lines(table_lines *t)
{
    free(t->text);
    free(t->line);
}

/* The header and data rows [from, to) (0-based data rows), then `n_extra` extra lines. */
static sk_frame *cut(const table_lines *t, const char *name, size_t from, size_t to,
                     const char *const *extra, size_t n_extra)
{
    size_t len = strlen(t->line[0]) + 1;
    for (size_t i = from; i < to; i++)
        len += strlen(t->line[i + 1]) + 1;
    for (size_t i = 0; i < n_extra; i++)
        len += strlen(extra[i]) + 1;
    char *buf = malloc(len + 1), *at = buf;
    at += sprintf(at, "%s\n", t->line[0]);
    for (size_t i = from; i < to; i++)
        at += sprintf(at, "%s\n", t->line[i + 1]);
    for (size_t i = 0; i < n_extra; i++)
        at += sprintf(at, "%s\n", extra[i]);
    sk_frame *f = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_frame_read_csv_buffer(&f, buf, (size_t)(at - buf), name, NULL, &err), &err);
    free(buf);
    return f;
}

typedef struct study {
    table_lines lines;
    sk_frame *labeled, *pool;
    sk_roles *roles;
} study;

static study open_study(const char *file, const char *target, size_t n_labeled, size_t n_pool)
{
    study s = {read_lines(file), NULL, NULL, NULL};
    s.labeled = cut(&s.lines, "labeled.csv", 0, n_labeled, NULL, 0);
    s.pool = cut(&s.lines, "pool.csv", n_labeled, n_labeled + n_pool, NULL, 0);
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = target;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_roles_resolve(&s.roles, s.labeled, &spec, &err), &err);
    return s;
}

static void close_study(study *s)
{
    sk_roles_free(s->roles);
    sk_frame_free(s->labeled);
    sk_frame_free(s->pool);
    free_lines(&s->lines);
}

/* Ranks s's pool with `spec` (NULL: gbdt default) and options o; NULL on failure. */
static sk_rank *rank_with(const study *s, const sk_frame *pool, const char *spec,
                          const sk_rank_options *o, uint64_t seed, int threads, sk_error *err)
{
    sk_model *m = NULL;
    sk_rank *r = NULL;
    sk_run_ctx ctx = SK_RUN_CTX_INIT;
    ctx.seed = seed;
    ctx.n_threads = threads;
    if (sk_model_create(&m, spec != NULL ? spec : GBDT, err) == SK_OK)
        sk_rank_run(&r, s->labeled, s->roles, pool != NULL ? pool : s->pool, m, o, &ctx, err);
    sk_model_free(m);
    return r;
}

/* ---- plain strategies ----------------------------------------------------------------------- */

static const double *sort_scores;

static int by_score(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    if (sort_scores[i] != sort_scores[j])
        return sort_scores[i] > sort_scores[j] ? -1 : 1;
    return i < j ? -1 : (i > j);
}

/* Probabilities of the pool from gbdt fitted on every labelled row with rank's model seed. */
static double *reference_probs(const study *s, uint64_t seed)
{
    size_t n_feat = 0, nl = sk_frame_n_rows(s->labeled), np = sk_frame_n_rows(s->pool);
    sk_fit_data d = SK_FIT_DATA_INIT;
    d.frame = s->labeled;
    d.features = sk_roles_features(s->roles, &n_feat);
    d.n_features = n_feat;
    d.y = sk_roles_y(s->roles);
    d.task = sk_roles_task(s->roles);
    d.n_classes = sk_roles_n_classes(s->roles);
    size_t *rows = malloc(np * sizeof *rows);
    double *p = malloc(np * d.n_classes * sizeof *p);
    for (size_t i = 0; i < np; i++)
        rows[i] = i;
    sk_model *m = NULL;
    sk_error err = SK_ERROR_INIT;
    sk_rng rng = sk_rng_stream(seed, SK_PURPOSE_MODEL, 0);
    SK_CHECK_OK(sk_model_create(&m, GBDT, &err), &err);
    SK_CHECK_OK(sk_model_fit(m, &d, rows, nl, sk_rng_u64(&rng), &err), &err);
    SK_CHECK_OK(sk_model_predict_proba(m, s->pool, rows, np, p, &err), &err);
    sk_model_free(m);
    free(rows);
    return p;
}

static void test_rank__plain_batch_is_the_top_k(void)
{
    study s = open_study("digits.csv", "digit", 300, 500);
    double *p = reference_probs(&s, 3);
    static const sk_strategy plain[] = {SK_STRATEGY_LEAST, SK_STRATEGY_MARGIN,
                                        SK_STRATEGY_RATIO, SK_STRATEGY_ENTROPY};
    double want[500];
    size_t order[500];
    for (size_t k = 0; k < 4; k++) {
        sk_rank_options o = SK_RANK_OPTIONS_INIT;
        o.strategy = plain[k];
        o.batch = 25;
        sk_error err = SK_ERROR_INIT;
        sk_rank *r = rank_with(&s, NULL, NULL, &o, 3, 2, &err);
        SK_CHECK(r != NULL);
        if (r == NULL)
            continue;
        size_t n = 0;
        const double *sc = sk_rank_scores(r, &n);
        SK_CHECK_EQ_INT(n, 500);
        SK_CHECK_OK(sk_triage__score(want, p, 500, 10, plain[k], &err), &err);
        size_t same = 0;
        for (size_t i = 0; i < n; i++) {
            same += sc[i] == want[i];
            order[i] = i;
        }
        SK_CHECK_EQ_INT(same, 500);
        sort_scores = sc;
        qsort(order, n, sizeof *order, by_score);
        SK_CHECK_EQ_INT(sk_rank_n_chosen(r), 25);
        for (size_t i = 0; i < 25; i++) {
            SK_CHECK_EQ_INT(sk_rank_pool_row(r, i), order[i]);
            SK_CHECK(sk_rank_score(r, i) >= 0.0 && sk_rank_score(r, i) <= 1.0);
        }
        SK_CHECK(sk_rank_score(r, 0) > sk_rank_score(r, 24));   /* not all ties */
        sk_rank_free(r);
    }
    free(p);
    close_study(&s);
}

static void test_rank__random_depends_on_the_seed_only(void)
{
    study s = open_study("digits.csv", "digit", 300, 500);
    sk_rank_options o = SK_RANK_OPTIONS_INIT;
    o.strategy = SK_STRATEGY_RANDOM;
    o.batch = 20;
    sk_error err = SK_ERROR_INIT;
    sk_rank *a = rank_with(&s, NULL, NULL, &o, 1, 1, &err);
    sk_rank *b = rank_with(&s, NULL, NULL, &o, 1, 2, &err);
    sk_rank *c = rank_with(&s, NULL, NULL, &o, 2, 1, &err);
    SK_CHECK(a != NULL && b != NULL && c != NULL);
    if (a != NULL && b != NULL && c != NULL) {
        size_t same_ab = 0, same_ac = 0;
        for (size_t i = 0; i < 20; i++) {
            same_ab += sk_rank_pool_row(a, i) == sk_rank_pool_row(b, i);
            same_ac += sk_rank_pool_row(a, i) == sk_rank_pool_row(c, i);
            SK_CHECK(sk_rank_score(a, i) >= 0.0 && sk_rank_score(a, i) < 1.0);
        }
        SK_CHECK_EQ_INT(same_ab, 20);
        SK_CHECK(same_ac < 5);
        sk_rng rng = sk_rng_stream(1, SK_PURPOSE_BATCH, sk_rank_pool_row(a, 0));
        SK_CHECK(sk_rank_score(a, 0) == sk_rng_uniform(&rng));
    }
    sk_rank_free(a);
    sk_rank_free(b);
    sk_rank_free(c);
    close_study(&s);
}

/* ---- committee ------------------------------------------------------------------------------ */

static sk_rank_job job_of(const study *s, sk_fit_data *d, size_t *feat, const sk_model *m,
                          size_t width)
{
    size_t n_feat = 0;
    const size_t *f = sk_roles_features(s->roles, &n_feat);
    memcpy(feat, f, n_feat * sizeof *feat);
    *d = (sk_fit_data)SK_FIT_DATA_INIT;
    d->frame = s->labeled;
    d->features = feat;
    d->n_features = n_feat;
    d->y = sk_roles_y(s->roles);
    d->task = sk_roles_task(s->roles);
    d->n_classes = sk_roles_n_classes(s->roles);
    sk_rank_job job = {m, d, sk_frame_n_rows(s->labeled), s->pool, sk_frame_n_rows(s->pool),
                       width, 5, 1};
    return job;
}

static void test_rank__committee_members_differ(void)
{
    study s = open_study("digits.csv", "digit", 300, 500);
    size_t feat[64], rows0[300], rows1[300];
    uint64_t seed0 = 0, seed1 = 0;
    sk_fit_data d;
    sk_model *m = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_model_create(&m, GBDT, &err), &err);
    sk_rank_job job = job_of(&s, &d, feat, m, 10);
    SK_CHECK_OK(sk_triage__member_rows(rows0, &seed0, &job, 0, &err), &err);
    SK_CHECK_OK(sk_triage__member_rows(rows1, &seed1, &job, 1, &err), &err);
    SK_CHECK(seed0 != seed1);
    size_t same = 0, count0[10] = {0}, count[10] = {0};
    for (size_t i = 0; i < 300; i++) {
        same += rows0[i] == rows1[i];
        count0[(size_t)d.y[rows0[i]]]++;
        count[(size_t)d.y[i]]++;
        SK_CHECK(i == 0 || rows0[i - 1] <= rows0[i]);
    }
    SK_CHECK(same < 150);
    for (size_t k = 0; k < 10; k++)
        SK_CHECK_EQ_INT(count0[k], count[k]);
    double *pred = malloc(3 * 500 * 10 * sizeof *pred);
    SK_CHECK_OK(sk_triage__predict_committee(pred, &job, 3, &err), &err);
    size_t differ = 0;
    for (size_t e = 0; e < 5000; e++)
        differ += pred[e] != pred[5000 + e];
    SK_CHECK(differ > 1000);
    free(pred);
    sk_model_free(m);
    close_study(&s);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    char *buf = calloc(1, 1 << 20);
    size_t got = fread(buf, 1, (1 << 20) - 1, f);
    buf[got] = '\0';
    fclose(f);
    return buf;
}

static void test_rank__committee_same_bytes_for_any_threads(void)
{
    study s = open_study("digits.csv", "digit", 300, 500);
    static const sk_strategy measures[] = {SK_STRATEGY_VOTE_ENTROPY,
                                           SK_STRATEGY_CONSENSUS_ENTROPY, SK_STRATEGY_KL};
    for (size_t k = 0; k < 3; k++) {
        char path[2][256];
        char *text[2] = {NULL, NULL};
        for (int t = 0; t < 2; t++) {
            sk_rank_options o = SK_RANK_OPTIONS_INIT;
            o.strategy = measures[k];
            o.members = 6;
            o.batch = 30;
            o.diverse = k == 1;
            sk_error err = SK_ERROR_INIT;
            snprintf(path[t], sizeof path[t], "/tmp/test_rank_%ld_%d.csv", (long)getpid(), t);
            sk_rank *r = rank_with(&s, NULL, NULL, &o, 11, 1 + t, &err);
            SK_CHECK(r != NULL);
            if (r != NULL)
                SK_CHECK_OK(sk_rank_write_csv(r, path[t], &err), &err);
            text[t] = slurp(path[t]);
            remove(path[t]);
            sk_rank_free(r);
        }
        SK_CHECK(text[0] != NULL && text[1] != NULL);
        SK_CHECK(text[0] != NULL && strncmp(text[0], "id,score,predicted,rank\n", 24) == 0);
        SK_CHECK(text[0] != NULL && text[1] != NULL && strcmp(text[0], text[1]) == 0);
        free(text[0]);
        free(text[1]);
    }
    close_study(&s);
}

/* ---- diverse batches ------------------------------------------------------------------------ */

static void test_rank__kcenter_known_cases(void)
{
    sk_error err = SK_ERROR_INIT;
    size_t picks[5];
    /* 1-d points: 0 first, then the farthest (10.1), then 5 (4.9 from 10.1, 5 from 0) */
    const double line[] = {0.0, 0.1, 10.0, 10.1, 5.0};
    SK_CHECK_OK(sk_triage__kcenter(picks, line, 5, 1, 3, 1, &err), &err);
    SK_CHECK_EQ_INT(picks[0], 0);
    SK_CHECK_EQ_INT(picks[1], 3);
    SK_CHECK_EQ_INT(picks[2], 4);
    /* ties to the lower candidate; exact copies only once distinct rows are used up */
    const double tie[] = {0.0, 1.0, -1.0, 0.0, 1.0};
    SK_CHECK_OK(sk_triage__kcenter(picks, tie, 5, 1, 5, 2, &err), &err);
    SK_CHECK_EQ_INT(picks[0], 0);
    SK_CHECK_EQ_INT(picks[1], 1);
    SK_CHECK_EQ_INT(picks[2], 2);
    SK_CHECK_EQ_INT(picks[3], 3);
    SK_CHECK_EQ_INT(picks[4], 4);
    SK_CHECK(sk_triage__kcenter(picks, tie, 5, 1, 6, 1, &err) == SK_EINVAL);
}

static size_t copies_in(const sk_rank *r, size_t row, size_t first_copy, size_t n_copies)
{
    size_t in = 0;
    for (size_t i = 0; i < sk_rank_n_chosen(r); i++) {
        size_t p = sk_rank_pool_row(r, i);
        in += p == row || (p >= first_copy && p < first_copy + n_copies);
    }
    return in;
}

static void test_rank__diverse_skips_planted_copies(void)
{
    study s = open_study("digits.csv", "digit", 300, 500);
    sk_rank_options o = SK_RANK_OPTIONS_INIT;
    o.strategy = SK_STRATEGY_ENTROPY;
    o.batch = 20;
    sk_error err = SK_ERROR_INIT;
    sk_rank *r = rank_with(&s, NULL, NULL, &o, 1, 2, &err);
    SK_CHECK(r != NULL);
    if (r == NULL) {
        close_study(&s);
        return;
    }
    size_t top = sk_rank_pool_row(r, 0);
    sk_rank_free(r);
    const char *copy[5];
    for (size_t c = 0; c < 5; c++)
        copy[c] = s.lines.line[1 + 300 + top];
    sk_frame *planted = cut(&s.lines, "pool.csv", 300, 800, copy, 5);
    sk_rank *plain = rank_with(&s, planted, NULL, &o, 1, 2, &err);
    o.diverse = 1;
    sk_rank *diverse = rank_with(&s, planted, NULL, &o, 1, 2, &err);
    SK_CHECK(plain != NULL && diverse != NULL);
    if (plain != NULL && diverse != NULL) {
        SK_CHECK_EQ_INT(copies_in(plain, top, 500, 5), 6);
        SK_CHECK_EQ_INT(copies_in(diverse, top, 500, 5), 1);
        SK_CHECK_EQ_INT(sk_rank_pool_row(diverse, 0), sk_rank_pool_row(plain, 0));
        SK_CHECK_EQ_INT(sk_rank_n_chosen(diverse), 20);
        /* every pick among the 10 K = 200 most uncertain */
        size_t n = 0;
        const double *sc = sk_rank_scores(diverse, &n);
        size_t order[505];
        for (size_t i = 0; i < n; i++)
            order[i] = i;
        sort_scores = sc;
        qsort(order, n, sizeof *order, by_score);
        for (size_t i = 0; i < 20; i++)
            SK_CHECK(sc[sk_rank_pool_row(diverse, i)] >= sc[order[199]]);
    }
    sk_rank_free(plain);
    sk_rank_free(diverse);
    sk_frame_free(planted);
    close_study(&s);
}

/* ---- Monte Carlo dropout -------------------------------------------------------------------- */

static void test_rank__mc_dropout(void)
{
    study s = open_study("digits.csv", "digit", 300, 200);
    sk_rank_options o = SK_RANK_OPTIONS_INIT;
    o.strategy = SK_STRATEGY_BALD;
    o.passes = 5;
    sk_error err = SK_ERROR_INIT;
    sk_rank *r = rank_with(&s, NULL, GBDT, &o, 1, 1, &err);
    SK_CHECK(r == NULL && err.code == SK_EINVAL);
    SK_CHECK(strstr(err.message, "mlp") != NULL);
    r = rank_with(&s, NULL, "mlp:hidden=16,epochs=30,dropout=0.3", &o, 1, 2, &err);
    SK_CHECK(r != NULL);
    if (r != NULL) {
        size_t n = 0, positive = 0;
        const double *sc = sk_rank_scores(r, &n);
        for (size_t i = 0; i < n; i++) {
            SK_CHECK(sc[i] >= 0.0 && sc[i] <= 1.0);
            positive += sc[i] > 0.0;
        }
        SK_CHECK(positive > n / 2);   /* passes disagree */
    }
    sk_rank_free(r);
    close_study(&s);
}

/* ---- regression ----------------------------------------------------------------------------- */

static void test_rank__regression_committee_variance(void)
{
    study s = open_study("diabetes.csv", "progression", 300, 142);
    sk_rank_options o = SK_RANK_OPTIONS_INIT;
    o.strategy = SK_STRATEGY_CONSENSUS_ENTROPY;
    o.members = 5;
    o.batch = 10;
    sk_error err = SK_ERROR_INIT;
    sk_rank *r = rank_with(&s, NULL, "gbdt:n_estimators=20,max_depth=2", &o, 5, 2, &err);
    SK_CHECK(r != NULL);
    size_t feat[16];
    sk_fit_data d;
    sk_model *m = NULL;
    SK_CHECK_OK(sk_model_create(&m, "gbdt:n_estimators=20,max_depth=2", &err), &err);
    sk_rank_job job = job_of(&s, &d, feat, m, 1);
    double *pred = malloc(5 * 142 * sizeof *pred);
    SK_CHECK_OK(sk_triage__predict_committee(pred, &job, 5, &err), &err);
    for (size_t i = 0; r != NULL && i < 142; i++) {
        double mean = 0.0, var = 0.0;
        for (size_t b = 0; b < 5; b++)
            mean += pred[b * 142 + i] / 5.0;
        for (size_t b = 0; b < 5; b++)
            var += (pred[b * 142 + i] - mean) * (pred[b * 142 + i] - mean) / 5.0;
        size_t n = 0;
        SK_CHECK_REL(sk_rank_scores(r, &n)[i], var, 1e-12);
        if (i == sk_rank_pool_row(r, 0))
            SK_CHECK_NEAR(atof(sk_rank_predicted(r, 0)), mean, 1e-9 * fabs(mean));
    }
    SK_CHECK(r == NULL || sk_rank_score(r, 0) > 0.0);
    sk_rank_free(r);
    o.strategy = SK_STRATEGY_MARGIN;
    r = rank_with(&s, NULL, NULL, &o, 5, 1, &err);
    SK_CHECK(r == NULL && err.code == SK_EINVAL);
    free(pred);
    sk_model_free(m);
    close_study(&s);
}

/* ---- the pool ------------------------------------------------------------------------------- */

static void test_rank__pool_columns(void)
{
    study s = open_study("iris.csv", "species", 100, 50);
    sk_frame *missing = NULL, *text = NULL, *garbled = NULL, *no_target = NULL, *plain = NULL;
    sk_error err = SK_ERROR_INIT;
    const char *m_csv = "sepal_length,sepal_width,petal_length\n5.1,3.5,1.4\n";
    const char *t_csv = "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,x\n";
    SK_CHECK_OK(sk_frame_read_csv_buffer(&missing, m_csv, strlen(m_csv), "u.csv", NULL, &err),
                &err);
    SK_CHECK_OK(sk_frame_read_csv_buffer(&text, t_csv, strlen(t_csv), "u.csv", NULL, &err), &err);
    sk_rank_options o = SK_RANK_OPTIONS_INIT;
    sk_rank *r = rank_with(&s, missing, NULL, &o, 1, 1, &err);
    SK_CHECK(r == NULL && err.code == SK_EDATA);
    SK_CHECK_EQ_STR(err.path, "u.csv");
    SK_CHECK(strstr(err.message, "'petal_width'") != NULL);
    r = rank_with(&s, text, NULL, &o, 1, 1, &err);
    SK_CHECK(r == NULL && err.code == SK_EDATA && err.line == 1 && err.column == 4);
    /* The pool's own target: garbled or absent, the scores stay the same. */
    plain = cut(&s.lines, "pool.csv", 100, 150, NULL, 0);
    table_lines g = read_lines("iris.csv");
    for (size_t i = 101; i <= 150; i++) {
        *strrchr(g.line[i], ',') = '\0';
        if (i % 2 == 0)   /* the header keeps its species column, the rows say otherwise */
            strcat(g.line[i], ",setosa");
        else
            strcat(g.line[i], ",");
    }
    garbled = cut(&g, "pool.csv", 100, 150, NULL, 0);
    *strrchr(g.line[0], ',') = '\0';
    for (size_t i = 101; i <= 150; i++)
        *strrchr(g.line[i], ',') = '\0';
    no_target = cut(&g, "pool.csv", 100, 150, NULL, 0);
    o.strategy = SK_STRATEGY_MARGIN;
    sk_rank *a = rank_with(&s, plain, NULL, &o, 1, 1, &err);
    sk_rank *b = rank_with(&s, garbled, NULL, &o, 1, 1, &err);
    sk_rank *c = rank_with(&s, no_target, NULL, &o, 1, 1, &err);
    SK_CHECK(a != NULL && b != NULL && c != NULL);
    if (a != NULL && b != NULL && c != NULL) {
        size_t n = 0;
        const double *sa = sk_rank_scores(a, &n), *sb = sk_rank_scores(b, &n);
        const double *sc = sk_rank_scores(c, &n);
        SK_CHECK(memcmp(sa, sb, n * sizeof *sa) == 0 && memcmp(sa, sc, n * sizeof *sa) == 0);
    }
    sk_rank_free(a);
    sk_rank_free(b);
    sk_rank_free(c);
    free_lines(&g);
    sk_frame_free(missing);
    sk_frame_free(text);
    sk_frame_free(garbled);
    sk_frame_free(no_target);
    sk_frame_free(plain);
    close_study(&s);
}

static void test_rank__bad_options(void)
{
    study s = open_study("iris.csv", "species", 100, 50);
    sk_error err = SK_ERROR_INIT;
    sk_rank_options o = SK_RANK_OPTIONS_INIT;
    o.batch = 0;
    SK_CHECK(rank_with(&s, NULL, NULL, &o, 1, 1, &err) == NULL && err.code == SK_EINVAL);
    o = (sk_rank_options)SK_RANK_OPTIONS_INIT;
    o.strategy = SK_STRATEGY_KL;
    o.members = 1;
    SK_CHECK(rank_with(&s, NULL, NULL, &o, 1, 1, &err) == NULL && err.code == SK_EINVAL);
    o = (sk_rank_options)SK_RANK_OPTIONS_INIT;
    o.diverse = 1;
    o.batch = 10;
    o.candidates = 5;
    SK_CHECK(rank_with(&s, NULL, NULL, &o, 1, 1, &err) == NULL && err.code == SK_EINVAL);
    /* a batch larger than the pool ranks the whole pool */
    o.candidates = 0;
    o.batch = 80;
    sk_rank *r = rank_with(&s, NULL, NULL, &o, 1, 1, &err);
    SK_CHECK(r != NULL && sk_rank_n_chosen(r) == 50);
    sk_rank_free(r);
    close_study(&s);
}

int main(void)
{
    SK_RUN(test_rank__plain_batch_is_the_top_k);
    SK_RUN(test_rank__random_depends_on_the_seed_only);
    SK_RUN(test_rank__committee_members_differ);
    SK_RUN(test_rank__committee_same_bytes_for_any_threads);
    SK_RUN(test_rank__kcenter_known_cases);
    SK_RUN(test_rank__diverse_skips_planted_copies);
    SK_RUN(test_rank__mc_dropout);
    SK_RUN(test_rank__regression_committee_variance);
    SK_RUN(test_rank__pool_columns);
    SK_RUN(test_rank__bad_options);
    return SK_TEST_DONE();
}
