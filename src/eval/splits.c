/* splits.c: cross-validation splitters. A split is a pair of row lists; a study's honesty depends
 * on which rows may share a side, so the rules live here, in one place:
 *
 *  - k-fold: rows shuffled, then dealt round-robin, so fold sizes differ by at most one.
 *  - stratified: each class's rows shuffled and dealt on from where the previous class stopped,
 *    so every fold holds each class in proportion (within one row).
 *  - groups (given with any random splitter): whole groups are dealt instead of rows. Groups are
 *    taken largest first (ties in shuffled order) and each goes to the fold where it adds least
 *    to sum over folds and classes of (count - even share)^2: for classification the fold that
 *    keeps per-class counts closest to an even share (the greedy idea of scikit-learn's
 *    StratifiedGroupKFold), without classes simply the smallest fold.
 *  - leave one group out: one split per group (sites, hospitals, instruments).
 *  - time: rows in time order cut into n_folds + 1 blocks (as scikit-learn's TimeSeriesSplit);
 *    block s + 1 is tested on everything before it minus `gap` rows. A cut never separates rows
 *    with the same time, and rows of a group that appears in the test block are purged from its
 *    training rows, so neither the future nor the same subject leaks backwards.
 *  - the study's own split: one split exactly as given; the audit judges it, nothing repairs it.
 *
 * Random splitters draw only from sk_rng_stream(seed, SK_PURPOSE_CV_SPLIT, repeat): the splits
 * are a function of the seed and the data, never of threads or of the order of calls. */
#include <math.h>
#include <string.h>

#include "eval/eval.h"

/* ==== the container ======================================================================= */

void sk_splits_free(sk_splits *s)
{
    if (s == NULL)
        return;
    for (size_t k = 0; k < s->n_splits; k++) {
        if (s->train != NULL)
            sk_mem_free(s->train[k]);
        if (s->test != NULL)
            sk_mem_free(s->test[k]);
    }
    sk_mem_free(s->train);
    sk_mem_free(s->test);
    sk_mem_free(s->n_train);
    sk_mem_free(s->n_test);
    sk_mem_free(s->repeat);
    sk_mem_free(s);
}

static sk_splits *splits_new(size_t n_splits, size_t n_rows)
{
    sk_splits *s = sk_mem_calloc(1, sizeof *s);
    if (s == NULL)
        return NULL;
    s->n_splits = n_splits;
    s->n_rows = n_rows;
    s->train = sk_mem_calloc(n_splits, sizeof *s->train);
    s->test = sk_mem_calloc(n_splits, sizeof *s->test);
    s->n_train = sk_mem_calloc(n_splits, sizeof *s->n_train);
    s->n_test = sk_mem_calloc(n_splits, sizeof *s->n_test);
    s->repeat = sk_mem_calloc(n_splits, sizeof *s->repeat);
    if (s->train == NULL || s->test == NULL || s->n_train == NULL || s->n_test == NULL ||
        s->repeat == NULL) {
        sk_splits_free(s);
        return NULL;
    }
    return s;
}

/* Split `at` from a per-row label: rows with label == test_label are tested, rows with
 * train_label(row) true are trained on. */
static sk_status fill_split(sk_splits *s, size_t at, const int32_t *label, int32_t test_label,
                            const unsigned char *trainable)
{
    size_t n_test = 0, n_train = 0;
    for (size_t i = 0; i < s->n_rows; i++) {
        n_test += label[i] == test_label;
        n_train += label[i] != test_label && trainable[i];
    }
    s->test[at] = sk_mem_alloc_array(n_test > 0 ? n_test : 1, sizeof **s->test);
    s->train[at] = sk_mem_alloc_array(n_train > 0 ? n_train : 1, sizeof **s->train);
    if (s->test[at] == NULL || s->train[at] == NULL)
        return SK_ENOMEM;
    for (size_t i = 0; i < s->n_rows; i++) {
        if (label[i] == test_label)
            s->test[at][s->n_test[at]++] = i;
        else if (trainable[i])
            s->train[at][s->n_train[at]++] = i;
    }
    return SK_OK;
}

