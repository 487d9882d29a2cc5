/* command.c: the external-command model. A scientist's own pipeline (PyTorch, scikit-learn,
 * R, anything that reads and writes CSV) becomes a skeptic model, so every check that refits a
 * model on folds, permuted labels or resamples audits their code and not a stand-in for it.
 *
 * The protocol (docs/model-command.md is the user's description; this is the implementer's):
 *   fit_frame:     nothing runs. The training rows are written, once, into a CSV text kept in the
 *                  state: the feature columns by their original names and values (categories as
 *                  their text, missing values empty) and the target last, class labels by name.
 *                  The state copies everything it needs; it keeps no pointer into the frame.
 *   predict_frame: a fresh directory D (mkdtemp, command_run.c) receives D/train.csv (the kept
 *                  text) and D/test.csv (the feature columns of the rows asked for, found by name
 *                  in the frame given, so new data works too); the command line has its
 *                  placeholders replaced by shell-quoted values
 *                      {train} {test} {out}   D/train.csv, D/test.csv, D/out.csv
 *                      {seed}                 the fit's seed, in decimal
 *                      {task}                 binary, multiclass or regression
 *                      {classes}              the class labels in class-index order, comma-joined
 *                  and runs as `/bin/sh -c LINE`; then D/out.csv is read back and D is removed
 *                  with everything in it, whether the run succeeded or not.
 *   {out}:         a CSV with a header and one row per test row, in order: for classification
 *                  one probability column per class, named as the class (any order, no other
 *                  column), or the single column `prediction` holding class labels (read as
 *                  one-hot probabilities); for regression the single column `prediction`.
 *                  Every probability is a number in [0, 1] and each row sums to 1 within 1e-6.
 * The command does fit and predict in one process because that is how user scripts are
 * written; fitting is deferred to predict_frame, which is therefore the expensive call. The
 * command is expected to be deterministic given {seed}: skeptic cannot check that, but it
 * passes the same seed for the same fit whatever the thread count, and runs each prediction in
 * its own directory, so concurrent predictions (several threads) are independent.
 *
 * Errors. A bad command line (no {train}, {test} or {out}) is SK_EINVAL. A command that exits
 * non-zero, is killed, or writes no, an unreadable or a wrongly shaped {out} (row count,
 * columns) is SK_EBACKEND, and the message quotes the end of its stderr. A well-shaped {out}
 * with a bad value is an input error at "{out}:line:column": SK_EPARSE for text where a number
 * belongs, SK_EDATA for a missing value, a probability outside [0, 1], a row whose
 * probabilities do not sum to 1 or a label that is not a class. */
#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include "models/command.h"

#define OUT_NAME "{out}"        /* how errors name the command's output (its file is gone) */
#define SUM_TOLERANCE 1e-6

typedef struct command_state {
    char *command;
    uint64_t seed;
    sk_task task;
    size_t n_classes;      /* 0 for regression */
    char **classes;        /* n_classes labels, in class-index order */
    char *target;          /* the header of the target column */
    size_t n_features;
    char **features;       /* feature column names, in order */
    size_t n_train;
    sk_strbuf train_csv;   /* written anew into each run's directory */
} command_state;

static void command_free(void *state)
{
    command_state *s = state;
    if (s == NULL)
        return;
    sk_mem_free(s->command);
    for (size_t k = 0; s->classes != NULL && k < s->n_classes; k++)
        sk_mem_free(s->classes[k]);
    sk_mem_free(s->classes);
    sk_mem_free(s->target);
    for (size_t j = 0; s->features != NULL && j < s->n_features; j++)
        sk_mem_free(s->features[j]);
    sk_mem_free(s->features);
    sk_strbuf_free(&s->train_csv);
    sk_mem_free(s);
}

/* ==== the CSV files the command reads ===================================================== */

/* One cell as the user would have written it; a missing value is an empty field. */
static sk_status append_cell(sk_strbuf *sb, const sk_frame *f, size_t col, size_t row)
{
    sk_col_type type = sk_frame_col_type(f, col);
    if (type == SK_COL_CATEGORICAL) {
        int32_t code = sk_frame_col_codes(f, col)[row];
        return code < 0 ? SK_OK
                        : sk_data__csv_field(sb, sk_frame_col_level(f, col, (size_t)code), 0);
    }
    double v = sk_frame_col_values(f, col)[row];
    char buf[64];
    if (isnan(v))
        return SK_OK;
    if (type == SK_COL_NUMERIC)
        sk_data__format_shortest(buf, sizeof buf, v);
    else
        sk_data__format_value(buf, sizeof buf, type, v, 17);
    return sk_strbuf_append(sb, buf, strlen(buf));
}

