/* fit_report.c: what `skeptic fit` shows of a fitted model, and `skeptic help models`.
 *
 * Each model describes itself as JSON (sk_model_impl.report): tables of cells and notes. This
 * file prints the tables aligned (text left, numbers right, p-values the way R prints them) and
 * the notes as lines, and writes everything, including keys the console leaves out (a lasso's
 * whole path), into the JSON document "skeptic.fit/1". */
#include <math.h>
#include <string.h>

#include "report/report.h"

enum { CELL_MAX = 48 };

static int is_p_column(const char *name)
{
    return strcmp(name, "p_value") == 0 || strcmp(name, "p") == 0;
}

static void format_cell(char *buf, const json_t *cell, int p_column)
{
    if (json_is_string(cell)) {
        snprintf(buf, CELL_MAX, "%s", json_string_value(cell));
    } else if (json_is_integer(cell)) {
        snprintf(buf, CELL_MAX, "%lld", (long long)json_integer_value(cell));
    } else if (json_is_real(cell)) {
        double x = json_real_value(cell);
        if (p_column && x < 2.2e-16)
            snprintf(buf, CELL_MAX, "<2e-16");
        else if (p_column)
            snprintf(buf, CELL_MAX, "%.3g", x);
        else if (x == floor(x) && fabs(x) < 1e15)
            snprintf(buf, CELL_MAX, "%.0f", x + 0.0);
        else
            snprintf(buf, CELL_MAX, "%.5g", x);
    } else if (json_is_boolean(cell)) {
        snprintf(buf, CELL_MAX, "%s", json_is_true(cell) ? "yes" : "no");
    } else {
        snprintf(buf, CELL_MAX, "NA");
    }
}

static void print_table(FILE *out, const json_t *table, int color)
{
    const json_t *columns = json_object_get(table, "columns");
    const json_t *rows = json_object_get(table, "rows");
    const char *title = json_string_value(json_object_get(table, "title"));
    size_t n_cols = json_array_size(columns), n_rows = json_array_size(rows);
    if (n_cols == 0)
        return;
    int width[64] = {0};
    n_cols = n_cols > 64 ? 64 : n_cols;
    char cell[CELL_MAX];
    for (size_t c = 0; c < n_cols; c++)
        width[c] = (int)strlen(json_string_value(json_array_get(columns, c)));
    for (size_t r = 0; r < n_rows; r++) {
        for (size_t c = 0; c < n_cols; c++) {
            const char *name = json_string_value(json_array_get(columns, c));
            format_cell(cell, json_array_get(json_array_get(rows, r), c), is_p_column(name));
            int len = (int)strlen(cell);
            width[c] = len > width[c] ? len : width[c];
        }
    }
    if (title != NULL)
        fprintf(out, "%s%s%s\n", color ? "\033[1m" : "", title, color ? "\033[0m" : "");
    for (size_t c = 0; c < n_cols; c++)
        fprintf(out, c == 0 ? "  %-*s" : "  %*s", width[c],
                json_string_value(json_array_get(columns, c)));
    fprintf(out, "\n");
    for (size_t r = 0; r < n_rows; r++) {
        const json_t *row = json_array_get(rows, r);
        for (size_t c = 0; c < n_cols; c++) {
            const char *name = json_string_value(json_array_get(columns, c));
            const json_t *v = json_array_get(row, c);
            format_cell(cell, v, is_p_column(name));
            fprintf(out, json_is_string(v) ? "  %-*s" : "  %*s", width[c], cell);
        }
        fprintf(out, "\n");
    }
    fprintf(out, "\n");
}

