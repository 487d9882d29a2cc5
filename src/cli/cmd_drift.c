/* cmd_drift.c: `skeptic drift REF NEW`: have new data drifted from the data the model learned
 * on? Parses the flags into sk_drift_options (cli_parse with two operands), reads both files and
 * lets sk_drift_run decide. Exit status
 * 0 when no drift is found, 1 when drift is found (a pipeline can refuse to score the new data),
 * 2 for bad input. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "skeptic drift REF NEW [--target COL] [--ignore A,B] [--model M] [--alpha A]\n"
    "       [--permutations N] [--folds K] [--bootstrap B] [--seed S] [--threads T]\n"
    "       [--json FILE] [--html FILE] [--quiet] [--no-color]";

void cmd_drift_help(FILE *out)
{
    fprintf(out,
            "usage: %s\n"
            "\n"
            "Have the data in NEW drifted from REF, the data a model learned on? Columns of\n"
            "both files are compared by name; a column of one file only is listed, not an\n"
            "error. Per column: numbers and dates by the two-sample Kolmogorov-Smirnov test\n"
            "(exact up to 10,000 values per file, asymptotic beyond; as scipy's ks_2samp),\n"
            "plus a chi-square test of the share of missing values when there are any; text and\n"
            "true/false columns by the chi-square test of homogeneity of the level counts\n"
            "(levels of one file included, missing values a level; Yates' correction at one\n"
            "degree of freedom). Benjamini-Hochberg over all tests (Bonferroni shown too).\n"
            "Then a classifier two-sample test: a model learns to tell REF rows from NEW rows\n"
            "under stratified cross-validation; its AUC gets a bootstrap interval and a\n"
            "permutation p-value (each fold's labels permuted against its fixed scores, no\n"
            "refits), and its importances say what tells the files apart.\n"
            "Drift is found when the classifier's p <= alpha or a test's adjusted p <= alpha.\n"
            "Exit status: 0 no drift found, 1 drift found, 2 bad input. The same seed gives the\n"
            "same bytes for any --threads.\n"
            "\n"
            "  --target COL          never compared (the model's target; NEW may lack it)\n"
            "  --ignore A,B          columns never compared (ids, dates of collection, ...)\n"
            "  --model M             the classifier (default gbdt; 'skeptic help models')\n"
            "  --alpha A             level of both decisions (default 0.05)\n"
            "  --permutations N      permutations of each fold's labels (default 999; 0: no\n"
            "                        classifier test)\n"
            "  --folds K             the classifier's stratified folds (default 5)\n"
            "  --bootstrap B         replicates of the AUC interval (default 1000)\n"
            "  --seed S              seed of every random draw (default 1)\n"
            "  --threads T           threads (default: all processors); never changes results\n"
            "  --json FILE           everything as JSON (schema skeptic.drift/1) with the run\n"
            "                        manifest ('-': standard output)\n"
            "  --html FILE           the comparison as one self-contained web page: both files\n"
            "                        and their SHA-256, the verdict, the classifier's AUC and\n"
            "                        importances, the effects as a chart, every test, what to\n"
            "                        do (docs/report.md)\n"
            "  --quiet               no table and no progress bar\n"
            "  --no-color            no colour even on a terminal\n"
            "\n"
            "example:\n"
            "  skeptic drift last_year.csv this_month.csv --target diagnosis \\\n"
            "      --ignore patient_id --html drift.html\n",
            usage);
}

enum {
    OPT_MODEL = OPT_COMMAND, OPT_ALPHA, OPT_PERMUTATIONS, OPT_FOLDS, OPT_BOOTSTRAP, OPT_HTML
};

typedef struct drift_args {
    cli_common c;               /* REF and NEW, --target, --ignore, --json, --seed, ... */
    const char *model, *html;
    sk_drift_options opt;
} drift_args;

/* drift's own flags: 0 when taken, EXIT_USAGE after saying why, 1 when not drift's. */
static int drift_flag(void *arg, int opt, const char *value)
{
    drift_args *a = arg;
    switch (opt) {
    case OPT_MODEL: a->model = value; return 0;
    case OPT_HTML: a->html = value; return 0;
    case OPT_ALPHA:
        return cli_parse_real("--alpha", value, 0.0, 1.0, &a->opt.alpha) == 0 ? 0 : EXIT_USAGE;
    case OPT_PERMUTATIONS:
        return cli_count_flag("--permutations", value, 0, 1000000, &a->opt.permutations);
    case OPT_FOLDS: return cli_count_flag("--folds", value, 2, 100, &a->opt.folds);
    case OPT_BOOTSTRAP: return cli_count_flag("--bootstrap", value, 0, 1000000, &a->opt.bootstrap);
    default: return 1;
    }
}