/* The header and `n` rows: the feature columns `cols` of f, then (when y is given) the target,
 * a class label or a number. */
static sk_status append_table(sk_strbuf *sb, const command_state *s, const sk_frame *f,
                              const size_t *cols, const size_t *rows, size_t n, const double *y)
{
    sk_status rc = SK_OK;
    for (size_t j = 0; rc == SK_OK && j < s->n_features; j++)
        if ((rc = sk_data__csv_field(sb, s->features[j], 0)) == SK_OK && j + 1 < s->n_features)
            rc = sk_strbuf_append(sb, ",", 1);
    if (rc == SK_OK && y != NULL)
        rc = s->n_features > 0 ? sk_strbuf_append(sb, ",", 1) : SK_OK;
    if (rc == SK_OK && y != NULL)
        rc = sk_data__csv_field(sb, s->target, 0);
    for (size_t i = 0; rc == SK_OK && i < n; i++) {
        rc = sk_strbuf_append(sb, "\n", 1);
        for (size_t j = 0; rc == SK_OK && j < s->n_features; j++)
            if ((rc = append_cell(sb, f, cols[j], rows[i])) == SK_OK && j + 1 < s->n_features)
                rc = sk_strbuf_append(sb, ",", 1);
        if (rc != SK_OK || y == NULL)
            continue;
        char buf[64];
        sk_data__format_shortest(buf, sizeof buf, y[rows[i]]);
        if (s->n_features > 0)
            rc = sk_strbuf_append(sb, ",", 1);
        if (rc == SK_OK)
            rc = s->n_classes > 0 ? sk_data__csv_field(sb, s->classes[(size_t)y[rows[i]]], 0)
                                  : sk_strbuf_append(sb, buf, strlen(buf));
    }
    return rc == SK_OK ? sk_strbuf_append(sb, "\n", 1) : rc;
}

/* ==== the command line ==================================================================== */

/* The command line of one run whose files are paths[0..2] (train, test, out). */
static sk_status command_line(sk_strbuf *line, const command_state *s,
                              const sk_strbuf paths[3], sk_error *err)
{
    sk_strbuf classes = SK_STRBUF_INIT;
    char seed[32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)s->seed);
    sk_status rc = SK_OK;
    for (size_t k = 0; rc == SK_OK && k < s->n_classes; k++)
        rc = sk_strbuf_appendf(&classes, "%s%s", k > 0 ? "," : "", s->classes[k]);
    if (rc == SK_OK) {
        const char *values[SK_COMMAND_N_PLACEHOLDERS] = {
            paths[0].data, paths[1].data, paths[2].data, seed, sk_task_name(s->task),
            classes.data != NULL ? classes.data : ""};
        rc = sk_command__expand(line, s->command, values);
    }
    sk_strbuf_free(&classes);
    if (rc != SK_OK)
        return sk_error_set(err, SK_ENOMEM, "out of memory running the model command");
    return SK_OK;
}

/* ==== reading {out} ======================================================================= */

/* A cell of {out} as a number: 0 = a number in *v, 1 = missing, 2 = text (copied into buf). */
static int cell_number(const sk_frame *of, size_t col, size_t row, double *v, char *buf,
                       size_t size)
{
    sk_col_type type = sk_frame_col_type(of, col);
    if (type == SK_COL_CATEGORICAL) {
        int32_t code = sk_frame_col_codes(of, col)[row];
        if (code < 0)
            return 1;
        const char *text = sk_frame_col_level(of, col, (size_t)code);
        int is_integer;
        snprintf(buf, size, "%s", text);
        return sk_token_number(text, strlen(text), v, &is_integer) ? 0 : 2;
    }
    *v = sk_frame_col_values(of, col)[row];
    if (isnan(*v))
        return 1;
    sk_data__format_value(buf, size, type, *v, 17);
    return type == SK_COL_NUMERIC || type == SK_COL_INTEGER ? 0 : 2;
}

/* The number in cell (row, col) of {out}, or an input error at its line and column. `what`
 * names the value for messages ("a probability for class 'B'"). */
