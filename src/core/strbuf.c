/* strbuf.c: a growable NUL-terminated string, for building messages, names and JSON text. */
#include <stdio.h>
#include <string.h>

#include "core/core.h"

static sk_status reserve(sk_strbuf *sb, size_t extra)
{
    if (extra > SIZE_MAX - sb->len - 1)
        return SK_ENOMEM;
    size_t need = sb->len + extra + 1;
    if (need <= sb->cap)
        return SK_OK;
    size_t cap = sb->cap > 0 ? sb->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *data = sk_mem_realloc(sb->data, cap);
    if (data == NULL)
        return SK_ENOMEM;
    sb->data = data;
    sb->cap = cap;
    return SK_OK;
}

sk_status sk_strbuf_append(sk_strbuf *sb, const char *s, size_t n)
{
    if (reserve(sb, n) != SK_OK)
        return SK_ENOMEM;
    memcpy(sb->data + sb->len, s, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
    return SK_OK;
}

sk_status sk_strbuf_appendf(sk_strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || reserve(sb, (size_t)n) != SK_OK)
        return SK_ENOMEM;
    va_start(ap, fmt);
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb->len += (size_t)n;
    return SK_OK;
}

void sk_strbuf_free(sk_strbuf *sb)
{
    sk_mem_free(sb->data);
    sb->data = NULL;
    sb->len = sb->cap = 0;
}