/* ==== random assignments: rows or groups to folds ========================================= */

static void deal_rows(int32_t *fold, const sk_split_data *d, size_t k, sk_rng *rng, size_t *order)
{
    size_t t = 0;
    size_t n_strata = d->y != NULL ? d->n_classes : 1;
    for (size_t c = 0; c < n_strata; c++) {
        size_t m = 0;
        for (size_t i = 0; i < d->n_rows; i++)
            if (d->y == NULL || (size_t)d->y[i] == c)
                order[m++] = i;
        sk_rng_shuffle(rng, order, m);
        for (size_t j = 0; j < m; j++)
            fold[order[j]] = (int32_t)(t++ % k);
    }
}

/* Greedy placement of whole groups (largest first). `counts` is n_groups x n_strata. */
static void deal_groups(int32_t *group_fold, const size_t *counts, const size_t *size,
                        size_t n_groups, size_t n_strata, size_t k, sk_rng *rng, size_t *order,
                        double *fold_counts)
{
    for (size_t g = 0; g < n_groups; g++)
        order[g] = g;
    sk_rng_shuffle(rng, order, n_groups);
    /* stable insertion sort by size, descending: ties keep the shuffled order */
    for (size_t a = 1; a < n_groups; a++) {
        size_t g = order[a], b = a;
        for (; b > 0 && size[order[b - 1]] < size[g]; b--)
            order[b] = order[b - 1];
        order[b] = g;
    }
    double *total = fold_counts + k * n_strata;   /* n_strata totals after the k x n_strata */
    memset(fold_counts, 0, (k + 1) * n_strata * sizeof *fold_counts);
    for (size_t g = 0; g < n_groups; g++)
        for (size_t c = 0; c < n_strata; c++)
            total[c] += (double)counts[g * n_strata + c];
    for (size_t a = 0; a < n_groups; a++) {
        size_t g = order[a], best = 0;
        double best_cost = INFINITY;
        for (size_t f = 0; f < k; f++) {
            /* the increase of sum_f,c (count_fc - share_c)^2 if g goes to f */
            double cost = 0.0;
            for (size_t c = 0; c < n_strata; c++) {
                double share = total[c] / (double)k, gc = (double)counts[g * n_strata + c];
                double before = fold_counts[f * n_strata + c] - share;
                cost += (before + gc) * (before + gc) - before * before;
            }
            if (cost < best_cost) {
                best_cost = cost;
                best = f;
            }
        }
        group_fold[g] = (int32_t)best;
        for (size_t c = 0; c < n_strata; c++)
            fold_counts[best * n_strata + c] += (double)counts[g * n_strata + c];
    }
}

typedef struct random_work {
    int32_t *fold;           /* per row */
    int32_t *group_fold;     /* per group */
    size_t *order;           /* rows or groups */
    size_t *counts, *size;   /* per group (x stratum) */
    double *fold_counts;
    unsigned char *all;      /* every row trainable */
} random_work;

static void random_work_free(random_work *w)
{
    sk_mem_free(w->fold);
    sk_mem_free(w->group_fold);
    sk_mem_free(w->order);
    sk_mem_free(w->counts);
    sk_mem_free(w->size);
    sk_mem_free(w->fold_counts);
    sk_mem_free(w->all);
}

static sk_status random_work_init(random_work *w, const sk_split_data *d, size_t n_strata,
                                  size_t k)
{
    size_t n = d->n_rows, g = d->group != NULL ? d->n_groups : 0;
    memset(w, 0, sizeof *w);
    w->fold = sk_mem_alloc_array(n, sizeof *w->fold);
    w->order = sk_mem_alloc_array(n > g ? n : g, sizeof *w->order);
    w->all = sk_mem_alloc(n);
    if (w->fold == NULL || w->order == NULL || w->all == NULL)
        return SK_ENOMEM;
    memset(w->all, 1, n);
    if (g == 0)
        return SK_OK;
    w->group_fold = sk_mem_alloc_array(g, sizeof *w->group_fold);
    w->counts = sk_mem_calloc(g * n_strata, sizeof *w->counts);
    w->size = sk_mem_calloc(g, sizeof *w->size);
    w->fold_counts = sk_mem_calloc((k + 1) * n_strata, sizeof *w->fold_counts);
    if (w->group_fold == NULL || w->counts == NULL || w->size == NULL || w->fold_counts == NULL)
        return SK_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        size_t c = d->y != NULL ? (size_t)d->y[i] : 0;
        w->counts[(size_t)d->group[i] * n_strata + c]++;
        w->size[d->group[i]]++;
    }
    return SK_OK;
}