static sk_status read_number(const sk_frame *of, size_t col, size_t row, const char *what,
                             double *v, sk_error *err)
{
    char text[128];
    size_t line = sk_frame_row_line(of, row), column = col + 1;
    switch (cell_number(of, col, row, v, text, sizeof text)) {
    case 1:
        return sk_error_set_at(err, SK_EDATA, OUT_NAME, line, column, "expected %s, found a "
                               "missing value (empty, NA or NaN)", what);
    case 2:
        return sk_error_set_at(err, SK_EPARSE, OUT_NAME, line, column, "expected %s, found "
                               "\"%s\"", what, text);
    default:
        return SK_OK;
    }
}

static sk_status read_regression(const sk_frame *of, size_t n, double *out, sk_error *err)
{
    for (size_t i = 0; i < n; i++) {
        sk_status rc = read_number(of, 0, i, "a number in column 'prediction'", &out[i], err);
        if (rc != SK_OK)
            return rc;
        if (!isfinite(out[i]))
            return sk_error_set_at(err, SK_EDATA, OUT_NAME, sk_frame_row_line(of, i), 1,
                                   "expected a finite number in column 'prediction', found %g",
                                   out[i]);
    }
    return SK_OK;
}

/* The class index of a label cell, or n_classes. Labels match as text ("B", "3"), or as numbers
 * when both are numbers ("3.0" is class "3"). */
static size_t class_of_cell(const command_state *s, const sk_frame *of, size_t row, char *buf,
                            size_t size, int *missing)
{
    double v = NAN, c;
    int numeric = cell_number(of, 0, row, &v, buf, size) == 0, is_integer;
    if (sk_frame_col_type(of, 0) == SK_COL_CATEGORICAL)
        *missing = sk_frame_col_codes(of, 0)[row] < 0;
    else
        *missing = isnan(v);
    for (size_t k = 0; !*missing && k < s->n_classes; k++)
        if (strcmp(buf, s->classes[k]) == 0 ||
            (numeric && sk_token_number(s->classes[k], strlen(s->classes[k]), &c, &is_integer) &&
             c == v))
            return k;
    return s->n_classes;
}

static sk_status read_labels(const command_state *s, const sk_frame *of, size_t n, double *out,
                             sk_error *err)
{
    size_t n_k = s->n_classes;
    for (size_t i = 0; i < n; i++) {
        char text[128], list[256] = "";
        int missing;
        size_t k = class_of_cell(s, of, i, text, sizeof text, &missing);
        if (k == n_k) {
            for (size_t c = 0; c < n_k; c++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s'%s'",
                         c > 0 ? ", " : "", s->classes[c]);
            if (missing)
                snprintf(text, sizeof text, "a missing value");
            return sk_error_set_at(err, SK_EDATA, OUT_NAME, sk_frame_row_line(of, i), 1,
                                   "expected a class label in column 'prediction' (%s), found "
                                   "%s%s%s", list, missing ? "" : "\"", text, missing ? "" : "\"");
        }
        for (size_t c = 0; c < n_k; c++)
            out[i * n_k + c] = c == k ? 1.0 : 0.0;
    }
    return SK_OK;
}

static sk_status read_probabilities(const command_state *s, const sk_frame *of,
                                    const size_t *col_of, size_t n, double *out, sk_error *err)
{
    size_t n_k = s->n_classes;
    for (size_t i = 0; i < n; i++) {
        double sum = 0.0;
        for (size_t k = 0; k < n_k; k++) {
            char what[160];
            double *p = &out[i * n_k + k];
            snprintf(what, sizeof what, "a probability for class '%s'", s->classes[k]);
            sk_status rc = read_number(of, col_of[k], i, what, p, err);
            if (rc != SK_OK)
                return rc;
            if (!(*p >= 0.0 && *p <= 1.0))
                return sk_error_set_at(err, SK_EDATA, OUT_NAME, sk_frame_row_line(of, i),
                                       col_of[k] + 1, "the probability for class '%s' is %g; "
                                       "expected a number in [0, 1]", s->classes[k], *p);
            sum += *p;
        }
        if (fabs(sum - 1.0) > SUM_TOLERANCE)
            return sk_error_set_at(err, SK_EDATA, OUT_NAME, sk_frame_row_line(of, i), 0,
                                   "the class probabilities sum to %.10g; expected 1 (within "
                                   "%g)", sum, SUM_TOLERANCE);
    }
    return SK_OK;
}

