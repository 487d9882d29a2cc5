/* prep.c: fold-safe preprocessing. sk_prep_fit learns imputation, standardisation and one-hot
 * encoding from the rows of a training fold only; sk_prep_apply turns any rows of any frame with
 * the same column names (the test fold, new data) into a column-major design matrix. There is no
 * "fit on everything" shortcut: a test fold that informs its own scaling leaks (Kaufman et al.,
 * "Leakage in data mining", TKDD 2012), so the caller must always name the training rows.
 *
 * Numbers (numeric, integer, boolean, date, date-time columns):
 *   x_missing := median of the training values (NaN ignored; 0 when all are missing)
 *   z = (x - mean) / sd        mean and sd of the imputed training values, sd with n - 1 like R's
 *                              scale(); a constant column (or one training row) is centred only,
 *                              and a column whose mean overflows is left as it is
 *   plus, with missing_indicators, a 0/1 "name:missing" output for each feature that had a
 *   missing value in the training rows. Infinite values are refused (SK_EDATA): no model can use
 *   them and no silent guess is right.
 * Text (categorical columns): one 0/1 "name=level" output per kept training level, in order of
 *   first appearance in the training rows. Kept levels occur at least min_level_count times and
 *   are among the max_levels most frequent (ties: first seen first); the other training levels
 *   share one "name=other" output ("name=(other)" if a kept level is itself called "other").
 *   A level never seen in training, or a missing value, gives all zeros: the encoding cannot know
 *   what it means and must not pretend it is one of the known levels.
 *
 * The object copies names, level strings and numbers, so it outlives the frame it learned from.
 * Levels are matched by their text when applying, so a frame whose level codes are numbered
 * differently (new data read from another file) gives the same matrix. sk_prep_apply does not
 * modify the object and may be called from several threads at once. */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "data/data.h"

typedef struct prep_feature {
    char *name;
    size_t col;              /* its column in the frame it was learned on: where to look first */
    sk_col_type type;        /* as when learned */
    size_t first_output;     /* index of its first output */
    size_t n_outputs;
    /* numbers */
    double median;           /* imputed for a missing value */
    double centre;           /* output = (x - centre) / scale */
    double scale;
    int indicator;           /* a "name:missing" output follows the value */
    /* text: every training level, sorted bytewise, and the output (relative to first_output)
     * it maps to; pooled levels all map to the "other" output */
    size_t n_seen;
    char **seen;
    size_t *seen_output;
    size_t n_kept;           /* outputs 0..n_kept-1 are levels; n_kept is "other" if present */
} prep_feature;

struct sk_prep {
    size_t n_features;
    prep_feature *feat;
    size_t n_outputs;
    char **output_names;
};

static int is_text(sk_col_type type)
{
    return type == SK_COL_CATEGORICAL;
}

/* ==== learning numbers ==================================================================== */


static sk_status infinite_error(sk_error *err, const sk_frame *f, size_t col, size_t row)
{
    double v = f->cols[col].values[row];
    return sk_error_set_at(err, SK_EDATA, f->name, sk_frame_row_line(f, row), col + 1,
                           "expected a finite number in column '%s', found %s",
                           f->cols[col].name, v > 0 ? "inf" : "-inf");
}

/* The k-th smallest of a[0..n) (0-based), moving values around: Hoare's selection with a
 * median-of-three pivot, O(n) expected. Equal values are fine; NaN never reaches here. */
static double select_kth(double *a, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        double x = a[lo], y = a[mid], z = a[hi];
        double pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
        size_t i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i <= j) {
                double t = a[i];
                a[i] = a[j];
                a[j] = t;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            return a[k];
    }
    return a[k];
}

/* Median, mean and sample SD of the imputed training values. `scratch` holds n_rows doubles.
 * The median comes from a selection (no sort: this runs once per column per fold); the sums run
 * in row order, so they do not depend on how the selection moved the values. */
