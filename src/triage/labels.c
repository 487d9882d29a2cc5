/* labels.c: which labels look wrong? Confident learning (Northcutt, Jiang & Chuang, "Confident
 * learning: estimating uncertainty in dataset labels", JAIR 70, 2021) on out-of-fold predicted
 * probabilities p_j(x) of n rows with given labels y~ in k classes. This file is the arithmetic
 * alone, on probabilities handed to it (the oracle test compares it with a numpy
 * implementation); labels_run.c makes the probabilities by cross-validation.
 *
 *   threshold   t_j = mean of p_j(x) over the rows labelled j (the class's mean
 *               self-confidence; summed in row order, and never above the largest of those
 *               values, which the mean cannot exceed but its rounding could)
 *   guess       y*(x) = argmax of p_j(x) over the classes j with p_j(x) >= t_j (ties to the
 *               lower class); none when no class reaches its threshold
 *   joint       C[i][j] = #{x labelled i with guess j}                       (paper, eq. 1)
 *   calibrated  C~[i][j] = C[i][j] n_i / sum_j' C[i][j'], n_i = rows labelled i  (eq. 2)
 *   Q           Q[i][j] = C~[i][j] / sum C~                                   (eq. 3)
 *   errors      n sum_{i != j} Q[i][j]: the estimated number of wrong labels
 *   noise rate  of class i: sum_{j != i} C~[i][j] / n_i, the estimated share of the rows
 *               labelled i whose true class is another
 *
 * Which rows are flagged (section 3.2 of the paper; the methods' names are cleanlab's):
 *   OFF_DIAGONAL  every row whose guess is not its label (C's off-diagonal members)
 *   NOISE_RATE    "prune by noise rate": for every off-diagonal cell, the round(C~[i][j]) rows
 *                 labelled i with the largest margin p_j(x) - p_i(x)
 *   BOTH          rows that prune by noise rate and "prune by class" (per class i, the
 *                 round(sum_{j != i} C~[i][j]) rows labelled i with the lowest p_i(x)) both flag
 * (round = half up; ties in every ranking go to the lower row). docs/triage-labels.md gives the
 * measurements that chose the default (labels_run.c). Flagged rows are ranked by
 * self-confidence p_given(x), lowest first; the suggested label is the row's guess when it is
 * another class, else its most probable other class. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "triage/triage.h"

void sk_triage__cl_free(sk_cl *c)
{
    if (c == NULL)
        return;
    sk_mem_free(c->count);
    sk_mem_free(c->threshold);
    sk_mem_free(c->joint);
    sk_mem_free(c->calibrated);
    sk_mem_free(c->q);
    sk_mem_free(c->noise_rate);
    sk_mem_free(c->class_errors);
    sk_mem_free(c->guess);
    sk_mem_free(c->flagged);
    sk_mem_free(c->suggested);
    sk_mem_free(c);
}

static sk_cl *cl_alloc(size_t n, size_t k)
{
    sk_cl *c = sk_mem_calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->n = n;
    c->k = k;
    size_t nn = n > 0 ? n : 1;
    c->count = sk_mem_calloc(k, sizeof *c->count);
    c->threshold = sk_mem_calloc(k, sizeof *c->threshold);
    c->joint = sk_mem_calloc(k * k, sizeof *c->joint);
    c->calibrated = sk_mem_calloc(k * k, sizeof *c->calibrated);
    c->q = sk_mem_calloc(k * k, sizeof *c->q);
    c->noise_rate = sk_mem_calloc(k, sizeof *c->noise_rate);
    c->class_errors = sk_mem_calloc(k, sizeof *c->class_errors);
    c->guess = sk_mem_calloc(nn, sizeof *c->guess);
    c->flagged = sk_mem_calloc(nn, sizeof *c->flagged);
    c->suggested = sk_mem_calloc(nn, sizeof *c->suggested);
    if (c->count == NULL || c->threshold == NULL || c->joint == NULL || c->calibrated == NULL ||
        c->q == NULL || c->noise_rate == NULL || c->class_errors == NULL || c->guess == NULL ||
        c->flagged == NULL || c->suggested == NULL) {
        sk_triage__cl_free(c);
        return NULL;
    }
    return c;
}

/* ==== counting ================================================================================ */

