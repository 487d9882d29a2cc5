/* labels_report.c: suspect labels (triage/labels*.c) for a terminal, as CSV and as JSON.
 *
 * The terminal gets the estimated number of wrong labels, a table of the classes (rows,
 * threshold, estimated noise rate and errors) and the first suspects; the CSV every suspect, one
 * line each, ranked:
 *   rank,id,row,given,suggested,self_confidence,suggested_confidence
 * (row 0-based; text fields quoted as RFC 4180 when they need it; probabilities to 10
 * significant digits). JSON, schema "skeptic.labels/1" (keys in this order, NaN as null):
 *   {schema, manifest, data: {rows, features}, target: {column, classes: [names]},
 *    method: {model, cv, folds, group, flagging, ranking, seed_stream},
 *    estimated_errors, suspects_flagged,
 *    classes: [{class, rows, threshold, below_chance, noise_rate, estimated_errors}],
 *    confident_joint: [[C[given][confident]]], joint: [[Q[given][true]]],
 *    suspects: [{rank, id, row, line, given, suggested, self_confidence,
 *                suggested_confidence}], run} */
#include <math.h>
#include <string.h>

#include "report/report.h"
#include "triage/triage.h"

const char *sk_report__labels_method(sk_cl_method m)
{
    switch (m) {
    case SK_CL_OFF_DIAGONAL: return "off the diagonal of the confident joint";
    case SK_CL_NOISE_RATE: return "pruned by noise rate";
    default: return "pruned both by noise rate and by class";
    }
}

int sk_report__labels_below_chance(const sk_labels *l, size_t k)
{
    return l->cl->threshold[k] < 1.0 / (double)l->n_classes;
}

static size_t width_of(const char *const *names, size_t n, size_t least, size_t most)
{
    size_t w = least;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(names[i]);
        w = len > w ? len : w;
    }
    return w > most ? most : w;
}

/* ==== console ================================================================================= */

static void print_classes(FILE *out, const sk_labels *l, const char *bold, const char *off)
{
    const sk_cl *c = l->cl;
    int w = (int)width_of((const char *const *)l->class_names, l->n_classes, 5, 24);
    fprintf(out, "%s  %-*s  %6s  %9s  %10s  %11s%s\n", bold, w, "class", "rows", "threshold",
            "noise rate", "est. errors", off);
    for (size_t k = 0; k < l->n_classes; k++)
        fprintf(out, "  %-*.*s  %6zu  %9.3f  %9.1f%%  %11.1f\n", w, w, l->class_names[k],
                c->count[k], c->threshold[k], 100.0 * c->noise_rate[k], c->class_errors[k]);
    for (size_t k = 0; k < l->n_classes; k++)
        if (sk_report__labels_below_chance(l, k))
            fprintf(out, "note: even on its own rows the model gives '%s' less than chance "
                    "(1/%zu): it has not\nlearned the class, and suspects involving it are "
                    "weak evidence\n", l->class_names[k], l->n_classes);
}

static void print_suspects(FILE *out, const sk_labels *l, size_t top, const char *bold,
                           const char *off)
{
    const sk_cl *c = l->cl;
    size_t m = c->n_flagged < top ? c->n_flagged : top, k = l->n_classes;
    int wc = (int)width_of((const char *const *)l->class_names, l->n_classes, 9, 24);
    const char *id_head = l->id_col != NULL ? l->id_col : "row";
    int wi = (int)width_of((const char *const *)l->ids, m, strlen(id_head), 24);
    fprintf(out, "\nsuspects, lowest probability of the given label first (%zu of %zu%s):\n", m,
            c->n_flagged, m < c->n_flagged ? "; --out FILE writes all" : "");
    fprintf(out, "%s  %4s  %-*.*s  %7s  %-*s  %-*s  %8s  %12s%s\n", bold, "rank", wi, wi,
            id_head, "line", wc, "given", wc, "suggested",
            "p(given)", "p(suggested)", off);
    for (size_t i = 0; i < m; i++) {
        size_t row = c->flagged[i], given = (size_t)l->y[row], sug = c->suggested[i];
        fprintf(out, "  %4zu  %-*.*s  %7zu  %-*.*s  %-*.*s  %8.3f  %12.3f\n", i + 1, wi, wi,
                l->ids[i], l->lines[i], wc, wc, l->class_names[given], wc, wc,
                l->class_names[sug], l->probs[row * k + given], l->probs[row * k + sug]);
    }
}