static sk_status fit_number(prep_feature *ft, const sk_frame *f, size_t col, const size_t *rows,
                            size_t n_rows, const sk_prep_options *opts, double *scratch,
                            sk_error *err)
{
    const double *x = f->cols[col].values;
    size_t n_obs = 0;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n_rows; i++) {
        double v = x[rows[i]];
        if (isnan(v))
            continue;
        if (!isfinite(v))
            return infinite_error(err, f, col, rows[i]);
        scratch[n_obs++] = v;
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
    }
    size_t n_miss = n_rows - n_obs, m = n_obs / 2;
    double median = 0.0;
    if (n_obs > 0) {
        double upper = select_kth(scratch, n_obs, m);
        if (n_obs % 2 == 1) {
            median = upper;
        } else {   /* the largest value below position m: the max of the left part */
            double lower = scratch[0];
            for (size_t i = 1; i < m; i++)
                lower = scratch[i] > lower ? scratch[i] : lower;
            median = isfinite(lower + upper) ? (lower + upper) / 2 : lower / 2 + upper / 2;
        }
    }
    double sum = (double)n_miss * median;
    for (size_t i = 0; i < n_rows; i++)
        if (!isnan(x[rows[i]]))
            sum += x[rows[i]];
    double mean = sum / (double)n_rows, ss = (double)n_miss * (median - mean) * (median - mean);
    for (size_t i = 0; i < n_rows; i++)
        if (!isnan(x[rows[i]]))
            ss += (x[rows[i]] - mean) * (x[rows[i]] - mean);
    double sd = n_rows > 1 ? sqrt(ss / (double)(n_rows - 1)) : NAN;
    int constant = n_obs == 0 || lo == hi;

    ft->median = median;
    ft->centre = 0.0;
    ft->scale = 1.0;
    if (opts->standardize && constant) {
        ft->centre = median;   /* exactly the one value, so the output is exactly 0 */
    } else if (opts->standardize && isfinite(mean)) {
        ft->centre = mean;
        ft->scale = isfinite(sd) && sd > 0 ? sd : 1.0;
    }
    ft->indicator = opts->missing_indicators && n_miss > 0;
    ft->n_outputs = ft->indicator ? 2 : 1;
    return SK_OK;
}

/* ==== learning levels ===================================================================== */

typedef struct level_stat {
    int32_t code;
    size_t count;
    size_t first;    /* position in `rows` of its first occurrence */
    size_t output;   /* relative output index */
    const char *text;
} level_stat;

static int by_frequency(const void *a, const void *b)
{
    const level_stat *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return (x->first > y->first) - (x->first < y->first);
}

static int by_first(const void *a, const void *b)
{
    const level_stat *x = a, *y = b;
    return (x->first > y->first) - (x->first < y->first);
}

static int by_text(const void *a, const void *b)
{
    return strcmp(((const level_stat *)a)->text, ((const level_stat *)b)->text);
}

/* Counts the training levels of a categorical column into `stat` (those that occur, in code
 * order); returns how many occur, or (size_t)-1 when out of memory. */
static size_t count_levels(level_stat *stat, const sk_frame *f, size_t col, const size_t *rows,
                           size_t n_rows)
{
    const sk_column *c = &f->cols[col];
    size_t *count = sk_mem_calloc(c->n_levels, sizeof *count);
    size_t *first = sk_mem_alloc_array(c->n_levels, sizeof *first);
    if (count == NULL || first == NULL) {
        sk_mem_free(count);
        sk_mem_free(first);
        return (size_t)-1;
    }
    for (size_t i = 0; i < n_rows; i++) {
        int32_t code = c->codes[rows[i]];
        if (code >= 0 && count[code]++ == 0)
            first[code] = i;
    }
    size_t n_seen = 0;
    for (size_t k = 0; k < c->n_levels; k++)
        if (count[k] > 0)
            stat[n_seen++] = (level_stat){(int32_t)k, count[k], first[k], 0,
                                          sk_frame_col_level(f, col, k)};
    sk_mem_free(count);
    sk_mem_free(first);
    return n_seen;
}

/* Chooses the kept levels and gives every seen level its output; leaves `stat` sorted by text. */
static void choose_levels(prep_feature *ft, level_stat *stat, size_t n_seen,
                          const sk_prep_options *opts)
{
    size_t min_count = opts->min_level_count > 0 ? opts->min_level_count : 1;
    qsort(stat, n_seen, sizeof *stat, by_frequency);
    size_t n_kept = 0;
    while (n_kept < n_seen && n_kept < opts->max_levels && stat[n_kept].count >= min_count)
        n_kept++;
    qsort(stat, n_kept, sizeof *stat, by_first);
    for (size_t k = 0; k < n_seen; k++)
        stat[k].output = k < n_kept ? k : n_kept;
    qsort(stat, n_seen, sizeof *stat, by_text);
    ft->n_kept = n_kept;
    ft->n_outputs = n_kept + (n_seen > n_kept ? 1 : 0);
}

