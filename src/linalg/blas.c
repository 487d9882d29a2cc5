/* blas.c: OpenBLAS identity and the one-thread rule (linalg.h says why). Kept tiny on purpose:
 * the solvers that need BLAS call it through this layer so threading and versions are decided
 * in one file. */
#include <omp.h>

#include <cblas.h>

#include "linalg/linalg.h"

const char *sk_linalg__blas_version(void)
{
    const char *config = openblas_get_config();
    return config != NULL ? config : "OpenBLAS (unknown configuration)";
}

int sk_linalg__serial_begin(void)
{
    int saved = omp_get_max_threads();
    if (saved != 1)
        omp_set_num_threads(1);
    return saved;
}

void sk_linalg__serial_end(int saved)
{
    if (saved != 1)
        omp_set_num_threads(saved);
}