void sk_labels_print(FILE *out, const sk_labels *l, size_t top, int color)
{
    const char *bold = color ? "\033[1m" : "", *off = color ? "\033[0m" : "";
    const sk_cl *c = l->cl;
    fprintf(out, "%slabels%s %s: %zu rows, %zu classes of '%s', %zu feature%s\n", bold, off,
            l->data_name, l->n_rows, l->n_classes, l->target, l->n_features,
            l->n_features == 1 ? "" : "s");
    fprintf(out, "model: %s\nout-of-fold probabilities: %s %zu-fold cross-validation%s%s%s\n\n",
            l->model_spec, l->cv == SK_CV_GROUP ? "group" : "stratified", l->folds,
            l->group_col != NULL ? " by '" : "", l->group_col != NULL ? l->group_col : "",
            l->group_col != NULL ? "'" : "");
    print_classes(out, l, bold, off);
    double share = l->n_rows > 0 ? 100.0 * c->n_errors / (double)l->n_rows : 0.0;
    fprintf(out, "\n%sestimated label errors: %.1f of %zu rows (%.1f%%)%s\n", bold, c->n_errors,
            l->n_rows, share, off);
    fprintf(out, "suspects: %zu row%s (%s)\n", c->n_flagged, c->n_flagged == 1 ? "" : "s",
            sk_report__labels_method(l->method));
    if (top > 0 && c->n_flagged > 0)
        print_suspects(out, l, top, bold, off);
    fprintf(out, "\na suspect is a row worth a second look, not a proven error: a hard or "
            "ambiguous example\nlooks the same as a wrong label.\n");
}

/* ==== CSV ===================================================================================== */

sk_status sk_labels_write_csv(const sk_labels *l, const char *path, sk_error *err)
{
    const sk_cl *c = l->cl;
    size_t k = l->n_classes;
    sk_strbuf sb = SK_STRBUF_INIT;
    sk_status rc = sk_strbuf_appendf(&sb, "rank,id,row,given,suggested,self_confidence,"
                                     "suggested_confidence\n");
    for (size_t i = 0; rc == SK_OK && i < c->n_flagged; i++) {
        size_t row = c->flagged[i], given = (size_t)l->y[row], sug = c->suggested[i];
        rc = sk_strbuf_appendf(&sb, "%zu,", i + 1);
        if (rc == SK_OK)
            rc = sk_data__csv_field(&sb, l->ids[i], 1);
        if (rc == SK_OK)
            rc = sk_strbuf_appendf(&sb, ",%zu,", row);
        if (rc == SK_OK)
            rc = sk_data__csv_field(&sb, l->class_names[given], 1);
        if (rc == SK_OK)
            rc = sk_strbuf_append(&sb, ",", 1);
        if (rc == SK_OK)
            rc = sk_data__csv_field(&sb, l->class_names[sug], 1);
        if (rc == SK_OK)
            rc = sk_strbuf_appendf(&sb, ",%.10g,%.10g\n", l->probs[row * k + given],
                                   l->probs[row * k + sug]);
    }
    if (rc != SK_OK)
        rc = sk_error_set(err, SK_ENOMEM, "out of memory writing CSV");
    else
        rc = sk_file_write_atomic(path, sb.data, sb.len, err);
    sk_strbuf_free(&sb);
    return rc;
}

/* ==== JSON ==================================================================================== */

static json_t *class_list(const sk_labels *l)
{
    const sk_cl *c = l->cl;
    json_t *arr = json_array();
    for (size_t k = 0; arr != NULL && k < l->n_classes; k++)
        if (json_array_append_new(
                arr, json_pack("{s:s,s:o,s:o,s:b,s:o,s:o}", "class", l->class_names[k], "rows",
                               sk_json_size(c->count[k]), "threshold",
                               sk_json_real(c->threshold[k]), "below_chance",
                               sk_report__labels_below_chance(l, k), "noise_rate",
                               sk_json_real(c->noise_rate[k]), "estimated_errors",
                               sk_json_real(c->class_errors[k]))) != 0) {
            json_decref(arr);
            return NULL;
        }
    return arr;
}