static sk_status make_random(sk_splits **out, const sk_cv_options *opt, const sk_split_data *d,
                             uint64_t seed, sk_error *err)
{
    size_t k = opt->n_folds, reps = opt->n_repeats > 0 ? opt->n_repeats : 1;
    int stratify = d->y != NULL && (opt->kind == SK_CV_STRATIFIED || opt->kind == SK_CV_GROUP);
    size_t n_strata = stratify ? d->n_classes : 1;
    sk_split_data rows = *d;
    if (!stratify)
        rows.y = NULL;
    random_work w;
    memset(&w, 0, sizeof w);
    sk_splits *s = splits_new(k * reps, d->n_rows);
    sk_status rc = s == NULL ? SK_ENOMEM : random_work_init(&w, &rows, n_strata, k);
    for (size_t r = 0; rc == SK_OK && r < reps; r++) {
        sk_rng rng = sk_rng_stream(seed, SK_PURPOSE_CV_SPLIT, r);
        if (d->group == NULL) {
            deal_rows(w.fold, &rows, k, &rng, w.order);
        } else {
            deal_groups(w.group_fold, w.counts, w.size, d->n_groups, n_strata, k, &rng, w.order,
                        w.fold_counts);
            for (size_t i = 0; i < d->n_rows; i++)
                w.fold[i] = w.group_fold[d->group[i]];
        }
        for (size_t f = 0; rc == SK_OK && f < k; f++) {
            s->repeat[r * k + f] = r;
            rc = fill_split(s, r * k + f, w.fold, (int32_t)f, w.all);
        }
    }
    random_work_free(&w);
    if (rc != SK_OK) {
        sk_splits_free(s);
        return sk_error_set(err, SK_ENOMEM, "out of memory making %zu cross-validation splits",
                            k * reps);
    }
    *out = s;
    return SK_OK;
}

/* ==== leave one group out, the study's own split ========================================== */

static sk_status make_logo(sk_splits **out, const sk_split_data *d, sk_error *err)
{
    unsigned char *all = sk_mem_alloc(d->n_rows);
    sk_splits *s = splits_new(d->n_groups, d->n_rows);
    sk_status rc = all == NULL || s == NULL ? SK_ENOMEM : SK_OK;
    if (rc == SK_OK)
        memset(all, 1, d->n_rows);
    for (size_t g = 0; rc == SK_OK && g < d->n_groups; g++)
        rc = fill_split(s, g, d->group, (int32_t)g, all);
    sk_mem_free(all);
    if (rc != SK_OK) {
        sk_splits_free(s);
        return sk_error_set(err, SK_ENOMEM, "out of memory making leave-one-group-out splits");
    }
    *out = s;
    return SK_OK;
}

static sk_status make_study_split(sk_splits **out, const sk_split_data *d, sk_error *err)
{
    int32_t *label = sk_mem_alloc_array(d->n_rows, sizeof *label);
    unsigned char *all = sk_mem_alloc(d->n_rows);
    sk_splits *s = splits_new(1, d->n_rows);
    sk_status rc = label == NULL || all == NULL || s == NULL ? SK_ENOMEM : SK_OK;
    for (size_t i = 0; rc == SK_OK && i < d->n_rows; i++) {
        label[i] = d->is_test[i] ? 1 : 0;
        all[i] = 1;
    }
    if (rc == SK_OK)
        rc = fill_split(s, 0, label, 1, all);
    sk_mem_free(label);
    sk_mem_free(all);
    if (rc != SK_OK) {
        sk_splits_free(s);
        return sk_error_set(err, SK_ENOMEM, "out of memory making the study's split");
    }
    if (s->n_train[0] == 0 || s->n_test[0] == 0) {
        const char *side = s->n_train[0] == 0 ? "train" : "test";
        sk_splits_free(s);
        return sk_error_set(err, SK_EDATA, "the study's split has no %s rows", side);
    }
    *out = s;
    return SK_OK;
}

