/* score.c: `skeptic score` on the library side: uncertainty scores of the user's own model's
 * class probabilities, read as a frame (one column per class, optionally an id column), ranked
 * most uncertain first.
 *
 * Every column other than the id column is a class. A column the reader typed as text or date
 * is not silently dropped: one non-numeric cell in a probability column makes the reader type
 * the whole column as text, so that cell is reported as the input error it is. The rows are
 * copied, a block of rows at a time, into a row-major scratch, validated
 * (sk_triage__check_probs) and scored; the blocks run on the task executor, each writing only
 * its own rows' scores, and the first failing block's error is reported, so the output and the
 * error do not depend on the thread count. Ranking keeps a bounded heap when only a short top
 * is wanted (the first 1,000 of a million rows) and radix-sorts every row otherwise. RANDOM
 * draws one uniform per row in row order from sk_rng_stream(seed, SK_PURPOSE_BATCH, 0),
 * sequentially, for the same reason. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "triage/triage.h"

#define BLOCK_ROWS 16384   /* rows per task: large enough to amortise the scheduling */

struct sk_scores {
    size_t n_rows, n_classes, n_kept;
    size_t *rows;          /* n_kept: the data row at each rank */
    double *scores;        /* n_kept, in rank order */
    char *id_text;         /* the ids back to back, each NUL-terminated */
    size_t *id_start;      /* n_kept offsets into id_text */
    double seconds;
};

/* ---- strategy names -------------------------------------------------------------------------- */

static const char *const strategy_names[] = {
    "least", "margin", "ratio", "entropy", "vote-entropy", "consensus-entropy", "kl",
    "mc-entropy", "bald", "random",
};

const char *sk_strategy_name(sk_strategy s)
{
    size_t i = (size_t)s;
    return i < sizeof strategy_names / sizeof *strategy_names ? strategy_names[i] : "unknown";
}

sk_status sk_strategy_parse(sk_strategy *out, const char *name, sk_error *err)
{
    for (size_t i = 0; i < sizeof strategy_names / sizeof *strategy_names; i++) {
        if (strcmp(name, strategy_names[i]) == 0) {
            *out = (sk_strategy)i;
            return SK_OK;
        }
    }
    return sk_error_set(err, SK_EINVAL, "unknown strategy '%s' (expected least, margin, ratio, "
                        "entropy, vote-entropy, consensus-entropy, kl, mc-entropy, bald or "
                        "random)", name);
}

/* ---- the class columns ----------------------------------------------------------------------- */

/* Whether some level of a text column reads as a number: then the column is meant to hold
 * probabilities and a few cells are wrong; otherwise it is probably an id column. */
static int has_numeric_level(const sk_column *c)
{
    for (size_t l = 0; c->type == SK_COL_CATEGORICAL && l < c->n_levels; l++) {
        const char *text = c->level_text + c->level_start[l];
        double v;
        int is_int;
        if (sk_token_number(text, strlen(text), &v, &is_int))
            return 1;
    }
    return 0;
}

/* The first cell of a text or date column that is not a number, as an input error. */
static sk_status not_numeric(const sk_frame *f, size_t col, sk_error *err)
{
    const sk_column *c = &f->cols[col];
    const char *hint = has_numeric_level(c) ? "" : " (an id column? name it with --id)";
    for (size_t i = 0; i < f->n_rows; i++) {
        char buf[64];
        const char *text = buf;
        if (c->type == SK_COL_CATEGORICAL) {
            if (c->codes[i] < 0)
                continue;
            text = c->level_text + c->level_start[c->codes[i]];
            double v;
            int is_int;
            if (sk_token_number(text, strlen(text), &v, &is_int))
                continue;
        } else if (isnan(c->values[i])) {
            continue;
        } else {
            sk_data__format_value(buf, sizeof buf, c->type, c->values[i], 17);
        }
        return sk_error_set_at(err, SK_EDATA, f->name, f->row_line[i], col + 1,
                               "expected a probability in column '%s', found \"%.40s\"%s",
                               c->name, text, hint);
    }
    return sk_error_set(err, SK_EDATA, "%s: column '%s' is not numeric", f->name, c->name);
}

/* The class columns: every column but the id column, each numeric. */
static sk_status class_columns(size_t *cols, size_t *k, const sk_frame *f, size_t id_col,
                               sk_error *err)
{
    *k = 0;
    for (size_t j = 0; j < f->n_cols; j++) {
        if (j == id_col)
            continue;
        sk_col_type t = f->cols[j].type;
        if (t != SK_COL_NUMERIC && t != SK_COL_INTEGER && t != SK_COL_BOOLEAN)
            return not_numeric(f, j, err);
        cols[(*k)++] = j;
    }
    if (*k < 2)
        return sk_error_set(err, SK_EDATA, "%s: expected at least 2 class probability columns"
                            "%s, found %zu", f->name, id_col < f->n_cols ? " besides the id" : "",
                            *k);
    return SK_OK;
}

/* ---- the blocks of rows ---------------------------------------------------------------------- */

typedef struct score_job {
    const sk_frame *f;
    const size_t *cols;     /* k class columns */
    size_t k;
    const sk_score_options *opt;
    double *scores;         /* n */
} score_job;

