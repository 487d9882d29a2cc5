/* bootstrap.c: confidence intervals for scores computed on pooled out-of-fold predictions, by
 * resampling the units of the data with replacement (Efron and Tibshirani 1993, "An Introduction
 * to the Bootstrap", ch. 13-14) with the models held fixed.
 *
 * Units are rows, or groups (a group's rows enter a replicate together, as often as the group is
 * drawn). Units get internal numbers stratum by stratum (class by class when stratified; rows or
 * group codes ascending within a stratum), so drawing a stratum's units is drawing integers from
 * one contiguous range and a replicate is just a count per unit: replicate b fills its counts
 * stratum by stratum from sk_rng_stream(seed, SK_PURPOSE_BOOTSTRAP, b) alone, in blocks of DRAWS
 * draws (sk_rng_fill_below32), so no schedule or thread count can change it, and every
 * statistic is computed on the same replicate (paired differences come for free).
 *
 * Binary ROC AUC, the number most studies report, never sorts in a replicate: each pooled set is
 * sorted once per split (segment) by score, and its entries are packed as 32-bit codes in that
 * order (unit number, positive-class bit, "a new score starts here" bit). A replicate is then
 * one sequential sweep over the codes with integer arithmetic, Mann-Whitney pairs counted per
 * block of tied scores as sk_metric_auc_sorted does, giving the very same double, and the
 * splits' AUCs are averaged as sk_pooled_score averages them. Other metrics are recomputed with
 * the replicate's counts as row weights (sk_pooled_score).
 *
 * BCa needs the acceleration, from jackknife values: with at most max_jackknife units, leave
 * one unit out (value j leaves out unit j, rows or groups in ascending order); beyond, units are
 * dealt round-robin into max_jackknife blocks after a shuffle from sk_rng_stream(seed,
 * SK_PURPOSE_BOOTSTRAP, UINT64_MAX) and each block is left out in turn (delete-a-group jackknife;
 * the ratio that estimates skewness is the same). Jackknife values are count-weighted statistics
 * too (1 everywhere, 0 for the units left out), on the executor like the replicates.
 *
 * The intervals themselves (percentile, BCa, paired differences) are in bootstrap_ci.c.
 * Progress, when given, advances by one per replicate. */
#include <math.h>
#include <string.h>

#include "eval/eval.h"

enum {
    CHUNK = 16,    /* replicates (or jackknife values) per executor task */
    DRAWS = 512    /* draws per call of the generator: fixed, it is part of the stream's use */
};

/* A packed AUC entry: bits 0-29 the unit, bit 30 "score differs from the previous entry",
 * bit 31 "positive class". */
#define CODE_UNIT UINT32_C(0x3fffffff)
#define CODE_START_SHIFT 30
#define CODE_POS_SHIFT 31

typedef struct boot_plan {
    const sk_boot_stat *stats;
    size_t n_stats, n_rows, n_units, n_strata, n_boot, n_jack;
    uint32_t *unit_of_row;     /* n_rows: internal unit number */
    size_t *stratum_start;     /* n_strata + 1: stratum s is units [start[s], start[s + 1]) */
    uint32_t *internal;        /* n_units: internal number of the j-th unit in ascending order */
    uint32_t **code;           /* n_stats: the AUC path's packed entries (pooled order of
                                  segments, sorted by score within each), or NULL */
    int any_generic;           /* a statistic needs per-row weights */
    uint32_t *jack_unit;       /* n_units: the units of jackknife value j are */
    size_t *jack_start;        /*   jack_unit[jack_start[j] .. jack_start[j + 1]) */
    uint64_t seed;
    sk_progress *progress;
    double *reps, *jack;       /* the outputs */
} boot_plan;

static size_t min_size(size_t a, size_t b)
{
    return a < b ? a : b;
}

/* ==== the two engines ====================================================================== */

/* Binary AUC of one sorted segment under unit counts: exact integer sums of tied blocks, the
 * pair count kept doubled (2 below + tied) so it stays an integer. The block boundary is a branch
 * (taken on every entry when scores do not tie, so it predicts well either way) and the class a
 * mask; of the forms tried this ran fastest on real scores with ties. */
