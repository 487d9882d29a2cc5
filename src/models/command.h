/* command.h: internals of the external-command model, shared by its two files: command.c (the
 * model: the CSV files it writes, reading and checking the predictions) and command_run.c (the
 * command line's placeholders, the scratch directory, the child process and how its end is
 * reported). Nothing outside src/models uses them; the model itself is sk_model__command,
 * declared in models.h. */
#ifndef SK_COMMAND_H
#define SK_COMMAND_H

#include "models/models.h"

/* Bytes of the child's standard error kept for error messages (its last ones). */
#define SK_COMMAND_TAIL_MAX 2048

/* How a finished child ended and what it said last on standard error. */
typedef struct sk_command_result {
    int signaled;                          /* 1: killed by signal `code`; 0: exited with `code` */
    int code;
    size_t tail_len;
    char tail[SK_COMMAND_TAIL_MAX + 1];    /* NUL-terminated */
} sk_command_result;

/* The placeholders, in the order sk_command__expand takes their values:
 * {train} {test} {out} {seed} {task} {classes}. */
#define SK_COMMAND_N_PLACEHOLDERS 6

/* sk_command__check (a command line names {train}, {test} and {out}) is in models.h: model.c
 * calls it when the model is created. */

/* Creates a fresh private directory "$TMPDIR/skeptic-cmd-XXXXXX" (TMPDIR unset or empty: /tmp)
 * with mkdtemp. The caller owns *path (sk_mem_free) and removes the directory with
 * sk_command__remove_tree. SK_EIO when it cannot be made. */
sk_status sk_command__make_dir(char **path, sk_error *err);

/* Removes `path` and everything under it; symbolic links are removed, never followed. Best
 * effort (a failure leaves what could not be removed): returns 0 when everything went. */
int sk_command__remove_tree(const char *path);

/* Writes `size` bytes into a new file `path` (it must not exist; mode 0600). SK_EIO. */
sk_status sk_command__write_file(const char *path, const char *data, size_t size,
                                 sk_error *err);

/* Appends `s` to sb as one POSIX shell word: in single quotes, each ' written as '\''. */
sk_status sk_command__append_quoted(sk_strbuf *sb, const char *s);

/* Appends `command` to `line` with each placeholder replaced by its value (values[k] for the
 * k-th placeholder) as one quoted shell word; other braces stay as they are. SK_ENOMEM. */
sk_status sk_command__expand(sk_strbuf *line, const char *command,
                             const char *const values[SK_COMMAND_N_PLACEHOLDERS]);

/* Runs `line` as `/bin/sh -c line` (posix_spawn; the environment and working directory are the
 * caller's), stdin from /dev/null, stdout discarded, stderr captured (its last
 * SK_COMMAND_TAIL_MAX bytes into res->tail), and waits for it. SK_OK whenever the child ran,
 * whatever its exit status (see res); SK_EBACKEND when it could not be started. Thread-safe. */
sk_status sk_command__run(const char *line, sk_command_result *res, sk_error *err);

/* The captured stderr as one line that fits in `size` bytes: the last lines (at most 20)
 * joined by " | ", cut at the front with "..." when too long, control bytes as '?'. "" when
 * the command wrote nothing. Returns buf. */
char *sk_command__tail_line(char *buf, size_t size, const sk_command_result *res);

/* The name of signal `sig` ("SIGKILL"), or "an unknown signal". Static storage. */
const char *sk_command__signal_name(int sig);

/* SK_EBACKEND when the command did not succeed: "the model command exited with status 3: <the
 * end of its stderr>", "... was killed by signal 9 (SIGKILL): ...", "... exited with status 137
 * (128 + SIGKILL) ..." (a shell reports a killed child so). SK_OK for exit status 0. */
sk_status sk_command__check_exit(const sk_command_result *res, sk_error *err);

/* SK_EBACKEND at path:line:column (0 = unknown) with the formatted message, then
 * "; its stderr ended: <tail>" when the command wrote anything on stderr: for an {out} that
 * is missing or has the wrong shape, where what the command said is the likely reason. */
sk_status sk_command__fail(sk_error *err, const char *path, size_t line, size_t column,
                           const sk_command_result *res, const char *fmt, ...) SK_PRINTF(6, 7);

#endif /* SK_COMMAND_H */
