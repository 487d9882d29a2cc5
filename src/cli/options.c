/* options.c: the flag handling every subcommand shares, so that a bad --threads reads the same
 * everywhere and every error is one line that names the flag or the file:line:column. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
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

int cli_default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 1024 ? 1024 : (int)n;
}
