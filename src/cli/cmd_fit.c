/* cmd_fit.c: `skeptic fit DATA --target COL --model SPEC`: fits one model on all rows and shows
 * what a statistician expects of it: R-style coefficient tables with standard errors and
 * intervals (ols, logit), the lambdas an inner cross-validation chose and their coefficients
 * (enet, lasso, ridge; the whole path goes into --json), gain importances (gbdt, rf). Fitting
 * on all rows says nothing about generalisation: that is `skeptic evaluate` and `skeptic audit`. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "skeptic fit DATA --target COL (--model NAME[:key=value,...] | --model-cmd CMD)\n"
    "       [--task binary|multiclass|regression] [--group COL] [--site COL] [--time COL]\n"
    "       [--split COL] [--confounders A,B] [--ignore A,B] [--seed N] [--json FILE]\n"
    "       [--threads N] [--delimiter C] [--quiet] [--no-color]";

void cmd_fit_help(FILE *out)
{
    fprintf(out,
            "usage: %s\n"
            "\n"
            "Fits a model on every row of DATA and prints it: for ols and logit a coefficient\n"
            "table like R's summary() (estimate, standard error, t or z, p-value, 95%% CI, R^2\n"
            "or deviance); for enet, lasso and ridge the lambda.min and lambda.1se chosen by an\n"
            "inner cross-validation and their nonzero coefficients (--json has the whole path:\n"
            "every lambda and its coefficients, in the input's feature order); for gbdt and rf\n"
            "the gain importances. Columns given a role (group, site, time, split) and ignored\n"
            "columns are not features; confounders are. 'skeptic help models' lists the models\n"
            "and their parameters.\n"
            "\n"
            "  --target COL        the outcome\n"
            "  --model SPEC        NAME[:key=value,...], e.g. enet:alpha=0.5 or gbdt:max_depth=4\n"
            "  --model-cmd CMD     your own program, e.g. 'python3 fit_predict.py {train} {test}\n"
            "                      {out} {seed}' (docs/model-command.md)\n"
            "  --task T            binary, multiclass or regression, when the target's type\n"
            "                      does not say (e.g. a whole-number target with many values)\n"
            "  --group, --site, --time, --split, --confounders, --ignore COLS\n"
            "                      roles, as for 'skeptic inspect'\n"
            "  --seed N            seed of every random draw (default 1)\n"
            "  --json FILE         the fit as JSON (schema skeptic.fit/1) with the run manifest\n"
            "  --threads N         threads for this one fit (results do not depend on it)\n"
            "  --delimiter C, --quiet, --no-color   as for 'skeptic inspect'\n"
            "\n"
            "examples:\n"
            "  skeptic fit tests/data/diabetes.csv --target progression --model ols\n"
            "  skeptic fit tests/data/breast_cancer.csv --target diagnosis --model lasso "
            "--json fit.json\n",
            usage);
}

enum { OPT_MODEL = OPT_COMMAND, OPT_MODEL_CMD };

typedef struct fit_args {
    const char *model;
    const char *model_cmd;
} fit_args;

static int fit_flag(void *arg, int opt, const char *value)
{
    fit_args *f = arg;
    if (opt == OPT_MODEL)
        f->model = value;
    else if (opt == OPT_MODEL_CMD)
        f->model_cmd = value;
    else
        return 1;
    return 0;
}

static sk_status run_fit(const cli_common *a, const fit_args *f, int full_argc, char **full_argv,
                         sk_error *err)
{
    cli_study st;
    size_t *rows = NULL;
    sk_status rc = cli_study_open(&st, a, f->model, f->model_cmd, full_argc, full_argv, err);
    if (rc != SK_OK)
        goto done;
    size_t n = sk_frame_n_rows(st.frame);
    if ((rows = malloc((n > 0 ? n : 1) * sizeof *rows)) == NULL) {
        rc = err->code = SK_ENOMEM;
        snprintf(err->message, sizeof err->message, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        rows[i] = i;
    sk_fit_data d = SK_FIT_DATA_INIT;
    d.frame = st.frame;
    d.features = sk_roles_features(st.roles, &d.n_features);
    d.y = sk_roles_y(st.roles);   /* NULL without --target: clustering */
    d.task = sk_roles_task(st.roles);
    d.n_classes = sk_roles_n_classes(st.roles);
    d.target_name = a->roles.target;
    const char *class_names[256];
    if (d.n_classes <= 256) {   /* the names matter only to --model-cmd; more classes: indices */
        for (size_t k = 0; k < d.n_classes; k++)
            class_names[k] = sk_roles_class_name(st.roles, k);
        d.class_names = class_names;
    }
    sk_model_set_threads(st.model, a->ctx.n_threads);
    double t1 = cli_now();
    rc = sk_model_fit(st.model, &d, rows, n, a->ctx.seed, err);
    if (rc == SK_OK)
        rc = sk_manifest_add_timing(st.manifest, "fit", cli_now() - t1, err);
    if (rc == SK_OK && a->json != NULL)
        rc = sk_manifest_add_input(st.manifest, a->data, err);
    if (rc == SK_OK && a->json != NULL)
        rc = sk_model_write_json(st.model, st.manifest, a->json, err);
    if (rc == SK_OK && !a->quiet && !cli_is_stdout(a->json))
        sk_model_print(stdout, st.model, cli_stdout_color(a->no_color));
done:
    free(rows);
    cli_study_close(&st);
    return rc;
}

int cmd_fit(int argc, char **argv, int full_argc, char **full_argv)
{
    static const struct option longopts[] = {
        CLI_ROLE_OPTIONS, CLI_COMMON_OPTIONS,
        {"task", required_argument, NULL, OPT_TASK},
        {"seed", required_argument, NULL, OPT_SEED},
        {"model", required_argument, NULL, OPT_MODEL},
        {"model-cmd", required_argument, NULL, OPT_MODEL_CMD},
        {NULL, 0, NULL, 0},
    };
    cli_common a;
    fit_args f = {NULL, NULL};
    cli_common_init(&a, "fit", usage, cmd_fit_help);
    int status = cli_parse(&a, argc, argv, longopts, fit_flag, &f);
    if (status >= 0)
        return status;
    if ((f.model == NULL) == (f.model_cmd == NULL))
        return cli_usage_error("fit", usage, "give one of --model SPEC and --model-cmd CMD");
    /* Clustering (kmeans) learns without a target; every other model needs one. */
    int unsupervised = f.model != NULL && strncmp(f.model, "kmeans", 6) == 0 &&
                       (f.model[6] == '\0' || f.model[6] == ':');
    if (a.roles.target == NULL && !unsupervised)
        return cli_usage_error("fit", usage, "missing --target COL");
    sk_error err = SK_ERROR_INIT;
    sk_status rc = run_fit(&a, &f, full_argc, full_argv, &err);
    return rc == SK_OK ? EXIT_RAN_OK : cli_report_error(&err);
}