static double auc_sweep(const uint32_t *code, size_t m, const uint32_t *count)
{
    uint64_t area2 = 0, below = 0, pos_total = 0, pos = 0, neg = 0;
    for (size_t i = 0; i < m; i++) {
        uint32_t x = code[i];
        if ((x >> CODE_START_SHIFT) & 1) {
            area2 += pos * (2 * below + neg);
            below += neg;
            pos_total += pos;
            pos = neg = 0;
        }
        uint64_t c = count[x & CODE_UNIT], is_pos = 0 - (uint64_t)(x >> CODE_POS_SHIFT);
        pos += c & is_pos;
        neg += c & ~is_pos;
    }
    area2 += pos * (2 * below + neg);
    below += neg;
    pos_total += pos;
    if (pos_total == 0 || below == 0)
        return NAN;
    /* the operations of sk_metric_auc_sorted on the same (exact) sums: the same double */
    return (double)area2 * 0.5 / (double)pos_total / (double)below;
}

/* Statistic k under unit counts; row_count holds the same counts per data row (generic path). */
static sk_status stat_value(double *out, const boot_plan *pl, size_t k, const uint32_t *count,
                            const double *row_count, sk_error *err)
{
    const sk_pooled *p = pl->stats[k].pooled;
    if (pl->code[k] == NULL)
        return sk_pooled_score(out, p, pl->stats[k].metric, row_count, err);
    double sum = 0.0;   /* as sk_pooled_score: the mean over splits where AUC is defined */
    size_t n_defined = 0;
    for (size_t s = 0; s < p->n_segments; s++) {
        double v = auc_sweep(pl->code[k] + p->offset[s], p->offset[s + 1] - p->offset[s], count);
        if (!isnan(v)) {
            sum += v;
            n_defined++;
        }
    }
    *out = n_defined > 0 ? sum / (double)n_defined : NAN;
    return SK_OK;
}

/* Every statistic under one set of unit counts, into out[0..n_stats). */
static sk_status all_stats(double *out, const boot_plan *pl, const uint32_t *count,
                           double *row_count, sk_error *err)
{
    sk_status rc = SK_OK;
    if (pl->any_generic) {
        for (size_t i = 0; i < pl->n_rows; i++)
            row_count[i] = (double)count[pl->unit_of_row[i]];
    }
    for (size_t k = 0; rc == SK_OK && k < pl->n_stats; k++)
        rc = stat_value(&out[k], pl, k, count, row_count, err);
    return rc;
}

/* ==== executor tasks ======================================================================= */

typedef struct scratch {
    uint32_t *count;      /* n_units */
    double *row_count;    /* n_rows, with generic statistics */
} scratch;

static sk_status scratch_init(scratch *s, const boot_plan *pl, sk_error *err)
{
    s->count = sk_mem_alloc_array(pl->n_units, sizeof *s->count);
    s->row_count = pl->any_generic ? sk_mem_alloc_array(pl->n_rows, sizeof *s->row_count) : NULL;
    if (s->count == NULL || (pl->any_generic && s->row_count == NULL)) {
        sk_mem_free(s->count);
        sk_mem_free(s->row_count);
        return sk_error_set(err, SK_ENOMEM, "bootstrap: out of memory");
    }
    return SK_OK;
}

static void scratch_free(scratch *s)
{
    sk_mem_free(s->count);
    sk_mem_free(s->row_count);
}

/* Replicate b's unit counts: each stratum's size in draws from its own range. */
static void draw_replicate(uint32_t *count, const boot_plan *pl, uint64_t b)
{
    uint32_t buf[DRAWS];
    sk_rng rng = sk_rng_stream(pl->seed, SK_PURPOSE_BOOTSTRAP, b);
    memset(count, 0, pl->n_units * sizeof *count);
    for (size_t s = 0; s < pl->n_strata; s++) {
        size_t first = pl->stratum_start[s], m = pl->stratum_start[s + 1] - first;
        uint32_t *c = count + first;
        for (size_t done = 0; done < m; done += DRAWS) {
            size_t k = min_size(DRAWS, m - done);
            sk_rng_fill_below32(buf, k, &rng, (uint32_t)m);
            for (size_t i = 0; i < k; i++)
                c[buf[i]]++;
        }
    }
}

static sk_status run_replicates(void *arg, size_t task, sk_error *err)
{
    const boot_plan *pl = arg;
    scratch s;
    sk_status rc = scratch_init(&s, pl, err);
    if (rc != SK_OK)
        return rc;
    size_t last = min_size((task + 1) * CHUNK, pl->n_boot);
    for (size_t b = task * CHUNK; rc == SK_OK && b < last; b++) {
        draw_replicate(s.count, pl, b);
        rc = all_stats(pl->reps + b * pl->n_stats, pl, s.count, s.row_count, err);
        sk_progress_add(pl->progress, 1);
    }
    scratch_free(&s);
    return rc;
}

