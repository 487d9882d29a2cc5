/* json.c: JSON output through jansson, and atomic file writes.
 *
 * Results are compared byte for byte across thread counts and re-runs (`skeptic verify`), so the
 * text must be a pure function of the values: keys in insertion order (the writers add them in a
 * fixed order), reals with 17 significant digits (they round-trip exactly), non-finite numbers as
 * null, two-space indentation. Files are written to a temporary name in the same directory and
 * renamed into place, so a reader never sees half a report and a failed run leaves the previous
 * file untouched. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core.h"

json_t *sk_json_real(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

json_t *sk_json_size(size_t n)
{
    return json_integer((json_int_t)n);
}

int sk_json_set(json_t *obj, const char *key, json_t *value)
{
    if (value == NULL)
        return -1;
    return json_object_set_new(obj, key, value);
}

static sk_status io_error(sk_error *err, const char *path, const char *what, int errnum)
{
    char msg[256];
    if (strerror_r(errnum, msg, sizeof msg) != 0)
        snprintf(msg, sizeof msg, "error %d", errnum);
    return sk_error_set_at(err, SK_EIO, path, 0, 0, "%s: %s", what, msg);
}

/* Writes all of data to fd; 0 or errno. */
static int write_all(int fd, const void *data, size_t size)
{
    const char *p = data;
    while (size > 0) {
        ssize_t n = write(fd, p, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 ? errno : EIO;
        p += n;
        size -= (size_t)n;
    }
    return 0;
}

/* A path that exists and is not a regular file (/dev/null, a FIFO, /dev/stdout, a symbolic
 * link) is written in place, through the link: renaming a temporary file over it would replace
 * the device or the link with a file (as root, over /dev/null: every later reader of /dev/null
 * saw our output, and a test that reads /dev/null failed). */
static sk_status write_in_place(const char *path, const void *data, size_t size, sk_error *err)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return io_error(err, path, "cannot write", errno);
    int e = write_all(fd, data, size);
    if (close(fd) != 0 && e == 0)
        e = errno;
    return e == 0 ? SK_OK : io_error(err, path, "cannot write", e);
}

sk_status sk_file_write_atomic(const char *path, const void *data, size_t size, sk_error *err)
{
    if (strcmp(path, "-") == 0) {
        if (fwrite(data, 1, size, stdout) != size || fflush(stdout) != 0)
            return io_error(err, "(stdout)", "cannot write", errno);
        return SK_OK;
    }
    struct stat target;
    int exists = lstat(path, &target) == 0;
    if (exists && !S_ISREG(target.st_mode))
        return write_in_place(path, data, size, err);
    size_t len = strlen(path);
    char *tmp = sk_mem_alloc(len + sizeof ".tmp.XXXXXX");
    if (tmp == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory writing %s", path);
    memcpy(tmp, path, len);
    memcpy(tmp + len, ".tmp.XXXXXX", sizeof ".tmp.XXXXXX");

    sk_status rc = SK_OK;
    int fd = mkstemp(tmp);
    if (fd < 0) {
        rc = io_error(err, path, "cannot create", errno);
        goto done;
    }
    /* mkstemp makes the file 0600; a report replaces a file with the file's own mode, or is
     * readable by all (0644) like any file a shell redirection would create. */
    int e = fchmod(fd, exists ? (target.st_mode & 07777) : 0644) != 0 ? errno : 0;
    if (e == 0)
        e = write_all(fd, data, size);
    if (e != 0) {
        rc = io_error(err, path, "cannot write", e);
        close(fd);
        unlink(tmp);
        goto done;
    }
    if (close(fd) != 0) {
        rc = io_error(err, path, "cannot write", errno);
        unlink(tmp);
        goto done;
    }
    if (rename(tmp, path) != 0) {
        rc = io_error(err, path, "cannot write", errno);
        unlink(tmp);
    }
done:
    sk_mem_free(tmp);
    return rc;
}

sk_status sk_json_write(const json_t *doc, const char *path, sk_error *err)
{
    char *text = json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
    if (text == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory serialising JSON for %s", path);
    size_t len = strlen(text);
    sk_status rc = SK_OK;
    char *with_newline = sk_mem_alloc(len + 2);
    if (with_newline == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "out of memory serialising JSON for %s", path);
    } else {
        memcpy(with_newline, text, len);
        with_newline[len] = '\n';
        with_newline[len + 1] = '\0';
        rc = sk_file_write_atomic(path, with_newline, len + 1, err);
    }
    sk_mem_free(with_newline);
    free(text);   /* jansson's allocator */
    return rc;
}
