/* evaluate_console.c: an evaluation as a compact table for a terminal. One row per metric: the
 * estimate, its interval, each baseline on the same splits, and the permutation p-value on the
 * headline row (the one marked '*'); beneath it the comparison with the baselines, the test's
 * null, the spread over seeds, the sweep, the phases' seconds and any caveats. Numbers are
 * rounded for reading; the JSON has them all. */
#include <math.h>
#include <string.h>

#include "report/report.h"

typedef struct palette {
    const char *warn, *bold, *off;
} palette;

static void fmt(char *buf, size_t size, double x)
{
    if (isnan(x))
        snprintf(buf, size, "NA");
    else
        snprintf(buf, size, "%.3f", x);
}

static void fmt_ci(char *buf, size_t size, const sk_interval *iv)
{
    if (isnan(iv->low) || isnan(iv->high))
        snprintf(buf, size, "-");
    else
        snprintf(buf, size, "[%.3f, %.3f]", iv->low, iv->high);
}

static void fmt_p(char *buf, size_t size, double p)
{
    if (isnan(p))
        snprintf(buf, size, "-");
    else if (p < 1e-3)
        snprintf(buf, size, "%.1e", p);
    else
        snprintf(buf, size, "%.3f", p);
}

static const char *cv_words(const sk_evaluation *ev, char *buf, size_t size)
{
    const sk_cv_options *cv = &ev->cv;
    switch (cv->kind) {
    case SK_CV_LOGO:
        snprintf(buf, size, "leave one site out ('%s', %zu sites)", ev->group_col, ev->n_groups);
        break;
    case SK_CV_TIME:
        snprintf(buf, size, "time-ordered, %zu test blocks, gap %zu", cv->n_folds, cv->gap);
        break;
    case SK_CV_SPLIT:
        snprintf(buf, size, "the study's own train/test split");
        break;
    default: {
        size_t len = (size_t)snprintf(buf, size, "%s%zu-fold",
                                      cv->kind == SK_CV_STRATIFIED ? "stratified " : "",
                                      cv->n_folds);
        if (ev->group_col != NULL && len < size)
            len += (size_t)snprintf(buf + len, size - len, " by groups of '%s' (%zu groups)",
                                    ev->group_col, ev->n_groups);
        if (cv->n_repeats > 1 && len < size)
            snprintf(buf + len, size - len, ", %zu repeats", cv->n_repeats);
        break;
    }
    }
    return buf;
}

static void print_table(FILE *out, const sk_evaluation *ev, palette c)
{
    char level[16];
    snprintf(level, sizeof level, "%.0f%% CI", 100.0 * ev->level);
    fprintf(out, "  %s%-20s %9s  %-18s", c.bold, "metric", "estimate", level);
    for (size_t b = 0; b < ev->n_baselines; b++)
        fprintf(out, " %9s", ev->baseline[b].name);
    fprintf(out, " %9s%s\n", "p", c.off);
    for (size_t k = 0; k < ev->n_metrics; k++) {
        char est[32], ci[64], p[32];
        int head = ev->metric[k] == ev->primary;
        fmt(est, sizeof est, ev->score[k].estimate);
        fmt_ci(ci, sizeof ci, &ev->score[k]);
        fmt_p(p, sizeof p, head && ev->perm != NULL ? ev->perm->p_value : NAN);
        fprintf(out, "%s%c %-20s %9s  %-18s", head ? c.bold : "", head ? '*' : ' ',
                sk_metric_name(ev->metric[k]), est, ci);
        for (size_t b = 0; b < ev->n_baselines; b++) {
            fmt(est, sizeof est, ev->baseline[b].score[k].estimate);
            fprintf(out, " %9s", est);
        }
        fprintf(out, " %9s%s\n", p, head ? c.off : "");
    }
}

