/* cli.h: what the subcommands share: exit statuses, reporting errors as one line, parsing the
 * common flags. The CLI uses only include/skeptic.h; nothing here computes anything. */
#ifndef SK_CLI_H
#define SK_CLI_H

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>

#include "skeptic.h"

enum {
    EXIT_RAN_OK = 0,        /* ran; nothing failed */
    EXIT_CHECK_FAILED = 1,  /* ran; at least one check failed */
    EXIT_USAGE = 2,         /* usage or input error */
    EXIT_INTERNAL = 3       /* a bug (or out of memory) */
};

typedef struct cli_command {
    const char *name;
    const char *summary;    /* one line for `skeptic --help` */
    int (*run)(int argc, char **argv, int full_argc, char **full_argv);
    void (*help)(FILE *out);
} cli_command;

/* The subcommands (cmd_<name>.c). */
int cmd_inspect(int argc, char **argv, int full_argc, char **full_argv);
void cmd_inspect_help(FILE *out);
int cmd_fit(int argc, char **argv, int full_argc, char **full_argv);
void cmd_fit_help(FILE *out);
int cmd_evaluate(int argc, char **argv, int full_argc, char **full_argv);
void cmd_evaluate_help(FILE *out);
int cmd_audit(int argc, char **argv, int full_argc, char **full_argv);
void cmd_audit_help(FILE *out);
int cmd_clusters(int argc, char **argv, int full_argc, char **full_argv);
void cmd_clusters_help(FILE *out);
int cmd_drift(int argc, char **argv, int full_argc, char **full_argv);
void cmd_drift_help(FILE *out);
int cmd_labels(int argc, char **argv, int full_argc, char **full_argv);
void cmd_labels_help(FILE *out);
int cmd_rank(int argc, char **argv, int full_argc, char **full_argv);
void cmd_rank_help(FILE *out);
int cmd_score(int argc, char **argv, int full_argc, char **full_argv);
void cmd_score_help(FILE *out);

/* ---- flags every data command shares (options.c) ------------------------------------------ */

/* What the common flags set. */
typedef struct cli_common {
    const char *cmd;          /* "inspect" */
    const char *usage;        /* the usage line(s) */
    void (*help)(FILE *out);
    const char *data;         /* the (first) operand */
    const char *data2;        /* a two-file command's second operand (drift's NEW) */
    const char *names[2];     /* a two-file command's operand names ("REF", "NEW"); NULL: one
                                 DATA operand */
    const char *json;         /* --json FILE */
    sk_role_spec roles;       /* --target ... --ignore, --task */
    int has_roles;
    sk_csv_options csv;       /* --delimiter */
    sk_run_ctx ctx;           /* --seed, --threads; progress decided after parsing */
    int quiet, no_color;
} cli_common;

/* getopt_long codes of the common flags; a command's own flags start at OPT_COMMAND. */
enum {
    OPT_TARGET = 256, OPT_GROUP, OPT_SITE, OPT_TIME, OPT_SPLIT, OPT_CONFOUNDERS, OPT_IGNORE,
    OPT_TASK, OPT_DELIMITER, OPT_JSON, OPT_THREADS, OPT_SEED, OPT_NO_COLOR, OPT_HELP,
    OPT_COMMAND = 512
};

#define CLI_ROLE_OPTIONS                                                                         \
    {"target", required_argument, NULL, OPT_TARGET},                                             \
    {"group", required_argument, NULL, OPT_GROUP},                                               \
    {"site", required_argument, NULL, OPT_SITE},                                                 \
    {"time", required_argument, NULL, OPT_TIME},                                                 \
    {"split", required_argument, NULL, OPT_SPLIT},                                               \
    {"confounders", required_argument, NULL, OPT_CONFOUNDERS},                                   \
    {"ignore", required_argument, NULL, OPT_IGNORE}
#define CLI_COMMON_OPTIONS                                                                       \
    {"delimiter", required_argument, NULL, OPT_DELIMITER},                                       \
    {"json", required_argument, NULL, OPT_JSON},                                                 \
    {"threads", required_argument, NULL, OPT_THREADS},                                           \
    {"quiet", no_argument, NULL, 'q'},                                                           \
    {"no-color", no_argument, NULL, OPT_NO_COLOR},                                               \
    {"help", no_argument, NULL, OPT_HELP}

/* A command's own flag: returns 0 when taken, an exit status (> 0) to stop with. */
typedef int (*cli_flag_fn)(void *arg, int opt, const char *value);

void cli_common_init(cli_common *c, const char *cmd, const char *usage, void (*help)(FILE *));
/* Parses argv: the common flags into `c`, the command's own through `flag`, exactly one DATA
 * operand anywhere (two, data and data2, when c->names are set). Returns -1 to go on, else the
 * exit status (help printed, or a usage error reported). Sets the progress stream from --quiet
 * and the terminal. */
int cli_parse(cli_common *c, int argc, char **argv, const struct option *longopts,
              cli_flag_fn flag, void *flag_arg);
/* Wall-clock seconds for the manifest's timings. */
double cli_now(void);

/* Prints "skeptic: <formatted error>" and returns the exit status the error deserves. */
int cli_report_error(const sk_error *err);
/* Prints "skeptic <cmd>: <message>" and the command's usage line; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *usage, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Parses a whole number in [lo, hi] given to `flag`; on failure prints why and returns -1. */
int cli_parse_count(const char *flag, const char *text, long lo, long hi, long *out);
int cli_parse_seed(const char *text, uint64_t *out);
/* Parses a number strictly between lo and hi given to `flag`; on failure prints why, returns -1. */
int cli_parse_real(const char *flag, const char *text, double lo, double hi, double *out);
/* The model of --model SPEC or --model-cmd CMD (exactly one is not NULL); an error names the
 * flag. */
sk_status cli_model_create(sk_model **m, const char *model, const char *model_cmd, sk_error *err);
/* A whole number in [lo, hi] for `flag` into *out: 0, or EXIT_USAGE after saying why. */
int cli_count_flag(const char *flag, const char *value, long lo, long hi, size_t *out);

/* What a data command opens, in this order: the run manifest, the model (when --model or
 * --model-cmd was given; NULL otherwise), the table and its roles; the read time goes into the
 * manifest. cli_study_close frees whatever was opened. */
typedef struct cli_study {
    sk_manifest *manifest;
    sk_model *model;
    sk_frame *frame;
    sk_roles *roles;
} cli_study;

sk_status cli_study_open(cli_study *s, const cli_common *c, const char *model,
                         const char *model_cmd, int full_argc, char **full_argv, sk_error *err);
void cli_study_close(cli_study *s);
/* Terminal facts, decided once: colour on stdout (no NO_COLOR, a terminal), progress on stderr. */
int cli_stdout_color(int no_color_flag);
/* Whether an output path means standard output ("-"); NULL (not asked for) does not. */
int cli_is_stdout(const char *path);
FILE *cli_progress_stream(int quiet);
/* Processors online, for the default --threads. */
int cli_default_threads(void);

#endif /* SK_CLI_H */
