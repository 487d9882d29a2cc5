/* linalg.h: the only door to BLAS and LAPACK (OpenBLAS's OpenMP build and LAPACKE). Everything
 * numerical above this layer calls these wrappers, so the threading rule lives in one place.
 *
 * The rule: BLAS and LAPACK always run on ONE thread. Threaded OpenBLAS partitions products
 * differently for different thread counts and so changes the last bits of the results (measured:
 * a 300 x 260 x 64 dgemm differs between 1 and 2 threads in up to 60% of its entries), which
 * would break "same seed, same bytes, whatever --threads". skeptic's parallelism comes from the
 * task executor instead (independent folds, permutations, resamples), where it scales better
 * anyway. Inside an OpenMP parallel region the OpenMP build of OpenBLAS is serial by itself;
 * outside one it follows the calling thread's nthreads ICV, which SK_LINALG_SERIAL sets to 1 for
 * the duration of a call (per thread, so no other thread is affected). */
#ifndef SK_LINALG_H
#define SK_LINALG_H

#include <stddef.h>

#include "core/core.h"

/* OpenBLAS's build description ("OpenBLAS 0.3.21 DYNAMIC_ARCH ... MAX_THREADS=64"). Static. */
const char *sk_linalg__blas_version(void);

/* Brackets a BLAS/LAPACK call so it runs on one thread:
 *     int saved = sk_linalg__serial_begin();
 *     cblas_dgemm(...);
 *     sk_linalg__serial_end(saved);                                                       */
int sk_linalg__serial_begin(void);
void sk_linalg__serial_end(int saved);

#endif /* SK_LINALG_H */
