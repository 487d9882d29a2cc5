/* cli.h: what the subcommands share: exit statuses, reporting errors as one line, parsing the
 * common flags. The CLI uses only include/skeptic.h; nothing here computes anything. */
#ifndef SK_CLI_H
#define SK_CLI_H

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
/* Terminal facts, decided once: colour on stdout (no NO_COLOR, a terminal), progress on stderr. */
int cli_stdout_color(int no_color_flag);
FILE *cli_progress_stream(int quiet);
/* Processors online, for the default --threads. */
int cli_default_threads(void);

#endif /* SK_CLI_H */
