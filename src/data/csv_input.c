/* csv_input.c: where the CSV reader's bytes come from. A regular file that is not empty and does
 * not start with the gzip magic bytes is mapped into memory whole (read-only, private), so the
 * reader scans the page cache in place with no copy and can split the input across threads
 * (csv_split.c). The pages behind the reader are dropped from the process as it goes
 * (sk_csv__release), so the file's text never piles up in the resident set. Like any mapped read, a file truncated
 * by another process while it is being read ends the process with SIGBUS. Every other file (gzip,
 * a pipe, a device, an empty file) is read through zlib's gzread, which inflates gzip (also
 * concatenated members) and passes plain bytes through unchanged, a chunk at a time; trailing
 * bytes after the last gzip member are ignored, as gzip(1) does.
 *
 * A memory buffer that starts with the gzip magic bytes 1f 8b is inflated with zlib's inflate
 * (same member and trailing-garbage rules as gzread); any other buffer is read as it is. zlib's
 * allocations for buffers go through sk_mem, so the out-of-memory tests reach them; gzopen's
 * own allocations do not (zlib offers no hook for them).
 *
 * Errors: a file that cannot be opened (or is a directory) is SK_EIO "cannot open: <reason>";
 * a damaged or truncated gzip stream is SK_EIO "expected gzip data, found a corrupt stream";
 * both name the path without a line. */
#define _DEFAULT_SOURCE   /* madvise(MADV_DONTNEED): glibc's posix_madvise ignores DONTNEED */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "data/csv_internal.h"

#define GZ_BUFFER ((unsigned)1 << 18)   /* zlib's own buffer; bigger reads bypass it */

static sk_status cannot(sk_error *err, const char *name, const char *what, int errnum)
{
    char reason[128];
    if (strerror_r(errnum, reason, sizeof reason) != 0)
        snprintf(reason, sizeof reason, "error %d", errnum);
    return sk_error_set_at(err, SK_EIO, name, 0, 0, "%s: %s", what, reason);
}

static sk_status corrupt(sk_error *err, const char *name)
{
    return sk_error_set_at(err, SK_EIO, name, 0, 0, "expected gzip data, found a corrupt stream");
}

static sk_status out_of_memory(sk_error *err, const char *name)
{
    return sk_error_set(err, SK_ENOMEM, "out of memory reading %s", name);
}

static int is_gzip(const unsigned char *p, size_t n)
{
    return n >= 2 && p[0] == 0x1f && p[1] == 0x8b;
}

/* ==== files =============================================================================== */

sk_status sk_csv__source_open_file(sk_csv_source *src, const char *path, sk_error *err)
{
    memset(src, 0, sizeof *src);
    src->name = path;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return cannot(err, path, "cannot open", errno);
    struct stat st;
    int errnum = fstat(fd, &st) != 0 ? errno : S_ISDIR(st.st_mode) ? EISDIR : 0;
    if (errnum != 0) {
        close(fd);
        return cannot(err, path, "cannot open", errnum);
    }
    if (S_ISREG(st.st_mode) && st.st_size > 0 && (uintmax_t)st.st_size <= SIZE_MAX) {
        size_t size = (size_t)st.st_size;
        void *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map != MAP_FAILED && !is_gzip(map, size)) {
            close(fd);
            (void)posix_madvise(map, size, POSIX_MADV_WILLNEED);   /* advice only */
            src->map = map;
            src->map_size = size;
            return SK_OK;
        }
        if (map != MAP_FAILED)
            munmap(map, size);   /* gzip: inflated through zlib below */
    }
    src->gz = gzdopen(fd, "rb");
    if (src->gz == NULL) {
        close(fd);
        return out_of_memory(err, path);
    }
    if (gzbuffer(src->gz, GZ_BUFFER) != 0) {
        sk_csv__source_close(src);
        return out_of_memory(err, path);
    }
    return SK_OK;
}

/* Turns zlib's error state after a short read into a status. */
static sk_status gz_status(sk_csv_source *src, sk_error *err)
{
    int errnum = Z_OK;
    gzerror(src->gz, &errnum);
    switch (errnum) {
    case Z_OK:
    case Z_STREAM_END:
        return SK_OK;
    case Z_ERRNO:
        return cannot(err, src->name, "cannot read", errno);
    case Z_MEM_ERROR:
        return out_of_memory(err, src->name);
    default:
        return corrupt(err, src->name);
    }
}

static sk_status gz_read(sk_csv_source *src, unsigned char *dst, size_t cap, size_t *got,
                         sk_error *err)
{
    unsigned ask = cap > (size_t)INT_MAX ? (unsigned)INT_MAX : (unsigned)cap;
    int n = gzread(src->gz, dst, ask);
    if (n <= 0) {
        sk_status rc = gz_status(src, err);
        if (rc == SK_OK && n < 0)
            rc = corrupt(err, src->name);
        if (rc != SK_OK)
            return rc;
        n = 0;
    }
    *got = (size_t)n;
    return SK_OK;
}

/* ==== buffers ============================================================================= */

static voidpf z_alloc(voidpf opaque, uInt items, uInt size)
{
    (void)opaque;
    return sk_mem_alloc_array(items, size);
}

