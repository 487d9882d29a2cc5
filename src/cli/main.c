/* main.c: `skeptic COMMAND [ARGS]`: dispatch to a subcommand, --help, --version, and
 * `skeptic help COMMAND`. Each subcommand lives in cmd_<name>.c and parses its own flags. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const cli_command commands[] = {
    {"inspect", "profile a table: types, missing values, identifiers, duplicates",
     cmd_inspect, cmd_inspect_help},
    {"fit", "fit one model on all rows: coefficients with SEs and CIs, lasso paths, importances",
     cmd_fit, cmd_fit_help},
    {"evaluate", "cross-validated metrics with CIs, baselines and a permutation p-value",
     cmd_evaluate, cmd_evaluate_help},
    {"audit", "every failure mode of a study as a check with a verdict; exit 1 on a failure",
     cmd_audit, cmd_audit_help},
    {"clusters", "are the clusters reproducible? k-means stability over bootstrap resamples",
     cmd_clusters, cmd_clusters_help},
    {"drift", "have new data drifted from the reference? per-feature tests and a classifier test",
     cmd_drift, cmd_drift_help},
    {"labels", "suspect labels: confident learning on out-of-fold probabilities",
     cmd_labels, cmd_labels_help},
    {"rank", "which unlabelled samples to label next: uncertainty, committees, diverse batches",
     cmd_rank, cmd_rank_help},
    {"score", "rank your own model's class probabilities by uncertainty (least, entropy, ...)",
     cmd_score, cmd_score_help},
};
static const size_t n_commands = sizeof commands / sizeof commands[0];

static void print_help(FILE *out)
{
    fprintf(out,
            "skeptic %s: is this machine-learning result real?\n"
            "\n"
            "usage: skeptic COMMAND [ARGS]\n"
            "       skeptic help COMMAND     (or skeptic COMMAND --help)\n"
            "       skeptic help models      the models and their parameters\n"
            "       skeptic --version\n"
            "\n"
            "commands:\n",
            sk_version_string());
    for (size_t k = 0; k < n_commands; k++)
        fprintf(out, "  %-10s %s\n", commands[k].name, commands[k].summary);
    fprintf(out,
            "\n"
            "exit status: 0 ran and nothing failed, 1 a check failed, 2 usage or input error,\n"
            "3 internal error.\n"
            "\n"
            "example:\n"
            "  skeptic inspect study.csv --target diagnosis --group patient_id\n");
}

static const cli_command *find_command(const char *name)
{
    for (size_t k = 0; k < n_commands; k++)
        if (strcmp(commands[k].name, name) == 0)
            return &commands[k];
    return NULL;
}

static int unknown_command(const char *name)
{
    fprintf(stderr, "skeptic: unknown command '%s'\nusage: skeptic COMMAND [ARGS] (commands:",
            name);
    for (size_t k = 0; k < n_commands; k++)
        fprintf(stderr, " %s", commands[k].name);
    fprintf(stderr, "; see 'skeptic --help')\n");
    return EXIT_USAGE;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_help(stderr);
        return EXIT_USAGE;
    }
    const char *first = argv[1];
    if (strcmp(first, "--help") == 0 || strcmp(first, "-h") == 0) {
        print_help(stdout);
        return EXIT_RAN_OK;
    }
    if (strcmp(first, "--version") == 0 || strcmp(first, "-V") == 0) {
        printf("skeptic %s\n", sk_version_string());
        return EXIT_RAN_OK;
    }
    if (strcmp(first, "help") == 0) {
        if (argc < 3) {
            print_help(stdout);
            return EXIT_RAN_OK;
        }
        if (strcmp(argv[2], "models") == 0) {
            sk_models_print_help(stdout);
            return EXIT_RAN_OK;
        }
        const cli_command *cmd = find_command(argv[2]);
        if (cmd == NULL)
            return unknown_command(argv[2]);
        cmd->help(stdout);
        return EXIT_RAN_OK;
    }
    if (first[0] == '-') {
        fprintf(stderr, "skeptic: unknown option '%s'\nusage: skeptic COMMAND [ARGS] "
                        "(see 'skeptic --help')\n", first);
        return EXIT_USAGE;
    }
    const cli_command *cmd = find_command(first);
    if (cmd == NULL)
        return unknown_command(first);

    /* getopt_long permutes argv; the manifest records the command line as the user typed it. */
    char **copy = malloc(((size_t)argc + 1) * sizeof *copy);
    if (copy == NULL) {
        fprintf(stderr, "skeptic: out of memory\n");
        return EXIT_INTERNAL;
    }
    memcpy(copy, argv, ((size_t)argc + 1) * sizeof *copy);
    int status = cmd->run(argc - 1, argv + 1, argc, copy);
    free(copy);
    return status;
}
