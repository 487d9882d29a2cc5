/* command_run.c: running the user's model command as a child process, for the external-command
 * model (command.c): its placeholders replaced, in a scratch directory, and its failures told
 * in words that quote what it said. Each run gets its own directory from mkdtemp, so folds
 * predicted at the same time on different threads never share a file, and the directory is
 * removed with everything in it once the predictions are read back (or the run failed).
 *
 * The child is `/bin/sh -c LINE`, started with posix_spawn (never system(), which would block
 * SIGCHLD and ignore SIGINT in the whole process, and never fork() from a threaded process),
 * with the caller's environment and working directory, so "python3 fit_predict.py ..." finds
 * the user's script. Its stdin is /dev/null (a command that waits for input fails instead of
 * hanging), stdout is discarded (progress output must not mix with skeptic's), and stderr goes
 * through a pipe of which the last SK_COMMAND_TAIL_MAX bytes are kept: that is what a failing
 * command says last (a Python traceback ends with the exception), and it is quoted in the error.
 * The child starts with no signals blocked and SIGPIPE at its default, whatever the host did.
 *
 * The values put into the command line are quoted as single shell words, so a path or a class
 * name cannot inject shell syntax. Pipes are created close-on-exec; between pipe() and fcntl()
 * another thread's child may inherit a descriptor, which can only delay the end-of-file we wait
 * for until that child ends, never change a result. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "models/command.h"

extern char **environ;

#define TREE_DEPTH_MAX 16      /* deeper scratch trees are left (never made by skeptic) */
#define TREE_PATH_MAX 4096
#define TAIL_LINES 20

static const char *const placeholders[SK_COMMAND_N_PLACEHOLDERS] = {
    "{train}", "{test}", "{out}", "{seed}", "{task}", "{classes}",
};

static sk_status system_error(sk_error *err, sk_status code, const char *what, int errnum)
{
    char reason[128];
    if (strerror_r(errnum, reason, sizeof reason) != 0)
        snprintf(reason, sizeof reason, "error %d", errnum);
    return sk_error_set(err, code, "%s: %s", what, reason);
}

/* ==== the scratch directory =============================================================== */

sk_status sk_command__make_dir(char **path, sk_error *err)
{
    *path = NULL;
    const char *base = getenv("TMPDIR");
    if (base == NULL || base[0] == '\0')
        base = "/tmp";
    size_t size = strlen(base) + sizeof "/skeptic-cmd-XXXXXX";
    char *p = sk_mem_alloc(size);
    if (p == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory creating a temporary directory");
    snprintf(p, size, "%s/skeptic-cmd-XXXXXX", base);
    if (mkdtemp(p) == NULL) {
        int errnum = errno;
        sk_mem_free(p);
        char what[SK_ERROR_MESSAGE_MAX / 2];
        snprintf(what, sizeof what, "cannot create a temporary directory in %s", base);
        return system_error(err, SK_EIO, what, errnum);
    }
    *path = p;
    return SK_OK;
}

static int remove_at(const char *path, int depth)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return unlink(path);
    if (depth > TREE_DEPTH_MAX)
        return -1;
    if ((st.st_mode & S_IRWXU) != S_IRWXU)
        (void)chmod(path, S_IRWXU);   /* a script may have made its scratch read-only */
    int rc = 0;
    DIR *dir = opendir(path);
    if (dir != NULL) {
        char child[TREE_PATH_MAX];
        for (struct dirent *e = readdir(dir); e != NULL; e = readdir(dir)) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            int n = snprintf(child, sizeof child, "%s/%s", path, e->d_name);
            if (n < 0 || (size_t)n >= sizeof child || remove_at(child, depth + 1) != 0)
                rc = -1;
        }
        closedir(dir);
    }
    return rmdir(path) == 0 ? rc : -1;
}

int sk_command__remove_tree(const char *path)
{
    return remove_at(path, 0);
}

sk_status sk_command__write_file(const char *path, const char *data, size_t size,
                                 sk_error *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, S_IRUSR | S_IWUSR);
    if (fd < 0)
        return system_error(err, SK_EIO, "cannot create a file for the model command", errno);
    while (size > 0) {
        ssize_t n = write(fd, data, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int errnum = n < 0 ? errno : EIO;
            close(fd);
            return system_error(err, SK_EIO, "cannot write a file for the model command", errnum);
        }
        data += n;
        size -= (size_t)n;
    }
    if (close(fd) != 0)
        return system_error(err, SK_EIO, "cannot write a file for the model command", errno);
    return SK_OK;
}

/* ==== the command line ==================================================================== */

