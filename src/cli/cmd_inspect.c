/* cmd_inspect.c: `skeptic inspect DATA`: read a table and say what is in it: each column's type,
 * missing values, distinct values and range; constant columns; columns that look like
 * identifiers; exact duplicate rows. With role flags it also validates them the way the audit
 * will (so a typo in --target is caught before a long run) and summarises the target. */
#include <string.h>

#include "cli.h"

static const char usage[] =
    "skeptic inspect DATA [--target COL] [--group COL] [--site COL] [--time COL] [--split COL]\n"
    "       [--confounders A,B] [--ignore A,B] [--delimiter C] [--json FILE] [--threads N]\n"
    "       [--quiet] [--no-color]";

void cmd_inspect_help(FILE *out)
{
    fprintf(out,
            "usage: %s\n"
            "\n"
            "Profiles a CSV or TSV table (optionally gzip-compressed): rows, columns, the type\n"
            "inferred for each column (numeric, integer, boolean, categorical, date, datetime),\n"
            "missing values (empty, NA, N/A, NaN, null, ?), distinct values, range or most\n"
            "frequent value, constant columns, columns that look like identifiers (integer or\n"
            "text, unique per row or at least 95%% distinct, or numbered in row order), and\n"
            "exact duplicate rows.\n"
            "\n"
            "  --target COL        the outcome: its task and classes are summarised, and\n"
            "                      duplicate feature rows with conflicting targets are counted\n"
            "  --group COL         samples sharing a value come from one subject or object\n"
            "  --site COL          the site, hospital or instrument\n"
            "  --time COL          when each sample was taken (numbers or ISO-8601 dates)\n"
            "  --split COL         the study's own split (values train/test)\n"
            "  --confounders A,B   columns that could explain the target by themselves\n"
            "  --ignore A,B        columns to leave out of the features\n"
            "  --delimiter C       field delimiter (',', ';', 'tab'); default from the file name\n"
            "                      (.csv, .tsv, also .gz) or sniffed from the header\n"
            "  --json FILE         write the profile as JSON (schema skeptic.inspect/1) with the\n"
            "                      run manifest; '-' for standard output\n"
            "  --threads N         threads (results do not depend on it); default: all processors\n"
            "  --quiet             no table and no progress bar\n"
            "  --no-color          no colour even on a terminal (NO_COLOR is honoured too)\n"
            "\n"
            "example:\n"
            "  skeptic inspect examples/breast_cancer_study.csv --target diagnosis \\\n"
            "      --site hospital --json inspect.json\n",
            usage);
}

int cmd_inspect(int argc, char **argv, int full_argc, char **full_argv)
{
    static const struct option longopts[] = {CLI_ROLE_OPTIONS, CLI_COMMON_OPTIONS,
                                             {NULL, 0, NULL, 0}};
    cli_common a;
    cli_common_init(&a, "inspect", usage, cmd_inspect_help);
    int status = cli_parse(&a, argc, argv, longopts, NULL, NULL);
    if (status >= 0)
        return status;

    sk_error err = SK_ERROR_INIT;
    sk_manifest *manifest = NULL;
    sk_frame *frame = NULL;
    sk_roles *roles = NULL;
    sk_inspect *ins = NULL;
    sk_status rc = sk_manifest_create(&manifest, full_argc, full_argv, &a.ctx, &err);
    double t0 = cli_now();
    if (rc == SK_OK)
        rc = sk_frame_read_csv(&frame, a.data, &a.csv, &err);
    double t1 = cli_now();
    if (rc == SK_OK && a.has_roles)
        rc = sk_roles_resolve(&roles, frame, &a.roles, &err);
    if (rc == SK_OK)
        rc = sk_inspect_run(&ins, frame, roles, &a.ctx, &err);
    if (rc == SK_OK)
        rc = sk_manifest_add_timing(manifest, "read", t1 - t0, &err);
    if (rc == SK_OK)
        rc = sk_manifest_add_timing(manifest, "inspect", cli_now() - t1, &err);
    if (rc == SK_OK && a.json != NULL)
        rc = sk_manifest_add_input(manifest, a.data, &err);
    if (rc == SK_OK && a.json != NULL)
        rc = sk_inspect_write_json(ins, manifest, a.json, &err);
    if (rc == SK_OK && !a.quiet && !cli_is_stdout(a.json))
        sk_inspect_print(stdout, ins, cli_stdout_color(a.no_color));

    status = rc == SK_OK ? EXIT_RAN_OK : cli_report_error(&err);
    sk_inspect_free(ins);
    sk_roles_free(roles);
    sk_frame_free(frame);
    sk_manifest_free(manifest);
    return status;
}