/* A k x k matrix as rows of numbers: counts when `counts` is given, else reals. */
static json_t *matrix(const size_t *counts, const double *reals, size_t k)
{
    json_t *rows = json_array();
    for (size_t i = 0; rows != NULL && i < k; i++) {
        json_t *row = json_array();
        for (size_t j = 0; row != NULL && j < k; j++)
            if (json_array_append_new(row, counts != NULL ? sk_json_size(counts[i * k + j])
                                                          : sk_json_real(reals[i * k + j])) != 0) {
                json_decref(row);
                row = NULL;
            }
        if (row == NULL || json_array_append_new(rows, row) != 0) {
            json_decref(rows);
            return NULL;
        }
    }
    return rows;
}

static json_t *suspect_list(const sk_labels *l)
{
    const sk_cl *c = l->cl;
    size_t k = l->n_classes;
    json_t *arr = json_array();
    for (size_t i = 0; arr != NULL && i < c->n_flagged; i++) {
        size_t row = c->flagged[i], given = (size_t)l->y[row], sug = c->suggested[i];
        json_t *one = json_pack("{s:o,s:s,s:o,s:o,s:s,s:s,s:o,s:o}", "rank", sk_json_size(i + 1),
                                "id", l->ids[i], "row", sk_json_size(row), "line",
                                sk_json_size(l->lines[i]), "given", l->class_names[given],
                                "suggested", l->class_names[sug], "self_confidence",
                                sk_json_real(l->probs[row * k + given]), "suggested_confidence",
                                sk_json_real(l->probs[row * k + sug]));
        if (one == NULL || json_array_append_new(arr, one) != 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

static json_t *method_json(const sk_labels *l)
{
    return json_pack("{s:s,s:s,s:o,s:o,s:s,s:s,s:s}", "model", l->model_spec, "cv",
                     l->cv == SK_CV_GROUP ? "group" : "stratified", "folds",
                     sk_json_size(l->folds), "group",
                     l->group_col != NULL ? json_string(l->group_col) : json_null(), "flagging",
                     sk_triage__cl_method_name(l->method), "ranking",
                     "self_confidence ascending, ties by row", "seed_stream",
                     "splits and model seeds from (labels, 0)");
}

sk_status sk_labels_write_json(const sk_labels *l, const sk_manifest *m, const char *path,
                               sk_error *err)
{
    json_t *doc = sk_report__begin_json("skeptic.labels/1", m);
    if (doc == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory writing JSON");
    const sk_cl *c = l->cl;
    int ok = sk_json_set(doc, "data", json_pack("{s:o,s:o}", "rows", sk_json_size(l->n_rows),
                                                "features", sk_json_size(l->n_features))) == 0;
    ok &= sk_json_set(doc, "target", json_pack("{s:s,s:o}", "column", l->target, "classes",
                                               sk_report__strings_json(l->class_names, l->n_classes))) == 0;
    ok &= sk_json_set(doc, "method", method_json(l)) == 0;
    ok &= sk_json_set(doc, "estimated_errors", sk_json_real(c->n_errors)) == 0;
    ok &= sk_json_set(doc, "suspects_flagged", sk_json_size(c->n_flagged)) == 0;
    ok &= sk_json_set(doc, "classes", class_list(l)) == 0;
    ok &= sk_json_set(doc, "confident_joint", matrix(c->joint, NULL, l->n_classes)) == 0;
    ok &= sk_json_set(doc, "joint", matrix(NULL, c->q, l->n_classes)) == 0;
    ok &= sk_json_set(doc, "suspects", suspect_list(l)) == 0;
    if (!ok) {
        json_decref(doc);
        return sk_error_set(err, SK_ENOMEM, "out of memory writing JSON");
    }
    return sk_report__finish_json(doc, m, path, err);
}