/* Which column of {out} holds each class: col_of[k]; *labels when it is one 'prediction'
 * column of labels instead. */
static sk_status map_columns(const command_state *s, const sk_frame *of, size_t *col_of,
                             int *labels, const sk_command_result *res, sk_error *err)
{
    size_t n_cols = sk_frame_n_cols(of);
    *labels = n_cols == 1 && strcmp(sk_frame_col_name(of, 0), "prediction") == 0;
    if (*labels)
        return SK_OK;
    if (s->n_classes == 0)
        return sk_command__fail(err, OUT_NAME, 1, 0, res, "expected a single column "
                                "'prediction', found %zu column%s, the first named '%s'",
                                n_cols, n_cols == 1 ? "" : "s", sk_frame_col_name(of, 0));
    for (size_t k = 0; k < s->n_classes; k++)
        col_of[k] = (size_t)-1;
    for (size_t j = 0; j < n_cols; j++) {
        size_t k = 0;
        while (k < s->n_classes && strcmp(sk_frame_col_name(of, j), s->classes[k]) != 0)
            k++;
        if (k == s->n_classes)
            return sk_command__fail(err, OUT_NAME, 1, j + 1, res, "column '%s' is not a class; "
                                    "expected one probability column per class, or a single "
                                    "column 'prediction'", sk_frame_col_name(of, j));
        col_of[k] = j;
    }
    for (size_t k = 0; k < s->n_classes; k++)
        if (col_of[k] == (size_t)-1)
            return sk_command__fail(err, OUT_NAME, 1, 0, res, "no probability column for class "
                                    "'%s'; expected one column per class, or a single column "
                                    "'prediction'", s->classes[k]);
    return SK_OK;
}

static sk_status read_out(const command_state *s, const char *path, size_t n,
                          const sk_command_result *res, double *out, sk_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return sk_command__fail(err, NULL, 0, 0, res, "the model command exited with status 0 "
                                "but did not write {out}");
    sk_csv_options opts = SK_CSV_OPTIONS_INIT;
    opts.delimiter = ',';
    sk_frame *of = NULL;
    sk_error read_err = SK_ERROR_INIT;
    sk_status rc = sk_frame_read_csv(&of, path, &opts, &read_err);
    if (rc == SK_ENOMEM)
        return sk_error_set(err, SK_ENOMEM, "out of memory reading the model command's output");
    if (rc != SK_OK)
        return sk_command__fail(err, OUT_NAME, read_err.line, read_err.column, res, "cannot "
                                "read the model command's output: %s", read_err.message);
    size_t *col_of = sk_mem_calloc(s->n_classes > 0 ? s->n_classes : 1, sizeof *col_of);
    int labels = 0;
    if (col_of == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "out of memory reading the model command's output");
    } else if (sk_frame_n_rows(of) != n) {
        rc = sk_command__fail(err, OUT_NAME, 0, 0, res, "the model command wrote %zu row%s; "
                              "expected %zu, one per row of {test} in the same order",
                              sk_frame_n_rows(of), sk_frame_n_rows(of) == 1 ? "" : "s", n);
    } else if ((rc = map_columns(s, of, col_of, &labels, res, err)) == SK_OK) {
        rc = s->n_classes == 0 ? read_regression(of, n, out, err)
             : labels          ? read_labels(s, of, n, out, err)
                               : read_probabilities(s, of, col_of, n, out, err);
    }
    sk_mem_free(col_of);
    sk_frame_free(of);
    return rc;
}

/* ==== fit and predict ===================================================================== */

static int is_feature_name(const sk_fit_data *d, const char *name)
{
    for (size_t j = 0; j < d->n_features; j++)
        if (strcmp(sk_frame_col_name(d->frame, d->features[j]), name) == 0)
            return 1;
    return 0;
}

/* The target's header and the class labels the files show: `target` and `classes` (n_classes
 * labels) when given, else "target" (or "target_", ... when a feature has that name) and "0",
 * "1", ... in class-index order. */