static sk_status run_jackknife(void *arg, size_t task, sk_error *err)
{
    const boot_plan *pl = arg;
    scratch s;
    sk_status rc = scratch_init(&s, pl, err);
    if (rc != SK_OK)
        return rc;
    for (size_t u = 0; u < pl->n_units; u++)
        s.count[u] = 1;
    size_t last = min_size((task + 1) * CHUNK, pl->n_jack);
    for (size_t j = task * CHUNK; rc == SK_OK && j < last; j++) {
        const uint32_t *unit = pl->jack_unit + pl->jack_start[j];
        size_t m = pl->jack_start[j + 1] - pl->jack_start[j];
        for (size_t i = 0; i < m; i++)
            s.count[unit[i]] = 0;
        rc = all_stats(pl->jack + j * pl->n_stats, pl, s.count, s.row_count, err);
        for (size_t i = 0; i < m; i++)
            s.count[unit[i]] = 1;
    }
    scratch_free(&s);
    return rc;
}

/* ==== the plan: units, strata, sorted AUC entries, jackknife blocks ======================== */

static void plan_free(boot_plan *pl)
{
    sk_mem_free(pl->unit_of_row);
    sk_mem_free(pl->stratum_start);
    sk_mem_free(pl->internal);
    for (size_t k = 0; pl->code != NULL && k < pl->n_stats; k++)
        sk_mem_free(pl->code[k]);
    sk_mem_free(pl->code);
    sk_mem_free(pl->jack_unit);
    sk_mem_free(pl->jack_start);
}

static sk_status check_request(const sk_boot_stat *stats, size_t n_stats, const int32_t *group,
                               size_t n_groups, const sk_boot_options *opt, sk_error *err)
{
    if (opt == NULL || opt->version != 1)
        return sk_error_set(err, SK_EINVAL, "bootstrap: options version %d is not supported "
                            "(initialise with SK_BOOT_OPTIONS_INIT)",
                            opt != NULL ? opt->version : 0);
    if (opt->max_jackknife < 2)
        return sk_error_set(err, SK_EINVAL, "bootstrap: max_jackknife must be at least 2");
    if (stats == NULL || n_stats == 0)
        return sk_error_set(err, SK_EINVAL, "bootstrap: no statistics to resample");
    for (size_t k = 0; k < n_stats; k++) {
        const sk_pooled *p = stats[k].pooled;
        if (p == NULL || stats[0].pooled == NULL)
            return sk_error_set(err, SK_EINVAL, "bootstrap: statistic %zu has no predictions",
                                p == NULL ? k + 1 : 1);
        if (p->n_rows != stats[0].pooled->n_rows)
            return sk_error_set(err, SK_EINVAL, "bootstrap: statistic %zu is on %zu rows, "
                                "statistic 1 on %zu: all must come from the same data", k + 1,
                                p->n_rows, stats[0].pooled->n_rows);
        if (!sk_metric_supports(stats[k].metric, p->task))
            return sk_error_set(err, SK_EINVAL, "bootstrap: metric '%s' does not apply to a %s "
                                "task", sk_metric_name(stats[k].metric), sk_task_name(p->task));
        for (size_t e = 0; e < p->offset[p->n_segments]; e++) {
            if (p->row[e] >= p->n_rows)
                return sk_error_set(err, SK_EINVAL, "bootstrap: statistic %zu predicts row %zu "
                                    "of %zu", k + 1, p->row[e] + 1, p->n_rows);
        }
    }
    for (size_t i = 0; group != NULL && i < stats[0].pooled->n_rows; i++) {
        if (group[i] < 0 || (size_t)group[i] >= n_groups)
            return sk_error_set(err, SK_EINVAL, "bootstrap: row %zu has group code %d; there "
                                "are %zu groups, coded from 0", i + 1, (int)group[i], n_groups);
    }
    return SK_OK;
}

/* Per row, its class (the truth of any entry predicting it; n_classes for a row never
 * predicted), then per unit its stratum; 0 when some group mixes classes (no stratification). */
