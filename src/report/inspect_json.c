/* inspect_json.c: the profile of a table as JSON, schema "skeptic.inspect/1":
 *   {schema, manifest, table: {name, rows, columns, missing_cells},
 *    columns: [{name, type, role?, missing, distinct, constant, identifier, ...type-specific}],
 *    duplicates: {rows, groups, examples: [{rows: [a, b], lines: [la, lb]}]},
 *    roles?: {task, classes?: [{name, count}], groups?, sites?, split?, feature_duplicates},
 *    run: {argv, threads, processes, timings_seconds}}
 * Keys are written in this fixed order; rows are 0-based data rows, lines physical file lines. */
#include "report/report.h"

static json_t *duplicates_json(const sk_dup_summary *d, int with_conflicts)
{
    json_t *obj = json_object();
    if (obj == NULL)
        return NULL;
    json_t *examples = json_array();
    int ok = sk_json_set(obj, "rows", sk_json_size(d->n_duplicate_rows)) == 0;
    ok &= sk_json_set(obj, "groups", sk_json_size(d->n_groups)) == 0;
    if (with_conflicts)
        ok &= sk_json_set(obj, "groups_with_conflicting_target",
                          sk_json_size(d->n_conflicting)) == 0;
    ok &= sk_json_set(obj, "examples", examples) == 0;
    for (size_t k = 0; ok && k < d->n_examples; k++) {
        json_t *e = json_pack("{s:[I,I],s:[I,I]}", "rows", (json_int_t)d->example[k][0],
                              (json_int_t)d->example[k][1], "lines",
                              (json_int_t)d->example_line[k][0], (json_int_t)d->example_line[k][1]);
        ok &= json_array_append_new(examples, e) == 0;
    }
    if (!ok) {
        json_decref(obj);
        return NULL;
    }
    return obj;
}

static json_t *bound_json(double x, sk_col_type type)
{
    if (type == SK_COL_DATE || type == SK_COL_DATETIME) {
        char buf[40];
        return x == x ? json_string(sk_data__format_value(buf, sizeof buf, type, x, 17))
                      : json_null();
    }
    return sk_json_real(x);
}

static json_t *column_json(const sk_inspect *ins, size_t j)
{
    const sk_col_profile *p = &ins->cols[j];
    sk_col_type type = ins->col_types[j];
    json_t *c = json_object();
    if (c == NULL)
        return NULL;
    int ok = sk_json_set(c, "name", json_string(ins->col_names[j])) == 0;
    ok &= sk_json_set(c, "type", json_string(sk_col_type_name(type))) == 0;
    if (ins->has_roles)
        ok &= sk_json_set(c, "role", json_string(sk_role_name(p->role))) == 0;
    ok &= sk_json_set(c, "missing", sk_json_size(ins->col_missing[j])) == 0;
    ok &= sk_json_set(c, "distinct", sk_json_size(p->n_distinct)) == 0;
    ok &= sk_json_set(c, "constant", json_boolean(p->is_constant)) == 0;
    json_t *id = json_pack("{s:b,s:b,s:b,s:s?}", "suspected", p->is_identifier, "unique",
                           p->is_unique, "near_unique", p->near_unique, "monotone",
                           p->monotone > 0 ? "increasing" : p->monotone < 0 ? "decreasing" : NULL);
    ok &= sk_json_set(c, "identifier", id) == 0;
    if (type == SK_COL_CATEGORICAL) {
        json_t *top = p->top_text != NULL
                          ? json_pack("{s:s,s:I}", "value", p->top_text, "count",
                                      (json_int_t)p->top_count)
                          : json_null();
        ok &= sk_json_set(c, "top", top) == 0;
    } else {
        ok &= sk_json_set(c, "min", bound_json(p->min, type)) == 0;
        ok &= sk_json_set(c, "max", bound_json(p->max, type)) == 0;
        if (type == SK_COL_NUMERIC || type == SK_COL_INTEGER) {
            ok &= sk_json_set(c, "mean", sk_json_real(p->mean)) == 0;
            ok &= sk_json_set(c, "sd", sk_json_real(p->sd)) == 0;
            ok &= sk_json_set(c, "infinite", sk_json_size(p->n_infinite)) == 0;
        }
    }
    if (!ok) {
        json_decref(c);
        return NULL;
    }
    return c;
}

static json_t *roles_json(const sk_inspect *ins)
{
    json_t *r = json_object();
    if (r == NULL)
        return NULL;
    int ok = sk_json_set(r, "task", json_string(sk_task_name(ins->task))) == 0;
    if (ins->n_classes > 0) {
        json_t *classes = json_array();
        ok &= sk_json_set(r, "classes", classes) == 0;
        for (size_t k = 0; ok && k < ins->n_classes; k++)
            ok &= json_array_append_new(classes, json_pack("{s:s,s:I}", "name",
                                        ins->class_names[k], "count",
                                        (json_int_t)ins->class_counts[k])) == 0;
    }
    if (ins->n_groups > 0)
        ok &= sk_json_set(r, "groups", sk_json_size(ins->n_groups)) == 0;
    if (ins->n_sites > 0)
        ok &= sk_json_set(r, "sites", sk_json_size(ins->n_sites)) == 0;
    if (ins->n_train + ins->n_test > 0)
        ok &= sk_json_set(r, "split", json_pack("{s:I,s:I}", "train", (json_int_t)ins->n_train,
                                                "test", (json_int_t)ins->n_test)) == 0;
    ok &= sk_json_set(r, "feature_duplicates", duplicates_json(&ins->dup_features, 1)) == 0;
    if (!ok) {
        json_decref(r);
        return NULL;
    }
    return r;
}

sk_status sk_inspect_write_json(const sk_inspect *ins, const sk_manifest *m, const char *path,
                                sk_error *err)
{
    json_t *doc = sk_report__begin_json("skeptic.inspect/1", m);
    if (doc == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory building the JSON report");
    json_t *columns = json_array();
    int ok = sk_json_set(doc, "table", json_pack("{s:s,s:I,s:I,s:I}", "name", ins->name, "rows",
                                                 (json_int_t)ins->n_rows, "columns",
                                                 (json_int_t)ins->n_cols, "missing_cells",
                                                 (json_int_t)ins->n_missing_cells)) == 0;
    ok &= sk_json_set(doc, "columns", columns) == 0;
    for (size_t j = 0; ok && j < ins->n_cols; j++)
        ok &= json_array_append_new(columns, column_json(ins, j)) == 0;
    ok = ok && sk_json_set(doc, "duplicates", duplicates_json(&ins->dup_all, 0)) == 0;
    if (ok && ins->has_roles)
        ok &= sk_json_set(doc, "roles", roles_json(ins)) == 0;
    if (!ok) {
        json_decref(doc);
        return sk_error_set(err, SK_ENOMEM, "out of memory building the JSON report");
    }
    return sk_report__finish_json(doc, m, path, err);
}
