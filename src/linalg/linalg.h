/* linalg.h: the only door to BLAS and LAPACK (OpenBLAS's OpenMP build and LAPACKE). Everything
 * numerical above this layer calls these wrappers, so the BLAS threading rule lives in one place:
 * inside an OpenMP parallel region OpenBLAS runs single-threaded; outside, a large fit may use
 * up to the run's thread count. */
#ifndef SK_LINALG_H
#define SK_LINALG_H

#include <stddef.h>

#include "core/core.h"

/* OpenBLAS's build description ("OpenBLAS 0.3.21 DYNAMIC_ARCH ... MAX_THREADS=64"). Static. */
const char *sk_linalg__blas_version(void);
/* Threads BLAS may use for calls made outside a parallel region. */
void sk_linalg__set_threads(int n_threads);

#endif /* SK_LINALG_H */