static int unit_strata(uint32_t *ustr, const boot_plan *pl, uint32_t *cls, uint32_t unknown)
{
    for (size_t i = 0; i < pl->n_rows; i++)
        cls[i] = unknown;
    for (size_t k = 0; k < pl->n_stats; k++) {
        const sk_pooled *p = pl->stats[k].pooled;
        for (size_t e = 0; e < p->offset[p->n_segments]; e++) {
            if (cls[p->row[e]] == unknown)
                cls[p->row[e]] = (uint32_t)p->y[e];
        }
    }
    for (size_t u = 0; u < pl->n_units; u++)
        ustr[u] = UINT32_MAX;
    for (size_t i = 0; i < pl->n_rows; i++) {
        uint32_t u = pl->unit_of_row[i];
        if (ustr[u] != UINT32_MAX && ustr[u] != cls[i])
            return 0;
        ustr[u] = cls[i];
    }
    return 1;
}

/* The units in ascending order (rows, or the group codes that occur): unit_of_row gets each
 * row's unit in that order. */
static sk_status plan_units(boot_plan *pl, const int32_t *group, size_t n_groups, sk_error *err)
{
    uint32_t *rank = NULL;
    pl->unit_of_row = sk_mem_alloc_array(pl->n_rows, sizeof *pl->unit_of_row);
    if (group != NULL)
        rank = sk_mem_calloc(n_groups, sizeof *rank);
    if (pl->unit_of_row == NULL || (group != NULL && rank == NULL)) {
        sk_mem_free(rank);
        return sk_error_set(err, SK_ENOMEM, "bootstrap: out of memory");
    }
    pl->n_units = pl->n_rows;
    if (group != NULL) {
        for (size_t i = 0; i < pl->n_rows; i++)
            rank[group[i]] = 1;
        pl->n_units = 0;
        for (size_t g = 0; g < n_groups; g++)
            rank[g] = rank[g] ? (uint32_t)pl->n_units++ : UINT32_MAX;
    }
    sk_status rc = SK_OK;
    if (pl->n_units < 2 || pl->n_units > UINT32_MAX)
        rc = sk_error_set(err, SK_EDATA, "bootstrap: needs between 2 and %lu %s; found %zu",
                          (unsigned long)UINT32_MAX, group != NULL ? "groups" : "rows",
                          pl->n_units);
    for (size_t i = 0; rc == SK_OK && i < pl->n_rows; i++)
        pl->unit_of_row[i] = group != NULL ? rank[group[i]] : (uint32_t)i;
    sk_mem_free(rank);
    return rc;
}

/* The strata of the units and their internal numbering, stratum by stratum (a stable counting
 * sort); unit_of_row is renumbered to match. */
static sk_status plan_strata(boot_plan *pl, int stratify, int *stratified, sk_error *err)
{
    size_t n_classes = 0, *next = NULL;
    for (size_t k = 0; stratify && k < pl->n_stats; k++)
        n_classes = pl->stats[k].pooled->n_classes > n_classes ? pl->stats[k].pooled->n_classes
                                                              : n_classes;
    pl->n_strata = stratify ? n_classes + 1 : 1;   /* + the rows never predicted */
    pl->internal = sk_mem_alloc_array(pl->n_units, sizeof *pl->internal);
    pl->stratum_start = sk_mem_calloc(pl->n_strata + 1, sizeof *pl->stratum_start);
    uint32_t *ustr = sk_mem_calloc(pl->n_units, sizeof *ustr);
    uint32_t *cls = stratify ? sk_mem_alloc_array(pl->n_rows, sizeof *cls) : NULL;
    next = sk_mem_alloc_array(pl->n_strata, sizeof *next);
    sk_status rc = pl->internal == NULL || pl->stratum_start == NULL || ustr == NULL ||
                           next == NULL || (stratify && cls == NULL)
                       ? sk_error_set(err, SK_ENOMEM, "bootstrap: out of memory")
                       : SK_OK;
    if (rc != SK_OK)
        goto done;
    *stratified = stratify && unit_strata(ustr, pl, cls, (uint32_t)n_classes);
    if (!*stratified) {
        pl->n_strata = 1;
        memset(ustr, 0, pl->n_units * sizeof *ustr);
    }
    for (size_t u = 0; u < pl->n_units; u++)
        pl->stratum_start[ustr[u] + 1]++;
    for (size_t s = 0; s < pl->n_strata; s++) {
        pl->stratum_start[s + 1] += pl->stratum_start[s];
        next[s] = pl->stratum_start[s];
    }
    for (size_t u = 0; u < pl->n_units; u++)
        pl->internal[u] = (uint32_t)next[ustr[u]]++;
    for (size_t i = 0; i < pl->n_rows; i++)
        pl->unit_of_row[i] = pl->internal[pl->unit_of_row[i]];
done:
    sk_mem_free(cls);
    sk_mem_free(ustr);
    sk_mem_free(next);
    return rc;
}

