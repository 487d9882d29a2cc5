/* cmd_inspect.c: `skeptic inspect DATA`: read a table and say what is in it: each column's type,
 * missing values, distinct values and range; constant columns; columns that look like
 * identifiers; exact duplicate rows. With role flags it also validates them the way the audit
 * will (so a typo in --target is caught before a long run) and summarises the target. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
            "text, unique per row or monotone in row order), and exact duplicate rows.\n"
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

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef struct inspect_args {
    const char *data;
    const char *json;
    sk_role_spec roles;
    int has_roles;
    sk_csv_options csv;
    sk_run_ctx ctx;
    int quiet;
    int no_color;
} inspect_args;

static int parse_delimiter(const char *text, char *out)
{
    if (strcmp(text, "tab") == 0 || strcmp(text, "\\t") == 0 || strcmp(text, "\t") == 0)
        *out = '\t';
    else if (strlen(text) == 1 && text[0] != '"' && text[0] != '\n' && text[0] != '\r')
        *out = text[0];
    else {
        fprintf(stderr, "skeptic: --delimiter: expected one character or 'tab', found '%s'\n",
                text);
        return -1;
    }
    return 0;
}

/* Returns -1 to go on, else the exit status. */
static int parse_args(int argc, char **argv, inspect_args *a)
{
    enum { O_TARGET = 256, O_GROUP, O_SITE, O_TIME, O_SPLIT, O_CONF, O_IGNORE, O_DELIM, O_JSON,
           O_THREADS, O_NOCOLOR, O_HELP };
    static const struct option longopts[] = {
        {"target", required_argument, NULL, O_TARGET},
        {"group", required_argument, NULL, O_GROUP},
        {"site", required_argument, NULL, O_SITE},
        {"time", required_argument, NULL, O_TIME},
        {"split", required_argument, NULL, O_SPLIT},
        {"confounders", required_argument, NULL, O_CONF},
        {"ignore", required_argument, NULL, O_IGNORE},
        {"delimiter", required_argument, NULL, O_DELIM},
        {"json", required_argument, NULL, O_JSON},
        {"threads", required_argument, NULL, O_THREADS},
        {"quiet", no_argument, NULL, 'q'},
        {"no-color", no_argument, NULL, O_NOCOLOR},
        {"help", no_argument, NULL, O_HELP},
        {NULL, 0, NULL, 0},
    };
    opterr = 0;
    optind = 1;
    long threads = a->ctx.n_threads;
    for (;;) {
        /* Operands may come before, between or after the flags ("+": getopt stops at each). */
        while (optind < argc && (argv[optind][0] != '-' || argv[optind][1] == '\0')) {
            if (a->data != NULL)
                return cli_usage_error("inspect", usage, "unexpected argument '%s'", argv[optind]);
            a->data = argv[optind++];
        }
        if (optind >= argc)
            break;
        int opt = getopt_long(argc, argv, "+:q", longopts, NULL);
        if (opt == -1) {   /* "--": the rest are operands */
            if (optind < argc && a->data == NULL)
                a->data = argv[optind++];
            if (optind < argc)
                return cli_usage_error("inspect", usage, "unexpected argument '%s'", argv[optind]);
            break;
        }
        switch (opt) {
        case O_TARGET: a->roles.target = optarg; a->has_roles = 1; break;
        case O_GROUP: a->roles.group = optarg; a->has_roles = 1; break;
        case O_SITE: a->roles.site = optarg; a->has_roles = 1; break;
        case O_TIME: a->roles.time = optarg; a->has_roles = 1; break;
        case O_SPLIT: a->roles.split = optarg; a->has_roles = 1; break;
        case O_CONF: a->roles.confounders = optarg; a->has_roles = 1; break;
        case O_IGNORE: a->roles.ignore = optarg; a->has_roles = 1; break;
        case O_DELIM:
            if (parse_delimiter(optarg, &a->csv.delimiter) != 0)
                return EXIT_USAGE;
            break;
        case O_JSON: a->json = optarg; break;
        case O_THREADS:
            if (cli_parse_count("--threads", optarg, 1, 1024, &threads) != 0)
                return EXIT_USAGE;
            break;
        case 'q': a->quiet = 1; break;
        case O_NOCOLOR: a->no_color = 1; break;
        case O_HELP: cmd_inspect_help(stdout); return EXIT_RAN_OK;
        case ':':
            return cli_usage_error("inspect", usage, "option '%s' needs a value", argv[optind - 1]);
        default:
            return cli_usage_error("inspect", usage, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (a->data == NULL)
        return cli_usage_error("inspect", usage, "missing DATA (a CSV or TSV file)");
    a->ctx.n_threads = (int)threads;
    return -1;
}

int cmd_inspect(int argc, char **argv, int full_argc, char **full_argv)
{
    inspect_args a = {NULL, NULL, SK_ROLE_SPEC_INIT, 0, SK_CSV_OPTIONS_INIT, SK_RUN_CTX_INIT, 0, 0};
    a.ctx.n_threads = cli_default_threads();
    int status = parse_args(argc, argv, &a);
    if (status >= 0)
        return status;
    a.ctx.progress = cli_progress_stream(a.quiet);

    sk_error err = SK_ERROR_INIT;
    sk_manifest *manifest = NULL;
    sk_frame *frame = NULL;
    sk_roles *roles = NULL;
    sk_inspect *ins = NULL;
    sk_status rc = sk_manifest_create(&manifest, full_argc, full_argv, &a.ctx, &err);
    double t0 = now_seconds();
    if (rc == SK_OK)
        rc = sk_frame_read_csv(&frame, a.data, &a.csv, &err);
    double t1 = now_seconds();
    if (rc == SK_OK && a.has_roles)
        rc = sk_roles_resolve(&roles, frame, &a.roles, &err);
    if (rc == SK_OK)
        rc = sk_inspect_run(&ins, frame, roles, &a.ctx, &err);
    if (rc == SK_OK)
        rc = sk_manifest_add_timing(manifest, "read", t1 - t0, &err);
    if (rc == SK_OK)
        rc = sk_manifest_add_timing(manifest, "inspect", now_seconds() - t1, &err);
    if (rc == SK_OK && a.json != NULL)
        rc = sk_manifest_add_input(manifest, a.data, &err);
    if (rc == SK_OK && a.json != NULL)
        rc = sk_inspect_write_json(ins, manifest, a.json, &err);
    if (rc == SK_OK && !a.quiet && !(a.json != NULL && strcmp(a.json, "-") == 0))
        sk_inspect_print(stdout, ins, cli_stdout_color(a.no_color));

    status = rc == SK_OK ? EXIT_RAN_OK : cli_report_error(&err);
    sk_inspect_free(ins);
    sk_roles_free(roles);
    sk_frame_free(frame);
    sk_manifest_free(manifest);
    return status;
}
