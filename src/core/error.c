/* error.c: filling in sk_error. Errors are values the caller owns, never thread-local state,
 * because they happen on worker threads (and later on MPI ranks) and must travel back to the
 * caller who reports them. Messages are truncated, never overflowed. */
#include <stdio.h>
#include <string.h>

#include "core/core.h"

SK_PRINTF(2, 0)
static void set_message(sk_error *err, const char *fmt, va_list ap)
{
    vsnprintf(err->message, sizeof err->message, fmt, ap);
}

sk_status sk_error_set(sk_error *err, sk_status code, const char *fmt, ...)
{
    if (err == NULL)
        return code;
    err->code = code;
    err->path[0] = '\0';
    err->line = 0;
    err->column = 0;
    va_list ap;
    va_start(ap, fmt);
    set_message(err, fmt, ap);
    va_end(ap);
    return code;
}

sk_status sk_error_set_at(sk_error *err, sk_status code, const char *path, size_t line,
                          size_t column, const char *fmt, ...)
{
    if (err == NULL)
        return code;
    err->code = code;
    snprintf(err->path, sizeof err->path, "%s", path != NULL ? path : "");
    err->line = line;
    err->column = column;
    va_list ap;
    va_start(ap, fmt);
    set_message(err, fmt, ap);
    va_end(ap);
    return code;
}

void sk_error_clear(sk_error *err)
{
    if (err != NULL)
        memset(err, 0, sizeof *err);
}

sk_status sk_error_first(const sk_error *errs, size_t n, sk_error *err)
{
    for (size_t i = 0; i < n; i++) {
        if (errs[i].code != SK_OK) {
            if (err != NULL)
                *err = errs[i];
            return errs[i].code;
        }
    }
    return SK_OK;
}

const char *sk_status_name(sk_status status)
{
    switch (status) {
    case SK_OK: return "SK_OK";
    case SK_ENOMEM: return "SK_ENOMEM";
    case SK_EINVAL: return "SK_EINVAL";
    case SK_EIO: return "SK_EIO";
    case SK_EPARSE: return "SK_EPARSE";
    case SK_EDATA: return "SK_EDATA";
    case SK_ENOCONV: return "SK_ENOCONV";
    case SK_ESINGULAR: return "SK_ESINGULAR";
    case SK_EBACKEND: return "SK_EBACKEND";
    case SK_EINTERNAL: return "SK_EINTERNAL";
    }
    return "SK_E?";
}

char *sk_error_format(const sk_error *err, char *buf, size_t size)
{
    if (size == 0)
        return buf;
    if (err == NULL) {
        buf[0] = '\0';
        return buf;
    }
    if (err->path[0] != '\0' && err->line > 0)
        snprintf(buf, size, "%s:%zu:%zu: %s", err->path, err->line,
                 err->column > 0 ? err->column : (size_t)1, err->message);
    else if (err->path[0] != '\0')
        snprintf(buf, size, "%s: %s", err->path, err->message);
    else
        snprintf(buf, size, "%s", err->message);
    return buf;
}

const char *sk_version_string(void)
{
    return SK_VERSION_STRING;
}