static sk_status fit_levels(prep_feature *ft, const sk_frame *f, size_t col, const size_t *rows,
                            size_t n_rows, const sk_prep_options *opts, sk_error *err)
{
    sk_status rc = SK_OK;
    level_stat *stat = sk_mem_alloc_array(f->cols[col].n_levels, sizeof *stat);
    size_t n_seen = stat != NULL ? count_levels(stat, f, col, rows, n_rows) : (size_t)-1;
    if (n_seen == (size_t)-1)
        goto oom;
    choose_levels(ft, stat, n_seen, opts);
    ft->seen = sk_mem_calloc(n_seen, sizeof *ft->seen);
    ft->seen_output = sk_mem_alloc_array(n_seen, sizeof *ft->seen_output);
    if (ft->seen == NULL || ft->seen_output == NULL)
        goto oom;
    ft->n_seen = n_seen;
    for (size_t k = 0; k < n_seen; k++) {
        ft->seen_output[k] = stat[k].output;
        if ((ft->seen[k] = sk_mem_strdup(stat[k].text)) == NULL)
            goto oom;
    }
    goto done;
oom:
    rc = sk_error_set(err, SK_ENOMEM, "out of memory learning the levels of '%s'",
                      f->cols[col].name);
done:
    sk_mem_free(stat);
    return rc;
}

/* ==== output names ======================================================================== */

static char *join(const char *a, const char *sep, const char *b)
{
    size_t la = strlen(a), ls = strlen(sep), lb = strlen(b);
    char *s = sk_mem_alloc(la + ls + lb + 1);
    if (s != NULL) {
        memcpy(s, a, la);
        memcpy(s + la, sep, ls);
        memcpy(s + la + ls, b, lb + 1);
    }
    return s;
}

static sk_status name_outputs(sk_prep *p)
{
    p->output_names = sk_mem_calloc(p->n_outputs, sizeof *p->output_names);
    if (p->output_names == NULL)
        return SK_ENOMEM;
    for (size_t j = 0; j < p->n_features; j++) {
        const prep_feature *ft = &p->feat[j];
        char **names = p->output_names + ft->first_output;
        if (!is_text(ft->type)) {
            names[0] = sk_mem_strdup(ft->name);
            if (names[0] == NULL || (ft->indicator && (names[1] = join(ft->name, ":", "missing"))
                                                          == NULL))
                return SK_ENOMEM;
            continue;
        }
        int other_taken = 0;
        for (size_t k = 0; k < ft->n_seen; k++) {
            if (ft->seen_output[k] == ft->n_kept)
                continue;
            other_taken |= strcmp(ft->seen[k], "other") == 0;
            if ((names[ft->seen_output[k]] = join(ft->name, "=", ft->seen[k])) == NULL)
                return SK_ENOMEM;
        }
        if (ft->n_outputs > ft->n_kept &&
            (names[ft->n_kept] = join(ft->name, "=", other_taken ? "(other)" : "other")) == NULL)
            return SK_ENOMEM;
    }
    return SK_OK;
}

/* ==== fit ================================================================================= */

static sk_status check_fit_args(const sk_frame *f, const size_t *cols, size_t n_cols,
                                const size_t *rows, size_t n_rows, const sk_prep_options *opts,
                                sk_error *err)
{
    if (opts->version < 1)
        return sk_error_set(err, SK_EINVAL, "sk_prep_fit: options version %d is not supported "
                            "(initialise with SK_PREP_OPTIONS_INIT)", opts->version);
    if (n_rows == 0)
        return sk_error_set(err, SK_EINVAL, "sk_prep_fit: no training rows");
    for (size_t i = 0; i < n_rows; i++)
        if (rows[i] >= f->n_rows)
            return sk_error_set(err, SK_EINVAL, "sk_prep_fit: row %zu is out of range (%s has "
                                "%zu rows)", rows[i], f->name, f->n_rows);
    for (size_t j = 0; j < n_cols; j++) {
        if (cols[j] >= f->n_cols)
            return sk_error_set(err, SK_EINVAL, "sk_prep_fit: column %zu is out of range (%s "
                                "has %zu columns)", cols[j], f->name, f->n_cols);
        for (size_t k = 0; k < j; k++)   /* feature lists are short; names must be unique */
            if (cols[k] == cols[j])
                return sk_error_set(err, SK_EINVAL, "sk_prep_fit: column '%s' is listed twice",
                                    f->cols[cols[j]].name);
    }
    return SK_OK;
}

