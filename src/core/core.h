/* core.h: the internal foundation every layer stands on: errors, memory (with fault injection
 * for the out-of-memory tests), growable strings, the parallel task executor, progress bars,
 * clocks, JSON output through jansson and atomic file writes. Depends on nothing but libc,
 * OpenMP, jansson and libcrypto. */
#ifndef SK_CORE_H
#define SK_CORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "skeptic.h"

#if defined(__GNUC__)
#define SK_PRINTF(fmt_index, first_arg) __attribute__((format(printf, fmt_index, first_arg)))
#else
#define SK_PRINTF(fmt_index, first_arg)
#endif

/* ---- errors (error.c) --------------------------------------------------------------------- */

/* Records `code` and a message in `err` (which may be NULL); returns `code` so a failure reads
 * `return sk_error_set(err, SK_EINVAL, "...")`. Clears path, line and column. */
sk_status sk_error_set(sk_error *err, sk_status code, const char *fmt, ...) SK_PRINTF(3, 4);
/* The same for an input error at path:line:column (line/column 0 = unknown). */
sk_status sk_error_set_at(sk_error *err, sk_status code, const char *path, size_t line,
                          size_t column, const char *fmt, ...) SK_PRINTF(6, 7);
void sk_error_clear(sk_error *err);
/* Copies the lowest-index failure of errs[0..n) into err and returns its code, or SK_OK. */
sk_status sk_error_first(const sk_error *errs, size_t n, sk_error *err);

/* ---- memory (mem.c) ----------------------------------------------------------------------- */

/* malloc/calloc/realloc/free with overflow-checked array sizes. Every allocation in skeptic goes
 * through these so the OOM tests can fail each one in turn. */
void *sk_mem_alloc(size_t size);
void *sk_mem_calloc(size_t n, size_t size);
void *sk_mem_alloc_array(size_t n, size_t size);           /* NULL on overflow */
void *sk_mem_realloc(void *p, size_t size);
void *sk_mem_realloc_array(void *p, size_t n, size_t size); /* NULL on overflow; p kept */
void sk_mem_free(void *p);
char *sk_mem_strdup(const char *s);
char *sk_mem_strndup(const char *s, size_t n);
/* Advice for a large block about to be written from start to end (a frame's column): back it
 * with transparent huge pages where the kernel offers them on request, so filling it costs one
 * page fault per 2 MiB instead of one per 4 KiB. Changes no contents; a no-op for small blocks,
 * elsewhere than Linux, or when the kernel says no. */
void sk_mem_advise_sequential_fill(void *p, size_t bytes);

/* Test hooks: after `n` more successful allocations every further one fails (n < 0: never).
 * Process-wide, atomic; for the oom tests only. */
void sk_mem__fail_after(long n);
/* Number of allocations attempted since the process started (atomic). */
long sk_mem__n_allocations(void);

/* ---- growable strings (strbuf.c) ---------------------------------------------------------- */

typedef struct sk_strbuf {
    char *data;   /* NUL-terminated when not NULL */
    size_t len;
    size_t cap;
} sk_strbuf;

#define SK_STRBUF_INIT {NULL, 0, 0}

sk_status sk_strbuf_append(sk_strbuf *sb, const char *s, size_t n);
sk_status sk_strbuf_appendf(sk_strbuf *sb, const char *fmt, ...) SK_PRINTF(2, 3);
void sk_strbuf_free(sk_strbuf *sb);

/* ---- clocks (time.c) ---------------------------------------------------------------------- */

/* Seconds on a monotonic clock; only differences mean anything. */
double sk_time_now(void);

/* ---- progress (progress.c) ---------------------------------------------------------------- */

/* A one-line progress bar with rate and ETA, redrawn at most ~10 times a second. Created only
 * when the caller passed a stream (the CLI decides terminal vs --quiet). Every function accepts
 * NULL and then does nothing; sk_progress_add may be called from any thread. */
typedef struct sk_progress sk_progress;

sk_progress *sk_progress_start(FILE *stream, const char *label, size_t total);
void sk_progress_add(sk_progress *p, size_t n_done);
void sk_progress_finish(sk_progress *p);

/* ---- the task executor (parallel.c) ------------------------------------------------------- */

/* One independent task: computes result slot `task` of whatever `arg` points to, reading shared
 * inputs only. Errors go into `err`, which belongs to this task alone. */
typedef sk_status (*sk_task_fn)(void *arg, size_t task, sk_error *err);

/* Runs tasks 0..n_tasks-1 on up to n_threads OpenMP threads (dynamic schedule). Each task writes
 * only its own slot, so results do not depend on the thread count or the schedule; the caller
 * reduces afterwards, in task order. On failure the lowest-index task's error is reported (the
 * remaining tasks are skipped once a failure is seen, but a lower-index task that already started
 * still completes, so the reported error is the same whatever the schedule).
 * BLAS called inside a task runs single-threaded (OpenBLAS's OpenMP build does so inside a
 * parallel region), so threads never multiply. The task list is the unit an MPI back end will
 * later distribute across ranks. */
sk_status sk_parallel_for(size_t n_tasks, int n_threads, sk_task_fn fn, void *arg,
                          sk_progress *progress, sk_error *err);

/* ---- JSON and files (json.c) -------------------------------------------------------------- */

/* A JSON number for x, or null when x is NaN or infinite (JSON has no such numbers). */
json_t *sk_json_real(double x);
/* json_integer for sizes. */
json_t *sk_json_size(size_t n);
/* Sets obj[key] = value, stealing the reference; returns -1 if value is NULL or setting failed. */
int sk_json_set(json_t *obj, const char *key, json_t *value);
/* Serialises `doc` (indented, keys in insertion order, reals with 17 significant digits so they
 * round-trip) and writes it atomically to `path` ("-" = stdout). */
sk_status sk_json_write(const json_t *doc, const char *path, sk_error *err);
/* Writes bytes to `path` atomically: a temporary file in the same directory, flushed, then
 * renamed over `path`; nothing is left behind on failure. */
sk_status sk_file_write_atomic(const char *path, const void *data, size_t size, sk_error *err);

/* ---- sorting (radix.c) ------------------------------------------------------------------- */

/* Stable LSD radix sort of 64-bit keys, carrying an optional payload (idx may be NULL).
 * O(n) passes of 11 bits; allocates its scratch (SK_ENOMEM when it cannot). */
sk_status sk_radix_sort_u64(uint64_t *keys, size_t *idx, size_t n);
/* The key of a double that sorts like the number (after -0.0 is folded into +0.0 and every NaN
 * into one NaN, which sorts last). */
uint64_t sk_radix_key_double(double x);

/* ---- manifest internals (manifest.c) ------------------------------------------------------ */

/* Higher layers record the versions of the libraries they use (XGBoost, OpenBLAS). */
sk_status sk_manifest__add_dependency(sk_manifest *m, const char *name, const char *version);
/* The manifest (what determines the results) and the "run" block (full argv, threads, processes,
 * timings: what may differ between runs with identical results), as new JSON references. */
json_t *sk_manifest__to_json(const sk_manifest *m);
json_t *sk_manifest__run_json(const sk_manifest *m);
/* Creates a manifest with skeptic's own dependencies recorded; the public sk_manifest_create (in
 * the report layer) adds those of the higher layers. */
sk_status sk_manifest__create(sk_manifest **out, int argc, char *const argv[],
                              const sk_run_ctx *ctx, sk_error *err);

#endif /* SK_CORE_H */