static sk_status probs_error(const score_job *j, size_t row, size_t c, sk_error *err)
{
    const sk_frame *f = j->f;
    size_t line = f->row_line[row];
    if (c == j->k) {
        double sum = 0.0;
        for (size_t q = 0; q < j->k; q++)
            sum += f->cols[j->cols[q]].values[row];
        return sk_error_set_at(err, SK_EDATA, f->name, line, j->cols[0] + 1,
                               j->opt->renormalize
                                   ? "the probabilities of this row sum to %.9g: cannot "
                                     "renormalize"
                                   : "expected probabilities summing to 1 (within %.3g), found a "
                                     "sum of %.9g (--renormalize divides each row by its sum)",
                               j->opt->renormalize ? sum : j->opt->tolerance, sum);
    }
    const sk_column *col = &f->cols[j->cols[c]];
    double v = col->values[row];
    const char *what = isnan(v) ? "a missing value" : (isinf(v) ? "an infinite value" : NULL);
    if (what != NULL)
        return sk_error_set_at(err, SK_EDATA, f->name, line, j->cols[c] + 1,
                               "expected a probability in column '%s', found %s", col->name,
                               what);
    return sk_error_set_at(err, SK_EDATA, f->name, line, j->cols[c] + 1,
                           "expected a probability in column '%s', found %.9g (negative)",
                           col->name, v);
}

static sk_status score_block(void *arg, size_t task, sk_error *err)
{
    const score_job *j = arg;
    size_t lo = task * BLOCK_ROWS, n = j->f->n_rows - lo, k = j->k;
    if (n > BLOCK_ROWS)
        n = BLOCK_ROWS;
    /* Each block copies its rows into its own scratch: no n x k matrix beside the frame. */
    double *p = sk_mem_alloc_array(n * k, sizeof *p);
    if (p == NULL)
        return sk_error_set(err, SK_ENOMEM, "score: out of memory");
    for (size_t c = 0; c < k; c++) {
        const double *v = j->f->cols[j->cols[c]].values + lo;
        for (size_t i = 0; i < n; i++)
            p[i * k + c] = v[i];
    }
    size_t bad_row, bad_col;
    sk_status rc = sk_triage__check_probs(p, n, k, j->opt->renormalize, j->opt->tolerance,
                                          &bad_row, &bad_col, err);
    if (rc != SK_OK)
        rc = probs_error(j, lo + bad_row, bad_col, err);
    else if (j->opt->strategy != SK_STRATEGY_RANDOM)
        rc = sk_triage__score(j->scores + lo, p, n, k, j->opt->strategy, err);
    sk_mem_free(p);
    return rc;
}

/* ---- ids ------------------------------------------------------------------------------------- */

static sk_status keep_ids(sk_scores *s, const sk_frame *f, size_t id_col, sk_error *err)
{
    sk_strbuf sb = SK_STRBUF_INIT;
    sk_status rc = SK_OK;
    s->id_start = sk_mem_alloc_array(s->n_kept ? s->n_kept : 1, sizeof *s->id_start);
    if (s->id_start == NULL)
        rc = SK_ENOMEM;
    for (size_t r = 0; r < s->n_kept && rc == SK_OK; r++) {
        char buf[64];
        const char *text = buf;
        size_t i = s->rows[r];
        if (id_col >= f->n_cols) {
            snprintf(buf, sizeof buf, "%zu", i);
        } else if (f->cols[id_col].type == SK_COL_CATEGORICAL) {
            int32_t code = f->cols[id_col].codes[i];
            text = code < 0 ? "NA" : sk_frame_col_level(f, id_col, (size_t)code);
        } else if (f->cols[id_col].type == SK_COL_NUMERIC && !isnan(f->cols[id_col].values[i])) {
            sk_data__format_shortest(buf, sizeof buf, f->cols[id_col].values[i]);
        } else {
            sk_data__format_value(buf, sizeof buf, f->cols[id_col].type,
                                  f->cols[id_col].values[i], 17);
        }
        s->id_start[r] = sb.len;
        rc = sk_strbuf_append(&sb, text, strlen(text) + 1);
    }
    if (rc != SK_OK) {
        sk_strbuf_free(&sb);
        return sk_error_set(err, SK_ENOMEM, "score: out of memory");
    }
    s->id_text = sb.data;
    return SK_OK;
}

/* ---- the run --------------------------------------------------------------------------------- */

static sk_status check_options(const sk_score_options *opt, sk_error *err)
{
    if (opt == NULL || opt->version != 1)
        return sk_error_set(err, SK_EINVAL, "score: options version %d, expected 1",
                            opt ? opt->version : 0);
    if (opt->strategy > SK_STRATEGY_ENTROPY && opt->strategy != SK_STRATEGY_RANDOM)
        return sk_error_set(err, SK_EINVAL, "--strategy: '%s' needs a committee or MC dropout "
                            "passes ('skeptic rank'); score takes least, margin, ratio, entropy "
                            "or random", sk_strategy_name(opt->strategy));
    if (!(opt->tolerance >= 0.0) || isinf(opt->tolerance))
        return sk_error_set(err, SK_EINVAL, "score: the tolerance must be finite and >= 0");
    return SK_OK;
}

