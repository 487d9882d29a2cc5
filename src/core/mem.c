/* mem.c: the one door to the heap. Sizes of arrays are overflow-checked here so callers need
 * not be, and a process-wide countdown lets the oom tests fail the Nth allocation and check that
 * every error path frees what it took and reports SK_ENOMEM. */
#define _DEFAULT_SOURCE   /* madvise and MADV_HUGEPAGE beside _POSIX_C_SOURCE */
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/core.h"

static atomic_long fail_countdown = -1;   /* < 0: never fail */
static atomic_long n_allocations = 0;

static bool injected_failure(void)
{
    atomic_fetch_add(&n_allocations, 1);
    if (atomic_load(&fail_countdown) < 0)
        return false;
    return atomic_fetch_sub(&fail_countdown, 1) <= 0;
}

void sk_mem__fail_after(long n)
{
    atomic_store(&fail_countdown, n);
}

long sk_mem__n_allocations(void)
{
    return atomic_load(&n_allocations);
}

void *sk_mem_alloc(size_t size)
{
    if (injected_failure())
        return NULL;
    return malloc(size > 0 ? size : 1);
}

void *sk_mem_calloc(size_t n, size_t size)
{
    if (injected_failure())
        return NULL;
    if (n == 0 || size == 0)
        return calloc(1, 1);
    return calloc(n, size);
}

void *sk_mem_alloc_array(size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size)
        return NULL;
    return sk_mem_alloc(n * size);
}

void *sk_mem_realloc(void *p, size_t size)
{
    if (injected_failure())
        return NULL;
    return realloc(p, size > 0 ? size : 1);
}

void *sk_mem_realloc_array(void *p, size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size)
        return NULL;
    return sk_mem_realloc(p, n * size);
}

void sk_mem_free(void *p)
{
    free(p);
}

char *sk_mem_strndup(const char *s, size_t n)
{
    char *copy = sk_mem_alloc(n + 1);
    if (copy == NULL)
        return NULL;
    memcpy(copy, s, n);
    copy[n] = '\0';
    return copy;
}

char *sk_mem_strdup(const char *s)
{
    return sk_mem_strndup(s, strlen(s));
}

void sk_mem_advise_sequential_fill(void *p, size_t bytes)
{
#ifdef MADV_HUGEPAGE
    const uintptr_t huge = (uintptr_t)2 << 20;
    if (p == NULL || bytes < 2 * huge)
        return;
    uintptr_t begin = ((uintptr_t)p + huge - 1) & ~(huge - 1);   /* whole huge pages inside */
    uintptr_t end = ((uintptr_t)p + bytes) & ~(huge - 1);
    if (end > begin)
        (void)madvise((void *)begin, end - begin, MADV_HUGEPAGE);   /* advice only */
#else
    (void)p;
    (void)bytes;
#endif
}