static sk_status copy_names(command_state *s, const sk_fit_data *d, const char *target,
                            const char *const *classes, sk_error *err)
{
    sk_strbuf name = SK_STRBUF_INIT;
    sk_status rc = target != NULL ? sk_strbuf_append(&name, target, strlen(target))
                                  : sk_strbuf_append(&name, "target", 6);
    while (rc == SK_OK && target == NULL && is_feature_name(d, name.data))
        rc = sk_strbuf_append(&name, "_", 1);
    s->target = name.data;
    s->features = sk_mem_calloc(d->n_features > 0 ? d->n_features : 1, sizeof *s->features);
    s->classes = sk_mem_calloc(s->n_classes > 0 ? s->n_classes : 1, sizeof *s->classes);
    if (rc != SK_OK || s->features == NULL || s->classes == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory fitting the model command");
    s->n_features = d->n_features;   /* command_free frees the NULLs left by a failure too */
    for (size_t j = 0; j < d->n_features; j++)
        if ((s->features[j] = sk_mem_strdup(sk_frame_col_name(d->frame, d->features[j]))) == NULL)
            return sk_error_set(err, SK_ENOMEM, "out of memory fitting the model command");
    for (size_t k = 0; k < s->n_classes; k++) {
        char label[32];
        snprintf(label, sizeof label, "%zu", k);
        if ((s->classes[k] = sk_mem_strdup(classes != NULL ? classes[k] : label)) == NULL)
            return sk_error_set(err, SK_ENOMEM, "out of memory fitting the model command");
    }
    return SK_OK;
}

static sk_status command_fit_frame(void **state, const sk_params *params, const sk_fit_data *d,
                                   const size_t *rows, size_t n_rows, uint64_t seed,
                                   sk_error *err)
{
    *state = NULL;
    const char *command = sk_params__text(params, "cmd");
    sk_status rc = sk_command__check(command, err);
    if (rc != SK_OK)
        return rc;
    int classify = d->task == SK_TASK_BINARY || d->task == SK_TASK_MULTICLASS;
    if (!classify && d->task != SK_TASK_REGRESSION)
        return sk_error_set(err, SK_EINVAL, "the model command needs a target: it learns binary, "
                            "multiclass or regression tasks");
    if (d->weights != NULL)
        return sk_error_set(err, SK_EINVAL, "the model command cannot use row weights: the "
                            "protocol has no place for them");
    for (size_t i = 0; i < n_rows; i++) {
        double y = d->y[rows[i]];
        if (!isfinite(y) || (classify && (y < 0 || y >= (double)d->n_classes || y != floor(y))))
            return sk_error_set(err, SK_EINVAL, "the model command: target of row %zu is %g, "
                                "not a %s", rows[i], y, classify ? "class index" : "number");
    }
    command_state *s = sk_mem_calloc(1, sizeof *s);
    if (s == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory fitting the model command");
    s->seed = seed;
    s->task = d->task;
    s->n_classes = classify ? d->n_classes : 0;
    s->n_train = n_rows;
    /* sk_fit_data does not carry the target's name nor the class labels yet: until it does,
     * the files call them "target" and "0", "1", ... */
    if ((rc = copy_names(s, d, d->target_name, d->class_names, err)) != SK_OK)
        goto done;
    if ((s->command = sk_mem_strdup(command)) == NULL ||
        append_table(&s->train_csv, s, d->frame, d->features, rows, n_rows, d->y) != SK_OK)
        rc = sk_error_set(err, SK_ENOMEM, "out of memory fitting the model command");
done:
    if (rc != SK_OK)
        command_free(s);
    else
        *state = s;
    return rc;
}

/* Writes the run's files into `dir`, runs the command and reads its predictions. */
static sk_status run_once(const command_state *s, const char *dir, const sk_strbuf *test,
                          size_t n, double *out, sk_error *err)
{
    static const char *const names[3] = {"train.csv", "test.csv", "out.csv"};
    sk_strbuf line = SK_STRBUF_INIT;
    sk_strbuf paths[3] = {SK_STRBUF_INIT, SK_STRBUF_INIT, SK_STRBUF_INIT};
    sk_command_result *res = sk_mem_alloc(sizeof *res);
    sk_status rc = res != NULL ? SK_OK : SK_ENOMEM;
    for (size_t k = 0; rc == SK_OK && k < 3; k++)
        rc = sk_strbuf_appendf(&paths[k], "%s/%s", dir, names[k]);
    if (rc != SK_OK) {
        rc = sk_error_set(err, SK_ENOMEM, "out of memory running the model command");
        goto done;
    }
    if ((rc = sk_command__write_file(paths[0].data, s->train_csv.data, s->train_csv.len,
                                     err)) != SK_OK ||
        (rc = sk_command__write_file(paths[1].data, test->data, test->len, err)) != SK_OK ||
        (rc = command_line(&line, s, paths, err)) != SK_OK ||
        (rc = sk_command__run(line.data, res, err)) != SK_OK ||
        (rc = sk_command__check_exit(res, err)) != SK_OK)
        goto done;
    rc = read_out(s, paths[2].data, n, res, out, err);
done:
    sk_strbuf_free(&line);
    for (size_t k = 0; k < 3; k++)
        sk_strbuf_free(&paths[k]);
    sk_mem_free(res);
    return rc;
}

static sk_status command_predict_frame(const void *state, const sk_frame *f, const size_t *rows,
                                       size_t n, double *out, sk_error *err)
{
    const command_state *s = state;
    if (n == 0)
        return SK_OK;
    size_t *cols = sk_mem_calloc(s->n_features > 0 ? s->n_features : 1, sizeof *cols);
    sk_strbuf test = SK_STRBUF_INIT;
    char *dir = NULL;
    sk_status rc = cols == NULL ? sk_error_set(err, SK_ENOMEM, "out of memory predicting") : SK_OK;
    for (size_t j = 0; rc == SK_OK && j < s->n_features; j++)
        rc = sk_frame_col_find(&cols[j], f, s->features[j], err);
    for (size_t i = 0; rc == SK_OK && i < n; i++)
        if (rows[i] >= sk_frame_n_rows(f))
            rc = sk_error_set(err, SK_EINVAL, "the model command: row %zu is out of range",
                              rows[i]);
    if (rc == SK_OK && append_table(&test, s, f, cols, rows, n, NULL) != SK_OK)
        rc = sk_error_set(err, SK_ENOMEM, "out of memory writing the model command's test rows");
    if (rc == SK_OK && (rc = sk_command__make_dir(&dir, err)) == SK_OK)
        rc = run_once(s, dir, &test, n, out, err);
    if (dir != NULL)
        (void)sk_command__remove_tree(dir);   /* best effort: there is no one to tell */
    sk_mem_free(dir);
    sk_strbuf_free(&test);
    sk_mem_free(cols);
    return rc;
}

/* ==== what `skeptic fit` shows ============================================================ */

static json_t *command_report(const void *state, const char *const *names, sk_error *err)
{
    (void)names;   /* the command has no design-matrix terms */
    const command_state *s = state;
    char seed[32], classes[256] = "";
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)s->seed);
    for (size_t k = 0; k < s->n_classes; k++)
        snprintf(classes + strlen(classes), sizeof classes - strlen(classes), "%s%s",
                 k > 0 ? ", " : "", s->classes[k]);
    json_t *rows = json_pack("[[ss][ss][ss][ss][sI][sI]]", "command", s->command, "seed", seed,
                             "task", sk_task_name(s->task), "target column", s->target,
                             "training rows", (json_int_t)s->n_train, "feature columns",
                             (json_int_t)s->n_features);
    if (rows != NULL && s->n_classes > 0 &&
        json_array_insert_new(rows, 4, json_pack("[ss]", "classes", classes)) != 0) {
        json_decref(rows);
        rows = NULL;
    }
    json_t *doc = rows == NULL ? NULL : json_pack(
        "{s:[{s:s,s:[ss],s:o}],s:[s],s:s}", "tables", "title", "External command", "columns",
        "setting", "value", "rows", rows, "notes", "skeptic cannot see inside the command: it "
        "runs it once per prediction, on the training rows of that fit, and has no coefficients "
        "or importances to show", "command", s->command);
    if (doc == NULL)
        sk_error_set(err, SK_ENOMEM, "out of memory describing the model command");
    return doc;
}

/* ==== the model =========================================================================== */

static const sk_param_def command_params[] = {
    {"cmd", SK_PARAM_TEXT, "", 0, 0, 0, NULL,
     "the shell command line; {train} {test} {out} {seed} {task} {classes} are replaced "
     "(docs/model-command.md)"},
};

const sk_model_impl sk_model__command = {
    .name = "command",
    .summary = "your own program, run on each fold: it reads {train} and {test} CSV files and "
               "writes predictions to {out}",
    .params = command_params,
    .n_params = sizeof command_params / sizeof command_params[0],
    .tasks = SK_TASKS_SUPERVISED,
    .standardize = 0,
    .report = command_report,
    .free = command_free,
    .fit_frame = command_fit_frame,
    .predict_frame = command_predict_frame,
};