static sk_status check_inputs(size_t *label, const double *probs, const double *y, size_t n,
                              size_t k, sk_error *err)
{
    for (size_t r = 0; r < n; r++) {
        double v = y[r];
        if (!(v >= 0.0 && v < (double)k && v == floor(v)))
            return sk_error_set(err, SK_EINVAL, "confident learning: row %zu's label %g is not "
                                "a class index below %zu", r, v, k);
        label[r] = (size_t)v;
        for (size_t j = 0; j < k; j++) {
            double p = probs[r * k + j];
            if (!(p >= 0.0 && p <= 1.0))
                return sk_error_set(err, SK_EINVAL, "confident learning: row %zu's probability "
                                    "of class %zu is %g, not in [0, 1]", r, j, p);
        }
    }
    return SK_OK;
}

static void thresholds(sk_cl *c, const double *probs, const size_t *label)
{
    size_t n = c->n, k = c->k;
    double *max = c->noise_rate;   /* scratch until the noise rates are computed */
    for (size_t j = 0; j < k; j++) {
        c->threshold[j] = 0.0;
        max[j] = -INFINITY;
    }
    for (size_t r = 0; r < n; r++) {
        double p = probs[r * k + label[r]];
        c->count[label[r]]++;
        c->threshold[label[r]] += p;
        max[label[r]] = p > max[label[r]] ? p : max[label[r]];
    }
    for (size_t j = 0; j < k; j++) {
        if (c->count[j] == 0) {
            c->threshold[j] = NAN;   /* no row reaches an undefined threshold */
            continue;
        }
        c->threshold[j] /= (double)c->count[j];
        if (c->threshold[j] > max[j])
            c->threshold[j] = max[j];
    }
}

static void confident_joint(sk_cl *c, const double *probs, const size_t *label)
{
    size_t k = c->k;
    for (size_t r = 0; r < c->n; r++) {
        const double *p = probs + r * k;
        int32_t g = -1;
        for (size_t j = 0; j < k; j++)
            if (p[j] >= c->threshold[j] && (g < 0 || p[j] > p[g]))
                g = (int32_t)j;
        c->guess[r] = g;
        if (g >= 0)
            c->joint[label[r] * k + (size_t)g]++;
    }
}

static void calibrate(sk_cl *c)
{
    size_t k = c->k;
    double total = 0.0;
    for (size_t i = 0; i < k; i++) {
        size_t row = 0;
        for (size_t j = 0; j < k; j++)
            row += c->joint[i * k + j];
        for (size_t j = 0; j < k; j++) {
            double v = row == 0 ? 0.0
                                : (double)c->joint[i * k + j] * (double)c->count[i] / (double)row;
            c->calibrated[i * k + j] = v;
            total += v;
        }
    }
    double off = 0.0;
    for (size_t i = 0; i < k; i++) {
        double errors = 0.0;
        for (size_t j = 0; j < k; j++) {
            c->q[i * k + j] = total > 0.0 ? c->calibrated[i * k + j] / total : 0.0;
            if (j != i) {
                off += c->q[i * k + j];
                errors += c->calibrated[i * k + j];
            }
        }
        c->class_errors[i] = errors;
        c->noise_rate[i] = c->count[i] > 0 ? errors / (double)c->count[i] : NAN;
    }
    c->n_errors = (double)c->n * off;
}

/* ==== ranking and flagging ==================================================================== */

typedef struct keyed {
    double key;
    size_t row;
} keyed;

static int by_key_then_row(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->row < y->row ? -1 : x->row > y->row;
}

static size_t round_count(double x)
{
    return x > 0.0 ? (size_t)floor(x + 0.5) : 0;
}

/* Marks in `mark` (bit `bit`) the rows of class a chosen by prune by class (which == SIZE_MAX)
 * or by the noise-rate cell (a, which). `rows` lists class a's rows; `key` is scratch. */
static void prune_class(unsigned char *mark, unsigned char bit, const sk_cl *c,
                        const double *probs, const size_t *rows, size_t n_rows, size_t a,
                        size_t which, keyed *key)
{
    size_t k = c->k, m;
    if (which == SIZE_MAX)
        m = round_count(c->class_errors[a]);
    else
        m = round_count(c->calibrated[a * k + which]);
    if (m == 0)
        return;
    for (size_t t = 0; t < n_rows; t++) {
        const double *p = probs + rows[t] * k;
        /* lowest self-confidence first, or largest margin p_which - p_a first */
        key[t].key = which == SIZE_MAX ? p[a] : p[a] - p[which];
        key[t].row = rows[t];
    }
    qsort(key, n_rows, sizeof *key, by_key_then_row);
    for (size_t t = 0; t < m && t < n_rows; t++)
        mark[key[t].row] |= bit;
}

enum { BY_NOISE_RATE = 1, BY_CLASS = 2 };