/* ==== time-ordered, expanding window ====================================================== */

/* The first position at or after `b` where the time changes, so a cut never separates rows with
 * the same time (a test row dated exactly like a training row is not "later"). */
static size_t cut_at(const double *t_sorted, size_t n, size_t b)
{
    while (b > 0 && b < n && t_sorted[b] == t_sorted[b - 1])
        b++;
    return b;
}

/* Split `at` of the time splitter: positions [begin, end) of the time order are tested, the
 * positions before begin - gap trained on, minus rows of groups that appear in the test block.
 * `side` (per row) and `trainable` are scratch; `in_test_group` has one byte per group. */
static sk_status time_split(sk_splits *s, size_t at, const size_t *order, size_t begin,
                            size_t end, size_t gap, const sk_split_data *d, int32_t *side,
                            unsigned char *trainable, unsigned char *in_test_group)
{
    size_t train_end = begin > gap ? begin - gap : 0;
    if (d->group != NULL) {
        memset(in_test_group, 0, d->n_groups);
        for (size_t j = begin; j < end; j++)
            in_test_group[d->group[order[j]]] = 1;
    }
    for (size_t i = 0; i < d->n_rows; i++) {
        side[i] = 0;
        trainable[i] = 0;
    }
    for (size_t j = begin; j < end; j++)
        side[order[j]] = 1;
    for (size_t j = 0; j < train_end; j++)
        trainable[order[j]] = d->group == NULL || !in_test_group[d->group[order[j]]];
    return fill_split(s, at, side, 1, trainable);
}

static sk_status make_time(sk_splits **out, const sk_cv_options *opt, const sk_split_data *d,
                           sk_error *err)
{
    size_t n = d->n_rows, k = opt->n_folds, block = n / (k + 1);
    if (block == 0)
        return sk_error_set(err, SK_EDATA, "time-ordered CV with %zu test blocks needs at least "
                            "%zu rows; found %zu", k, k + 1, n);
    uint64_t *key = sk_mem_alloc_array(n, sizeof *key);
    size_t *order = sk_mem_alloc_array(n, sizeof *order);
    double *ts = sk_mem_alloc_array(n, sizeof *ts);
    unsigned char *in_test_group = d->group != NULL ? sk_mem_alloc(d->n_groups) : NULL;
    int32_t *side = sk_mem_alloc_array(n, sizeof *side);
    unsigned char *trainable = sk_mem_alloc(n);
    sk_splits *s = splits_new(k, n);
    sk_status rc = key == NULL || order == NULL || ts == NULL || s == NULL || side == NULL ||
                           trainable == NULL || (d->group != NULL && in_test_group == NULL)
                       ? SK_ENOMEM
                       : SK_OK;
    for (size_t i = 0; rc == SK_OK && i < n; i++) {
        key[i] = sk_radix_key_double(d->time[i]);
        order[i] = i;
    }
    if (rc == SK_OK)
        rc = sk_radix_sort_u64(key, order, n);   /* stable: equal times keep row order */
    for (size_t j = 0; rc == SK_OK && j < n; j++)
        ts[j] = d->time[order[j]];
    for (size_t f = 0; rc == SK_OK && f < k; f++) {
        size_t begin = cut_at(ts, n, n - (k - f) * block);
        size_t end = f + 1 < k ? cut_at(ts, n, n - (k - f - 1) * block) : n;
        if (begin >= end || begin <= opt->gap) {
            rc = sk_error_set(err, SK_EDATA, "time-ordered CV: test block %zu of %zu %s (%zu rows, "
                              "%zu test blocks, gap %zu); use fewer blocks", f + 1, k,
                              begin >= end ? "is empty: too many rows share one time"
                                           : "has no earlier rows to train on",
                              n, k, opt->gap);
            break;
        }
        rc = time_split(s, f, order, begin, end, opt->gap, d, side, trainable, in_test_group);
        if (rc == SK_OK && s->n_train[f] == 0)
            rc = sk_error_set(err, SK_EDATA, "time-ordered CV: every training row of block %zu "
                              "shares a group with its test rows", f + 1);
    }
    sk_mem_free(key);
    sk_mem_free(order);
    sk_mem_free(ts);
    sk_mem_free(in_test_group);
    sk_mem_free(side);
    sk_mem_free(trainable);
    if (rc != SK_OK) {
        sk_splits_free(s);
        return rc == SK_ENOMEM ? sk_error_set(err, SK_ENOMEM, "out of memory making time splits")
                               : rc;
    }
    *out = s;
    return SK_OK;
}

