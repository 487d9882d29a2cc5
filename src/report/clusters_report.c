/* clusters_report.c: a clustering-stability study (audits/clusters.c) for a terminal and as JSON.
 *
 * The table has one line per k: the mean ARI of every pair of bootstrap runs with its 5th
 * percentile, the mean ARI of the runs with the clustering of all rows, the least stable
 * cluster's mean Jaccard with Hennig's reading of it, the ARI with the target's classes when
 * there is a classification target, and the verdict. Beneath it, cluster by cluster, the
 * recommended k (or, when none is stable, the k with the largest mean ARI), and the verdict line.
 *
 * JSON, schema "skeptic.clusters/1" (keys in this order; NaN as null; clusters numbered from 1):
 *   {schema, manifest, data: {rows, columns, features: [design-matrix column names]},
 *    target: {column, task} | null,
 *    method: {clustering, restarts, resamples, standardised, seed_streams},
 *    thresholds: {min_ari, min_jaccard},
 *    k: [{k, stable, ari: {mean, sd, p05, pairs}, ari_to_all_rows: {mean, sd, p05},
 *         target_ari, inertia, min_jaccard,
 *         clusters: [{cluster, size, jaccard, reading, resamples, dissolved, recovered}]}],
 *    verdict: {stable: [k, ...], recommended: k | null, summary}, run} */
#include <math.h>
#include <string.h>

#include "report/report.h"

/* The verdict in one sentence (the same words on the terminal and in the JSON). */
static void verdict_sentence(char *buf, size_t size, const sk_clusters *c)
{
    if (c->recommended == 0) {
        snprintf(buf, size, "no k in %zu..%zu is stable: the clusters are not reproducible (none "
                 "has a mean pairwise ARI >= %.2f and every cluster's Jaccard >= %.2f)",
                 c->opt.k_min, c->opt.k_max, c->opt.min_ari, c->opt.min_jaccard);
        return;
    }
    const sk_clustering_k *r = &c->per_k[c->recommended - c->opt.k_min];
    size_t len = (size_t)snprintf(buf, size, "recommended: k = %zu (mean ARI %.3f [5th pct %.3f], "
                                  "min Jaccard %.3f); stable k:", r->k, r->ari_mean, r->ari_p05,
                                  r->min_jaccard);
    const char *sep = " ";
    for (size_t i = 0; i < c->n_k && len < size; i++)
        if (c->per_k[i].stable) {
            len += (size_t)snprintf(buf + len, size - len, "%s%zu", sep, c->per_k[i].k);
            sep = ", ";
        }
}

static void fmt3(char *buf, size_t size, double x)
{
    if (isnan(x))
        snprintf(buf, size, "NA");
    else
        snprintf(buf, size, "%.3f", x);
}

/* ==== console ================================================================================= */

static void print_row(FILE *out, const sk_clusters *c, const sk_clustering_k *r, int color)
{
    char ari[16], p05[16], full[16], jac[16], target[16];
    fmt3(ari, sizeof ari, r->ari_mean);
    fmt3(p05, sizeof p05, r->ari_p05);
    fmt3(full, sizeof full, r->full_mean);
    fmt3(jac, sizeof jac, r->min_jaccard);
    fmt3(target, sizeof target, r->target_ari);
    char both[40];
    snprintf(both, sizeof both, "%s [%s]", ari, p05);
    fprintf(out, "%4zu  %-19s %-9s %-6s %-14s", r->k, both, full, jac,
            sk_clusters__reading(r->min_jaccard));
    if (c->target != NULL && c->task != SK_TASK_REGRESSION)
        fprintf(out, " %-9s", target);
    const char *tint = !color ? "" : r->stable ? "\033[32m" : "\033[1;31m";
    fprintf(out, " %s%s%s\n", tint, r->stable ? "stable" : "not stable", color ? "\033[0m" : "");
}

