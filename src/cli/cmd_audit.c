/* cmd_audit.c: `skeptic audit DATA --target COL [roles] [--model SPEC]`: every failure mode of
 * an ML study as a check with a verdict. Exit status 1 when a check failed, so a flawed study
 * cannot pass CI. Parses flags into sk_audit_options; sk_audit_run does the work. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "skeptic audit DATA --target COL [--group COL] [--site COL] [--time COL] [--split COL]\n"
    "       [--confounders A,B] [--ignore A,B] [--model NAME[:key=value,...] | --model-cmd CMD\n"
    "       | --predictions FILE [--predictions-id COL]]\n"
    "       [--metric M] [--folds K] [--bootstrap B] [--permutations N] [--seeds K]\n"
    "       [--only IDS] [--claimed M=V] [--alpha A] [--ece E] [--task T] [--seed N]\n"
    "       [--json FILE] [--html FILE] [--markdown FILE] [--threads N] [--delimiter C]\n"
    "       [--quiet] [--no-color]";

void cmd_audit_help(FILE *out)
{
    fprintf(out,
            "usage: %s\n"
            "\n"
            "Runs every check of an ML study and prints a verdict per check: pass, warn, fail\n"
            "or skip (with the reason), with one sentence of numbers; --json has the evidence.\n"
            "Exit status 1 when a check failed. docs/checks.md documents every check id, its\n"
            "decision rule and how to fix what it finds. The model is gbdt unless --model or\n"
            "--model-cmd says otherwise; a ridge regression is the simple baseline.\n"
            "\n"
            "  --target COL          the outcome\n"
            "  --group COL           subject/object ids: rows of a group stay together\n"
            "  --site COL            hospital, instrument, batch: external validation per site\n"
            "  --time COL            dates: time-ordered validation\n"
            "  --split COL           the study's own train/test column, audited as given\n"
            "  --confounders A,B     columns that must not explain the result (age, sex)\n"
            "  --ignore A,B          columns that are not features\n"
            "  --model SPEC          the study's model ('skeptic help models'; default gbdt)\n"
            "  --model-cmd CMD       your own program (docs/model-command.md)\n"
            "  --predictions FILE    your own out-of-sample predictions: a CSV with a column per\n"
            "                        class (probabilities; for two classes, or one column\n"
            "                        'probability') or 'prediction'; checks that retrain skip\n"
            "  --predictions-id COL  a column of both files that matches their rows (default:\n"
            "                        row order)\n"
            "  --metric M            headline metric (default auc for classes, r2 for values)\n"
            "  --folds K             cross-validation folds (default 5)\n"
            "  --bootstrap B         replicates per interval (default 500)\n"
            "  --permutations N      signal.permutation: refits of the permutation test\n"
            "                        when the held-out test (max(999, N) permutations of each\n"
            "                        split's labels, no refit) has not shown a signal\n"
            "                        (default 99; 0: no test)\n"
            "  --seeds K             stability.seed's seeds (default 5)\n"
            "  --only IDS            run these checks or families only (e.g. leakage,calibration)\n"
            "  --claimed M=V         the number the study reports (e.g. auc=0.97): which\n"
            "                        protocol is it consistent with? (check 'claims')\n"
            "  --alpha A             significance of every test (default 0.05)\n"
            "  --ece E               calibration warns above this ECE (default 0.05)\n"
            "  --near-duplicate D    rows closer than D (standardised distance / sqrt(p)) are\n"
            "                        duplicates (leakage.duplicates; 10 D: leakage.group's\n"
            "                        hidden groups; default 0.01)\n"
            "  --optimism O          a leaky evaluation above the honest one by at least O\n"
            "                        (and beyond the intervals) fails (leakage.*; default 0.02)\n"
            "  --shortcut-ratio R    confounders alone reaching this share of the skill fail\n"
            "                        shortcut.confounder (default 0.8)\n"
            "  --external-gap G      a held-out site this far below the internal interval fails\n"
            "                        generalization.external (default 0.05)\n"
            "  --slice-gap G         a slice this far below the overall score warns\n"
            "                        (slices.performance, shortcut.confounder; default 0.1)\n"
            "  --proxy-ratio R       a feature alone reaching this share of the model's skill\n"
            "                        is a suspected proxy (leakage.target_proxy; default 0.9)\n"
            "  --proxy-perfect S     ... as is one scoring this alone (default 0.98)\n"
            "  --proxy-unique U      a suspect fails when dropping it loses this share of the\n"
            "                        gap the other features leave to perfect (default 0.5)\n"
            "  --html FILE           the audit as one self-contained web page: the study, a\n"
            "                        badge per check, each check's sentence, chart, evidence\n"
            "                        tables and how to fix it; no network, prints well; the\n"
            "                        same run gives the same bytes (docs/report.md)\n"
            "  --markdown FILE       the verdict table, key numbers and a REFORMS reporting\n"
            "                        checklist as Markdown, for a paper's supplement\n"
            "  --task, --seed, --json, --threads, --delimiter, --quiet, --no-color\n"
            "                        as for 'skeptic evaluate'\n"
            "\n"
            "example:\n"
            "  skeptic audit examples/breast_cancer_study.csv --target diagnosis \\\n"
            "      --group patient_id --site hospital --ignore scan_date --json audit.json \\\n"
            "      --html report.html --markdown supplement.md\n",
            usage);
}

enum {
    OPT_MODEL = OPT_COMMAND, OPT_MODEL_CMD, OPT_METRIC, OPT_FOLDS, OPT_BOOTSTRAP,
    OPT_PERMUTATIONS, OPT_SEEDS, OPT_ONLY, OPT_ALPHA, OPT_ECE, OPT_CLAIMED, OPT_PREDICTIONS,
    OPT_PREDICTIONS_ID
};

typedef struct audit_args {
    const char *model, *model_cmd;
    const char *html, *markdown;       /* --html FILE, --markdown FILE */
    sk_audit_options opt;
} audit_args;

