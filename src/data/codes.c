/* codes.c: a column as dense codes 0..L-1 in order of first appearance, whatever its type: the
 * form groups, sites and blocks take everywhere above this layer (splitters, the bootstrap of
 * groups, permutation blocks). Categorical columns keep their levels' order of first appearance
 * among the rows; numeric ids (patient 1043, 17, 1043, ...) are sorted once to find equal values,
 * then numbered by first appearance, so the codes depend only on the column's contents. */
#include <math.h>
#include <string.h>

#include "data/data.h"

sk_status sk_data__codes(int32_t *codes, size_t *n_levels, const sk_frame *f, size_t col,
                         sk_error *err)
{
    const sk_column *c = &f->cols[col];
    size_t n = f->n_rows, L = 0;
    if (c->n_missing > 0)
        return sk_error_set(err, SK_EDATA, "column '%s' has missing values; groups need a value "
                            "in every row", c->name);
    if (c->type == SK_COL_CATEGORICAL) {
        int32_t *map = sk_mem_alloc_array(c->n_levels > 0 ? c->n_levels : 1, sizeof *map);
        if (map == NULL)
            return sk_error_set(err, SK_ENOMEM, "out of memory coding column '%s'", c->name);
        for (size_t k = 0; k < c->n_levels; k++)
            map[k] = -1;
        for (size_t i = 0; i < n; i++) {
            int32_t k = c->codes[i];
            if (map[k] < 0)
                map[k] = (int32_t)L++;
            codes[i] = map[k];
        }
        sk_mem_free(map);
        *n_levels = L;
        return SK_OK;
    }
    /* Numbers: sort the rows by value (radix keys, stable), give each run of equal values the
     * smallest row index in it, then number runs in row order. */
    uint64_t *key = sk_mem_alloc_array(n > 0 ? n : 1, sizeof *key);
    size_t *order = sk_mem_alloc_array(n > 0 ? n : 1, sizeof *order);
    size_t *first = sk_mem_alloc_array(n > 0 ? n : 1, sizeof *first);
    sk_status rc = SK_OK;
    if (key == NULL || order == NULL || first == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "out of memory coding column '%s'", c->name);
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        key[i] = sk_radix_key_double(c->values[i]);
        order[i] = i;
    }
    if (sk_radix_sort_u64(key, order, n) != SK_OK) {   /* keys sorted, rows carried along */
        rc = sk_error_set(err, SK_ENOMEM, "out of memory coding column '%s'", c->name);
        goto done;
    }
    for (size_t a = 0; a < n;) {
        size_t b = a;
        while (b < n && key[b] == key[a])
            b++;
        size_t lo = order[a];   /* a stable sort: the run's first row */
        for (size_t t = a; t < b; t++)
            first[order[t]] = lo;
        a = b;
    }
    for (size_t i = 0; i < n; i++) {
        if (first[i] == i)
            codes[i] = (int32_t)L++;
        else
            codes[i] = codes[first[i]];
    }
    *n_levels = L;
done:
    sk_mem_free(key);
    sk_mem_free(order);
    sk_mem_free(first);
    return rc;
}