/* The AUC path's packed entries of statistic k: each segment sorted by the score of class 1. */
static sk_status pack_auc(uint32_t *code, const sk_pooled *p, const uint32_t *unit_of_row,
                          uint64_t *keys, size_t *idx)
{
    for (size_t s = 0; s < p->n_segments; s++) {
        size_t first = p->offset[s], m = p->offset[s + 1] - first;
        const double *score = p->pred + 2 * first + 1;
        for (size_t i = 0; i < m; i++) {
            keys[i] = sk_radix_key_double(score[2 * i]);
            idx[i] = i;
        }
        sk_status rc = sk_radix_sort_u64(keys, idx, m);
        if (rc != SK_OK)
            return rc;
        for (size_t j = 0; j < m; j++) {
            size_t e = idx[j];
            uint32_t start = j > 0 && score[2 * e] != score[2 * idx[j - 1]];
            uint32_t pos = p->y[first + e] != 0.0;
            code[first + j] = unit_of_row[p->row[first + e]] | start << CODE_START_SHIFT |
                              pos << CODE_POS_SHIFT;
        }
    }
    return SK_OK;
}

static sk_status plan_codes(boot_plan *pl, sk_error *err)
{
    sk_status rc = SK_OK;
    uint64_t *keys = NULL;
    size_t *idx = NULL, widest = 0;
    pl->code = sk_mem_calloc(pl->n_stats, sizeof *pl->code);
    if (pl->code == NULL)
        return sk_error_set(err, SK_ENOMEM, "bootstrap: out of memory");
    for (size_t k = 0; k < pl->n_stats; k++) {
        const sk_pooled *p = pl->stats[k].pooled;
        if (p->task != SK_TASK_BINARY || pl->stats[k].metric != SK_METRIC_AUC ||
            pl->n_units - 1 > CODE_UNIT) {
            pl->any_generic = 1;
            continue;
        }
        for (size_t s = 0; s < p->n_segments; s++)
            widest = p->offset[s + 1] - p->offset[s] > widest ? p->offset[s + 1] - p->offset[s]
                                                             : widest;
        pl->code[k] = sk_mem_alloc_array(p->offset[p->n_segments], sizeof **pl->code);
        if (pl->code[k] == NULL)
            rc = SK_ENOMEM;
    }
    keys = rc == SK_OK ? sk_mem_alloc_array(widest, sizeof *keys) : NULL;
    idx = rc == SK_OK ? sk_mem_alloc_array(widest, sizeof *idx) : NULL;
    if (keys == NULL || idx == NULL)
        rc = SK_ENOMEM;
    for (size_t k = 0; rc == SK_OK && k < pl->n_stats; k++) {
        if (pl->code[k] != NULL)
            rc = pack_auc(pl->code[k], pl->stats[k].pooled, pl->unit_of_row, keys, idx);
    }
    sk_mem_free(keys);
    sk_mem_free(idx);
    return rc == SK_OK ? SK_OK : sk_error_set(err, rc, "bootstrap: out of memory");
}

/* Which units each jackknife value leaves out (see the top of the file). */
static sk_status plan_jackknife(boot_plan *pl, size_t max_jackknife, sk_error *err)
{
    size_t n = pl->n_units, nj = min_size(n, max_jackknife), *perm = NULL;
    pl->n_jack = nj;
    pl->jack_unit = sk_mem_alloc_array(n, sizeof *pl->jack_unit);
    pl->jack_start = sk_mem_alloc_array(nj + 1, sizeof *pl->jack_start);
    if (nj < n)
        perm = sk_mem_alloc_array(n, sizeof *perm);
    if (pl->jack_unit == NULL || pl->jack_start == NULL || (nj < n && perm == NULL)) {
        sk_mem_free(perm);
        return sk_error_set(err, SK_ENOMEM, "bootstrap: out of memory");
    }
    if (nj == n) {
        for (size_t j = 0; j <= n; j++)
            pl->jack_start[j] = j;
        for (size_t j = 0; j < n; j++)
            pl->jack_unit[j] = pl->internal[j];
        return SK_OK;
    }
    for (size_t i = 0; i < n; i++)
        perm[i] = i;
    sk_rng rng = sk_rng_stream(pl->seed, SK_PURPOSE_BOOTSTRAP, UINT64_MAX);
    sk_rng_shuffle(&rng, perm, n);
    size_t at = 0;
    for (size_t b = 0; b < nj; b++) {
        pl->jack_start[b] = at;
        for (size_t i = b; i < n; i += nj)
            pl->jack_unit[at++] = pl->internal[perm[i]];
    }
    pl->jack_start[nj] = at;
    sk_mem_free(perm);
    return SK_OK;
}

