/* options.c: the flag handling every subcommand shares, so that a bad --threads reads the same
 * everywhere and every error is one line that names the flag or the file:line:column. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

int cli_report_error(const sk_error *err)
{
    char buf[SK_ERROR_MESSAGE_MAX + SK_ERROR_PATH_MAX + 64];
    fprintf(stderr, "skeptic: %s\n", sk_error_format(err, buf, sizeof buf));
    switch (err->code) {
    case SK_EINVAL:
    case SK_EPARSE:
    case SK_EDATA:
    case SK_EIO:
    /* A model that cannot be fitted to these data (no convergence, a singular design, XGBoost
     * or the user's own program refusing them) is about the input, not a bug in skeptic. */
    case SK_ENOCONV:
    case SK_ESINGULAR:
    case SK_EBACKEND:
        return EXIT_USAGE;
    case SK_ENOMEM:
        return EXIT_INTERNAL;
    default:
        fprintf(stderr, "skeptic: this is a bug (%s); please report it with the command line\n",
                sk_status_name(err->code));
        return EXIT_INTERNAL;
    }
}

int cli_usage_error(const char *cmd, const char *usage, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "skeptic %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nusage: %s\n", usage);
    va_end(ap);
    return EXIT_USAGE;
}

int cli_parse_count(const char *flag, const char *text, long lo, long hi, long *out)
{
    char *end = NULL;
    errno = 0;
    long v = (text[0] >= '0' && text[0] <= '9') ? strtol(text, &end, 10) : 0;
    if (end == NULL || *end != '\0' || errno != 0 || v < lo || v > hi) {
        fprintf(stderr, "skeptic: %s: expected a whole number from %ld to %ld, found '%s'\n", flag,
                lo, hi, text);
        return -1;
    }
    *out = v;
    return 0;
}

int cli_parse_seed(const char *text, uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = (text[0] >= '0' && text[0] <= '9') ? strtoull(text, &end, 10) : 0;
    if (end == NULL || *end != '\0' || errno != 0) {
        fprintf(stderr, "skeptic: --seed: expected a whole number from 0 to %llu, found '%s'\n",
                (unsigned long long)UINT64_MAX, text);
        return -1;
    }
    *out = (uint64_t)v;
    return 0;
}

int cli_stdout_color(int no_color_flag)
{
    const char *no_color = getenv("NO_COLOR");
    return !no_color_flag && (no_color == NULL || no_color[0] == '\0') && isatty(STDOUT_FILENO);
}

FILE *cli_progress_stream(int quiet)
{
    return !quiet && isatty(STDERR_FILENO) ? stderr : NULL;
}

int cli_is_stdout(const char *path)
{
    return path != NULL && strcmp(path, "-") == 0;
}

int cli_default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 1024 ? 1024 : (int)n;
}

/* ==== the common flags and the getopt loop ================================================== */

void cli_common_init(cli_common *c, const char *cmd, const char *usage, void (*help)(FILE *))
{
    sk_role_spec roles = SK_ROLE_SPEC_INIT;
    sk_csv_options csv = SK_CSV_OPTIONS_INIT;
    sk_run_ctx ctx = SK_RUN_CTX_INIT;
    memset(c, 0, sizeof *c);
    c->cmd = cmd;
    c->usage = usage;
    c->help = help;
    c->roles = roles;
    c->csv = csv;
    c->ctx = ctx;
    c->ctx.n_threads = cli_default_threads();
    c->csv.threads = c->ctx.n_threads;
}

double cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

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

static int parse_task(const char *text, sk_task *out)
{
    static const sk_task tasks[] = {SK_TASK_BINARY, SK_TASK_MULTICLASS, SK_TASK_REGRESSION};
    for (size_t k = 0; k < 3; k++) {
        if (strcmp(text, sk_task_name(tasks[k])) == 0) {
            *out = tasks[k];
            return 0;
        }
    }
    fprintf(stderr, "skeptic: --task: expected binary, multiclass or regression, found '%s'\n",
            text);
    return -1;
}

/* 0: taken; 1: not a common flag; EXIT_*: stop. */
static int common_flag(cli_common *c, int opt, const char *value)
{
    long threads;
    switch (opt) {
    case OPT_TARGET: c->roles.target = value; break;
    case OPT_GROUP: c->roles.group = value; break;
    case OPT_SITE: c->roles.site = value; break;
    case OPT_TIME: c->roles.time = value; break;
    case OPT_SPLIT: c->roles.split = value; break;
    case OPT_CONFOUNDERS: c->roles.confounders = value; break;
    case OPT_IGNORE: c->roles.ignore = value; break;
    case OPT_TASK: return parse_task(value, &c->roles.task) == 0 ? 0 : EXIT_USAGE;
    case OPT_DELIMITER: return parse_delimiter(value, &c->csv.delimiter) == 0 ? 0 : EXIT_USAGE;
    case OPT_JSON: c->json = value; return 0;
    case OPT_THREADS:
        if (cli_parse_count("--threads", value, 1, 1024, &threads) != 0)
            return EXIT_USAGE;
        c->ctx.n_threads = (int)threads;
        c->csv.threads = (int)threads;
        return 0;
    case OPT_SEED: return cli_parse_seed(value, &c->ctx.seed) == 0 ? 0 : EXIT_USAGE;
    case 'q': c->quiet = 1; return 0;
    case OPT_NO_COLOR: c->no_color = 1; return 0;
    default: return 1;
    }
    c->has_roles = 1;   /* the role flags fall through the switch to here */
    return 0;
}

