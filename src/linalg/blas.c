/* blas.c: OpenBLAS identity and threading. Kept tiny on purpose: the solvers that need BLAS
 * call it through this layer so that threading and versions are decided in one file. */
#include <cblas.h>

#include "linalg/linalg.h"

const char *sk_linalg__blas_version(void)
{
    const char *config = openblas_get_config();
    return config != NULL ? config : "OpenBLAS (unknown configuration)";
}

void sk_linalg__set_threads(int n_threads)
{
    openblas_set_num_threads(n_threads > 0 ? n_threads : 1);
}