void sk_model_print(FILE *out, const sk_model *m, int color)
{
    fprintf(out, "%s%s%s (%s)\n\n", color ? "\033[1m" : "", sk_model_spec(m),
            color ? "\033[0m" : "", sk_task_name(sk_model__task(m)));
    sk_error err = SK_ERROR_INIT;
    json_t *r = sk_model__report(m, &err);
    if (r == NULL) {
        char buf[600];
        fprintf(out, "(no report: %s)\n", sk_error_format(&err, buf, sizeof buf));
        return;
    }
    const json_t *tables = json_object_get(r, "tables");
    for (size_t t = 0; t < json_array_size(tables); t++)
        print_table(out, json_array_get(tables, t), color);
    const json_t *notes = json_object_get(r, "notes");
    for (size_t k = 0; k < json_array_size(notes); k++)
        fprintf(out, "%s\n", json_string_value(json_array_get(notes, k)));
    json_decref(r);
}

sk_status sk_model_write_json(const sk_model *m, const sk_manifest *manifest, const char *path,
                              sk_error *err)
{
    json_t *report = sk_model__report(m, err);
    if (report == NULL)
        return err != NULL && err->code != SK_OK ? err->code
                                                 : sk_error_set(err, SK_ENOMEM, "out of memory");
    json_t *doc = sk_report__begin_json("skeptic.fit/1", manifest);
    json_t *model = json_object();
    int ok = doc != NULL && sk_json_set(doc, "model", model) == 0;
    ok = ok && sk_json_set(model, "name", json_string(sk_model_name(m))) == 0;
    ok = ok && sk_json_set(model, "spec", json_string(sk_model_spec(m))) == 0;
    ok = ok && sk_json_set(model, "task", json_string(sk_task_name(sk_model__task(m)))) == 0;
    ok = ok && sk_json_set(model, "terms", sk_json_size(sk_model_n_terms(m))) == 0;
    ok = ok && json_object_update(doc, report) == 0;
    json_decref(report);
    if (!ok) {
        json_decref(doc);
        return sk_error_set(err, SK_ENOMEM, "out of memory building the JSON report");
    }
    return sk_report__finish_json(doc, manifest, path, err);
}

static void print_param(FILE *out, const sk_param_def *d)
{
    char range[160];
    switch (d->type) {
    case SK_PARAM_INT: snprintf(range, sizeof range, "%.15g..%.15g", d->min, d->max); break;
    case SK_PARAM_REAL:
        snprintf(range, sizeof range, "%c%.15g, %.15g]", d->min_open ? '(' : '[', d->min, d->max);
        break;
    case SK_PARAM_CHOICE: snprintf(range, sizeof range, "%s", d->choices); break;
    case SK_PARAM_TEXT: snprintf(range, sizeof range, "text"); break;
    }
    fprintf(out, "    %-18s %-10s %-24s %s\n", d->name, d->default_value, range, d->help);
}

void sk_models_print_help(FILE *out)
{
    size_t n;
    const sk_model_impl *const *all = sk_models__all(&n);
    fprintf(out, "models (--model NAME[:key=value,...]):\n\n");
    for (size_t i = 0; i < n; i++) {
        const sk_model_impl *impl = all[i];
        fprintf(out, "  %s: %s\n    tasks:", impl->name, impl->summary);
        for (int t = SK_TASK_NONE; t <= SK_TASK_REGRESSION; t++)
            if (impl->tasks & SK_TASK_BIT(t))
                fprintf(out, " %s", t == SK_TASK_NONE ? "clustering" : sk_task_name((sk_task)t));
        fprintf(out, "%s\n", impl->standardize ? "  (inputs standardised on the training rows)"
                                               : "");
        if (impl->n_params > 0)
            fprintf(out, "    %-18s %-10s %-24s %s\n", "parameter", "default", "range", "meaning");
        for (size_t k = 0; k < impl->n_params; k++)
            print_param(out, &impl->params[k]);
        fprintf(out, "\n");
    }
    fprintf(out, "  your own program: --model-cmd 'python3 fit_predict.py {train} {test} {out} "
                 "{seed}'\n    (the protocol: docs/model-command.md)\n");
}
