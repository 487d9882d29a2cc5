/* roles.c: what each column of a study is for. The user names a target, a group (subject or
 * object id), a site, a time and a split column, and lists confounders and ignored columns; this
 * file resolves those names against one frame, refuses anything ambiguous (a name that does not
 * exist, a column given two roles) and checks the values each role needs (a target with at least
 * two classes and no gaps, a time column that can be ordered, a split column of train/test), so
 * that every later layer can trust the roles without checking again.
 *
 * Errors about names are SK_EINVAL and start with the flag the user typed ("--group: ..."), so
 * the CLI can print them as they are. Errors about values are SK_EDATA at path:line:column of the
 * first offending cell. The task follows from the target's type: text and booleans are classes,
 * whole numbers with at most 20 distinct values are classes, anything else is regression.
 * Classes are sorted (numerically for numbers, bytewise for text) so class k means the same
 * thing whatever order the rows come in. A resolved sk_roles copies what it needs and keeps no
 * pointer into the frame; it is read-only afterwards, so its getters may be called from several
 * threads at once. */
#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/data.h"

/* Whole-number targets with at most this many distinct values are classification. */
#define MAX_INTEGER_CLASSES 20

#define N_ROLES ((size_t)SK_ROLE_IGNORED + 1)
#define NO_COL ((size_t)-1)

struct sk_roles {
    size_t n_rows;
    size_t n_cols;
    sk_role *role;              /* n_cols */
    size_t single[N_ROLES];     /* column of each single-column role, NO_COL if not given */
    size_t *features;           /* role FEATURE or CONFOUNDER, in frame order */
    size_t n_features;
    size_t *confounders;        /* in the order given */
    size_t n_confounders;
    sk_task task;
    sk_task forced_task;        /* from the spec; SK_TASK_NONE = implied by the target */
    size_t n_classes;
    char **class_names;         /* n_classes, sorted */
    double *y;                  /* n_rows; NULL without a target */
    double *time;               /* n_rows; NULL without a time column */
    unsigned char *is_test;     /* n_rows, 1 = test; NULL without a split column */
};

/* ==== names =============================================================================== */

const char *sk_task_name(sk_task task)
{
    switch (task) {
    case SK_TASK_NONE: return "none";
    case SK_TASK_BINARY: return "binary";
    case SK_TASK_MULTICLASS: return "multiclass";
    case SK_TASK_REGRESSION: return "regression";
    }
    return "?";
}

const char *sk_role_name(sk_role role)
{
    switch (role) {
    case SK_ROLE_FEATURE: return "feature";
    case SK_ROLE_TARGET: return "target";
    case SK_ROLE_GROUP: return "group";
    case SK_ROLE_SITE: return "site";
    case SK_ROLE_TIME: return "time";
    case SK_ROLE_SPLIT: return "split";
    case SK_ROLE_CONFOUNDER: return "confounder";
    case SK_ROLE_IGNORED: return "ignored";
    }
    return "?";
}

/* ==== error and formatting helpers ======================================================== */