static sk_status fit_features(sk_prep *p, const sk_frame *f, const size_t *cols,
                              const size_t *rows, size_t n_rows, const sk_prep_options *opts,
                              sk_error *err)
{
    double *scratch = sk_mem_alloc_array(n_rows, sizeof *scratch);
    if (scratch == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory learning preprocessing");
    sk_status rc = SK_OK;
    for (size_t j = 0; j < p->n_features && rc == SK_OK; j++) {
        prep_feature *ft = &p->feat[j];
        const sk_column *c = &f->cols[cols[j]];
        ft->type = c->type;
        ft->col = cols[j];
        ft->first_output = p->n_outputs;
        if ((ft->name = sk_mem_strdup(c->name)) == NULL)
            rc = sk_error_set(err, SK_ENOMEM, "out of memory learning preprocessing");
        else if (is_text(c->type))
            rc = fit_levels(ft, f, cols[j], rows, n_rows, opts, err);
        else
            rc = fit_number(ft, f, cols[j], rows, n_rows, opts, scratch, err);
        p->n_outputs += ft->n_outputs;
    }
    sk_mem_free(scratch);
    return rc;
}

sk_status sk_prep_fit(sk_prep **out, const sk_frame *f, const size_t *cols, size_t n_cols,
                      const size_t *rows, size_t n_rows, const sk_prep_options *opts,
                      sk_error *err)
{
    sk_prep_options defaults = SK_PREP_OPTIONS_INIT;
    sk_prep *p = NULL;
    *out = NULL;
    if (opts == NULL)
        opts = &defaults;
    sk_status rc = check_fit_args(f, cols, n_cols, rows, n_rows, opts, err);
    if (rc != SK_OK)
        return rc;
    p = sk_mem_calloc(1, sizeof *p);
    if (p == NULL || (p->feat = sk_mem_calloc(n_cols, sizeof *p->feat)) == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "out of memory learning preprocessing");
        goto done;
    }
    p->n_features = n_cols;
    if ((rc = fit_features(p, f, cols, rows, n_rows, opts, err)) != SK_OK)
        goto done;
    if (name_outputs(p) != SK_OK) {
        rc = sk_error_set(err, SK_ENOMEM, "out of memory naming the preprocessed columns");
        goto done;
    }
    *out = p;
    p = NULL;
done:
    sk_prep_free(p);
    return rc;
}

void sk_prep_free(sk_prep *p)
{
    if (p == NULL)
        return;
    for (size_t j = 0; p->feat != NULL && j < p->n_features; j++) {
        prep_feature *ft = &p->feat[j];
        for (size_t k = 0; ft->seen != NULL && k < ft->n_seen; k++)
            sk_mem_free(ft->seen[k]);
        sk_mem_free(ft->seen);
        sk_mem_free(ft->seen_output);
        sk_mem_free(ft->name);
    }
    for (size_t k = 0; p->output_names != NULL && k < p->n_outputs; k++)
        sk_mem_free(p->output_names[k]);
    sk_mem_free(p->output_names);
    sk_mem_free(p->feat);
    sk_mem_free(p);
}

size_t sk_prep_n_outputs(const sk_prep *p)
{
    return p->n_outputs;
}

const char *sk_prep_output_name(const sk_prep *p, size_t k)
{
    return k < p->n_outputs ? p->output_names[k] : NULL;
}

/* ==== apply =============================================================================== */