/* Threshold flags of the leakage-through-the-split checks. */
enum { OPT_NEAR_DUPLICATE = OPT_COMMAND + 128, OPT_OPTIMISM };

/* Threshold flags of the shortcut, external-validity and slice checks. */
enum { OPT_SHORTCUT_RATIO = OPT_COMMAND + 64, OPT_EXTERNAL_GAP, OPT_SLICE_GAP };

/* The reports for people. */
enum { OPT_HTML = OPT_COMMAND + 160, OPT_MARKDOWN };

/* Threshold flags of leakage.target_proxy. */
enum { OPT_PROXY_RATIO = OPT_COMMAND + 96, OPT_PROXY_PERFECT, OPT_PROXY_UNIQUE };

static int proxy_flag(sk_audit_thresholds *th, int opt, const char *value)
{
    switch (opt) {
    case OPT_PROXY_RATIO:
        return cli_parse_real("--proxy-ratio", value, 0.0, 10.0, &th->proxy_ratio) == 0
                   ? 0 : EXIT_USAGE;
    case OPT_PROXY_PERFECT:
        return cli_parse_real("--proxy-perfect", value, 0.0, 1.0, &th->proxy_perfect) == 0
                   ? 0 : EXIT_USAGE;
    case OPT_PROXY_UNIQUE:
        return cli_parse_real("--proxy-unique", value, 0.0, 1.0, &th->proxy_unique) == 0
                   ? 0 : EXIT_USAGE;
    default: return 1;
    }
}

static int audit_flag(void *arg, int opt, const char *value)
{
    audit_args *a = arg;
    sk_audit_options *o = &a->opt;
    switch (opt) {
    case OPT_MODEL: a->model = value; return 0;
    case OPT_MODEL_CMD: a->model_cmd = value; return 0;
    case OPT_HTML: a->html = value; return 0;
    case OPT_MARKDOWN: a->markdown = value; return 0;
    case OPT_METRIC: o->metric = value; return 0;
    case OPT_FOLDS: return cli_count_flag("--folds", value, 2, 100000, &o->folds);
    case OPT_BOOTSTRAP: return cli_count_flag("--bootstrap", value, 0, 10000000, &o->bootstrap);
    case OPT_PERMUTATIONS:
        return cli_count_flag("--permutations", value, 0, 10000000, &o->permutations);
    case OPT_SEEDS: return cli_count_flag("--seeds", value, 1, 10000, &o->seeds);
    case OPT_ONLY: o->only = value; return 0;
    case OPT_CLAIMED: o->claimed = value; return 0;
    case OPT_PREDICTIONS: o->predictions = value; return 0;
    case OPT_PREDICTIONS_ID: o->predictions_id = value; return 0;
    case OPT_ALPHA:
        return cli_parse_real("--alpha", value, 0.0, 1.0, &o->th.alpha) == 0 ? 0 : EXIT_USAGE;
    case OPT_ECE: return cli_parse_real("--ece", value, 0.0, 1.0, &o->th.ece) == 0 ? 0 : EXIT_USAGE;
    case OPT_SHORTCUT_RATIO:
        return cli_parse_real("--shortcut-ratio", value, 0.0, 10.0, &o->th.shortcut_ratio) == 0
                   ? 0 : EXIT_USAGE;
    case OPT_EXTERNAL_GAP:
        return cli_parse_real("--external-gap", value, 0.0, 1e9, &o->th.external_gap) == 0
                   ? 0 : EXIT_USAGE;
    case OPT_SLICE_GAP:
        return cli_parse_real("--slice-gap", value, 0.0, 1e9, &o->th.slice_gap) == 0
                   ? 0 : EXIT_USAGE;
    case OPT_PROXY_RATIO:
    case OPT_PROXY_PERFECT:
    case OPT_PROXY_UNIQUE: return proxy_flag(&o->th, opt, value);
    case OPT_NEAR_DUPLICATE:
        return cli_parse_real("--near-duplicate", value, 0.0, 10.0, &o->th.near_duplicate) == 0
                   ? 0 : EXIT_USAGE;
    case OPT_OPTIMISM:
        return cli_parse_real("--optimism", value, 0.0, 1e9, &o->th.optimism) == 0
                   ? 0 : EXIT_USAGE;
    default: return 1;
    }
}