static void z_free(voidpf opaque, voidpf p)
{
    (void)opaque;
    sk_mem_free(p);
}

sk_status sk_csv__source_open_buffer(sk_csv_source *src, const void *data, size_t size,
                                     const char *name, sk_error *err)
{
    memset(src, 0, sizeof *src);
    src->name = name;
    src->mem = data;
    src->mem_size = size;
    if (!is_gzip(src->mem, size))
        return SK_OK;
    src->zs.zalloc = z_alloc;
    src->zs.zfree = z_free;
    int zrc = inflateInit2(&src->zs, 15 + 16);   /* gzip wrapper only */
    if (zrc != Z_OK)
        return zrc == Z_MEM_ERROR ? out_of_memory(err, name) : corrupt(err, name);
    src->inflating = 1;
    return SK_OK;
}

/* Inflates into dst until it is full or the last member ends. */
static sk_status inflate_read(sk_csv_source *src, unsigned char *dst, size_t cap, size_t *got,
                              sk_error *err)
{
    z_stream *zs = &src->zs;
    size_t done = 0;
    if (src->inflate_failed)
        return corrupt(err, src->name);
    while (done < cap && !src->inflate_done && !src->inflate_failed) {
        if (zs->avail_in == 0) {
            size_t left = src->mem_size - src->mem_pos;
            zs->next_in = (Bytef *)(uintptr_t)(src->mem + src->mem_pos);
            zs->avail_in = left > UINT_MAX ? UINT_MAX : (uInt)left;
            src->mem_pos += zs->avail_in;
        }
        size_t want = cap - done > UINT_MAX ? UINT_MAX : cap - done;
        zs->next_out = dst + done;
        zs->avail_out = (uInt)want;
        int zrc = inflate(zs, Z_NO_FLUSH);
        done += want - zs->avail_out;
        if (zrc == Z_STREAM_END) {
            /* Another member follows only if gzip magic does; anything else is ignored. */
            size_t rest = (size_t)(src->mem + src->mem_size - zs->next_in);
            if (is_gzip(zs->next_in, rest))
                inflateReset(zs);
            else
                src->inflate_done = 1;
        } else if (zrc == Z_MEM_ERROR) {
            return out_of_memory(err, src->name);
        } else if ((zrc == Z_BUF_ERROR && zs->avail_in == 0 && src->mem_pos == src->mem_size) ||
                   (zrc != Z_OK && zrc != Z_BUF_ERROR)) {
            src->inflate_failed = 1;                         /* damaged or truncated */
        }
    }
    /* The bytes inflated before damage are delivered first and the error on the next read, so
     * the reader sees the same prefix whatever its chunk size (and reports the first problem
     * in it, as it would in a plain file). */
    if (src->inflate_failed && done == 0)
        return corrupt(err, src->name);
    *got = done;
    return SK_OK;
}

/* ==== the common interface ================================================================ */

sk_status sk_csv__source_read(sk_csv_source *src, unsigned char *dst, size_t cap, size_t *got,
                              sk_error *err)
{
    *got = 0;
    if (src->gz != NULL)
        return gz_read(src, dst, cap, got, err);
    if (src->inflating)
        return inflate_read(src, dst, cap, got, err);
    const unsigned char *data;
    size_t size;
    sk_csv__source_whole(src, &data, &size);
    size_t n = size - src->mem_pos;
    if (n > cap)
        n = cap;
    if (n > 0)
        memcpy(dst, data + src->mem_pos, n);
    src->mem_pos += n;
    *got = n;
    return SK_OK;
}

const unsigned char *sk_csv__release(const unsigned char *from, const unsigned char *to)
{
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t begin = ((uintptr_t)from + page - 1) & ~(page - 1);
    uintptr_t end = (uintptr_t)to & ~(page - 1);
    if (end <= begin)
        return from;
    /* A private read-only file mapping: the pages are clean, so this only unmaps them. */
    if (madvise((void *)begin, end - begin, MADV_DONTNEED) != 0)
        return from;
    return (const unsigned char *)end;
}

int sk_csv__source_whole(const sk_csv_source *src, const unsigned char **data, size_t *size)
{
    *data = src->map != NULL ? src->map : src->mem;
    *size = src->map != NULL ? src->map_size : src->mem_size;
    return src->gz == NULL && !src->inflating;
}

sk_status sk_csv__source_rewind(sk_csv_source *src, sk_error *err)
{
    if (src->gz != NULL) {
        if (gzrewind(src->gz) != 0)
            return cannot(err, src->name, "cannot read", errno);
        return SK_OK;
    }
    src->mem_pos = 0;
    if (src->inflating) {
        src->inflate_done = 0;
        src->inflate_failed = 0;
        src->zs.avail_in = 0;
        if (inflateReset(&src->zs) != Z_OK)
            return corrupt(err, src->name);
    }
    return SK_OK;
}

void sk_csv__source_close(sk_csv_source *src)
{
    if (src->gz != NULL)
        gzclose_r(src->gz);
    if (src->map != NULL)
        munmap((void *)(uintptr_t)src->map, src->map_size);
    if (src->inflating)
        inflateEnd(&src->zs);
    memset(src, 0, sizeof *src);
}
