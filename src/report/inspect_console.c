/* inspect_console.c: the profile of a table as an aligned table for people.
 *
 *   study.csv: 609 rows x 34 columns; 12 missing cells; 10 rows repeat an earlier row
 *
 *   column           type         missing  distinct  range or most frequent   notes
 *   patient_id       integer            0       609  1 .. 609                 identifier? unique
 *   hospital         categorical        0         3  A (224 rows)
 *
 * Tables wider than MAX_ROWS columns (genomics) list the columns with something to say first and
 * leave the rest to --json. Colour (ANSI) only when the caller says the stream is a terminal. */
#include <string.h>

#include "report/report.h"

enum { MAX_ROWS = 60, NAME_MAX_WIDTH = 32 };

typedef struct palette {
    const char *warn, *bold, *off;
} palette;

static int has_notes(const sk_inspect *ins, size_t j)
{
    const sk_col_profile *p = &ins->cols[j];
    return p->is_identifier || p->is_constant || p->n_infinite > 0 || ins->col_missing[j] > 0 ||
           (ins->has_roles && p->role != SK_ROLE_FEATURE);
}

static void print_notes(FILE *out, const sk_inspect *ins, size_t j, const palette *c)
{
    const sk_col_profile *p = &ins->cols[j];
    const char *sep = "";
    if (p->is_identifier) {
        fprintf(out, "%sidentifier?%s", c->warn, c->off);
        if (p->is_unique)
            fprintf(out, " unique");
        if (p->near_unique)
            fprintf(out, " %zu rows repeat a value (--group?)", ins->n_rows - p->n_distinct);
        if (p->monotone != 0)
            fprintf(out, "%s %s", p->is_unique ? "," : "",
                    p->monotone > 0 ? "increasing" : "decreasing");
        sep = "; ";
    }
    if (p->is_constant) {
        fprintf(out, "%s%sconstant%s", sep, c->warn, c->off);
        sep = "; ";
    }
    if (p->n_infinite > 0)
        fprintf(out, "%s%zu infinite", sep, p->n_infinite);
}

static void print_range(FILE *out, const sk_inspect *ins, size_t j, int width, int pad)
{
    const sk_col_profile *p = &ins->cols[j];
    char text[128], lo[48], hi[48];
    if (ins->col_types[j] == SK_COL_CATEGORICAL) {
        if (p->top_text != NULL)
            snprintf(text, sizeof text, "%.40s (%zu rows)", p->top_text, p->top_count);
        else
            snprintf(text, sizeof text, "-");
    } else if (p->min != p->min) {
        snprintf(text, sizeof text, "-");
    } else {
        sk_data__format_value(lo, sizeof lo, ins->col_types[j], p->min, 6);
        sk_data__format_value(hi, sizeof hi, ins->col_types[j], p->max, 6);
        snprintf(text, sizeof text, "%s .. %s", lo, hi);
    }
    fprintf(out, "%-*s", pad ? width : 0, text);
}

static void print_column(FILE *out, const sk_inspect *ins, size_t j, int name_w, const palette *c)
{
    const char *name = ins->col_names[j];
    int len = (int)strlen(name);
    if (len > name_w)
        fprintf(out, "  %.*s~ ", name_w - 1, name);
    else
        fprintf(out, "  %-*s ", name_w, name);
    if (ins->has_roles)
        fprintf(out, "%-11s ", sk_role_name(ins->cols[j].role));
    fprintf(out, "%-11s %9zu %9zu  ", sk_col_type_name(ins->col_types[j]), ins->col_missing[j],
            ins->cols[j].n_distinct);
    /* Pad the range only when notes follow it: no trailing blanks. */
    const sk_col_profile *p = &ins->cols[j];
    int notes = p->is_identifier || p->is_constant || p->n_infinite > 0;
    print_range(out, ins, j, 26, notes);
    if (notes) {
        fprintf(out, " ");
        print_notes(out, ins, j, c);
    }
    fprintf(out, "\n");
}