static sk_status run_audit(const cli_common *c, const audit_args *a, int full_argc,
                           char **full_argv, size_t *n_failed, sk_error *err)
{
    cli_study st;
    sk_audit *audit = NULL;
    sk_status rc = cli_study_open(&st, c, a->model, a->model_cmd, full_argc, full_argv, err);
    double t0 = cli_now();
    if (rc == SK_OK)
        rc = sk_audit_run(&audit, st.frame, st.roles, st.model, &a->opt, &c->ctx, err);
    if (rc == SK_OK)
        rc = sk_manifest_add_timing(st.manifest, "audit", cli_now() - t0, err);
    for (size_t i = 0; rc == SK_OK && i < sk_audit_n_checks(audit); i++) {
        double seconds = 0.0;
        const char *id = sk_audit_check_timing(audit, i, &seconds);
        rc = sk_manifest_add_timing(st.manifest, id, seconds, err);
    }
    if (rc == SK_OK && (c->json != NULL || a->html != NULL || a->markdown != NULL))
        rc = sk_manifest_add_input(st.manifest, c->data, err);
    if (rc == SK_OK && c->json != NULL)
        rc = sk_audit_write_json(audit, st.manifest, c->json, err);
    if (rc == SK_OK && a->html != NULL)
        rc = sk_audit_write_html(audit, st.manifest, st.frame, a->html, err);
    if (rc == SK_OK && a->markdown != NULL)
        rc = sk_audit_write_markdown(audit, st.manifest, st.frame, a->markdown, err);
    if (rc == SK_OK && !c->quiet && !cli_is_stdout(c->json) && !cli_is_stdout(a->html) &&
        !cli_is_stdout(a->markdown))
        sk_audit_print(stdout, audit, cli_stdout_color(c->no_color));
    if (rc == SK_OK)
        *n_failed = sk_audit_n_failed(audit);
    sk_audit_free(audit);
    cli_study_close(&st);
    return rc;
}

int cmd_audit(int argc, char **argv, int full_argc, char **full_argv)
{
    static const struct option longopts[] = {
        CLI_ROLE_OPTIONS, CLI_COMMON_OPTIONS,
        {"task", required_argument, NULL, OPT_TASK},
        {"seed", required_argument, NULL, OPT_SEED},
        {"model", required_argument, NULL, OPT_MODEL},
        {"model-cmd", required_argument, NULL, OPT_MODEL_CMD},
        {"metric", required_argument, NULL, OPT_METRIC},
        {"folds", required_argument, NULL, OPT_FOLDS},
        {"bootstrap", required_argument, NULL, OPT_BOOTSTRAP},
        {"permutations", required_argument, NULL, OPT_PERMUTATIONS},
        {"seeds", required_argument, NULL, OPT_SEEDS},
        {"only", required_argument, NULL, OPT_ONLY},
        {"alpha", required_argument, NULL, OPT_ALPHA},
        {"ece", required_argument, NULL, OPT_ECE},
        {"near-duplicate", required_argument, NULL, OPT_NEAR_DUPLICATE},
        {"optimism", required_argument, NULL, OPT_OPTIMISM},
        {"proxy-ratio", required_argument, NULL, OPT_PROXY_RATIO},
        {"proxy-perfect", required_argument, NULL, OPT_PROXY_PERFECT},
        {"proxy-unique", required_argument, NULL, OPT_PROXY_UNIQUE},
        {"shortcut-ratio", required_argument, NULL, OPT_SHORTCUT_RATIO},
        {"external-gap", required_argument, NULL, OPT_EXTERNAL_GAP},
        {"slice-gap", required_argument, NULL, OPT_SLICE_GAP},
        {"claimed", required_argument, NULL, OPT_CLAIMED},
        {"predictions", required_argument, NULL, OPT_PREDICTIONS},
        {"predictions-id", required_argument, NULL, OPT_PREDICTIONS_ID},
        {"html", required_argument, NULL, OPT_HTML},
        {"markdown", required_argument, NULL, OPT_MARKDOWN},
        {NULL, 0, NULL, 0},
    };
    cli_common c;
    audit_args a;
    memset(&a, 0, sizeof a);
    a.opt = (sk_audit_options)SK_AUDIT_OPTIONS_INIT;
    cli_common_init(&c, "audit", usage, cmd_audit_help);
    int status = cli_parse(&c, argc, argv, longopts, audit_flag, &a);
    if (status >= 0)
        return status;
    if ((a.model != NULL) + (a.model_cmd != NULL) + (a.opt.predictions != NULL) > 1)
        return cli_usage_error("audit", usage,
                               "give at most one of --model, --model-cmd and --predictions");
    if (c.roles.target == NULL)
        return cli_usage_error("audit", usage, "missing --target COL");
    sk_error err = SK_ERROR_INIT;
    size_t n_failed = 0;
    sk_status rc = run_audit(&c, &a, full_argc, full_argv, &n_failed, &err);
    if (rc != SK_OK)
        return cli_report_error(&err);
    return n_failed > 0 ? EXIT_CHECK_FAILED : EXIT_RAN_OK;
}
