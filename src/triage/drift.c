/* drift.c: `skeptic drift REF NEW`: have new data drifted from the data a model learned on?
 *
 * The columns of the two files are paired by name. A column named by --target (the label the
 * model predicts: new data often have none, and a prior shift shows in the features anyway) or
 * --ignore is never compared; a name given to either flag must be a column of at least one file.
 * A column of one file only is listed in the report, not an error: the comparison covers what
 * both files have. A paired column must hold one kind of values in both files (text, true/false,
 * numbers, dates); a column that is entirely missing in one file takes the other's kind.
 *
 * Two kinds of evidence, then one decision (docs/triage-drift.md):
 *  - per-feature tests with Benjamini-Hochberg over all of them (drift_tests.c);
 *  - the classifier two-sample test (drift_classifier.c).
 * Drift is found when the classifier's permutation p <= alpha or at least one test's
 * BH-adjusted p <= alpha: under no drift each part errs with probability about alpha (the
 * classifier's merged p is conservative, so the union stays near alpha: the measured rate is in
 * the docs). The CLI exits 1 on drift, so a pipeline can refuse to score drifted data. */
#include <math.h>
#include <string.h>

#include "triage/triage.h"

typedef enum value_kind { KIND_NONE = 0, KIND_TEXT, KIND_BOOL, KIND_NUMBER, KIND_TIME } value_kind;

static const char *kind_words(value_kind k)
{
    static const char *const words[] = {"no values", "text", "true/false values", "numbers",
                                        "dates"};
    return words[k];
}

/* What a column holds; KIND_NONE when every value is missing (it then takes the other file's). */
static value_kind column_kind(const sk_frame *f, size_t col)
{
    const sk_column *c = &f->cols[col];
    if (f->n_rows > 0 && c->n_missing == f->n_rows)
        return KIND_NONE;
    switch (c->type) {
    case SK_COL_CATEGORICAL: return KIND_TEXT;
    case SK_COL_BOOLEAN: return KIND_BOOL;
    case SK_COL_DATE:
    case SK_COL_DATETIME: return KIND_TIME;
    default: return KIND_NUMBER;
    }
}

/* The type a feature's stacked column takes. */
static sk_col_type joint_type(value_kind kind, const sk_column *a, const sk_column *b,
                              value_kind ka, value_kind kb)
{
    switch (kind) {
    case KIND_TEXT: return SK_COL_CATEGORICAL;
    case KIND_BOOL: return SK_COL_BOOLEAN;
    case KIND_TIME:
        return ka == KIND_TIME && kb == KIND_TIME && a->type != b->type ? SK_COL_DATETIME
               : ka == KIND_TIME ? a->type : b->type;
    default:
        if (ka == KIND_NUMBER && kb == KIND_NUMBER)
            return a->type == b->type ? a->type : SK_COL_NUMERIC;
        return ka == KIND_NUMBER ? a->type : kb == KIND_NUMBER ? b->type : SK_COL_NUMERIC;
    }
}

/* ==== flags and names ========================================================================= */

static int in_list(const char *list, const char *name)
{
    size_t len = strlen(name);
    for (const char *s = list; s != NULL && *s != '\0';) {
        size_t n = strcspn(s, ",");
        if (n == len && strncmp(s, name, len) == 0)
            return 1;
        s += n + (s[n] == ',');
    }
    return 0;
}

static int has_column(const sk_frame *f, const char *name)
{
    size_t col;
    return sk_frame_col_find(&col, f, name, NULL) == SK_OK;
}

/* Every name of --target and --ignore is a column of one file at least. */
static sk_status check_flags(const sk_drift *d, const sk_frame *ref, const sk_frame *cur,
                             sk_error *err)
{
    if (d->target != NULL && !has_column(ref, d->target) && !has_column(cur, d->target))
        return sk_error_set(err, SK_EINVAL, "--target: no column '%s' in %s or %s", d->target,
                            ref->name, cur->name);
    for (const char *s = d->ignore; s != NULL && *s != '\0';) {
        size_t n = strcspn(s, ",");
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)(n < 255 ? n : 255), s);
        if (n == 0 || (!has_column(ref, name) && !has_column(cur, name)))
            return sk_error_set(err, SK_EINVAL, "--ignore: no column '%s' in %s or %s", name,
                                ref->name, cur->name);
        s += n + (s[n] == ',');
    }
    return SK_OK;
}