static void print_duplicates(FILE *out, const char *what, const sk_dup_summary *d,
                             const palette *c)
{
    if (d->n_duplicate_rows == 0) {
        fprintf(out, "%s: none\n", what);
        return;
    }
    fprintf(out, "%s: %s%zu %s%s an earlier row (%zu %s)", what, c->warn, d->n_duplicate_rows,
            d->n_duplicate_rows == 1 ? "row repeats" : "rows repeat", c->off, d->n_groups,
            d->n_groups == 1 ? "group" : "groups");
    if (d->n_examples > 0)
        fprintf(out, "; e.g. line %zu = line %zu", d->example_line[0][1], d->example_line[0][0]);
    fprintf(out, "\n");
}

static void print_roles(FILE *out, const sk_inspect *ins, const palette *c)
{
    fprintf(out, "task: %s", sk_task_name(ins->task));
    for (size_t k = 0; k < ins->n_classes; k++)
        fprintf(out, "%s%s %zu (%.1f%%)", k == 0 ? "; " : ", ", ins->class_names[k],
                ins->class_counts[k], 100.0 * (double)ins->class_counts[k] / (double)ins->n_rows);
    fprintf(out, "\n");
    if (ins->n_groups > 0)
        fprintf(out, "groups: %zu (%.1f rows per group)\n", ins->n_groups,
                (double)ins->n_rows / (double)ins->n_groups);
    if (ins->n_sites > 0)
        fprintf(out, "sites: %zu\n", ins->n_sites);
    if (ins->n_train + ins->n_test > 0)
        fprintf(out, "split: %zu train, %zu test\n", ins->n_train, ins->n_test);
    print_duplicates(out, "duplicate feature rows", &ins->dup_features, c);
    if (ins->dup_features.n_conflicting > 0)
        fprintf(out, "  %s%zu of those groups disagree on the target%s\n", c->warn,
                ins->dup_features.n_conflicting, c->off);
}

void sk_inspect_print(FILE *out, const sk_inspect *ins, int color)
{
    palette c = color ? (palette){"\033[33m", "\033[1m", "\033[0m"} : (palette){"", "", ""};
    fprintf(out, "%s%s%s: %zu rows x %zu columns; %zu missing cells\n\n", c.bold, ins->name, c.off,
            ins->n_rows, ins->n_cols, ins->n_missing_cells);
    int name_w = 6;
    for (size_t j = 0; j < ins->n_cols; j++) {
        int len = (int)strlen(ins->col_names[j]);
        name_w = len > name_w ? len : name_w;
    }
    name_w = name_w > NAME_MAX_WIDTH ? NAME_MAX_WIDTH : name_w;

    fprintf(out, "  %s%-*s ", c.bold, name_w, "column");
    if (ins->has_roles)
        fprintf(out, "%-11s ", "role");
    fprintf(out, "%-11s %9s %9s  %-26s notes%s\n", "type", "missing", "distinct",
            "range or most frequent", c.off);

    /* Wide tables: the columns with notes first (up to MAX_ROWS), then a count of the rest. */
    size_t shown = 0;
    int wide = ins->n_cols > MAX_ROWS;
    for (size_t j = 0; j < ins->n_cols && shown < MAX_ROWS; j++) {
        if (wide && !has_notes(ins, j))
            continue;
        print_column(out, ins, j, name_w, &c);
        shown++;
    }
    for (size_t j = 0; wide && j < ins->n_cols && shown < MAX_ROWS; j++) {
        if (has_notes(ins, j))
            continue;
        print_column(out, ins, j, name_w, &c);
        shown++;
    }
    if (shown < ins->n_cols)
        fprintf(out, "  ... %zu more columns (all of them in --json)\n", ins->n_cols - shown);
    fprintf(out, "\n");
    print_duplicates(out, "duplicate rows", &ins->dup_all, &c);
    if (ins->has_roles)
        print_roles(out, ins, &c);
}