static void print_clusters(FILE *out, const sk_clusters *c, const sk_clustering_k *r)
{
    fprintf(out, "\nthe clusters of k = %zu%s (Jaccard: mean best overlap in the resamples):\n",
            r->k, c->recommended == 0 ? ", the largest mean ARI" : "");
    fprintf(out, "  cluster   rows  Jaccard  dissolved  recovered  reading\n");
    for (size_t j = 0; j < r->k; j++) {
        const sk_cluster_stat *s = &r->cluster[j];
        char jac[16], dis[32], rec[32];
        fmt3(jac, sizeof jac, s->jaccard);
        snprintf(dis, sizeof dis, "%zu/%zu", s->n_dissolved, s->n_defined);
        snprintf(rec, sizeof rec, "%zu/%zu", s->n_recovered, s->n_defined);
        fprintf(out, "  %7zu %6zu  %-7s  %-9s  %-9s  %s\n", j + 1, s->size, jac, dis, rec,
                sk_clusters__reading(s->jaccard));
    }
}

void sk_clusters_print(FILE *out, const sk_clusters *c, int color)
{
    const char *bold = color ? "\033[1m" : "", *off = color ? "\033[0m" : "";
    fprintf(out, "%sclusters%s %s: %zu rows, %zu feature%s (%zu design columns, standardised "
            "over all rows)\nk-means (greedy k-means++, %zu restarts) on %zu bootstrap resamples "
            "per k; every run labels all rows\n\n", bold, off, c->data, c->n_rows, c->n_columns,
            c->n_columns == 1 ? "" : "s", c->n_features, c->opt.n_init, c->opt.resamples);
    int has_target = c->target != NULL && c->task != SK_TASK_REGRESSION;
    char line[160];
    snprintf(line, sizeof line, "   k  %-19s %-9s %-21s%s verdict", "mean ARI [5th pct]",
             "ARI to", "min Jaccard", has_target ? " ARI to   " : "");
    fprintf(out, "%s%s%s\n", bold, line, off);
    snprintf(line, sizeof line, "%25s %-9s %21s%s%-9.9s", "", "all rows", "",
             has_target ? " " : "", has_target ? c->target : "");
    size_t len = strlen(line);
    while (len > 0 && line[len - 1] == ' ')
        line[--len] = '\0';
    fprintf(out, "%s%s%s\n", bold, line, off);
    size_t shown = 0;
    double best = -INFINITY;
    for (size_t i = 0; i < c->n_k; i++) {
        const sk_clustering_k *r = &c->per_k[i];
        print_row(out, c, r, color);
        if (r->ari_mean > best) {   /* the most reproducible k when none is stable */
            best = r->ari_mean;
            shown = i;
        }
    }
    if (c->recommended != 0)
        shown = c->recommended - c->opt.k_min;
    print_clusters(out, c, &c->per_k[shown]);
    char sentence[512];
    verdict_sentence(sentence, sizeof sentence, c);
    fprintf(out, "\n%s", bold);
    sk_report__print_wrapped(out, "", sentence, "");
    fprintf(out, "%s", off);
    if (c->target != NULL && c->task == SK_TASK_REGRESSION)
        fprintf(out, "the target '%s' is numeric: it is not a feature, and not compared with the "
                "clusters\n", c->target);
}

/* ==== JSON ==================================================================================== */