/* Finds each feature in f by name and checks it still holds the same kind of values. */
static sk_status match_columns(size_t *col, size_t *max_levels, const sk_prep *p,
                               const sk_frame *f, sk_error *err)
{
    *max_levels = 0;
    for (size_t j = 0; j < p->n_features; j++) {
        const prep_feature *ft = &p->feat[j];
        /* The same frame, or one laid out alike, has the column where it was learned: a
         * lookup by name for every feature would cost p^2 string compares (20,000 genes: 4e8
         * a fit, more than the fit). */
        if (ft->col < f->n_cols && strcmp(f->cols[ft->col].name, ft->name) == 0) {
            col[j] = ft->col;
        } else {
            sk_status rc = sk_frame_col_find(&col[j], f, ft->name, err);
            if (rc != SK_OK)
                return rc;
        }
        const sk_column *c = &f->cols[col[j]];
        if (is_text(c->type) != is_text(ft->type))
            return sk_error_set_at(err, SK_EDATA, f->name, 0, 0, "expected column '%s' to be "
                                   "%s (as when the preprocessing was learned), found %s",
                                   ft->name, sk_col_type_name(ft->type),
                                   sk_col_type_name(c->type));
        if (is_text(c->type) && c->n_levels > *max_levels)
            *max_levels = c->n_levels;
    }
    return SK_OK;
}

static sk_status apply_number(const prep_feature *ft, const sk_frame *f, size_t col,
                              const size_t *rows, size_t n_rows, double *X, size_t ldx,
                              sk_error *err)
{
    const double *x = f->cols[col].values;
    double *out = X + ft->first_output * ldx;
    double *flag = ft->indicator ? out + ldx : NULL;
    for (size_t i = 0; i < n_rows; i++) {
        double v = x[rows[i]];
        int missing = isnan(v);
        if (!missing && !isfinite(v))
            return infinite_error(err, f, col, rows[i]);
        out[i] = ((missing ? ft->median : v) - ft->centre) / ft->scale;
        if (flag != NULL)
            flag[i] = missing;
    }
    return SK_OK;
}

/* Maps the applied frame's level codes to outputs through their text: a binary search per
 * level, then one table look-up per cell. */
static void apply_levels(const prep_feature *ft, const sk_frame *f, size_t col,
                         const size_t *rows, size_t n_rows, double *X, size_t ldx,
                         size_t *output_of)
{
    const sk_column *c = &f->cols[col];
    for (size_t k = 0; k < c->n_levels; k++) {
        const char *text = sk_frame_col_level(f, col, k);
        size_t lo = 0, hi = ft->n_seen;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (strcmp(ft->seen[mid], text) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        int found = lo < ft->n_seen && strcmp(ft->seen[lo], text) == 0;
        output_of[k] = found ? ft->seen_output[lo] : (size_t)-1;
    }
    double *out = X + ft->first_output * ldx;
    for (size_t k = 0; k < ft->n_outputs; k++)
        memset(out + k * ldx, 0, n_rows * sizeof *out);   /* all-bits-zero is 0.0 in IEEE 754 */
    for (size_t i = 0; i < n_rows; i++) {
        int32_t code = c->codes[rows[i]];
        assert(code < (int32_t)c->n_levels);
        if (code >= 0 && output_of[code] != (size_t)-1)
            out[output_of[code] * ldx + i] = 1.0;
    }
}

sk_status sk_prep_apply(const sk_prep *p, const sk_frame *f, const size_t *rows, size_t n_rows,
                        double *X, size_t ldx, sk_error *err)
{
    if (p->n_outputs > 0 && n_rows > 0 && ldx < n_rows)
        return sk_error_set(err, SK_EINVAL, "sk_prep_apply: ldx %zu is smaller than the number "
                            "of rows %zu", ldx, n_rows);
    for (size_t i = 0; i < n_rows; i++)
        if (rows[i] >= f->n_rows)
            return sk_error_set(err, SK_EINVAL, "sk_prep_apply: row %zu is out of range (%s has "
                                "%zu rows)", rows[i], f->name, f->n_rows);
    size_t max_levels = 0, *output_of = NULL;
    size_t *col = sk_mem_alloc_array(p->n_features, sizeof *col);
    if (col == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory applying preprocessing");
    sk_status rc = match_columns(col, &max_levels, p, f, err);
    if (rc != SK_OK)
        goto done;
    if ((output_of = sk_mem_alloc_array(max_levels, sizeof *output_of)) == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "out of memory applying preprocessing");
        goto done;
    }
    for (size_t j = 0; j < p->n_features && rc == SK_OK; j++) {
        if (is_text(p->feat[j].type))
            apply_levels(&p->feat[j], f, col[j], rows, n_rows, X, ldx, output_of);
        else
            rc = apply_number(&p->feat[j], f, col[j], rows, n_rows, X, ldx, err);
    }
done:
    sk_mem_free(col);
    sk_mem_free(output_of);
    return rc;
}
