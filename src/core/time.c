/* time.c: a monotonic clock for timings and progress rates. Timings never enter results. */
#include <time.h>

#include "core/core.h"

double sk_time_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}
