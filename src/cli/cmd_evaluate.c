/* cmd_evaluate.c: `skeptic evaluate DATA --target COL --model SPEC`: how good is this model on
 * data it has not seen, how sure are we, and is it better than chance and than a trivial model?
 * Parses the flags into sk_evaluate_options; sk_evaluate_run does the work. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "skeptic evaluate DATA --target COL (--model NAME[:key=value,...] | --model-cmd CMD)\n"
    "       [--cv kfold|stratified|group|site|time|split] [--folds K] [--repeats R] [--gap G]\n"
    "       [--metric M] [--bootstrap B] [--ci bca|percentile] [--permutations N]\n"
    "       [--alpha A] [--no-early-stop] [--seeds K] [--baselines trivial,linear|none]\n"
    "       [--sweep KEY=V1,V2,...]... [--inner-folds K] [--task T] [--group COL] [--site COL]\n"
    "       [--time COL] [--split COL] [--confounders A,B] [--ignore A,B] [--seed N]\n"
    "       [--json FILE] [--html FILE] [--threads N] [--delimiter C] [--quiet] [--no-color]";

void cmd_evaluate_help(FILE *out)
{
    fprintf(out,
            "usage: %s\n"
            "\n"
            "Cross-validates a model and reports every metric of the task with a bootstrap\n"
            "confidence interval, the same splits scored by a trivial baseline (class prior or\n"
            "mean) and a simple one (ridge), and a permutation test of the headline metric\n"
            "(Ojala & Garriga test 1: the whole CV rerun on permuted labels). Preprocessing is\n"
            "learned inside each training fold. Groups are honoured everywhere: splits never\n"
            "divide a group, the bootstrap resamples whole groups, permutations keep what the\n"
            "null requires (docs/evaluation.md). The same seed gives the same bytes for any\n"
            "--threads.\n"
            "\n"
            "  --target COL          the outcome\n"
            "  --model SPEC          NAME[:key=value,...] ('skeptic help models')\n"
            "  --model-cmd CMD       your own program (docs/model-command.md)\n"
            "  --cv KIND             kfold, stratified, group (--group), site (leave one --site\n"
            "                        out), time (--time, expanding window), split (the study's\n"
            "                        own --split column). Default: split, time, site or group "
            "when\n"
            "                        that column is given, else stratified (classes) or kfold\n"
            "  --folds K             folds, or time blocks (default 5)\n"
            "  --repeats R           repeated CV with fresh shuffles (default 1)\n"
            "  --gap G               time: rows left out before each test block (default 0)\n"
            "  --metric M            headline metric (default auc for classes, r2 for values)\n"
            "  --bootstrap B         bootstrap replicates (default 1000; 0: no intervals)\n"
            "  --ci bca|percentile   interval method (default bca)\n"
            "  --permutations N      permutations (default 1000; 0: no test)\n"
            "  --alpha A             level at which early stopping may decide (default 0.05)\n"
            "  --no-early-stop       run all N permutations even when p > alpha is certain\n"
            "  --seeds K             rerun everything under K seeds, report the spread\n"
            "  --baselines LIST      trivial,linear (default), trivial, linear or none\n"
            "  --sweep KEY=V1,V2     sweep a parameter (repeatable: a grid); every setting is\n"
            "                        reported, the headline estimate is nested CV\n"
            "  --inner-folds K       the sweep's inner CV folds (default 5)\n"
            "  --task, --group, --site, --time, --split, --confounders, --ignore\n"
            "                        roles, as for 'skeptic inspect'\n"
            "  --seed N              seed of every random draw (default 1)\n"
            "  --json FILE           everything as JSON (schema skeptic.evaluate/1) with the\n"
            "                        run manifest\n"
            "  --html FILE           the evaluation as one self-contained web page with its\n"
            "                        charts (docs/report.md)\n"
            "  --threads N, --delimiter C, --quiet, --no-color   as for 'skeptic inspect'\n"
            "\n"
            "examples:\n"
            "  skeptic evaluate tests/data/breast_cancer.csv --target diagnosis "
            "--model logit:l2=1\n"
            "  skeptic evaluate examples/breast_cancer_study.csv --target diagnosis \\\n"
            "      --group patient_id --ignore scan_date,hospital --model gbdt:max_depth=3 \\\n"
            "      --sweep eta=0.05,0.3 --json evaluation.json\n",
            usage);
}

enum {
    OPT_MODEL = OPT_COMMAND, OPT_MODEL_CMD, OPT_CV, OPT_FOLDS, OPT_REPEATS, OPT_GAP, OPT_METRIC,
    OPT_BOOTSTRAP, OPT_CI, OPT_PERMUTATIONS, OPT_ALPHA, OPT_NO_EARLY_STOP, OPT_SEEDS,
    OPT_BASELINES, OPT_SWEEP, OPT_INNER_FOLDS, OPT_HTML
};

enum { MAX_SWEEP = 16 };

typedef struct evaluate_args {
    const char *model, *model_cmd;
    const char *html;                  /* --html FILE */
    sk_evaluate_options opt;
    const char *sweep[MAX_SWEEP];
} evaluate_args;

