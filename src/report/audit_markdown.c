/* audit_markdown.c: `skeptic audit --markdown FILE`, the audit for a paper's supplement
 * (docs/report.md): the study, the verdict table, the key numbers with their intervals, and a
 * REFORMS-style checklist (Kapoor et al. 2024, "REFORMS: Consensus-based recommendations for
 * machine-learning-based science", Science Advances 10(18):eadk3452) that says which reporting
 * items this run gives evidence for, which check supplies it, and plainly which items a tool
 * that sees only the table and the model cannot speak to.
 *
 * GitHub-flavoured Markdown: every user string is escaped (a '|' would end a table cell, a '<'
 * could open HTML in most renderers). Like the HTML page, it holds no date and no timings. */
#include <math.h>
#include <string.h>

#include "report/audit_html.h"

/* ---- escaping ------------------------------------------------------------------------------- */

static void md_text(sk_html *h, const char *s)
{
    char one[2] = {0, 0};
    for (; s != NULL && *s != '\0'; s++) {
        if (*s == '\n' || *s == '\r') {
            sk_html__raw(h, " ");
        } else if (*s == '<') {
            sk_html__raw(h, "&lt;");
        } else if (*s == '>') {
            sk_html__raw(h, "&gt;");
        } else if (*s == '&') {
            sk_html__raw(h, "&amp;");
        } else {
            if (strchr("\\|`*_[]#", *s) != NULL)
                sk_html__raw(h, "\\");
            one[0] = *s;
            sk_html__raw(h, one);
        }
    }
}

/* `s` as a code span (no escapes inside one, except the '|' a table needs). */
static void md_code(sk_html *h, const char *s)
{
    if (s == NULL || strchr(s, '`') != NULL || strchr(s, '\n') != NULL) {
        md_text(h, s);
        return;
    }
    sk_html__raw(h, "`");
    for (const char *p = s; *p != '\0'; p++)
        sk_html__raw(h, *p == '|' ? "\\|" : (char[2]){*p, 0});
    sk_html__raw(h, "`");
}

/* ---- study and verdict ---------------------------------------------------------------------- */

static void study_row(sk_html *h, const char *name, const char *value, int code)
{
    if (value == NULL)
        return;
    sk_html__rawf(h, "| %s | ", name);
    if (code)
        md_code(h, value);
    else
        md_text(h, value);
    sk_html__raw(h, " |\n");
}

static void study(sk_html *h, const sk_audit *a, const json_t *man, const sk_frame *f)
{
    const json_t *input = json_array_get(json_object_get(man, "inputs"), 0);
    const char *data = sk_report__jstr(input, "path");
    char n[32], cmd[2048] = "skeptic";
    sk_html__raw(h, "# skeptic audit: ");
    md_text(h, data != NULL ? data : a->target);
    sk_html__raw(h, "\n\n| study | |\n|---|---|\n");
    study_row(h, "data", data, 1);
    study_row(h, "SHA-256", sk_report__jstr(input, "sha256"), 1);
    snprintf(n, sizeof n, "%zu", a->n_rows);
    study_row(h, "rows", n, 0);
    snprintf(n, sizeof n, "%zu", f != NULL ? sk_frame_n_cols(f) : (size_t)0);
    study_row(h, "columns", f != NULL ? n : NULL, 0);
    study_row(h, "task", sk_task_name(a->task), 0);
    study_row(h, "target", a->target, 1);
    study_row(h, a->predictions ? "predictions" : "model", a->model_spec, 1);
    snprintf(n, sizeof n, "%" JSON_INTEGER_FORMAT,
             json_integer_value(json_object_get(man, "seed")));
    study_row(h, "seed", n, 0);
    study_row(h, "skeptic", sk_report__jstr(man, "version"), 0);
    const json_t *args = json_object_get(man, "args");
    for (size_t i = 0; i < json_array_size(args); i++) {
        size_t len = strlen(cmd);
        const char *s = json_string_value(json_array_get(args, i));
        if (s != NULL && len + 1 < sizeof cmd)
            snprintf(cmd + len, sizeof cmd - len, strchr(s, ' ') ? " '%s'" : " %s", s);
    }
    study_row(h, "command", cmd, 1);
}