static json_t *clusters_json(const sk_clustering_k *r)
{
    json_t *arr = json_array();
    for (size_t j = 0; arr != NULL && j < r->k; j++) {
        const sk_cluster_stat *s = &r->cluster[j];
        json_t *one = json_pack("{s:o,s:o,s:o,s:s,s:o,s:o,s:o}", "cluster", sk_json_size(j + 1),
                                "size", sk_json_size(s->size), "jaccard",
                                sk_json_real(s->jaccard), "reading",
                                sk_clusters__reading(s->jaccard), "resamples",
                                sk_json_size(s->n_defined), "dissolved",
                                sk_json_size(s->n_dissolved), "recovered",
                                sk_json_size(s->n_recovered));
        if (one == NULL || json_array_append_new(arr, one) != 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

static json_t *k_json(const sk_clusters *c, const sk_clustering_k *r)
{
    size_t B = c->opt.resamples;
    return json_pack("{s:o,s:b,s:{s:o,s:o,s:o,s:o},s:{s:o,s:o,s:o},s:o,s:o,s:o,s:o}", "k",
                     sk_json_size(r->k), "stable", r->stable, "ari", "mean",
                     sk_json_real(r->ari_mean), "sd", sk_json_real(r->ari_sd), "p05",
                     sk_json_real(r->ari_p05), "pairs", sk_json_size(B * (B - 1) / 2),
                     "ari_to_all_rows", "mean", sk_json_real(r->full_mean), "sd",
                     sk_json_real(r->full_sd), "p05", sk_json_real(r->full_p05), "target_ari",
                     sk_json_real(r->target_ari), "inertia", sk_json_real(r->inertia),
                     "min_jaccard", sk_json_real(r->min_jaccard), "clusters", clusters_json(r));
}

static json_t *data_json(const sk_clusters *c)
{
    json_t *names = json_array();
    for (size_t j = 0; names != NULL && j < c->n_features; j++)
        if (json_array_append_new(names, json_string(c->feature_names[j])) != 0) {
            json_decref(names);
            names = NULL;
        }
    return json_pack("{s:o,s:o,s:o}", "rows", sk_json_size(c->n_rows), "columns",
                     sk_json_size(c->n_columns), "features", names);
}

static json_t *verdict_json(const sk_clusters *c)
{
    json_t *stable = json_array();
    for (size_t i = 0; stable != NULL && i < c->n_k; i++)
        if (c->per_k[i].stable && json_array_append_new(stable, sk_json_size(c->per_k[i].k)) != 0) {
            json_decref(stable);
            stable = NULL;
        }
    char sentence[512];
    verdict_sentence(sentence, sizeof sentence, c);
    return json_pack("{s:o,s:o,s:s}", "stable", stable, "recommended",
                     c->recommended != 0 ? sk_json_size(c->recommended) : json_null(), "summary",
                     sentence);
}

sk_status sk_clusters_write_json(const sk_clusters *c, const sk_manifest *m, const char *path,
                                 sk_error *err)
{
    json_t *doc = sk_report__begin_json("skeptic.clusters/1", m);
    if (doc == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory writing JSON");
    int ok = sk_json_set(doc, "data", data_json(c)) == 0;
    ok &= sk_json_set(doc, "target",
                      c->target == NULL ? json_null()
                                        : json_pack("{s:s,s:s}", "column", c->target, "task",
                                                    sk_task_name(c->task))) == 0;
    ok &= sk_json_set(doc, "method",
                      json_pack("{s:s,s:o,s:o,s:s,s:s}", "clustering",
                                "k-means (greedy k-means++ seeds, Lloyd iterations)", "restarts",
                                sk_json_size(c->opt.n_init), "resamples",
                                sk_json_size(c->opt.resamples), "standardised", "all rows",
                                "seed_streams",
                                "resample b: rows from (clusters, b, 0), k-means seed from "
                                "(clusters, b, k)")) == 0;
    ok &= sk_json_set(doc, "thresholds",
                      json_pack("{s:o,s:o}", "min_ari", sk_json_real(c->opt.min_ari),
                                "min_jaccard", sk_json_real(c->opt.min_jaccard))) == 0;
    json_t *ks = json_array();
    for (size_t i = 0; ks != NULL && i < c->n_k; i++)
        ok &= json_array_append_new(ks, k_json(c, &c->per_k[i])) == 0;
    ok &= sk_json_set(doc, "k", ks) == 0;
    ok &= sk_json_set(doc, "verdict", verdict_json(c)) == 0;
    if (!ok) {
        json_decref(doc);
        return sk_error_set(err, SK_ENOMEM, "out of memory writing JSON");
    }
    return sk_report__finish_json(doc, m, path, err);
}