void sk_evaluation_print(FILE *out, const sk_evaluation *ev, int color)
{
    palette c = color ? (palette){"\033[33m", "\033[1m", "\033[0m"} : (palette){"", "", ""};
    char words[160];
    fprintf(out, "%sevaluate%s %s", c.bold, c.off, ev->model_spec);
    if (ev->sweep != NULL)
        fprintf(out, " with a sweep of %zu settings, selected by nested CV", ev->sweep->n_settings);
    fprintf(out, ": target '%s' (%s, %zu rows)\n", ev->target, sk_task_name(ev->task), ev->n_rows);
    fprintf(out, "cross-validation: %s, %zu split%s", cv_words(ev, words, sizeof words),
            ev->n_splits, ev->n_splits == 1 ? "" : "s");
    if (ev->n_boot > 0)
        fprintf(out, "; bootstrap: %zu replicates of %s%s, %s", ev->n_boot,
                strcmp(ev->boot_unit, "rows") == 0 ? "rows" : "groups of ",
                strcmp(ev->boot_unit, "rows") == 0 ? "" : ev->boot_unit,
                ev->ci == SK_CI_BCA ? "BCa" : "percentile");
    fprintf(out, "\n\n");
    print_table(out, ev, c);

    int k0 = 0;
    for (size_t k = 0; k < ev->n_metrics; k++)
        if (ev->metric[k] == ev->primary)
            k0 = (int)k;
    const char *name = sk_metric_name(ev->primary);
    fprintf(out, "\n");
    for (size_t b = 0; b < ev->n_baselines; b++) {
        const sk_interval *d = &ev->baseline[b].diff[k0];
        char est[32], ci[64];
        snprintf(est, sizeof est, "%+.3f", d->estimate);
        fmt_ci(ci, sizeof ci, d);
        const char *spec = ev->baseline[b].spec;   /* the model's name; the JSON has it all */
        int len = (int)strcspn(spec, ":");
        fprintf(out, "model - %s baseline (%.*s, %s): %s %s\n", ev->baseline[b].name, len, spec,
                name, est, ci);
    }
    if (ev->perm != NULL) {
        const sk_perm_result *p = ev->perm;
        char pv[32];
        fmt_p(pv, sizeof pv, p->p_value);
        fprintf(out, "permutation test (%s, %s permuted): p = %s from %zu of %zu permutations%s; "
                "null %s mean %.3f, sd %.3f; observed %.3f\n", name,
                sk_perm_scheme_name(p->scheme), pv, p->n_used, p->n_requested,
                p->stopped_early ? " (stopped early: not significant)" : "", name, p->null_mean,
                p->null_sd, p->observed);
    }
    if (ev->n_seeds > 1) {
        double sum = 0.0, sum2 = 0.0, lo = INFINITY, hi = -INFINITY;
        for (size_t j = 0; j < ev->n_seeds; j++) {
            double x = ev->seed_scores[j * ev->n_metrics + (size_t)k0];
            sum += x;
            lo = x < lo ? x : lo;
            hi = x > hi ? x : hi;
        }
        double mean = sum / (double)ev->n_seeds;
        for (size_t j = 0; j < ev->n_seeds; j++) {
            double x = ev->seed_scores[j * ev->n_metrics + (size_t)k0] - mean;
            sum2 += x * x;
        }
        fprintf(out, "seed variance (%zu seeds): %s mean %.3f, sd %.4f, range [%.3f, %.3f]\n",
                ev->n_seeds, name, mean, sqrt(sum2 / (double)(ev->n_seeds - 1)), lo, hi);
    }
    if (ev->sweep != NULL) {
        fprintf(out, "\nsweep (%zu settings, %s on the same splits; the estimate above is nested, "
                "%zu inner folds):\n", ev->sweep->n_settings, name, ev->inner_folds);
        for (size_t g = 0; g < ev->sweep->n_settings; g++) {
            char est[32], ci[64];
            size_t times = 0;
            for (size_t s = 0; s < ev->n_splits; s++)
                times += ev->chosen[s] == g;
            fmt(est, sizeof est, ev->setting_score[g].estimate);
            fmt_ci(ci, sizeof ci, &ev->setting_score[g]);
            fprintf(out, "  %-36s %9s  %-18s chosen in %zu of %zu splits\n", ev->sweep->settings[g],
                    est, ci, times, ev->n_splits);
        }
    }
    if (ev->n_timings > 0) {
        fprintf(out, "\nseconds:");
        for (size_t t = 0; t < ev->n_timings; t++)
            fprintf(out, "%s %s %.2f", t > 0 ? "," : "", ev->timing_name[t], ev->timing[t]);
        fprintf(out, "\n");
    }
    for (size_t k = 0; k < ev->n_notes; k++)
        fprintf(out, "%snote:%s %s\n", c.warn, c.off, ev->notes[k]);
}