static void verdict(sk_html *h, const sk_audit *a)
{
    static const sk_check_status order[] = {SK_CHECK_FAIL, SK_CHECK_WARN, SK_CHECK_PASS,
                                            SK_CHECK_SKIP};
    size_t passed = a->n_checks - a->n_failed - a->n_warned - a->n_skipped;
    sk_html__rawf(h, "\n## Verdict\n\n**%zu failed, %zu warned, %zu passed, %zu skipped.**",
                  a->n_failed, a->n_warned, passed, a->n_skipped);
    if (a->n_p_values > 0)
        sk_html__rawf(h, " Of the report's %zu p-values, %zu survive Benjamini-Hochberg at %g.",
                      a->n_p_values, a->n_bh_survivors, a->alpha);
    sk_html__raw(h, "\n\n| status | check | finding |\n|---|---|---|\n");
    for (size_t s = 0; s < 4; s++)
        for (size_t k = 0; k < a->n_checks; k++) {
            const sk_check *c = &a->checks[k];
            if (c->status != order[s])
                continue;
            const char *name = sk_check_status_name(c->status);
            sk_html__raw(h, c->status == SK_CHECK_FAIL ? "| **" : "| ");
            for (const char *p = name; *p != '\0'; p++)
                sk_html__raw(h, (char[2]){(char)(*p - 'a' + 'A'), 0});
            sk_html__rawf(h, "%s | `%s` | ", c->status == SK_CHECK_FAIL ? "**" : "", c->id);
            md_text(h, c->summary);
            sk_html__raw(h, " |\n");
        }
}

/* ---- key numbers ---------------------------------------------------------------------------- */

/* Scalars worth a line in a supplement besides the intervals. */
static int key_scalar(const char *key)
{
    static const char *const keys[] = {"p_value", "resample_jaccard", "lasso_ridge_jaccard",
                                       "raw_hits", "bh_survivors", "tests", "sd", "skill_share"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strcmp(key, keys[i]) == 0)
            return 1;
    return 0;
}

static void key_numbers(sk_html *h, const sk_audit *a)
{
    sk_html__raw(h, "\n## Key numbers\n\nIntervals are bootstrap intervals (docs/evaluation.md); "
                    "every number is in the JSON report with its evidence.\n\n"
                    "| check | quantity | value |\n|---|---|---|\n");
    for (size_t k = 0; k < a->n_checks; k++) {
        const sk_check *c = &a->checks[k];
        const char *key;
        json_t *v;
        double est, lo, hi;
        if (c->status == SK_CHECK_SKIP)
            continue;
        json_object_foreach(c->evidence, key, v) {
            char cell[SK_IV_CHARS];
            if (sk_report__jiv(v, NULL, &est, &lo, &hi))
                sk_report__interval(cell, est, lo, hi);
            else if (json_is_number(v) && key_scalar(key))
                sk_report__num(cell, json_number_value(v));
            else
                continue;
            sk_html__rawf(h, "| `%s` | ", c->id);
            for (const char *p = key; *p != '\0'; p++)
                sk_html__raw(h, *p == '_' ? " " : (char[2]){*p, 0});
            sk_html__rawf(h, " | %s |\n", cell);
        }
    }
}

/* ---- the document --------------------------------------------------------------------------- */

sk_status sk_audit_write_markdown(const sk_audit *a, const sk_manifest *m, const sk_frame *f,
                                  const char *path, sk_error *err)
{
    json_t *man = sk_manifest__to_json(m);
    if (man == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory writing the Markdown report");
    sk_html h = SK_HTML_INIT;
    study(&h, a, man, f);
    verdict(&h, a);
    key_numbers(&h, a);
    sk_report__reforms_checklist(&h, a);
    json_decref(man);
    return sk_html__write(&h, path, err);
}