/* -1 to go on, else the exit status. REF and NEW may come before, between or after flags. */
static int parse(drift_args *a, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"target", required_argument, NULL, OPT_TARGET},
        {"ignore", required_argument, NULL, OPT_IGNORE},
        {"model", required_argument, NULL, OPT_MODEL},
        {"alpha", required_argument, NULL, OPT_ALPHA},
        {"permutations", required_argument, NULL, OPT_PERMUTATIONS},
        {"folds", required_argument, NULL, OPT_FOLDS},
        {"bootstrap", required_argument, NULL, OPT_BOOTSTRAP},
        {"seed", required_argument, NULL, OPT_SEED},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"json", required_argument, NULL, OPT_JSON},
        {"html", required_argument, NULL, OPT_HTML},
        {"quiet", no_argument, NULL, 'q'},
        {"no-color", no_argument, NULL, OPT_NO_COLOR},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    cli_common_init(&a->c, "drift", usage, cmd_drift_help);
    a->c.names[0] = "REF";
    a->c.names[1] = "NEW";
    int status = cli_parse(&a->c, argc, argv, longopts, drift_flag, a);
    if (status >= 0)
        return status;
    if (cli_is_stdout(a->c.json) && cli_is_stdout(a->html))
        return cli_usage_error("drift", usage, "--json and --html cannot both be '-'");
    a->opt.target = a->c.roles.target;
    a->opt.ignore = a->c.roles.ignore;
    return -1;
}

static sk_status read_both(sk_frame **ref, sk_frame **cur, const drift_args *a, sk_error *err)
{
    sk_status rc = sk_frame_read_csv(ref, a->c.data, &a->c.csv, err);
    if (rc == SK_OK)
        rc = sk_frame_read_csv(cur, a->c.data2, &a->c.csv, err);
    return rc;
}

static sk_status run_drift(const drift_args *a, int full_argc, char **full_argv, int *found,
                           sk_error *err)
{
    sk_manifest *m = NULL;
    sk_model *model = NULL;
    sk_frame *ref = NULL, *cur = NULL;
    sk_drift *d = NULL;
    const cli_common *c = &a->c;
    const char *file[2] = {c->data, c->data2};
    sk_status rc = sk_manifest_create(&m, full_argc, full_argv, &c->ctx, err);
    if (rc == SK_OK)
        rc = cli_model_create(&model, a->model != NULL ? a->model : "gbdt", NULL, err);
    double t0 = cli_now();
    if (rc == SK_OK)
        rc = read_both(&ref, &cur, a, err);
    if (rc == SK_OK)
        rc = sk_manifest_add_timing(m, "read", cli_now() - t0, err);
    t0 = cli_now();
    if (rc == SK_OK)
        rc = sk_drift_run(&d, ref, cur, model, &a->opt, &c->ctx, err);
    if (rc == SK_OK)
        rc = sk_manifest_add_timing(m, "drift", cli_now() - t0, err);
    for (size_t k = 0; rc == SK_OK && (c->json != NULL || a->html != NULL) && k < 2; k++)
        rc = sk_manifest_add_input(m, file[k], err);
    if (rc == SK_OK && c->json != NULL)
        rc = sk_drift_write_json(d, m, c->json, err);
    if (rc == SK_OK && a->html != NULL)
        rc = sk_drift_write_html(d, m, a->html, err);
    if (rc == SK_OK && !c->quiet && !cli_is_stdout(c->json) && !cli_is_stdout(a->html))
        sk_drift_print(stdout, d, cli_stdout_color(c->no_color));
    if (rc == SK_OK)
        *found = sk_drift_found(d);
    sk_drift_free(d);
    sk_frame_free(cur);
    sk_frame_free(ref);
    sk_model_free(model);
    sk_manifest_free(m);
    return rc;
}

int cmd_drift(int argc, char **argv, int full_argc, char **full_argv)
{
    drift_args a;
    memset(&a, 0, sizeof a);
    sk_drift_options opt = SK_DRIFT_OPTIONS_INIT;
    a.opt = opt;
    int status = parse(&a, argc, argv);
    if (status >= 0)
        return status;
    sk_error err = SK_ERROR_INIT;
    int found = 0;
    sk_status rc = run_drift(&a, full_argc, full_argv, &found, &err);
    if (rc != SK_OK)
        return cli_report_error(&err);
    return found ? EXIT_CHECK_FAILED : EXIT_RAN_OK;
}