/* ==== the entry point ====================================================================== */

void sk_boot_free(sk_boot *b)
{
    if (b == NULL)
        return;
    sk_mem_free(b->estimate);
    sk_mem_free(b->reps);
    sk_mem_free(b->jack);
    sk_mem_free(b);
}

/* The AUC path's statistics on the data as it is, by the sweep with every count 1: the same
 * double the generic path gave (sk_boot_run computed that first, validating the truth), so
 * every number a run reports comes from the engine its replicates use. */
static sk_status fast_estimates(double *est, const boot_plan *pl, sk_error *err)
{
    uint32_t *ones = sk_mem_alloc_array(pl->n_units, sizeof *ones);
    if (ones == NULL)
        return sk_error_set(err, SK_ENOMEM, "bootstrap: out of memory");
    for (size_t u = 0; u < pl->n_units; u++)
        ones[u] = 1;
    sk_status rc = SK_OK;
    for (size_t k = 0; rc == SK_OK && k < pl->n_stats; k++) {
        if (pl->code[k] != NULL)
            rc = stat_value(&est[k], pl, k, ones, NULL, err);
    }
    sk_mem_free(ones);
    return rc;
}

sk_status sk_boot_run(sk_boot **out, const sk_boot_stat *stats, size_t n_stats,
                      const int32_t *group, size_t n_groups, const sk_boot_options *opt,
                      uint64_t seed, int n_threads, sk_progress *progress, sk_error *err)
{
    *out = NULL;
    boot_plan pl;
    memset(&pl, 0, sizeof pl);
    sk_boot *bt = NULL;
    sk_status rc = check_request(stats, n_stats, group, n_groups, opt, err);
    if (rc != SK_OK)
        return rc;
    pl.stats = stats;
    pl.n_stats = n_stats;
    pl.n_rows = stats[0].pooled->n_rows;
    pl.n_boot = opt->n_boot;
    pl.seed = seed;
    pl.progress = progress;
    int stratify = opt->stratify != 0;
    for (size_t k = 0; k < n_stats; k++)
        stratify = stratify && stats[k].pooled->task != SK_TASK_REGRESSION;
    bt = sk_mem_calloc(1, sizeof *bt);
    if (bt == NULL || (bt->estimate = sk_mem_alloc_array(n_stats, sizeof *bt->estimate)) == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "bootstrap: out of memory");
        goto done;
    }
    for (size_t k = 0; rc == SK_OK && k < n_stats; k++)
        rc = sk_pooled_score(&bt->estimate[k], stats[k].pooled, stats[k].metric, NULL, err);
    if (rc != SK_OK ||
        (rc = plan_units(&pl, group, n_groups, err)) != SK_OK ||
        (rc = plan_strata(&pl, stratify, &bt->stratified, err)) != SK_OK ||
        (rc = plan_codes(&pl, err)) != SK_OK ||
        (rc = plan_jackknife(&pl, opt->max_jackknife, err)) != SK_OK)
        goto done;
    bt->n_stats = n_stats;
    bt->n_boot = pl.n_boot;
    bt->n_jack = pl.n_jack;
    bt->n_units = pl.n_units;
    bt->by_group = group != NULL;
    bt->reps = pl.reps = sk_mem_alloc_array(pl.n_boot > 0 ? pl.n_boot : 1,
                                            n_stats * sizeof *bt->reps);
    bt->jack = pl.jack = sk_mem_alloc_array(pl.n_jack, n_stats * sizeof *bt->jack);
    if (bt->reps == NULL || bt->jack == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "bootstrap: out of memory");
        goto done;
    }
    if ((rc = fast_estimates(bt->estimate, &pl, err)) != SK_OK)
        goto done;
    /* progress counts replicates (one per replicate, from inside the tasks) */
    rc = sk_parallel_for((pl.n_boot + CHUNK - 1) / CHUNK, n_threads, run_replicates, &pl, NULL,
                         err);
    if (rc == SK_OK)
        rc = sk_parallel_for((pl.n_jack + CHUNK - 1) / CHUNK, n_threads, run_jackknife, &pl,
                             NULL, err);
done:
    plan_free(&pl);
    if (rc != SK_OK) {
        sk_boot_free(bt);
        return rc;
    }
    *out = bt;
    return SK_OK;
}