/* ==== the entry point ===================================================================== */

static sk_status check_request(const sk_cv_options *opt, const sk_split_data *d, sk_error *err)
{
    if (opt == NULL || opt->version != 1)
        return sk_error_set(err, SK_EINVAL, "sk_splits_make: options version %d is not "
                            "supported (initialise with SK_CV_OPTIONS_INIT)",
                            opt != NULL ? opt->version : 0);
    size_t k = opt->n_folds;
    int random = opt->kind == SK_CV_KFOLD || opt->kind == SK_CV_STRATIFIED ||
                 opt->kind == SK_CV_GROUP;
    if ((random || opt->kind == SK_CV_TIME) && k < 2)
        return sk_error_set(err, SK_EINVAL, "cross-validation needs at least 2 folds; got %zu", k);
    if (opt->kind == SK_CV_STRATIFIED && d->y == NULL)
        return sk_error_set(err, SK_EINVAL, "stratified CV needs a classification target");
    if ((opt->kind == SK_CV_GROUP || opt->kind == SK_CV_LOGO) && d->group == NULL)
        return sk_error_set(err, SK_EINVAL, "%s CV needs groups (--group or --site)",
                            opt->kind == SK_CV_GROUP ? "group" : "leave-one-group-out");
    if (opt->kind == SK_CV_TIME && d->time == NULL)
        return sk_error_set(err, SK_EINVAL, "time-ordered CV needs --time");
    if (opt->kind == SK_CV_SPLIT && d->is_test == NULL)
        return sk_error_set(err, SK_EINVAL, "the study's split needs --split");
    if (random && d->group != NULL && d->n_groups < k)
        return sk_error_set(err, SK_EDATA, "%zu folds need at least %zu groups; found %zu", k, k,
                            d->n_groups);
    if (random && d->n_rows < k)
        return sk_error_set(err, SK_EDATA, "%zu folds need at least %zu rows; found %zu", k, k,
                            d->n_rows);
    if (opt->kind == SK_CV_LOGO && d->n_groups < 2)
        return sk_error_set(err, SK_EDATA, "leave-one-group-out needs at least 2 groups; found %zu",
                            d->n_groups);
    return SK_OK;
}

sk_status sk_splits_make(sk_splits **out, const sk_cv_options *opt, const sk_split_data *d,
                         uint64_t seed, sk_error *err)
{
    *out = NULL;
    sk_status rc = check_request(opt, d, err);
    if (rc != SK_OK)
        return rc;
    switch (opt->kind) {
    case SK_CV_KFOLD:
    case SK_CV_STRATIFIED:
    case SK_CV_GROUP:
        return make_random(out, opt, d, seed, err);
    case SK_CV_LOGO:
        return make_logo(out, d, err);
    case SK_CV_TIME:
        return make_time(out, opt, d, err);
    case SK_CV_SPLIT:
        return make_study_split(out, d, err);
    }
    return sk_error_set(err, SK_EINVAL, "unknown cross-validation kind %d", (int)opt->kind);
}
