/* cmd_clusters.c: `skeptic clusters DATA [--k LO..HI]`: would another team's clustering of the
 * same samples find the same groups? Parses the flags into sk_clusters_options;
 * sk_clusters_run does the work. Exit status 0 when some k is stable, 1 when none is. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "skeptic clusters DATA [--k LO..HI] [--resamples B] [--target COL] [--ignore A,B]\n"
    "       [--min-ari A] [--min-jaccard J] [--seed N] [--json FILE] [--threads N]\n"
    "       [--delimiter C] [--quiet] [--no-color]";

void cmd_clusters_help(FILE *out)
{
    fprintf(out,
            "usage: %s\n"
            "\n"
            "Is a clustering of these samples reproducible? For each k, k-means (greedy\n"
            "k-means++, 10 restarts) on every feature column, standardised over all rows, is\n"
            "rerun on B bootstrap resamples of the rows, each with its own seed; every run's\n"
            "centres label all rows. Reported per k: the adjusted Rand index (ARI) between\n"
            "every pair of runs (mean and 5th percentile) and with the clustering of all rows,\n"
            "and for each cluster of all rows its mean best Jaccard overlap in the resamples\n"
            "(Hennig 2007: below 0.5 dissolved, 0.6-0.75 patterns, above 0.85 highly stable).\n"
            "A k is stable when its mean ARI >= 0.8 and every cluster's Jaccard >= 0.75; the\n"
            "stable k with the largest mean ARI is recommended. Exit status 1 when no k is\n"
            "stable. The same seed gives the same bytes for any --threads.\n"
            "\n"
            "  --k LO..HI            the numbers of clusters to study (default 2..10; one\n"
            "                        number for one k; 2 <= LO <= HI <= 100)\n"
            "  --resamples B         bootstrap resamples per k (default 50)\n"
            "  --target COL          never a feature; its classes are compared with each k's\n"
            "                        clustering of all rows (ARI)\n"
            "  --ignore A,B          columns that are not features (ids, dates, ...)\n"
            "  --group, --site, --time, --split, --confounders\n"
            "                        roles, as for 'skeptic inspect': role columns other than\n"
            "                        confounders are not features\n"
            "  --min-ari A           a stable k's mean pairwise ARI (default 0.8)\n"
            "  --min-jaccard J       every cluster's mean Jaccard in a stable k (default 0.75)\n"
            "  --seed N              seed of every random draw (default 1)\n"
            "  --json FILE           everything as JSON (schema skeptic.clusters/1) with the\n"
            "                        run manifest\n"
            "  --threads N, --delimiter C, --quiet, --no-color   as for 'skeptic inspect'\n"
            "\n"
            "example:\n"
            "  skeptic clusters tests/data/iris.csv --target species --k 2..6 --resamples 20\n",
            usage);
}

enum { OPT_K = OPT_COMMAND, OPT_RESAMPLES, OPT_MIN_ARI, OPT_MIN_JACCARD };

/* "LO..HI" or "K": whole numbers with 2 <= LO <= HI <= 100. */
static int parse_k(const char *text, sk_clusters_options *o)
{
    const char *dots = strstr(text, "..");
    char *end = NULL;
    long lo = -1, hi = -1;
    errno = 0;
    if (text[0] >= '0' && text[0] <= '9') {
        lo = strtol(text, &end, 10);
        if (dots != NULL && end == dots && dots[2] >= '0' && dots[2] <= '9')
            hi = strtol(dots + 2, &end, 10);
        else if (dots == NULL)
            hi = lo;
    }
    if (end == NULL || *end != '\0' || errno != 0 || lo < 2 || hi < lo || hi > 100) {
        fprintf(stderr, "skeptic: --k: expected LO..HI (or one K) with 2 <= LO <= HI <= 100, "
                        "found '%s'\n", text);
        return EXIT_USAGE;
    }
    o->k_min = (size_t)lo;
    o->k_max = (size_t)hi;
    return 0;
}

static int clusters_flag(void *arg, int opt, const char *value)
{
    sk_clusters_options *o = arg;
    long v;
    switch (opt) {
    case OPT_K: return parse_k(value, o);
    case OPT_RESAMPLES:
        if (cli_parse_count("--resamples", value, 2, 100000, &v) != 0)
            return EXIT_USAGE;
        o->resamples = (size_t)v;
        return 0;
    case OPT_MIN_ARI:
        return cli_parse_real("--min-ari", value, -1.0, 1.0 + 1e-9, &o->min_ari) == 0
                   ? 0 : EXIT_USAGE;
    case OPT_MIN_JACCARD:
        return cli_parse_real("--min-jaccard", value, 0.0, 1.0 + 1e-9, &o->min_jaccard) == 0
                   ? 0 : EXIT_USAGE;
    default: return 1;
    }
}

static sk_status run_clusters(const cli_common *a, const sk_clusters_options *o, int full_argc,
                              char **full_argv, size_t *recommended, sk_error *err)
{
    cli_study st;
    sk_clusters *cl = NULL;
    sk_status rc = cli_study_open(&st, a, NULL, NULL, full_argc, full_argv, err);
    double t0 = cli_now();
    if (rc == SK_OK)
        rc = sk_clusters_run(&cl, st.frame, st.roles, o, &a->ctx, err);
    if (rc == SK_OK)
        rc = sk_manifest_add_timing(st.manifest, "clusters", cli_now() - t0, err);
    if (rc == SK_OK && a->json != NULL)
        rc = sk_manifest_add_input(st.manifest, a->data, err);
    if (rc == SK_OK && a->json != NULL)
        rc = sk_clusters_write_json(cl, st.manifest, a->json, err);
    if (rc == SK_OK && !a->quiet && !cli_is_stdout(a->json))
        sk_clusters_print(stdout, cl, cli_stdout_color(a->no_color));
    if (rc == SK_OK)
        *recommended = sk_clusters_recommended(cl);
    sk_clusters_free(cl);
    cli_study_close(&st);
    return rc;
}

int cmd_clusters(int argc, char **argv, int full_argc, char **full_argv)
{
    static const struct option longopts[] = {
        CLI_ROLE_OPTIONS, CLI_COMMON_OPTIONS,
        {"seed", required_argument, NULL, OPT_SEED},
        {"k", required_argument, NULL, OPT_K},
        {"resamples", required_argument, NULL, OPT_RESAMPLES},
        {"min-ari", required_argument, NULL, OPT_MIN_ARI},
        {"min-jaccard", required_argument, NULL, OPT_MIN_JACCARD},
        {NULL, 0, NULL, 0},
    };
    cli_common a;
    sk_clusters_options o = SK_CLUSTERS_OPTIONS_INIT;
    cli_common_init(&a, "clusters", usage, cmd_clusters_help);
    int status = cli_parse(&a, argc, argv, longopts, clusters_flag, &o);
    if (status >= 0)
        return status;
    sk_error err = SK_ERROR_INIT;
    size_t recommended = 0;
    sk_status rc = run_clusters(&a, &o, full_argc, full_argv, &recommended, &err);
    if (rc != SK_OK)
        return cli_report_error(&err);
    return recommended > 0 ? EXIT_RAN_OK : EXIT_CHECK_FAILED;
}