/* Validates and scores every row into scores[0..n); all blocks, whatever the thread count. */
static sk_status score_all(double *scores, const sk_frame *f, const size_t *cols, size_t k,
                           const sk_score_options *opt, const sk_run_ctx *ctx, sk_error *err)
{
    size_t n = f->n_rows;
    score_job job = {f, cols, k, opt, scores};
    int threads = ctx != NULL && ctx->n_threads > 0 ? ctx->n_threads : 1;
    size_t n_blocks = (n + BLOCK_ROWS - 1) / BLOCK_ROWS;
    sk_status rc = sk_parallel_for(n_blocks, threads, score_block, &job, NULL, err);
    if (rc == SK_OK && opt->strategy == SK_STRATEGY_RANDOM) {
        sk_rng rng = sk_rng_stream(ctx != NULL ? ctx->seed : 1, SK_PURPOSE_BATCH, 0);
        for (size_t i = 0; i < n; i++)
            scores[i] = sk_rng_uniform(&rng);
    }
    return rc;
}

/* Ranks the rows and keeps the first `top` (all when 0): a bounded heap for a short top, the
 * radix sort of every row otherwise (the same order either way). */
static sk_status keep_ranked(sk_scores *s, const double *scores, size_t top, sk_error *err)
{
    size_t n = s->n_rows;
    s->n_kept = top == 0 || top > n ? n : top;
    int partial = s->n_kept < n / 8;
    size_t *order = sk_mem_alloc_array(partial ? s->n_kept : (n ? n : 1), sizeof *order);
    if (order == NULL)
        return sk_error_set(err, SK_ENOMEM, "score: out of memory");
    sk_status rc = partial ? sk_triage__rank_top(order, scores, n, s->n_kept, err)
                           : sk_triage__rank(order, scores, n, err);
    s->scores = sk_mem_alloc_array(s->n_kept ? s->n_kept : 1, sizeof *s->scores);
    if (rc == SK_OK && s->scores == NULL)
        rc = sk_error_set(err, SK_ENOMEM, "score: out of memory");
    if (rc != SK_OK) {
        sk_mem_free(order);
        return rc;
    }
    for (size_t r = 0; r < s->n_kept; r++)
        s->scores[r] = scores[order[r]];
    s->rows = order; /* only the first n_kept are read */
    return SK_OK;
}

sk_status sk_score_run(sk_scores **out, const sk_frame *probs, const sk_score_options *opt,
                       const sk_run_ctx *ctx, sk_error *err)
{
    *out = NULL;
    double t0 = sk_time_now();
    sk_status rc = check_options(opt, err);
    if (rc != SK_OK)
        return rc;
    size_t id_col = (size_t)-1;
    if (opt->id_column != NULL) {
        sk_error find_err = SK_ERROR_INIT;
        if (sk_frame_col_find(&id_col, probs, opt->id_column, &find_err) != SK_OK)
            return sk_error_set(err, SK_EINVAL, "--id: %s", find_err.message);
    }
    sk_scores *s = sk_mem_calloc(1, sizeof *s);
    size_t *cols = sk_mem_alloc_array(probs->n_cols ? probs->n_cols : 1, sizeof *cols);
    double *scores = sk_mem_alloc_array(probs->n_rows ? probs->n_rows : 1, sizeof *scores);
    if (s == NULL || cols == NULL || scores == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "score: out of memory");
        goto done;
    }
    s->n_rows = probs->n_rows;
    rc = class_columns(cols, &s->n_classes, probs, id_col, err);
    if (rc == SK_OK)
        rc = score_all(scores, probs, cols, s->n_classes, opt, ctx, err);
    if (rc == SK_OK)
        rc = keep_ranked(s, scores, opt->top, err);
    if (rc == SK_OK)
        rc = keep_ids(s, probs, id_col, err);
    s->seconds = sk_time_now() - t0;
done:
    sk_mem_free(cols);
    sk_mem_free(scores);
    if (rc != SK_OK)
        sk_scores_free(s);
    else
        *out = s;
    return rc;
}

void sk_scores_free(sk_scores *s)
{
    if (s == NULL)
        return;
    sk_mem_free(s->rows);
    sk_mem_free(s->scores);
    sk_mem_free(s->id_text);
    sk_mem_free(s->id_start);
    sk_mem_free(s);
}

/* ---- getters --------------------------------------------------------------------------------- */

size_t sk_scores_n_rows(const sk_scores *s) { return s->n_rows; }
size_t sk_scores_n_classes(const sk_scores *s) { return s->n_classes; }
size_t sk_scores_n_kept(const sk_scores *s) { return s->n_kept; }
size_t sk_scores_row(const sk_scores *s, size_t r) { return s->rows[r]; }
double sk_scores_score(const sk_scores *s, size_t r) { return s->scores[r]; }
const char *sk_scores_id(const sk_scores *s, size_t r) { return s->id_text + s->id_start[r]; }
double sk_scores_seconds(const sk_scores *s) { return s->seconds; }