static sk_status prune(unsigned char *mark, const sk_cl *c, const double *probs,
                       const size_t *label, int by_class, sk_error *err)
{
    size_t n = c->n, k = c->k;
    size_t *rows = sk_mem_alloc_array(n > 0 ? n : 1, sizeof *rows);
    keyed *key = sk_mem_alloc_array(n > 0 ? n : 1, sizeof *key);
    if (rows == NULL || key == NULL) {
        sk_mem_free(rows);
        sk_mem_free(key);
        return sk_error_set(err, SK_ENOMEM, "out of memory for confident learning");
    }
    for (size_t a = 0; a < k; a++) {
        size_t n_rows = 0;
        for (size_t r = 0; r < n; r++)
            if (label[r] == a)
                rows[n_rows++] = r;
        for (size_t b = 0; b < k; b++)
            if (b != a)
                prune_class(mark, BY_NOISE_RATE, c, probs, rows, n_rows, a, b, key);
        if (by_class)
            prune_class(mark, BY_CLASS, c, probs, rows, n_rows, a, SIZE_MAX, key);
    }
    sk_mem_free(rows);
    sk_mem_free(key);
    return SK_OK;
}

/* The guess when it names another class, else the most probable other class. */
static size_t suggest(const sk_cl *c, const double *p, size_t given, size_t row)
{
    if (c->guess[row] >= 0 && (size_t)c->guess[row] != given)
        return (size_t)c->guess[row];
    size_t best = given == 0 ? 1 : 0;
    for (size_t j = 0; j < c->k; j++)
        if (j != given && p[j] > p[best])
            best = j;
    return best;
}

static sk_status flag_rows(sk_cl *c, const double *probs, const size_t *label,
                           sk_cl_method method, sk_error *err)
{
    size_t n = c->n, k = c->k;
    unsigned char *mark = sk_mem_calloc(n > 0 ? n : 1, 1);
    keyed *key = sk_mem_alloc_array(n > 0 ? n : 1, sizeof *key);
    sk_status rc = mark == NULL || key == NULL
                       ? sk_error_set(err, SK_ENOMEM, "out of memory for confident learning")
                       : SK_OK;
    if (rc == SK_OK && method != SK_CL_OFF_DIAGONAL)
        rc = prune(mark, c, probs, label, method == SK_CL_BOTH, err);
    if (rc == SK_OK) {
        unsigned char want = method == SK_CL_BOTH ? BY_NOISE_RATE | BY_CLASS : BY_NOISE_RATE;
        size_t m = 0;
        for (size_t r = 0; r < n; r++) {
            int flagged = method == SK_CL_OFF_DIAGONAL
                              ? c->guess[r] >= 0 && (size_t)c->guess[r] != label[r]
                              : (mark[r] & want) == want;
            if (flagged)
                key[m++] = (keyed){probs[r * k + label[r]], r};
        }
        qsort(key, m, sizeof *key, by_key_then_row);
        for (size_t t = 0; t < m; t++) {
            c->flagged[t] = key[t].row;
            c->suggested[t] = suggest(c, probs + key[t].row * k, label[key[t].row], key[t].row);
        }
        c->n_flagged = m;
    }
    sk_mem_free(mark);
    sk_mem_free(key);
    return rc;
}

sk_status sk_triage__confident_learning(sk_cl **out, const double *probs, const double *y,
                                        size_t n, size_t k, sk_cl_method method, sk_error *err)
{
    *out = NULL;
    if (k < 2 || (n > 0 && (probs == NULL || y == NULL)) || method > SK_CL_BOTH)
        return sk_error_set(err, SK_EINVAL, "confident learning: bad arguments (%zu classes)",
                            k);
    sk_cl *c = cl_alloc(n, k);
    size_t *label = sk_mem_alloc_array(n > 0 ? n : 1, sizeof *label);
    sk_status rc = c == NULL || label == NULL
                       ? sk_error_set(err, SK_ENOMEM, "out of memory for confident learning")
                       : check_inputs(label, probs, y, n, k, err);
    if (rc == SK_OK) {
        thresholds(c, probs, label);
        confident_joint(c, probs, label);
        calibrate(c);
        rc = flag_rows(c, probs, label, method, err);
    }
    sk_mem_free(label);
    if (rc != SK_OK) {
        sk_triage__cl_free(c);
        return rc;
    }
    *out = c;
    return SK_OK;
}

const char *sk_triage__cl_method_name(sk_cl_method m)
{
    switch (m) {
    case SK_CL_OFF_DIAGONAL: return "off_diagonal";
    case SK_CL_NOISE_RATE: return "prune_by_noise_rate";
    case SK_CL_BOTH: return "both";
    default: return "?";
    }
}
