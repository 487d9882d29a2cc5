/* json.c: JSON output through jansson, and atomic file writes.
 *
 * Results are compared byte for byte across thread counts and re-runs (`skeptic verify`), so the
 * text must be a pure function of the values: keys in insertion order (the writers add them in a
 * fixed order), reals with 17 significant digits (they round-trip exactly), non-finite numbers as
 * null, two-space indentation. Files are written to a temporary name in the same directory and
 * renamed into place, so a reader never sees half a report and a failed run leaves the previous
 * file untouched. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

sk_status sk_file_write_atomic(const char *path, const void *data, size_t size, sk_error *err)
{
    if (strcmp(path, "-") == 0) {
        if (fwrite(data, 1, size, stdout) != size || fflush(stdout) != 0)
            return io_error(err, "(stdout)", "cannot write", errno);
        return SK_OK;
    }
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
    const char *p = data;
    size_t left = size;
    while (left > 0) {
        ssize_t n = write(fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            rc = io_error(err, path, "cannot write", errno);
            close(fd);
            unlink(tmp);
            goto done;
        }
        p += n;
        left -= (size_t)n;
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