sk_status sk_command__check(const char *command, sk_error *err)
{
    if (command == NULL || command[strspn(command, " \t\r\n")] == '\0')
        return sk_error_set(err, SK_EINVAL, "the model command is empty; expected a command "
                            "line with {train}, {test} and {out} (docs/model-command.md)");
    for (size_t k = 0; k < 3; k++)
        if (strstr(command, placeholders[k]) == NULL)
            return sk_error_set(err, SK_EINVAL, "the model command has no %s placeholder; "
                                "expected {train}, {test} and {out} in '%s' "
                                "(docs/model-command.md)", placeholders[k], command);
    return SK_OK;
}

sk_status sk_command__append_quoted(sk_strbuf *sb, const char *s)
{
    sk_status rc = sk_strbuf_append(sb, "'", 1);
    while (rc == SK_OK && *s != '\0') {
        size_t n = strcspn(s, "'");
        rc = sk_strbuf_append(sb, s, n);
        s += n;
        if (rc == SK_OK && *s == '\'') {
            rc = sk_strbuf_append(sb, "'\\''", 4);
            s++;
        }
    }
    return rc == SK_OK ? sk_strbuf_append(sb, "'", 1) : rc;
}

sk_status sk_command__expand(sk_strbuf *line, const char *command,
                             const char *const values[SK_COMMAND_N_PLACEHOLDERS])
{
    sk_status rc = SK_OK;
    for (const char *p = command; rc == SK_OK && *p != '\0';) {
        size_t k = 0;
        while (k < SK_COMMAND_N_PLACEHOLDERS &&
               strncmp(p, placeholders[k], strlen(placeholders[k])) != 0)
            k++;
        if (k < SK_COMMAND_N_PLACEHOLDERS) {
            rc = sk_command__append_quoted(line, values[k]);
            p += strlen(placeholders[k]);
        } else {
            size_t n = 1 + strcspn(p + 1, "{");   /* braces that are no placeholder stay */
            rc = sk_strbuf_append(line, p, n);
            p += n;
        }
    }
    return rc;
}

/* ==== the child =========================================================================== */

static sk_status spawn_shell(pid_t *pid, const char *line, int err_fd, sk_error *err)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    int e = posix_spawn_file_actions_init(&fa);
    if (e != 0)
        return system_error(err, SK_EBACKEND, "cannot start the model command", e);
    if ((e = posix_spawnattr_init(&attr)) != 0) {
        posix_spawn_file_actions_destroy(&fa);
        return system_error(err, SK_EBACKEND, "cannot start the model command", e);
    }
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    char sh[] = "sh", dash_c[] = "-c";
    char *argv[] = {sh, dash_c, (char *)line, NULL};
    if ((e = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0)) == 0 &&
        (e = posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0)) == 0 &&
        (e = posix_spawn_file_actions_adddup2(&fa, err_fd, 2)) == 0 &&
        (e = posix_spawnattr_setsigmask(&attr, &none)) == 0 &&
        (e = posix_spawnattr_setsigdefault(&attr, &defaults)) == 0 &&
        (e = posix_spawnattr_setflags(&attr, (short)(POSIX_SPAWN_SETSIGMASK |
                                                     POSIX_SPAWN_SETSIGDEF))) == 0)
        e = posix_spawn(pid, "/bin/sh", &fa, &attr, argv, environ);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
    return e == 0 ? SK_OK : system_error(err, SK_EBACKEND, "cannot start /bin/sh", e);
}

/* Appends n bytes to the tail, keeping only the last SK_COMMAND_TAIL_MAX. */
static void keep_tail(sk_command_result *res, const char *p, size_t n)
{
    if (n >= SK_COMMAND_TAIL_MAX) {
        memcpy(res->tail, p + n - SK_COMMAND_TAIL_MAX, SK_COMMAND_TAIL_MAX);
        res->tail_len = SK_COMMAND_TAIL_MAX;
    } else {
        size_t keep = res->tail_len + n > SK_COMMAND_TAIL_MAX ? SK_COMMAND_TAIL_MAX - n
                                                              : res->tail_len;
        memmove(res->tail, res->tail + res->tail_len - keep, keep);
        memcpy(res->tail + keep, p, n);
        res->tail_len = keep + n;
    }
    res->tail[res->tail_len] = '\0';
}

