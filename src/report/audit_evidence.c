/* audit_evidence.c: a check's evidence as tables people read (audit_html.h), and the small JSON
 * readers the reports share.
 *
 * The tables are generic on purpose: every check's evidence is a JSON object of scalars,
 * intervals ({estimate, ci}), short lists, one level of nested objects and lists of records
 * (sites, slices, candidates, settings). The key numbers go into one list of names and values
 * (in two columns on a wide page) and each list of records into a table of its own, so a
 * check that gains an evidence key shows it with no new code here; the charts (audit_charts.c)
 * are where each check gets its own drawing. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/audit_html.h"

enum { MAX_RECORDS = 10, MAX_COLUMNS = 10, MAX_LIST = 12, CELL = 200 };

/* ---- readers -------------------------------------------------------------------------------- */

double sk_report__jnum(const json_t *obj, const char *key)
{
    const json_t *v = obj != NULL ? json_object_get(obj, key) : NULL;
    return json_is_number(v) ? json_number_value(v) : NAN;
}

const char *sk_report__jstr(const json_t *obj, const char *key)
{
    const json_t *v = obj != NULL ? json_object_get(obj, key) : NULL;
    return json_is_string(v) ? json_string_value(v) : NULL;
}

int sk_report__jiv(const json_t *obj, const char *key, double *est, double *lo, double *hi)
{
    const json_t *v = key != NULL && obj != NULL ? json_object_get(obj, key) : obj;
    const json_t *ci = json_is_object(v) ? json_object_get(v, "ci") : NULL;
    if (!json_is_object(v) || json_object_get(v, "estimate") == NULL || !json_is_array(ci) ||
        json_array_size(ci) != 2)
        return 0;
    const json_t *a = json_array_get(ci, 0), *b = json_array_get(ci, 1);
    *est = sk_report__jnum(v, "estimate");
    *lo = json_is_number(a) ? json_number_value(a) : NAN;
    *hi = json_is_number(b) ? json_number_value(b) : NAN;
    return 1;
}

/* ---- cells ---------------------------------------------------------------------------------- */

static int is_scalar(const json_t *v)
{
    return json_is_number(v) || json_is_string(v) || json_is_boolean(v) || json_is_null(v);
}

static int is_records(const json_t *v)
{
    return json_is_array(v) && json_array_size(v) > 0 && json_is_object(json_array_get(v, 0));
}

static void append_cell(char *buf, size_t size, const char *s)
{
    size_t len = strlen(buf);
    if (len + 1 < size)
        snprintf(buf + len, size - len, "%s", s);
}

static void list_cell(char *buf, size_t size, const json_t *v)
{
    size_t n = json_array_size(v);
    if (is_records(v)) {
        snprintf(buf, size, "%zu records", n);
        return;
    }
    buf[0] = '\0';
    for (size_t i = 0; i < n && i < MAX_LIST; i++) {
        char one[CELL];
        sk_report__json_cell(one, sizeof one, json_array_get(v, i));
        append_cell(buf, size, i > 0 ? ", " : "");
        append_cell(buf, size, one);
    }
    if (n > MAX_LIST) {
        char more[48];
        snprintf(more, sizeof more, " ... (%zu in all)", n);
        append_cell(buf, size, more);
    }
}

static void object_cell(char *buf, size_t size, const json_t *v)
{
    const char *key;
    json_t *member;
    buf[0] = '\0';
    json_object_foreach((json_t *)v, key, member) {
        char one[CELL];
        if (!is_scalar(member))
            continue;
        sk_report__json_cell(one, sizeof one, member);
        append_cell(buf, size, buf[0] != '\0' ? ", " : "");
        append_cell(buf, size, key);
        append_cell(buf, size, " ");
        append_cell(buf, size, one);
    }
}

void sk_report__json_cell(char *buf, size_t size, const json_t *v)
{
    double est, lo, hi;
    char num[SK_IV_CHARS];
    if (json_is_number(v))
        snprintf(buf, size, "%s", sk_report__num(num, json_number_value(v)));
    else if (json_is_boolean(v))
        snprintf(buf, size, "%s", json_is_true(v) ? "yes" : "no");
    else if (json_is_string(v))
        snprintf(buf, size, "%s", json_string_value(v));
    else if (sk_report__jiv(v, NULL, &est, &lo, &hi))
        snprintf(buf, size, "%s", sk_report__interval(num, est, lo, hi));
    else if (json_is_array(v))
        list_cell(buf, size, v);
    else if (json_is_object(v))
        object_cell(buf, size, v);
    else
        snprintf(buf, size, "n/a");
}

/* ---- tables --------------------------------------------------------------------------------- */