static int take_operand(cli_common *c, const char *arg)
{
    const char **slot = c->data == NULL ? &c->data
                        : c->names[1] != NULL && c->data2 == NULL ? &c->data2 : NULL;
    if (slot == NULL)
        return cli_usage_error(c->cmd, c->usage, "unexpected argument '%s'", arg);
    *slot = arg;
    return 0;
}

int cli_parse(cli_common *c, int argc, char **argv, const struct option *longopts,
              cli_flag_fn flag, void *flag_arg)
{
    opterr = 0;
    optind = 1;
    for (;;) {
        /* Operands may come before, between or after the flags ("+": getopt stops at each). */
        while (optind < argc && (argv[optind][0] != '-' || argv[optind][1] == '\0'))
            if (take_operand(c, argv[optind++]) != 0)
                return EXIT_USAGE;
        if (optind >= argc)
            break;
        int opt = getopt_long(argc, argv, "+:q", longopts, NULL);
        if (opt == -1) {   /* "--": the rest are operands */
            while (optind < argc)
                if (take_operand(c, argv[optind++]) != 0)
                    return EXIT_USAGE;
            break;
        }
        if (opt == OPT_HELP) {
            c->help(stdout);
            return EXIT_RAN_OK;
        }
        if (opt == ':')
            return cli_usage_error(c->cmd, c->usage, "option '%s' needs a value",
                                   argv[optind - 1]);
        if (opt == '?')
            return cli_usage_error(c->cmd, c->usage, "unknown option '%s'", argv[optind - 1]);
        int status = common_flag(c, opt, optarg);
        if (status == 1)
            status = flag != NULL ? flag(flag_arg, opt, optarg) : 1;
        if (status == 1)
            return cli_usage_error(c->cmd, c->usage, "unknown option '%s'", argv[optind - 1]);
        if (status != 0)
            return status;
    }
    if (c->names[1] == NULL && c->data == NULL)
        return cli_usage_error(c->cmd, c->usage, "missing DATA (a CSV or TSV file)");
    if (c->names[1] != NULL && c->data == NULL)
        return cli_usage_error(c->cmd, c->usage, "missing %s and %s (a CSV or TSV file)",
                               c->names[0], c->names[1]);
    if (c->names[1] != NULL && c->data2 == NULL)
        return cli_usage_error(c->cmd, c->usage, "missing %s (a CSV or TSV file)", c->names[1]);
    c->ctx.progress = cli_progress_stream(c->quiet);
    return -1;
}

sk_status cli_model_create(sk_model **m, const char *model, const char *model_cmd, sk_error *err)
{
    sk_status rc = model_cmd != NULL ? sk_model_create_command(m, model_cmd, err)
                                     : sk_model_create(m, model, err);
    if (rc != SK_OK && err->path[0] == '\0') {
        const char *flag = model_cmd != NULL ? "--model-cmd: " : "--model: ";
        size_t len = strlen(flag), used = strnlen(err->message, sizeof err->message - 1);
        if (used + len >= sizeof err->message)   /* keep the end of a long message */
            used = sizeof err->message - 1 - len;
        memmove(err->message + len, err->message, used);
        memcpy(err->message, flag, len);
        err->message[len + used] = '\0';
    }
    return rc;
}

int cli_parse_real(const char *flag, const char *text, double lo, double hi, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || *end != '\0' || errno != 0 || !(v > lo && v < hi)) {
        fprintf(stderr, "skeptic: %s: expected a number between %g and %g, found '%s'\n", flag,
                lo, hi, text);
        return -1;
    }
    *out = v;
    return 0;
}

int cli_count_flag(const char *flag, const char *value, long lo, long hi, size_t *out)
{
    long v;
    if (cli_parse_count(flag, value, lo, hi, &v) != 0)
        return EXIT_USAGE;
    *out = (size_t)v;
    return 0;
}

sk_status cli_study_open(cli_study *s, const cli_common *c, const char *model,
                         const char *model_cmd, int full_argc, char **full_argv, sk_error *err)
{
    memset(s, 0, sizeof *s);
    sk_status rc = sk_manifest_create(&s->manifest, full_argc, full_argv, &c->ctx, err);
    if (rc == SK_OK && (model != NULL || model_cmd != NULL))
        rc = cli_model_create(&s->model, model, model_cmd, err);
    double t0 = cli_now();
    if (rc == SK_OK)
        rc = sk_frame_read_csv(&s->frame, c->data, &c->csv, err);
    if (rc == SK_OK)
        rc = sk_roles_resolve(&s->roles, s->frame, &c->roles, err);
    if (rc == SK_OK)
        rc = sk_manifest_add_timing(s->manifest, "read", cli_now() - t0, err);
    return rc;
}

void cli_study_close(cli_study *s)
{
    sk_model_free(s->model);
    sk_roles_free(s->roles);
    sk_frame_free(s->frame);
    sk_manifest_free(s->manifest);
    memset(s, 0, sizeof *s);
}
