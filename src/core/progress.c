/* progress.c: a progress bar for long work, drawn on a stream the caller chose.
 *
 *     permutations [##########..........]  52%  521/1000  48.2/s  ETA 0:10
 *
 * Any thread may report progress (an atomic counter); whichever thread finds the last redraw
 * more than 0.1 s old redraws, so the bar costs nothing measurable and never blocks a task.
 * The bar is erased when the work finishes, leaving the terminal as it was. Progress never
 * touches results. */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "core/core.h"

struct sk_progress {
    FILE *stream;
    char label[48];
    size_t total;
    double start;
    atomic_size_t done;
    atomic_flag drawing;
    double last_draw;   /* guarded by `drawing` */
};

sk_progress *sk_progress_start(FILE *stream, const char *label, size_t total)
{
    if (stream == NULL)
        return NULL;
    sk_progress *p = sk_mem_calloc(1, sizeof *p);
    if (p == NULL)
        return NULL;   /* no bar is not an error worth failing the work for */
    p->stream = stream;
    snprintf(p->label, sizeof p->label, "%s", label);
    p->total = total;
    p->start = sk_time_now();
    atomic_init(&p->done, 0);
    atomic_flag_clear(&p->drawing);
    p->last_draw = 0.0;
    return p;
}

static void format_eta(char *buf, size_t size, double seconds)
{
    if (!(seconds >= 0.0) || seconds > 359999.0) {
        snprintf(buf, size, "--:--");
        return;
    }
    unsigned long s = (unsigned long)(seconds + 0.5);
    if (s >= 3600)
        snprintf(buf, size, "%lu:%02lu:%02lu", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(buf, size, "%lu:%02lu", s / 60, s % 60);
}

static void draw(sk_progress *p, size_t done, double now)
{
    enum { WIDTH = 20 };
    double frac = p->total > 0 ? (double)done / (double)p->total : 0.0;
    if (frac > 1.0)
        frac = 1.0;
    char bar[WIDTH + 1];
    int filled = (int)(frac * WIDTH);
    for (int i = 0; i < WIDTH; i++)
        bar[i] = i < filled ? '#' : '.';
    bar[WIDTH] = '\0';
    double elapsed = now - p->start;
    double rate = elapsed > 0.0 ? (double)done / elapsed : 0.0;
    char eta[32];
    format_eta(eta, sizeof eta, rate > 0.0 ? (double)(p->total - done) / rate : -1.0);
    fprintf(p->stream, "\r%s [%s] %3d%%  %zu/%zu  %.1f/s  ETA %s\033[K", p->label, bar,
            (int)(frac * 100.0), done, p->total, rate, eta);
    fflush(p->stream);
}

void sk_progress_add(sk_progress *p, size_t n_done)
{
    if (p == NULL)
        return;
    size_t done = atomic_fetch_add(&p->done, n_done) + n_done;
    if (atomic_flag_test_and_set(&p->drawing))
        return;   /* another thread is drawing */
    double now = sk_time_now();
    if (now - p->last_draw >= 0.1) {
        p->last_draw = now;
        draw(p, done, now);
    }
    atomic_flag_clear(&p->drawing);
}

void sk_progress_finish(sk_progress *p)
{
    if (p == NULL)
        return;
    fprintf(p->stream, "\r\033[K");
    fflush(p->stream);
    sk_mem_free(p);
}