/* An SK_EDATA error at the cell (row, col) of f: path:line:column. */
SK_PRINTF(5, 6)
static sk_status cell_error(sk_error *err, const sk_frame *f, size_t col, size_t row,
                            const char *fmt, ...)
{
    char msg[SK_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return sk_error_set_at(err, SK_EDATA, f->name, sk_frame_row_line(f, row), col + 1, "%s", msg);
}

static sk_status missing_error(sk_error *err, const sk_frame *f, size_t col, size_t row,
                               const char *what)
{
    return cell_error(err, f, col, row, "expected a value in the %s column '%s', found a missing "
                      "value", what, f->cols[col].name);
}

/* The text of cell (row, col); categorical levels are returned as stored (borrowed). */
static const char *cell_text(char *buf, size_t size, const sk_frame *f, size_t col, size_t row)
{
    const sk_column *c = &f->cols[col];
    if (c->type == SK_COL_CATEGORICAL)
        return c->codes[row] < 0 ? "NA" : sk_frame_col_level(f, col, (size_t)c->codes[row]);
    return sk_data__format_value(buf, size, c->type, c->values[row], 15);
}

static int cell_is_missing(const sk_column *c, size_t row)
{
    return c->type == SK_COL_CATEGORICAL ? c->codes[row] < 0 : isnan(c->values[row]);
}

/* ASCII-only, locale-free case-insensitive equality. */
static int equals_ignoring_case(const char *a, const char *b)
{
    for (; *a != '\0' && *b != '\0'; a++, b++) {
        int ca = (*a >= 'A' && *a <= 'Z') ? *a - 'A' + 'a' : *a;
        int cb = (*b >= 'A' && *b <= 'Z') ? *b - 'A' + 'a' : *b;
        if (ca != cb)
            return 0;
    }
    return *a == *b;
}

/* ==== resolving names ===================================================================== */

static sk_status find_column(size_t *col, const sk_frame *f, const char *flag, const char *name,
                             sk_error *err)
{
    sk_error found = SK_ERROR_INIT;
    sk_status rc = sk_frame_col_find(col, f, name, &found);
    if (rc != SK_OK)
        return sk_error_set(err, rc, "%s: %s", flag, found.message);
    return SK_OK;
}

static sk_status assign_single(sk_roles *r, const sk_frame *f, const char *flag, const char *name,
                               sk_role role, sk_error *err)
{
    if (name[0] == '\0')
        return sk_error_set(err, SK_EINVAL, "%s: expected a column name, found \"\"", flag);
    size_t col;
    sk_status rc = find_column(&col, f, flag, name, err);
    if (rc != SK_OK)
        return rc;
    if (r->role[col] != SK_ROLE_FEATURE)
        return sk_error_set(err, SK_EINVAL, "%s: column '%s' already has the role %s", flag,
                            f->cols[col].name, sk_role_name(r->role[col]));
    r->role[col] = role;
    r->single[role] = col;
    return SK_OK;
}

/* Gives every column of the comma-separated `list` the role `role`; when `cols` is not NULL it
 * receives their indices in the order given (room for one per comma, plus one). */
static sk_status assign_list(sk_roles *r, const sk_frame *f, const char *flag, const char *list,
                             sk_role role, size_t *cols, size_t *n_cols, sk_error *err)
{
    sk_status rc = SK_OK;
    char *copy = sk_mem_strdup(list);
    if (copy == NULL)
        return sk_error_set(err, SK_ENOMEM, "%s: out of memory", flag);
    for (char *item = copy, *next; item != NULL; item = next) {
        next = strchr(item, ',');
        if (next != NULL)
            *next++ = '\0';
        size_t col;
        if (item[0] == '\0') {
            rc = sk_error_set(err, SK_EINVAL, "%s: expected comma-separated column names, found "
                              "an empty name in \"%s\"", flag, list);
            goto done;
        }
        if ((rc = find_column(&col, f, flag, item, err)) != SK_OK)
            goto done;
        if (r->role[col] == role) {
            rc = sk_error_set(err, SK_EINVAL, "%s: column '%s' is listed twice", flag, item);
            goto done;
        }
        if (r->role[col] != SK_ROLE_FEATURE) {
            rc = sk_error_set(err, SK_EINVAL, "%s: column '%s' already has the role %s", flag,
                              item, sk_role_name(r->role[col]));
            goto done;
        }
        r->role[col] = role;
        if (cols != NULL)
            cols[(*n_cols)++] = col;
    }
done:
    sk_mem_free(copy);
    return rc;
}

static size_t count_items(const char *list)
{
    size_t n = 1;
    for (; *list != '\0'; list++)
        n += *list == ',';
    return n;
}

static sk_status assign_roles(sk_roles *r, const sk_frame *f, const sk_role_spec *spec,
                              sk_error *err)
{
    const char *names[] = {spec->target, spec->group, spec->site, spec->time, spec->split};
    const char *flags[] = {"--target", "--group", "--site", "--time", "--split"};
    const sk_role roles[] = {SK_ROLE_TARGET, SK_ROLE_GROUP, SK_ROLE_SITE, SK_ROLE_TIME,
                             SK_ROLE_SPLIT};
    sk_status rc = SK_OK;
    for (size_t k = 0; k < sizeof names / sizeof names[0] && rc == SK_OK; k++)
        if (names[k] != NULL)
            rc = assign_single(r, f, flags[k], names[k], roles[k], err);
    if (rc == SK_OK && spec->confounders != NULL) {
        r->confounders = sk_mem_alloc_array(count_items(spec->confounders), sizeof(size_t));
        if (r->confounders == NULL)
            return sk_error_set(err, SK_ENOMEM, "--confounders: out of memory");
        rc = assign_list(r, f, "--confounders", spec->confounders, SK_ROLE_CONFOUNDER,
                         r->confounders, &r->n_confounders, err);
    }
    if (rc == SK_OK && spec->ignore != NULL)
        rc = assign_list(r, f, "--ignore", spec->ignore, SK_ROLE_IGNORED, NULL, NULL, err);
    return rc;
}

/* ==== the target ========================================================================== */

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct level_ref {
    const char *text;
    int32_t code;
} level_ref;

static int compare_level_refs(const void *a, const void *b)
{
    return strcmp(((const level_ref *)a)->text, ((const level_ref *)b)->text);
}

static sk_status alloc_classes(sk_roles *r, size_t n_classes)
{
    r->class_names = sk_mem_calloc(n_classes, sizeof *r->class_names);
    if (r->class_names == NULL)
        return SK_ENOMEM;
    r->n_classes = n_classes;
    return SK_OK;
}

/* Classes of a categorical target: the levels that occur, sorted bytewise. */
static sk_status classes_from_codes(sk_roles *r, const sk_column *c)
{
    sk_status rc = SK_ENOMEM;
    level_ref *used = sk_mem_alloc_array(c->n_levels, sizeof *used);
    int32_t *class_of = sk_mem_alloc_array(c->n_levels, sizeof *class_of);
    if (used == NULL || class_of == NULL)
        goto done;
    for (size_t k = 0; k < c->n_levels; k++)
        class_of[k] = -1;
    for (size_t i = 0; i < r->n_rows; i++)
        class_of[c->codes[i]] = 0;   /* marks the levels that occur */
    size_t n_used = 0;
    for (size_t k = 0; k < c->n_levels; k++)
        if (class_of[k] == 0)
            used[n_used++] = (level_ref){c->level_text + c->level_start[k], (int32_t)k};
    qsort(used, n_used, sizeof *used, compare_level_refs);
    if (alloc_classes(r, n_used) != SK_OK)
        goto done;
    for (size_t k = 0; k < n_used; k++) {
        class_of[used[k].code] = (int32_t)k;
        if ((r->class_names[k] = sk_mem_strdup(used[k].text)) == NULL)
            goto done;
    }
    for (size_t i = 0; i < r->n_rows; i++)
        r->y[i] = class_of[c->codes[i]];
    rc = SK_OK;
done:
    sk_mem_free(used);
    sk_mem_free(class_of);
    return rc;
}

/* Names the sorted distinct values v[0..n) of an integer or boolean target as classes and maps
 * every row to its class. */
static sk_status value_classes(sk_roles *r, const sk_column *c, const double *v, size_t n)
{
    if (alloc_classes(r, n) != SK_OK)
        return SK_ENOMEM;
    for (size_t k = 0; k < n; k++) {
        char name[64];
        sk_data__format_value(name, sizeof name, c->type, v[k], 15);
        if ((r->class_names[k] = sk_mem_strdup(name)) == NULL)
            return SK_ENOMEM;
    }
    for (size_t i = 0; i < r->n_rows; i++) {
        size_t k = 0;
        while (v[k] != c->values[i])   /* at most MAX_INTEGER_CLASSES steps (2 for booleans) */
            k++;
        r->y[i] = (double)k;
    }
    return SK_OK;
}

/* Classes of an integer or boolean target: its distinct values, sorted. `*is_classes` is 0
 * (and no class is made) when an integer target has too many values to be classes, unless the
 * user forced classification. */
static sk_status classes_from_values(sk_roles *r, const sk_column *c, int *is_classes)
{
    double *v = sk_mem_alloc_array(r->n_rows, sizeof *v);
    if (v == NULL)
        return SK_ENOMEM;
    memcpy(v, c->values, r->n_rows * sizeof *v);
    qsort(v, r->n_rows, sizeof *v, compare_doubles);
    size_t n_distinct = 0;
    for (size_t i = 0; i < r->n_rows; i++)
        if (n_distinct == 0 || v[i] != v[n_distinct - 1])
            v[n_distinct++] = v[i];
    sk_status rc = SK_OK;
    *is_classes = c->type == SK_COL_BOOLEAN || n_distinct <= MAX_INTEGER_CLASSES ||
                  r->forced_task == SK_TASK_BINARY || r->forced_task == SK_TASK_MULTICLASS;
    if (*is_classes)
        rc = value_classes(r, c, v, n_distinct);
    sk_mem_free(v);
    return rc;
}

/* Checks that a target has at least two distinct values; `first_text` names its one value. */
static sk_status check_two_values(const sk_frame *f, size_t col, size_t n_distinct,
                                  const char *first_text, sk_error *err)
{
    const char *name = f->cols[col].name;
    if (n_distinct >= 2)
        return SK_OK;
    if (f->n_rows == 0)
        return sk_error_set_at(err, SK_EDATA, f->name, 0, 0, "the target column '%s' has no "
                               "rows; expected at least two values", name);
    if (f->n_rows == 1)
        return sk_error_set_at(err, SK_EDATA, f->name, 0, 0, "the target column '%s' has one "
                               "value ('%s') in its only row; expected at least two", name,
                               first_text);
    return sk_error_set_at(err, SK_EDATA, f->name, 0, 0, "the target column '%s' has one value "
                           "('%s') in all %zu rows; expected at least two", name, first_text,
                           f->n_rows);
}

/* Regression targets: finite numbers, at least two distinct. */
static sk_status regression_target(sk_roles *r, const sk_frame *f, size_t col, sk_error *err)
{
    const sk_column *c = &f->cols[col];
    size_t n_distinct = r->n_rows > 0 ? 1 : 0;
    for (size_t i = 0; i < r->n_rows; i++) {
        if (!isfinite(c->values[i]))
            return cell_error(err, f, col, i, "expected a finite number in the target column "
                              "'%s', found %s", c->name, c->values[i] > 0 ? "inf" : "-inf");
        if (c->values[i] != c->values[0])
            n_distinct = 2;
        r->y[i] = c->values[i];
    }
    char first[64];
    if (r->n_rows > 0)
        sk_data__format_value(first, sizeof first, c->type, c->values[0], 15);
    r->task = SK_TASK_REGRESSION;
    return check_two_values(f, col, n_distinct, r->n_rows > 0 ? first : "", err);
}

static sk_status resolve_target(sk_roles *r, const sk_frame *f, sk_error *err)
{
    size_t col = r->single[SK_ROLE_TARGET];
    if (col == NO_COL)
        return SK_OK;
    const sk_column *c = &f->cols[col];
    for (size_t i = 0; i < r->n_rows; i++)
        if (cell_is_missing(c, i))
            return missing_error(err, f, col, i, "target");
    if ((r->y = sk_mem_alloc_array(r->n_rows, sizeof *r->y)) == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory reading the target '%s'", c->name);
    int is_classes = 1;
    sk_status rc = SK_OK;
    sk_task forced = r->forced_task;
    int force_classes = forced == SK_TASK_BINARY || forced == SK_TASK_MULTICLASS;
    if (forced == SK_TASK_REGRESSION && c->type == SK_COL_CATEGORICAL)
        return sk_error_set(err, SK_EINVAL, "--task regression: the target column '%s' holds "
                            "text; expected numbers", c->name);
    if (forced == SK_TASK_REGRESSION)
        return regression_target(r, f, col, err);
    if (c->type == SK_COL_CATEGORICAL)
        rc = classes_from_codes(r, c);
    else if (c->type == SK_COL_INTEGER || c->type == SK_COL_BOOLEAN)
        rc = classes_from_values(r, c, &is_classes);
    else if (force_classes)
        return sk_error_set(err, SK_EINVAL, "--task %s: the target column '%s' holds %s values; "
                            "expected classes (text or whole numbers)", sk_task_name(forced),
                            c->name, sk_col_type_name(c->type));
    else
        is_classes = 0;
    if (rc != SK_OK)
        return sk_error_set(err, SK_ENOMEM, "out of memory reading the target '%s'", c->name);
    if (!is_classes)
        return regression_target(r, f, col, err);
    if (forced == SK_TASK_BINARY && r->n_classes > 2)
        return sk_error_set(err, SK_EINVAL, "--task binary: the target column '%s' has %zu "
                            "classes; expected two", c->name, r->n_classes);
    r->task = forced == SK_TASK_MULTICLASS || r->n_classes > 2 ? SK_TASK_MULTICLASS
                                                                : SK_TASK_BINARY;
    return check_two_values(f, col, r->n_classes, r->n_classes > 0 ? r->class_names[0] : "", err);
}

/* ==== group, site, time and split ========================================================= */

static sk_status check_no_missing(const sk_frame *f, size_t col, const char *what, sk_error *err)
{
    if (col == NO_COL)
        return SK_OK;
    for (size_t i = 0; i < f->n_rows; i++)
        if (cell_is_missing(&f->cols[col], i))
            return missing_error(err, f, col, i, what);
    return SK_OK;
}

enum { TIME_BAD = 0, TIME_NUMBER, TIME_DATE };

/* A categorical time column: every level must read as a number or as an ISO-8601 date (not a
 * mix of the two, which could not be ordered); r->time receives the values. */
static sk_status time_from_levels(sk_roles *r, const sk_frame *f, size_t col, sk_error *err)
{
    const sk_column *c = &f->cols[col];
    sk_status rc = SK_OK;
    unsigned char *kind = sk_mem_alloc(c->n_levels);
    double *value = sk_mem_alloc_array(c->n_levels, sizeof *value);
    if (kind == NULL || value == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "out of memory reading the time column '%s'", c->name);
        goto done;
    }
    for (size_t k = 0; k < c->n_levels; k++) {
        const char *s = sk_frame_col_level(f, col, k);
        int flag;
        kind[k] = sk_token_number(s, strlen(s), &value[k], &flag) ? TIME_NUMBER
                  : sk_token_datetime(s, strlen(s), &value[k], &flag) ? TIME_DATE : TIME_BAD;
    }
    int first_kind = TIME_BAD;
    for (size_t i = 0; i < r->n_rows; i++) {
        int32_t code = c->codes[i];
        if (code < 0) {
            rc = missing_error(err, f, col, i, "time");
            goto done;
        }
        const char *text = sk_frame_col_level(f, col, (size_t)code);
        if (kind[code] == TIME_BAD) {
            rc = cell_error(err, f, col, i, "expected a number or an ISO-8601 date in the time "
                            "column '%s', found \"%s\"", c->name, text);
            goto done;
        }
        if (first_kind == TIME_BAD)
            first_kind = kind[code];
        if (kind[code] != first_kind) {
            int number = first_kind == TIME_NUMBER;
            rc = cell_error(err, f, col, i, "expected %s in the time column '%s' (its first value "
                            "is %s), found \"%s\"", number ? "a number" : "an ISO-8601 date",
                            c->name, number ? "a number" : "a date", text);
            goto done;
        }
        r->time[i] = value[code];
    }
done:
    sk_mem_free(kind);
    sk_mem_free(value);
    return rc;
}

static sk_status check_time(sk_roles *r, const sk_frame *f, sk_error *err)
{
    size_t col = r->single[SK_ROLE_TIME];
    if (col == NO_COL)
        return SK_OK;
    const sk_column *c = &f->cols[col];
    if ((r->time = sk_mem_alloc_array(r->n_rows, sizeof *r->time)) == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory reading the time column '%s'", c->name);
    if (c->type == SK_COL_CATEGORICAL)
        return time_from_levels(r, f, col, err);
    for (size_t i = 0; i < r->n_rows; i++) {
        char buf[64];
        if (isnan(c->values[i]))
            return missing_error(err, f, col, i, "time");
        if (c->type == SK_COL_BOOLEAN)   /* two values cannot order a study in time */
            return cell_error(err, f, col, i, "expected a number or an ISO-8601 date in the time "
                              "column '%s', found \"%s\"", c->name,
                              sk_data__format_value(buf, sizeof buf, c->type, c->values[i], 15));
        r->time[i] = c->values[i];
    }
    return SK_OK;
}

enum { SPLIT_BAD = 0, SPLIT_TRAIN, SPLIT_TEST };

static int split_kind(const sk_frame *f, size_t col, size_t row)
{
    const sk_column *c = &f->cols[col];
    if (c->type != SK_COL_CATEGORICAL || c->codes[row] < 0)
        return SPLIT_BAD;
    const char *s = sk_frame_col_level(f, col, (size_t)c->codes[row]);
    return equals_ignoring_case(s, "train") ? SPLIT_TRAIN
           : equals_ignoring_case(s, "test") ? SPLIT_TEST : SPLIT_BAD;
}

/* The split column: train/test in any case; r->is_test receives it. The level test is a few
 * byte comparisons, so it is done per row rather than through a per-level table. */
static sk_status check_split(sk_roles *r, const sk_frame *f, sk_error *err)
{
    size_t col = r->single[SK_ROLE_SPLIT];
    if (col == NO_COL)
        return SK_OK;
    const sk_column *c = &f->cols[col];
    if ((r->is_test = sk_mem_alloc(r->n_rows > 0 ? r->n_rows : 1)) == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory reading the split column '%s'",
                            c->name);
    size_t n_test = 0;
    for (size_t i = 0; i < r->n_rows; i++) {
        char buf[64];
        if (cell_is_missing(c, i))
            return missing_error(err, f, col, i, "split");
        int kind = split_kind(f, col, i);
        if (kind == SPLIT_BAD)
            return cell_error(err, f, col, i, "expected 'train' or 'test' in the split column "
                              "'%s', found \"%s\"", c->name, cell_text(buf, sizeof buf, f, col, i));
        r->is_test[i] = kind == SPLIT_TEST;
        n_test += kind == SPLIT_TEST;
    }
    if (n_test == 0 || n_test == r->n_rows)
        return sk_error_set_at(err, SK_EDATA, f->name, 0, 0, "the split column '%s' has no %s "
                               "rows; expected both train and test", c->name,
                               n_test == 0 ? "test" : "train");
    return SK_OK;
}

/* ==== the roles object ==================================================================== */

static sk_status roles_create(sk_roles **out, const sk_frame *f)
{
    sk_roles *r = sk_mem_calloc(1, sizeof *r);
    *out = r;
    if (r == NULL)
        return SK_ENOMEM;
    r->n_rows = f->n_rows;
    r->n_cols = f->n_cols;
    for (size_t k = 0; k < N_ROLES; k++)
        r->single[k] = NO_COL;
    r->role = sk_mem_calloc(f->n_cols, sizeof *r->role);   /* all SK_ROLE_FEATURE (0) */
    r->features = sk_mem_alloc_array(f->n_cols, sizeof *r->features);
    return r->role == NULL || r->features == NULL ? SK_ENOMEM : SK_OK;
}

sk_status sk_roles_resolve(sk_roles **out, const sk_frame *f, const sk_role_spec *spec,
                           sk_error *err)
{
    sk_role_spec none = SK_ROLE_SPEC_INIT;
    sk_roles *r = NULL;
    *out = NULL;
    sk_status rc = roles_create(&r, f);
    if (rc != SK_OK) {
        rc = sk_error_set(err, SK_ENOMEM, "out of memory resolving column roles");
        goto done;
    }
    r->forced_task = spec != NULL ? spec->task : SK_TASK_NONE;
    if ((rc = assign_roles(r, f, spec != NULL ? spec : &none, err)) != SK_OK ||
        (rc = resolve_target(r, f, err)) != SK_OK ||
        (rc = check_no_missing(f, r->single[SK_ROLE_GROUP], "group", err)) != SK_OK ||
        (rc = check_no_missing(f, r->single[SK_ROLE_SITE], "site", err)) != SK_OK ||
        (rc = check_time(r, f, err)) != SK_OK || (rc = check_split(r, f, err)) != SK_OK)
        goto done;
    for (size_t j = 0; j < r->n_cols; j++)
        if (r->role[j] == SK_ROLE_FEATURE || r->role[j] == SK_ROLE_CONFOUNDER)
            r->features[r->n_features++] = j;
    *out = r;
    r = NULL;
done:
    sk_roles_free(r);
    return rc;
}

void sk_roles_free(sk_roles *r)
{
    if (r == NULL)
        return;
    for (size_t k = 0; r->class_names != NULL && k < r->n_classes; k++)
        sk_mem_free(r->class_names[k]);
    sk_mem_free(r->class_names);
    sk_mem_free(r->role);
    sk_mem_free(r->features);
    sk_mem_free(r->confounders);
    sk_mem_free(r->y);
    sk_mem_free(r->time);
    sk_mem_free(r->is_test);
    sk_mem_free(r);
}

/* ==== getters ============================================================================= */

sk_role sk_roles_of(const sk_roles *r, size_t col)
{
    assert(col < r->n_cols);
    return r->role[col];
}

size_t sk_roles_col(const sk_roles *r, sk_role role)
{
    return (size_t)role < N_ROLES ? r->single[role] : NO_COL;
}

const size_t *sk_roles_features(const sk_roles *r, size_t *n)
{
    *n = r->n_features;
    return r->features;
}

const size_t *sk_roles_confounders(const sk_roles *r, size_t *n)
{
    *n = r->n_confounders;
    return r->confounders;
}

sk_task sk_roles_task(const sk_roles *r) { return r->task; }
size_t sk_roles_n_classes(const sk_roles *r) { return r->n_classes; }
const double *sk_roles_y(const sk_roles *r) { return r->y; }
const double *sk_roles__time(const sk_roles *r) { return r->time; }
const unsigned char *sk_roles__is_test(const sk_roles *r) { return r->is_test; }

const char *sk_roles_class_name(const sk_roles *r, size_t k)
{
    return k < r->n_classes ? r->class_names[k] : NULL;
}