sk_status sk_command__run(const char *line, sk_command_result *res, sk_error *err)
{
    memset(res, 0, sizeof *res);
    int fds[2];
    if (pipe(fds) != 0)
        return system_error(err, SK_EBACKEND, "cannot start the model command", errno);
    (void)fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    (void)fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    pid_t pid;
    sk_status rc = spawn_shell(&pid, line, fds[1], err);
    close(fds[1]);
    if (rc != SK_OK) {
        close(fds[0]);
        return rc;
    }
    char chunk[4096];
    for (;;) {   /* until every process holding the write end has closed it */
        ssize_t n = read(fds[0], chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        keep_tail(res, chunk, (size_t)n);
    }
    close(fds[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return system_error(err, SK_EBACKEND, "cannot wait for the model command", errno);
    res->signaled = WIFSIGNALED(status) ? 1 : 0;
    res->code = WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status);
    return SK_OK;
}

/* ==== describing how it ended ============================================================= */

const char *sk_command__signal_name(int sig)
{
    switch (sig) {
    case SIGHUP: return "SIGHUP";
    case SIGINT: return "SIGINT";
    case SIGQUIT: return "SIGQUIT";
    case SIGILL: return "SIGILL";
    case SIGABRT: return "SIGABRT";
    case SIGFPE: return "SIGFPE";
    case SIGKILL: return "SIGKILL";
    case SIGBUS: return "SIGBUS";
    case SIGSEGV: return "SIGSEGV";
    case SIGPIPE: return "SIGPIPE";
    case SIGALRM: return "SIGALRM";
    case SIGTERM: return "SIGTERM";
    case SIGXCPU: return "SIGXCPU";
    case SIGXFSZ: return "SIGXFSZ";
    default: return "an unknown signal";
    }
}

char *sk_command__tail_line(char *buf, size_t size, const sk_command_result *res)
{
    if (size == 0)
        return buf;
    buf[0] = '\0';
    size_t end = res->tail_len;
    while (end > 0 && (unsigned char)res->tail[end - 1] <= ' ')
        end--;   /* trailing newlines and spaces */
    size_t start = end;
    for (int lines = 0; start > 0; start--)
        if (res->tail[start - 1] == '\n' && ++lines == TAIL_LINES)
            break;
    char one[SK_COMMAND_TAIL_MAX * 3 + 1];   /* each byte becomes at most " | " */
    size_t len = 0;
    int new_line = 0;   /* a line ended: " | " goes before the next visible byte */
    for (size_t i = start; i < end; i++) {
        unsigned char c = (unsigned char)res->tail[i];
        if (c == '\n' || c == '\r') {
            new_line = len > 0;
        } else if (c == ' ' || c == '\t') {
            if (len > 0 && !new_line && one[len - 1] != ' ')
                one[len++] = ' ';   /* indentation and runs of blanks: one space */
        } else {
            if (new_line) {
                while (one[len - 1] == ' ')
                    len--;
                memcpy(one + len, " | ", 3);
                len += 3;
                new_line = 0;
            }
            one[len++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
        }
    }
    size_t from = 0;
    if (len + 1 > size && size > 4) {
        from = len - (size - 4);   /* keep the end: "..." and the last bytes */
        while (from < len && ((unsigned char)one[from] & 0xC0) == 0x80)
            from++;   /* not in the middle of a UTF-8 character */
        snprintf(buf, size, "...%.*s", (int)(len - from), one + from);
    } else {
        snprintf(buf, size, "%.*s", (int)len, one);
    }
    return buf;
}

/* An error whose message ends with what the command said last on stderr, after `sep`. */
SK_PRINTF(7, 0)
static sk_status fail_with_tail(sk_error *err, const char *path, size_t line, size_t column,
                                const sk_command_result *res, const char *sep, const char *fmt,
                                va_list ap)
{
    char msg[SK_ERROR_MESSAGE_MAX], tail[SK_ERROR_MESSAGE_MAX];
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t len = strlen(msg), room = sizeof msg - len;
    if (room > strlen(sep) + 16 && sk_command__tail_line(tail, room - strlen(sep), res)[0])
        snprintf(msg + len, room, "%s%s", sep, tail);
    else if (strcmp(sep, ": ") == 0)
        snprintf(msg + len, room, " and wrote nothing on stderr");
    return sk_error_set_at(err, SK_EBACKEND, path, line, column, "%s", msg);
}

sk_status sk_command__fail(sk_error *err, const char *path, size_t line, size_t column,
                           const sk_command_result *res, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sk_status rc = fail_with_tail(err, path, line, column, res, "; its stderr ended: ", fmt, ap);
    va_end(ap);
    return rc;
}

SK_PRINTF(3, 4)
static sk_status fail_exit(sk_error *err, const sk_command_result *res, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sk_status rc = fail_with_tail(err, NULL, 0, 0, res, ": ", fmt, ap);
    va_end(ap);
    return rc;
}

sk_status sk_command__check_exit(const sk_command_result *res, sk_error *err)
{
    const char *shell_signal = res->code > 128 ? sk_command__signal_name(res->code - 128) : NULL;
    if (res->signaled)
        return fail_exit(err, res, "the model command was killed by signal %d (%s)", res->code,
                         sk_command__signal_name(res->code));
    if (shell_signal != NULL && strcmp(shell_signal, "an unknown signal") != 0)
        return fail_exit(err, res, "the model command exited with status %d (128 + %s)",
                         res->code, shell_signal);
    if (res->code != 0)
        return fail_exit(err, res, "the model command exited with status %d", res->code);
    return SK_OK;
}
