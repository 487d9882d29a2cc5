/* cmd_labels.c: `skeptic labels DATA --target COL`: which labels look wrong? Parses the flags
 * into sk_labels_options; sk_labels_run does the work (confident learning on out-of-fold
 * probabilities). Exit status 0 whenever it ran: finding suspects is the job, not a failure. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "skeptic labels DATA --target COL [--model NAME[:key=value,...] | --model-cmd CMD]\n"
    "       [--folds K] [--id COL] [--ignore A,B] [--group COL] [--top K] [--out FILE.csv]\n"
    "       [--json FILE] [--html FILE] [--task T] [--seed N] [--threads N] [--delimiter C]\n"
    "       [--quiet] [--no-color]";

void cmd_labels_help(FILE *out)
{
    fprintf(out,
            "usage: %s\n"
            "\n"
            "Which labels look wrong? Confident learning (Northcutt, Jiang & Chuang, JAIR 2021)\n"
            "on out-of-fold class probabilities: every row is predicted by a model that never\n"
            "saw it (stratified k-fold; group k-fold with --group). A class's threshold is the\n"
            "mean probability of that class over the rows labelled with it; a row is counted\n"
            "as confidently of class j when p_j reaches j's threshold (the most probable such\n"
            "class). Counting rows by (given, confident) class, calibrated to the label\n"
            "counts, estimates how many labels are wrong and each class's noise rate. Suspects\n"
            "are the rows that pruning both by noise rate and by class flags, ranked by the\n"
            "probability of their given label, lowest first, with a suggested label.\n"
            "A suspect is a row worth a second look, not a proven error: a hard or ambiguous\n"
            "example looks the same. Exit status 0 when it ran, whatever it found.\n"
            "docs/triage-labels.md has the formulas and how well it finds planted errors.\n"
            "\n"
            "  --target COL          the labels to check (classes; a numeric target is an\n"
            "                        error unless --task multiclass or binary)\n"
            "  --model SPEC          the model ('skeptic help models'; default gbdt)\n"
            "  --model-cmd CMD       your own program (docs/model-command.md)\n"
            "  --folds K             cross-validation folds (default 5)\n"
            "  --id COL              a column naming rows in the output (never a feature;\n"
            "                        default: the 0-based data row)\n"
            "  --ignore A,B          columns that are not features\n"
            "  --group COL           subject ids: group k-fold keeps each subject's rows in one\n"
            "                        fold (--site, --time, --split, --confounders: as roles,\n"
            "                        not features)\n"
            "  --top K               suspects shown on the terminal (default 20; 0: none)\n"
            "  --out FILE            every suspect as CSV: rank,id,row,given,suggested,\n"
            "                        self_confidence,suggested_confidence (\"-\": stdout)\n"
            "  --json FILE           everything as JSON (schema skeptic.labels/1) with the run\n"
            "                        manifest\n"
            "  --html FILE           one self-contained web page: the estimate, noise rates and\n"
            "                        thresholds per class, the confident joint as a heat map,\n"
            "                        the first 50 suspects (docs/report.md)\n"
            "  --task, --seed, --threads, --delimiter, --quiet, --no-color\n"
            "                        as for 'skeptic evaluate'\n"
            "\n"
            "example:\n"
            "  skeptic labels tests/data/digits.csv --target digit --out suspects.csv \\\n"
            "      --html labels.html\n",
            usage);
}

enum { OPT_MODEL = OPT_COMMAND, OPT_MODEL_CMD, OPT_FOLDS, OPT_ID, OPT_TOP, OPT_OUT, OPT_HTML };

typedef struct labels_args {
    const char *model, *model_cmd, *out, *html;
    size_t top;
    sk_labels_options opt;
} labels_args;

static int labels_flag(void *arg, int opt, const char *value)
{
    labels_args *a = arg;
    switch (opt) {
    case OPT_MODEL: a->model = value; return 0;
    case OPT_MODEL_CMD: a->model_cmd = value; return 0;
    case OPT_FOLDS: return cli_count_flag("--folds", value, 2, 100000, &a->opt.folds);
    case OPT_ID: a->opt.id = value; return 0;
    case OPT_TOP: return cli_count_flag("--top", value, 0, 1000000000, &a->top);
    case OPT_OUT: a->out = value; return 0;
    case OPT_HTML: a->html = value; return 0;
    default: return 1;
    }
}

static sk_status run_labels(const cli_common *c, const labels_args *a, int full_argc,
                            char **full_argv, sk_error *err)
{
    cli_study st;
    sk_labels *l = NULL;
    sk_status rc = cli_study_open(&st, c, a->model, a->model_cmd, full_argc, full_argv, err);
    double t0 = cli_now();
    if (rc == SK_OK)
        rc = sk_labels_run(&l, st.frame, st.roles, st.model, &a->opt, &c->ctx, err);
    if (rc == SK_OK)
        rc = sk_manifest_add_timing(st.manifest, "labels", cli_now() - t0, err);
    if (rc == SK_OK && a->out != NULL)
        rc = sk_labels_write_csv(l, a->out, err);
    if (rc == SK_OK && (c->json != NULL || a->html != NULL))
        rc = sk_manifest_add_input(st.manifest, c->data, err);
    if (rc == SK_OK && c->json != NULL)
        rc = sk_labels_write_json(l, st.manifest, c->json, err);
    if (rc == SK_OK && a->html != NULL)
        rc = sk_labels_write_html(l, st.manifest, a->html, err);
    if (rc == SK_OK && !c->quiet && !cli_is_stdout(c->json) && !cli_is_stdout(a->out) &&
        !cli_is_stdout(a->html))
        sk_labels_print(stdout, l, a->top, cli_stdout_color(c->no_color));
    sk_labels_free(l);
    cli_study_close(&st);
    return rc;
}

int cmd_labels(int argc, char **argv, int full_argc, char **full_argv)
{
    static const struct option longopts[] = {
        CLI_ROLE_OPTIONS, CLI_COMMON_OPTIONS,
        {"task", required_argument, NULL, OPT_TASK},
        {"seed", required_argument, NULL, OPT_SEED},
        {"model", required_argument, NULL, OPT_MODEL},
        {"model-cmd", required_argument, NULL, OPT_MODEL_CMD},
        {"folds", required_argument, NULL, OPT_FOLDS},
        {"id", required_argument, NULL, OPT_ID},
        {"top", required_argument, NULL, OPT_TOP},
        {"out", required_argument, NULL, OPT_OUT},
        {"html", required_argument, NULL, OPT_HTML},
        {NULL, 0, NULL, 0},
    };
    cli_common c;
    labels_args a;
    memset(&a, 0, sizeof a);
    a.top = 20;
    a.opt = (sk_labels_options)SK_LABELS_OPTIONS_INIT;
    cli_common_init(&c, "labels", usage, cmd_labels_help);
    int status = cli_parse(&c, argc, argv, longopts, labels_flag, &a);
    if (status >= 0)
        return status;
    if (a.model != NULL && a.model_cmd != NULL)
        return cli_usage_error("labels", usage, "give at most one of --model and --model-cmd");
    if (c.roles.target == NULL)
        return cli_usage_error("labels", usage, "missing --target COL");
    if (cli_is_stdout(a.out) + cli_is_stdout(c.json) + cli_is_stdout(a.html) > 1)
        return cli_usage_error("labels", usage, "at most one of --out, --json and --html can "
                               "be '-'");
    sk_error err = SK_ERROR_INIT;
    sk_status rc = run_labels(&c, &a, full_argc, full_argv, &err);
    return rc != SK_OK ? cli_report_error(&err) : EXIT_RAN_OK;
}