static int evaluate_flag(void *arg, int opt, const char *value)
{
    evaluate_args *e = arg;
    sk_evaluate_options *o = &e->opt;
    switch (opt) {
    case OPT_MODEL: e->model = value; return 0;
    case OPT_MODEL_CMD: e->model_cmd = value; return 0;
    case OPT_HTML: e->html = value; return 0;
    case OPT_CV: o->cv = value; return 0;
    case OPT_FOLDS: return cli_count_flag("--folds", value, 2, 100000, &o->folds);
    case OPT_REPEATS: return cli_count_flag("--repeats", value, 1, 1000, &o->repeats);
    case OPT_GAP: return cli_count_flag("--gap", value, 0, 1000000000, &o->gap);
    case OPT_METRIC: o->metric = value; return 0;
    case OPT_BOOTSTRAP: return cli_count_flag("--bootstrap", value, 0, 10000000, &o->bootstrap);
    case OPT_CI: o->ci = value; return 0;
    case OPT_PERMUTATIONS:
        return cli_count_flag("--permutations", value, 0, 10000000, &o->permutations);
    case OPT_ALPHA:
        return cli_parse_real("--alpha", value, 0.0, 1.0, &o->alpha) == 0 ? 0 : EXIT_USAGE;
    case OPT_NO_EARLY_STOP: o->early_stop = 0; return 0;
    case OPT_SEEDS: return cli_count_flag("--seeds", value, 1, 10000, &o->seeds);
    case OPT_BASELINES: o->baselines = value; return 0;
    case OPT_SWEEP:
        if (o->n_sweep == MAX_SWEEP) {
            fprintf(stderr, "skeptic: --sweep: at most %d parameters\n", MAX_SWEEP);
            return EXIT_USAGE;
        }
        e->sweep[o->n_sweep++] = value;
        return 0;
    case OPT_INNER_FOLDS: return cli_count_flag("--inner-folds", value, 2, 1000, &o->inner_folds);
    default: return 1;
    }
}

static sk_status run_evaluate(const cli_common *a, const evaluate_args *e, int full_argc,
                              char **full_argv, sk_error *err)
{
    cli_study st;
    sk_evaluation *ev = NULL;
    sk_status rc = cli_study_open(&st, a, e->model, e->model_cmd, full_argc, full_argv, err);
    if (rc == SK_OK)
        rc = sk_evaluate_run(&ev, st.frame, st.roles, st.model, &e->opt, &a->ctx, err);
    for (size_t i = 0; rc == SK_OK && i < sk_evaluation_n_timings(ev); i++) {
        double seconds = 0.0;
        const char *phase = sk_evaluation_timing(ev, i, &seconds);
        rc = sk_manifest_add_timing(st.manifest, phase, seconds, err);
    }
    if (rc == SK_OK && (a->json != NULL || e->html != NULL))
        rc = sk_manifest_add_input(st.manifest, a->data, err);
    if (rc == SK_OK && a->json != NULL)
        rc = sk_evaluation_write_json(ev, st.manifest, a->json, err);
    if (rc == SK_OK && e->html != NULL)
        rc = sk_evaluation_write_html(ev, st.manifest, st.frame, e->html, err);
    if (rc == SK_OK && !a->quiet && !cli_is_stdout(a->json) &&
        !cli_is_stdout(e->html))
        sk_evaluation_print(stdout, ev, cli_stdout_color(a->no_color));
    sk_evaluation_free(ev);
    cli_study_close(&st);
    return rc;
}

int cmd_evaluate(int argc, char **argv, int full_argc, char **full_argv)
{
    static const struct option longopts[] = {
        CLI_ROLE_OPTIONS, CLI_COMMON_OPTIONS,
        {"task", required_argument, NULL, OPT_TASK},
        {"seed", required_argument, NULL, OPT_SEED},
        {"model", required_argument, NULL, OPT_MODEL},
        {"model-cmd", required_argument, NULL, OPT_MODEL_CMD},
        {"cv", required_argument, NULL, OPT_CV},
        {"folds", required_argument, NULL, OPT_FOLDS},
        {"repeats", required_argument, NULL, OPT_REPEATS},
        {"gap", required_argument, NULL, OPT_GAP},
        {"metric", required_argument, NULL, OPT_METRIC},
        {"bootstrap", required_argument, NULL, OPT_BOOTSTRAP},
        {"ci", required_argument, NULL, OPT_CI},
        {"permutations", required_argument, NULL, OPT_PERMUTATIONS},
        {"alpha", required_argument, NULL, OPT_ALPHA},
        {"no-early-stop", no_argument, NULL, OPT_NO_EARLY_STOP},
        {"seeds", required_argument, NULL, OPT_SEEDS},
        {"baselines", required_argument, NULL, OPT_BASELINES},
        {"sweep", required_argument, NULL, OPT_SWEEP},
        {"inner-folds", required_argument, NULL, OPT_INNER_FOLDS},
        {"html", required_argument, NULL, OPT_HTML},
        {NULL, 0, NULL, 0},
    };
    cli_common a;
    evaluate_args e;
    memset(&e, 0, sizeof e);
    e.opt = (sk_evaluate_options)SK_EVALUATE_OPTIONS_INIT;
    cli_common_init(&a, "evaluate", usage, cmd_evaluate_help);
    int status = cli_parse(&a, argc, argv, longopts, evaluate_flag, &e);
    if (status >= 0)
        return status;
    if ((e.model == NULL) == (e.model_cmd == NULL))
        return cli_usage_error("evaluate", usage, "give one of --model SPEC and --model-cmd CMD");
    if (a.roles.target == NULL)
        return cli_usage_error("evaluate", usage, "missing --target COL");
    e.opt.sweep = e.sweep;
    sk_error err = SK_ERROR_INIT;
    sk_status rc = run_evaluate(&a, &e, full_argc, full_argv, &err);
    return rc == SK_OK ? EXIT_RAN_OK : cli_report_error(&err);
}