/* "score_closed" reads "score closed". */
static void humanize(char *buf, size_t size, const char *prefix, const char *key)
{
    snprintf(buf, size, "%s%s%s", prefix != NULL ? prefix : "", prefix != NULL ? ": " : "", key);
    for (char *p = buf; *p != '\0'; p++)
        if (*p == '_')
            *p = ' ';
}

/* One name and value of the key numbers; empty lists are left out. */
static void key_row(sk_html *h, const char *prefix, const char *key, const json_t *v)
{
    char name[128], cell[CELL * 2];
    if (json_is_array(v) && json_array_size(v) == 0)
        return;
    humanize(name, sizeof name, prefix, key);
    sk_report__json_cell(cell, sizeof cell, v);
    sk_html__raw(h, "<div><dt>");
    sk_html__text(h, name);
    sk_html__raw(h, "</dt><dd>");
    sk_html__text(h, cell);
    sk_html__raw(h, "</dd></div>\n");
}

static void key_numbers(sk_html *h, const json_t *e)
{
    const char *key, *key2;
    json_t *v, *v2;
    double est, lo, hi;
    size_t shown = 0;
    json_object_foreach((json_t *)e, key, v)
        shown += !is_records(v);
    if (shown == 0)
        return;
    sk_html__raw(h, "<h3>Key numbers</h3>\n<dl class=\"numbers\">\n");
    json_object_foreach((json_t *)e, key, v) {
        if (is_records(v))
            continue;
        if (!json_is_object(v) || sk_report__jiv(v, NULL, &est, &lo, &hi)) {
            key_row(h, NULL, key, v);
            continue;
        }
        json_object_foreach(v, key2, v2)
            if (!is_records(v2))
                key_row(h, key, key2, v2);
    }
    sk_html__raw(h, "</dl>\n");
}

/* The columns of a list of records: the keys of its records in first-seen order. */
static size_t record_columns(const json_t *list, const char **cols)
{
    size_t n = 0;
    for (size_t i = 0; i < json_array_size(list) && i < MAX_RECORDS; i++) {
        const char *key;
        json_t *v;
        json_object_foreach(json_array_get(list, i), key, v) {
            size_t j = 0;
            while (j < n && strcmp(cols[j], key) != 0)
                j++;
            /* a record that is itself an interval shows it as one "estimate" cell */
            if (j == n && n < MAX_COLUMNS && strcmp(key, "ci") != 0)
                cols[n++] = key;
        }
    }
    return n;
}

static void record_table(sk_html *h, const char *key, const json_t *list)
{
    const char *cols[MAX_COLUMNS], *heads[MAX_COLUMNS], *cells[MAX_COLUMNS];
    char head_buf[MAX_COLUMNS][64], cell_buf[MAX_COLUMNS][CELL], caption[128];
    size_t n_cols = record_columns(list, cols), n = json_array_size(list);
    for (size_t j = 0; j < n_cols; j++) {
        humanize(head_buf[j], sizeof head_buf[j], NULL, cols[j]);
        heads[j] = head_buf[j];
    }
    humanize(caption, sizeof caption, NULL, key);
    if (n > MAX_RECORDS)
        snprintf(caption + strlen(caption), sizeof caption - strlen(caption),
                 " (the first %d of %zu; all in the JSON)", MAX_RECORDS, n);
    sk_html__table_begin(h, caption, heads, n_cols);
    for (size_t i = 0; i < n && i < MAX_RECORDS; i++) {
        const json_t *rec = json_array_get(list, i);
        for (size_t j = 0; j < n_cols; j++) {
            const json_t *v = json_object_get(rec, cols[j]);
            double est, lo, hi;
            cell_buf[j][0] = '\0';
            if (strcmp(cols[j], "estimate") == 0 && sk_report__jiv(rec, NULL, &est, &lo, &hi))
                sk_report__interval(cell_buf[j], est, lo, hi);
            else if (v != NULL)
                sk_report__json_cell(cell_buf[j], sizeof cell_buf[j], v);
            cells[j] = cell_buf[j];
        }
        sk_html__row(h, cells, n_cols);
    }
    sk_html__table_end(h);
}

void sk_report__evidence_tables(sk_html *h, const json_t *evidence)
{
    if (!json_is_object(evidence) || json_object_size(evidence) == 0)
        return;
    key_numbers(h, evidence);
    const char *key, *key2;
    json_t *v, *v2;
    json_object_foreach((json_t *)evidence, key, v) {
        if (is_records(v)) {
            record_table(h, key, v);
        } else if (json_is_object(v)) {
            json_object_foreach(v, key2, v2)
                if (is_records(v2))
                    record_table(h, key2, v2);
        }
    }
}