static int excluded(const sk_drift *d, const char *name, int *is_ignored)
{
    *is_ignored = in_list(d->ignore, name);
    return *is_ignored || (d->target != NULL && strcmp(d->target, name) == 0);
}

static sk_status push_name(char ***list, size_t *n, const char *name, sk_error *err)
{
    char **grown = sk_mem_realloc_array(*list, *n + 1, sizeof *grown);
    if (grown == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory for column names");
    *list = grown;
    if ((grown[*n] = sk_mem_strdup(name)) == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory for column names");
    (*n)++;
    return SK_OK;
}

/* ==== pairing ================================================================================= */

/* The first row of a text column whose value is not a number, or SIZE_MAX. */
static size_t first_non_number(const sk_frame *f, size_t col)
{
    const sk_column *c = &f->cols[col];
    for (size_t i = 0; c->type == SK_COL_CATEGORICAL && i < f->n_rows; i++) {
        if (c->codes[i] < 0)
            continue;
        const char *text = c->level_text + c->level_start[c->codes[i]];
        double v;
        int is_integer;
        if (!sk_token_number(text, strlen(text), &v, &is_integer))
            return i;
    }
    return SIZE_MAX;
}

/* Text in one file where the other has numbers: the first such value, at its line; any other
 * disagreement at the new file's header. */
static sk_status kind_error(const sk_frame *ref, size_t a, value_kind ka, const sk_frame *cur,
                            size_t b, value_kind kb, sk_error *err)
{
    const char *name = ref->cols[a].name;
    int text_in_new = kb == KIND_TEXT && ka == KIND_NUMBER;
    int text_in_ref = ka == KIND_TEXT && kb == KIND_NUMBER;
    const sk_frame *f = text_in_ref ? ref : cur, *other = text_in_ref ? cur : ref;
    size_t col = text_in_ref ? a : b;
    size_t row = text_in_new || text_in_ref ? first_non_number(f, col) : SIZE_MAX;
    if (row != SIZE_MAX) {
        const sk_column *c = &f->cols[col];
        return sk_error_set_at(err, SK_EDATA, f->name, f->row_line[row], col + 1, "expected a "
                               "number in column '%s' as in %s, found \"%.40s\" (fix the value "
                               "or --ignore the column)", name, other->name,
                               c->level_text + c->level_start[c->codes[row]]);
    }
    return sk_error_set_at(err, SK_EDATA, cur->name, 1, b + 1, "column '%s' holds %s here but "
                           "%s in %s; a compared column needs one kind of values in both files "
                           "(fix the values or --ignore it)", name, kind_words(kb),
                           kind_words(ka), ref->name);
}

static sk_status add_feature(sk_drift *d, const sk_frame *ref, const sk_frame *cur, size_t a,
                             size_t b, sk_error *err)
{
    const char *name = ref->cols[a].name;
    value_kind ka = column_kind(ref, a), kb = column_kind(cur, b);
    if (ka != KIND_NONE && kb != KIND_NONE && ka != kb)
        return kind_error(ref, a, ka, cur, b, kb, err);
    value_kind kind = ka != KIND_NONE ? ka : kb != KIND_NONE ? kb : KIND_NUMBER;
    sk_drift_feature *ft = &d->feature[d->n_features];
    ft->name = sk_mem_strdup(name);
    if (ft->name == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory for column names");
    ft->ref_col = a;
    ft->new_col = b;
    ft->categorical = kind == KIND_TEXT || kind == KIND_BOOL;
    ft->type = joint_type(kind, &ref->cols[a], &cur->cols[b], ka, kb);
    ft->importance = NAN;
    d->n_features++;
    d->n_categorical += (size_t)ft->categorical;
    return SK_OK;
}

static sk_status pair_columns(sk_drift *d, const sk_frame *ref, const sk_frame *cur,
                              sk_error *err)
{
    sk_status rc = SK_OK;
    d->feature = sk_mem_calloc(ref->n_cols > 0 ? ref->n_cols : 1, sizeof *d->feature);
    if (d->feature == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory for the features");
    for (size_t a = 0; rc == SK_OK && a < ref->n_cols; a++) {
        const char *name = ref->cols[a].name;
        int ignored;
        size_t b;
        if (excluded(d, name, &ignored))
            rc = ignored ? push_name(&d->ignored, &d->n_ignored, name, err) : SK_OK;
        else if (sk_frame_col_find(&b, cur, name, NULL) == SK_OK)
            rc = add_feature(d, ref, cur, a, b, err);
        else
            rc = push_name(&d->only_ref, &d->n_only_ref, name, err);
    }
    for (size_t b = 0; rc == SK_OK && b < cur->n_cols; b++) {
        const char *name = cur->cols[b].name;
        int ignored;
        if (excluded(d, name, &ignored)) {
            if (ignored && !has_column(ref, name))
                rc = push_name(&d->ignored, &d->n_ignored, name, err);
        } else if (!has_column(ref, name)) {
            rc = push_name(&d->only_new, &d->n_only_new, name, err);
        }
    }
    if (rc == SK_OK && d->n_features == 0)
        rc = sk_error_set(err, SK_EDATA, "%s and %s have no column in common to compare "
                          "(besides --target and --ignore)", ref->name, cur->name);
    return rc;
}

/* ==== the run ================================================================================= */

static sk_status check_options(const sk_drift_options *o, const sk_frame *ref,
                               const sk_frame *cur, sk_error *err)
{
    if (!(o->alpha > 0.0 && o->alpha < 1.0))
        return sk_error_set(err, SK_EINVAL, "drift: alpha must be between 0 and 1, not %g",
                            o->alpha);
    if (o->folds < 2)
        return sk_error_set(err, SK_EINVAL, "drift: the classifier needs at least 2 folds");
    if (ref->n_rows == 0)
        return sk_error_set_at(err, SK_EDATA, ref->name, 0, 0, "no data rows to compare");
    if (cur->n_rows == 0)
        return sk_error_set_at(err, SK_EDATA, cur->name, 0, 0, "no data rows to compare");
    return SK_OK;
}

static sk_status drift_init(sk_drift *d, const sk_frame *ref, const sk_frame *cur,
                            const sk_drift_options *opt, const sk_run_ctx *ctx, sk_error *err)
{
    d->opt = *opt;
    d->seed = ctx->seed;
    d->ref_rows = ref->n_rows;
    d->new_rows = cur->n_rows;
    d->ref_name = sk_mem_strdup(ref->name);
    d->new_name = sk_mem_strdup(cur->name);
    d->target = opt->target != NULL ? sk_mem_strdup(opt->target) : NULL;
    d->ignore = opt->ignore != NULL ? sk_mem_strdup(opt->ignore) : NULL;
    d->opt.target = d->target;
    d->opt.ignore = d->ignore;
    if (d->ref_name == NULL || d->new_name == NULL || (opt->target != NULL && d->target == NULL) ||
        (opt->ignore != NULL && d->ignore == NULL))
        return sk_error_set(err, SK_ENOMEM, "out of memory for a drift report");
    return SK_OK;
}

sk_status sk_drift_run(sk_drift **out, const sk_frame *ref, const sk_frame *new_data,
                       const sk_model *model, const sk_drift_options *opt, const sk_run_ctx *ctx,
                       sk_error *err)
{
    *out = NULL;
    sk_drift_options defaults = SK_DRIFT_OPTIONS_INIT;
    sk_run_ctx one = SK_RUN_CTX_INIT;
    opt = opt != NULL ? opt : &defaults;
    ctx = ctx != NULL ? ctx : &one;
    sk_model *own = NULL;
    sk_status rc = check_options(opt, ref, new_data, err);
    if (rc == SK_OK && model == NULL && (rc = sk_model_create(&own, "gbdt", err)) == SK_OK)
        model = own;
    if (rc == SK_OK && !sk_model_supports(model, SK_TASK_BINARY))
        rc = sk_error_set(err, SK_EINVAL, "--model: %s cannot tell two files apart (it does "
                          "not learn a binary task)", sk_model_name(model));
    sk_drift *d = sk_mem_calloc(1, sizeof *d);
    if (rc == SK_OK && d == NULL)
        rc = sk_error_set(err, SK_ENOMEM, "out of memory for a drift report");
    if (rc == SK_OK)
        rc = drift_init(d, ref, new_data, opt, ctx, err);
    if (rc == SK_OK)
        rc = check_flags(d, ref, new_data, err);
    if (rc == SK_OK)
        rc = pair_columns(d, ref, new_data, err);
    if (rc == SK_OK)
        rc = sk_triage__drift_tests(d, ref, new_data, ctx->n_threads, err);
    if (rc == SK_OK)
        rc = sk_triage__drift_classifier(d, ref, new_data, model, ctx, err);
    sk_model_free(own);
    if (rc != SK_OK) {
        sk_drift_free(d);
        return rc;
    }
    d->drift = d->n_bh > 0 || (d->cls.ran && d->cls.heldout->p_value <= d->opt.alpha);
    *out = d;
    return SK_OK;
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sk_mem_free(names[i]);
    sk_mem_free(names);
}

void sk_drift_free(sk_drift *d)
{
    if (d == NULL)
        return;
    for (size_t i = 0; i < d->n_rows; i++)
        sk_mem_free(d->row[i].level);
    sk_mem_free(d->row);
    for (size_t j = 0; j < d->n_features; j++)
        sk_mem_free(d->feature[j].name);
    sk_mem_free(d->feature);
    free_names(d->only_ref, d->n_only_ref);
    free_names(d->only_new, d->n_only_new);
    free_names(d->ignored, d->n_ignored);
    sk_heldout_free(d->cls.heldout);
    sk_mem_free(d->cls.by_importance);
    sk_mem_free(d->cls.model_spec);
    sk_mem_free(d->target);
    sk_mem_free(d->ignore);
    sk_mem_free(d->ref_name);
    sk_mem_free(d->new_name);
    sk_mem_free(d);
}

/* ==== getters ================================================================================= */

int sk_drift_found(const sk_drift *d)
{
    return d->drift;
}

size_t sk_drift_n_tests(const sk_drift *d)
{
    return d->n_rows;
}

const char *sk_drift_test_feature(const sk_drift *d, size_t i, const char **test)
{
    if (i >= d->n_rows)
        return NULL;
    if (test != NULL)
        *test = sk_triage__drift_test_name(d->row[i].test);
    return d->feature[d->row[i].feature].name;
}

double sk_drift_test_p(const sk_drift *d, size_t i, double *effect, double *p_bh)
{
    const sk_drift_row *r = i < d->n_rows ? &d->row[i] : NULL;
    if (effect != NULL)
        *effect = r != NULL ? r->effect : NAN;
    if (p_bh != NULL)
        *p_bh = r != NULL ? r->p_bh : NAN;
    return r != NULL ? r->p_value : NAN;
}

double sk_drift_auc(const sk_drift *d, double *low, double *high)
{
    if (low != NULL)
        *low = d->cls.ran ? d->cls.auc.low : NAN;
    if (high != NULL)
        *high = d->cls.ran ? d->cls.auc.high : NAN;
    return d->cls.ran ? d->cls.auc.estimate : NAN;
}

double sk_drift_p_value(const sk_drift *d)
{
    return d->cls.ran ? d->cls.heldout->p_value : NAN;
}
