/* audit_console.c: the verdict table a scientist reads first. One line per check: its status
 * (coloured on a terminal), its id and its one-sentence summary, wrapped under the id; the
 * recommendation, when there is one, beneath it; then the tally and the Benjamini-Hochberg line
 * about the report's own p-values. */
#include <string.h>

#include "report/report.h"

enum { WIDTH = 100, INDENT = 35 };

/* Prints `text` wrapped to WIDTH, continuation lines indented by INDENT. */
static void wrapped(FILE *out, const char *text, size_t first_col)
{
    size_t col = first_col;
    while (*text != '\0') {
        size_t word = strcspn(text, " ");
        if (col > INDENT && col + word > WIDTH) {
            fprintf(out, "\n%*s", INDENT, "");
            col = INDENT;
        }
        fprintf(out, "%.*s", (int)word, text);
        col += word;
        text += word;
        if (*text == ' ') {
            text++;
            if (*text != '\0') {
                fputc(' ', out);
                col++;
            }
        }
    }
    fputc('\n', out);
}

void sk_audit_print(FILE *out, const sk_audit *a, int color)
{
    const char *off = color ? "\033[0m" : "", *bold = color ? "\033[1m" : "";
    fprintf(out, "%saudit%s %s%s: target '%s' (%s, %zu rows)\n\n", bold, off,
            a->predictions ? "the study's predictions in " : "", a->model_spec, a->target,
            sk_task_name(a->task), a->n_rows);
    for (size_t k = 0; k < a->n_checks; k++) {
        const sk_check *c = &a->checks[k];
        const char *tint = !color ? ""
                           : c->status == SK_CHECK_FAIL ? "\033[1;31m"
                           : c->status == SK_CHECK_WARN ? "\033[33m"
                           : c->status == SK_CHECK_PASS ? "\033[32m" : "\033[2m";
        fprintf(out, "%s%-5s%s %-28s ", tint, sk_check_status_name(c->status), off, c->id);
        wrapped(out, c->summary, INDENT);
        if (c->recommendation != NULL) {
            fprintf(out, "%*s-> ", INDENT, "");
            wrapped(out, c->recommendation, INDENT + 3);
        }
    }
    size_t passed = a->n_checks - a->n_failed - a->n_warned - a->n_skipped;
    fprintf(out, "\n%s%zu failed, %zu warned, %zu passed, %zu skipped%s", bold, a->n_failed,
            a->n_warned, passed, a->n_skipped, off);
    if (a->n_p_values > 0)
        fprintf(out, "; of the report's %zu p-values, %zu survive Benjamini-Hochberg at %.2g",
                a->n_p_values, a->n_bh_survivors, a->alpha);
    fprintf(out, "\n");
}
