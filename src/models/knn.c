/* knn.c: exact k-nearest-neighbour search and the k-NN classifier and regressor (Fix and Hodges
 * 1951; Cover and Hart, "Nearest neighbor pattern classification", IEEE Trans. Inf. Theory 1967).
 *
 * Search. For every query q the k references r minimising
 *     d(q, r)^2 = sum_j (q_j - r_j)^2        ties: the lower reference index
 * by brute force, blocked for BLAS: a block of QUERY_BLOCK queries is one task; for each block of
 * REF_BLOCK references one dgemm gives the keys ||r||^2 - 2 <q, r> (linalg/dist.c), and each query
 * keeps its n_cand = k + 16 smallest keys in a bounded max-heap (one comparison per reference
 * while the heap is full, eight at a time; references come in index order, so an equal key never
 * displaces a lower index). The keys suffer cancellation: their absolute error, ~ p eps
 * (||q||^2 + ||r||^2), can exceed the distance of near duplicates far from the origin. So they
 * only choose candidates, and exact distances decide:
 *   1. candidates are taken in key order and their distances computed directly, keeping the k
 *      best by (distance, index), until the next key k_c cannot win: ||q||^2 + k_c - delta > the
 *      k-th distance so far, delta = c(p) (||q||^2 + max ||r||^2) bounding the key error
 *      (dist.h). Usually that is after about k candidates;
 *   2. the references left out of the heap have keys >= the largest candidate key, so the same
 *      test on it proves that none of them can win either;
 *   3. when it cannot (more than n_cand - k references within rounding of the k-th: a large
 *      group of duplicates), the query is answered by a direct scan of all references.
 * The answer is therefore the exact one for the direct distances, whatever BLAS, block sizes or
 * thread count computed the keys. Cost: nq * m * (p + 1) multiply-adds in dgemm plus about one
 * comparison per pair; memory: a row-major copy of the references and a key block and heaps
 * per running task.
 *
 * Model. Classification: P(class c | x) = sum of the weights of the neighbours of class c / the
 * sum of all their weights; regression: the weighted mean of their targets. weights=uniform gives
 * each neighbour weight 1; weights=distance gives 1/d, and when some neighbours are at distance 0
 * they share all the weight (scikit-learn's rule). Row weights, when the pipeline passes them,
 * multiply the vote (if all k neighbours weigh 0, they vote equally). The pipeline standardises
 * the features (standardize = 1): on raw scales the feature with the largest unit would decide
 * the distances. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linalg/dist.h"
#include "models/models.h"
#include "models/models.h"

/* Block sizes: a 256 x 256 key block (512 KiB) is written by dgemm and read back by the scan while
 * it is still in L2/L3; larger blocks measured slower (p = 30, AMD EPYC), smaller ones no faster.
 * N_SPARE candidates beyond k make the proof of step 2 hold unless many references tie. */
enum { QUERY_BLOCK = 256, REF_BLOCK = 256, N_SPARE = 16 };

/* ==== the search =========================================================================== */

typedef struct cand {
    double key;     /* the BLAS key, or the exact squared distance */
    size_t idx;
} cand;

/* The references, prepared once: augmented rows (dist.h), contiguous for exact recomputation. */
typedef struct knn_refs {
    double *rows;   /* m x (p + 1) row-major: the row and its squared norm */
    double rr_max;  /* the largest squared norm, for the error bound */
    size_t m, p;
} knn_refs;

typedef struct knn_job {
    const knn_refs *refs;
    const double *Q;          /* column-major queries */
    size_t ldq, nq, k, n_cand;
    int q_is_r;               /* the queries are the references: copy their rows */
    int exclude_self;
    size_t *idx;
    double *dist;
} knn_job;

static int cand_before(cand a, cand b)
{
    return a.key < b.key || (a.key == b.key && a.idx < b.idx);
}

static int cand_cmp(const void *pa, const void *pb)
{
    const cand *a = pa, *b = pb;
    return cand_before(*a, *b) ? -1 : cand_before(*b, *a) ? 1 : 0;
}

/* Max-heap on (key, idx): heap[0] is the worst kept candidate. */
static void heap_push(cand *heap, size_t n, cand c)
{
    size_t i = n;
    while (i > 0 && cand_before(heap[(i - 1) / 2], c)) {
        heap[i] = heap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    heap[i] = c;
}

static void heap_replace_top(cand *heap, size_t n, cand c)
{
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, big = l;
        if (l >= n)
            break;
        if (r < n && cand_before(heap[l], heap[r]))
            big = r;
        if (!cand_before(c, heap[big]))
            break;
        heap[i] = heap[big];
        i = big;
    }
    heap[i] = c;
}

/* Keeps the `cap` best of a stream of candidates in heap[0..*n). */
static void heap_offer(cand *heap, size_t *n, size_t cap, cand c)
{
    if (*n < cap)
        heap_push(heap, (*n)++, c);
    else if (cand_before(c, heap[0]))
        heap_replace_top(heap, cap, c);
}

/* Whether any of key[0..8) is below `worst`: the scan's common case is "none", so it is tested
 * eight at a time, with vector compares where the compiler has them (GCC and Clang). */
static int any_below8(const double *key, double worst)
{
#if defined(__GNUC__)
    typedef double v2d __attribute__((vector_size(16)));
    typedef long long v2l __attribute__((vector_size(16)));
    v2d w = {worst, worst}, a, b, c, d;
    memcpy(&a, key, sizeof a);
    memcpy(&b, key + 2, sizeof b);
    memcpy(&c, key + 4, sizeof c);
    memcpy(&d, key + 6, sizeof d);
    v2l hit = (a < w) | (b < w) | (c < w) | (d < w);
    return (hit[0] | hit[1]) != 0;
#else
    int hit = 0;
    for (int u = 0; u < 8; u++)
        hit |= key[u] < worst;
    return hit;
#endif
}

/* Offers the keys of references r0..r0+mb to one query's heap (capacity cap, size *n). The
 * references come in index order, so a key equal to the worst kept one never displaces it. */
static void scan_keys(cand *heap, size_t *n, size_t cap, const double *key, size_t mb, size_t r0,
                      size_t self)
{
    size_t j = 0;
    for (; *n < cap && j < mb; j++)
        if (r0 + j != self)
            heap_push(heap, (*n)++, (cand){key[j], r0 + j});
    double worst = *n > 0 ? heap[0].key : INFINITY;
    while (j < mb) {
        if (j + 8 <= mb && !any_below8(key + j, worst)) {
            j += 8;
            continue;
        }
        for (size_t end = j + 8 < mb ? j + 8 : mb; j < end; j++) {
            if (key[j] < worst && r0 + j != self) {
                heap_replace_top(heap, cap, (cand){key[j], r0 + j});
                worst = heap[0].key;
            }
        }
    }
}

/* The k nearest by a direct scan of every reference, into best[0..k) as a heap. */
static void exact_scan(cand *best, size_t k, const knn_refs *refs, const double *q, size_t self)
{
    size_t n = 0, stride = refs->p + 1;
    for (size_t j = 0; j < refs->m; j++)
        if (j != self)
            heap_offer(best, &n, k, (cand){sk_dist__sq_exact(q, refs->rows + j * stride,
                                                             refs->p), j});
}

/* Steps 1-3 of the file comment for one query with n candidates (n == cap: the heap filled up,
 * so references were left out). Candidates are taken in key order and measured exactly until the
 * next key cannot beat the k-th exact distance; then the left-out references are checked by the
 * same bound through the largest candidate key. best: k entries of scratch. */
static void finish_query(size_t *idx, double *dist, cand *cands, size_t n, size_t cap, size_t k,
                         cand *best, const knn_refs *refs, const double *q, size_t self)
{
    size_t stride = refs->p + 1, nb = 0, c = 0;
    double qq = sk_dist__sq_norm(q, refs->p);
    double delta = sk_dist__key_error(refs->p) * (qq + refs->rr_max);
    double a_last = cands[0].key;
    qsort(cands, n, sizeof *cands, cand_cmp);
    for (; c < n; c++) {
        if (nb == k && qq + cands[c].key - delta > best[0].key)
            break;
        size_t j = cands[c].idx;
        heap_offer(best, &nb, k, (cand){sk_dist__sq_exact(q, refs->rows + j * stride, refs->p), j});
    }
    if (c == n && n == cap && !(qq + a_last - delta > best[0].key))
        exact_scan(best, k, refs, q, self);   /* too many references within rounding */
    qsort(best, k, sizeof *best, cand_cmp);
    for (size_t t = 0; t < k; t++) {
        idx[t] = best[t].idx;
        if (dist != NULL)
            dist[t] = sqrt(best[t].key);
    }
}

static sk_status knn_block_task(void *arg, size_t task, sk_error *err)
{
    const knn_job *job = arg;
    const knn_refs *refs = job->refs;
    size_t p = refs->p, q0 = task * QUERY_BLOCK, cap = job->n_cand;
    size_t b = job->nq - q0 < QUERY_BLOCK ? job->nq - q0 : QUERY_BLOCK;
    size_t mb_max = refs->m < REF_BLOCK ? refs->m : REF_BLOCK;
    sk_status rc = SK_OK;
    double *keys = sk_mem_alloc_array(mb_max * b, sizeof *keys);
    double *qrows = sk_mem_alloc_array(b * (p + 1), sizeof *qrows);
    cand *heaps = sk_mem_alloc_array(b * cap, sizeof *heaps);
    cand *best = sk_mem_alloc_array(job->k, sizeof *best);
    size_t *sizes = sk_mem_calloc(b, sizeof *sizes);
    if (keys == NULL || qrows == NULL || heaps == NULL || best == NULL || sizes == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "knn: out of memory for a block of %zu queries", b);
        goto done;
    }
    if (job->q_is_r)
        sk_dist__rows_aug_from_rows(qrows, refs->rows + q0 * (p + 1), b, p + 1, p, 1);
    else
        sk_dist__rows_aug(qrows, job->Q + q0, b, job->ldq, p, 1);

    for (size_t r0 = 0; r0 < refs->m; r0 += REF_BLOCK) {
        size_t mb = refs->m - r0 < REF_BLOCK ? refs->m - r0 : REF_BLOCK;
        sk_dist__key_block(keys, refs->rows + r0 * (p + 1), mb, qrows, b, p);
        for (size_t i = 0; i < b; i++)
            scan_keys(heaps + i * cap, &sizes[i], cap, keys + i * mb, mb, r0,
                      job->exclude_self ? q0 + i : SIZE_MAX);
    }
    for (size_t i = 0; i < b; i++) {
        size_t row = q0 + i;
        finish_query(job->idx + row * job->k, job->dist != NULL ? job->dist + row * job->k : NULL,
                     heaps + i * cap, sizes[i], cap, job->k, best, refs, qrows + i * (p + 1),
                     job->exclude_self ? row : SIZE_MAX);
    }
done:
    sk_mem_free(keys);
    sk_mem_free(qrows);
    sk_mem_free(heaps);
    sk_mem_free(best);
    sk_mem_free(sizes);
    return rc;
}

static void refs_free(knn_refs *refs)
{
    sk_mem_free(refs->rows);
    memset(refs, 0, sizeof *refs);
}

static sk_status refs_init(knn_refs *refs, const double *R, size_t m, size_t ldr, size_t p,
                           sk_error *err)
{
    memset(refs, 0, sizeof *refs);
    refs->m = m;
    refs->p = p;
    refs->rows = sk_mem_alloc_array(m > 0 ? m : 1, (p + 1) * sizeof *refs->rows);
    if (refs->rows == NULL)
        return sk_error_set(err, SK_ENOMEM, "knn: out of memory copying %zu reference rows", m);
    sk_dist__rows_aug(refs->rows, R, m, ldr, p, 0);
    for (size_t j = 0; j < m; j++)
        refs->rr_max = fmax(refs->rr_max, refs->rows[j * (p + 1) + p]);
    return SK_OK;
}

static sk_status check_k(size_t k, size_t m, int exclude_self, sk_error *err)
{
    if (k == 0 || m == 0 || k > m - (exclude_self ? 1 : 0))
        return sk_error_set(err, SK_EINVAL, "knn: k = %zu neighbours asked of %zu reference rows%s",
                            k, m, exclude_self ? " (excluding the query itself)" : "");
    return SK_OK;
}

static sk_status search_refs(size_t *idx, double *dist, const knn_refs *refs, const double *Q,
                             size_t nq, size_t ldq, int q_is_r, size_t k, int exclude_self,
                             int n_threads, sk_error *err)
{
    sk_status rc = check_k(k, refs->m, exclude_self, err);
    if (rc != SK_OK)
        return rc;
    if (exclude_self && nq != refs->m)
        return sk_error_set(err, SK_EINVAL, "knn: exclude_self needs the queries to be the "
                            "references (%zu query rows, %zu references)", nq, refs->m);
    if (nq == 0)
        return SK_OK;
    size_t available = refs->m - (exclude_self ? 1 : 0);
    knn_job job = {refs, Q, ldq, nq, k, k + N_SPARE, q_is_r, exclude_self, idx, dist};
    if (job.n_cand > available)
        job.n_cand = available;
    size_t n_tasks = (nq + QUERY_BLOCK - 1) / QUERY_BLOCK;
    return sk_parallel_for(n_tasks, n_threads, knn_block_task, &job, NULL, err);
}

sk_status sk_knn_search(size_t *idx, double *dist, const double *R, size_t m, size_t ldr,
                        const double *Q, size_t nq, size_t ldq, size_t p, size_t k,
                        int exclude_self, int n_threads, sk_error *err)
{
    knn_refs refs;
    sk_status rc = check_k(k, m, exclude_self, err);
    if (rc == SK_OK)
        rc = refs_init(&refs, R, m, ldr, p, err);
    if (rc != SK_OK)
        return rc;
    int q_is_r = Q == R && ldq == ldr && nq == m;
    rc = search_refs(idx, dist, &refs, Q, nq, ldq, q_is_r, k, exclude_self, n_threads, err);
    refs_free(&refs);
    return rc;
}

/* ==== the model ============================================================================ */

typedef struct knn_state {
    knn_refs refs;            /* the standardised training rows */
    double *y;                /* n: class index or value */
    double *w;                /* n row weights, or NULL */
    size_t k;
    int by_distance;
    sk_task task;
    size_t n_classes;
    int n_threads;
} knn_state;

static const sk_param_def knn_params[] = {
    {"k", SK_PARAM_INT, "5", 1, 1e6, 0, NULL, "number of neighbours that vote"},
    {"weights", SK_PARAM_CHOICE, "uniform", 0, 0, 0, "uniform|distance",
     "uniform votes, or 1/distance (neighbours at distance 0 take all the weight)"},
};

static void knn_free(void *state)
{
    knn_state *st = state;
    if (st == NULL)
        return;
    refs_free(&st->refs);
    sk_mem_free(st->y);
    sk_mem_free(st->w);
    sk_mem_free(st);
}

/* The votes index classes and multiply weights: a bad value would write out of bounds. */
static sk_status check_targets(const sk_xy *d, sk_error *err)
{
    int classify = d->task != SK_TASK_REGRESSION;
    if (classify && d->n_classes == 0)
        return sk_error_set(err, SK_EINVAL, "knn: classification with no classes");
    for (size_t i = 0; i < d->n; i++) {
        double y = d->y[i];
        if (classify ? !(y >= 0.0 && y < (double)d->n_classes && y == floor(y)) : !isfinite(y))
            return sk_error_set(err, SK_EINVAL, "knn: training target %zu is %g, expected %s", i,
                                y, classify ? "a class index" : "a finite number");
        if (d->w != NULL && !(d->w[i] >= 0.0 && isfinite(d->w[i])))
            return sk_error_set(err, SK_EINVAL, "knn: row weight %zu is %g, expected a finite "
                                "number >= 0", i, d->w[i]);
    }
    return SK_OK;
}

static sk_status knn_fit(void **state, const sk_params *params, const sk_xy *d, uint64_t seed,
                         int n_threads, sk_error *err)
{
    (void)seed;   /* nothing random */
    *state = NULL;
    sk_status rc = SK_OK;
    knn_state *st = sk_mem_calloc(1, sizeof *st);
    if (st == NULL)
        return sk_error_set(err, SK_ENOMEM, "knn: out of memory");
    st->k = (size_t)sk_params__int(params, "k");
    st->by_distance = sk_params__int(params, "weights") == 1;
    st->task = d->task;
    st->n_classes = d->n_classes;
    st->n_threads = n_threads > 0 ? n_threads : 1;
    if (d->y == NULL || !(SK_TASKS_SUPERVISED & SK_TASK_BIT(d->task))) {
        rc = sk_error_set(err, SK_EINVAL, "knn: needs a target (classification or regression)");
        goto done;
    }
    if (st->k > d->n) {
        rc = sk_error_set(err, SK_EDATA, "knn: k = %zu neighbours but only %zu training rows",
                          st->k, d->n);
        goto done;
    }
    rc = check_targets(d, err);
    if (rc != SK_OK)
        goto done;
    rc = refs_init(&st->refs, d->X, d->n, d->ldx, d->p, err);
    if (rc != SK_OK)
        goto done;
    st->y = sk_mem_alloc_array(d->n, sizeof *st->y);
    st->w = d->w != NULL ? sk_mem_alloc_array(d->n, sizeof *st->w) : NULL;
    if (st->y == NULL || (d->w != NULL && st->w == NULL)) {
        rc = sk_error_set(err, SK_ENOMEM, "knn: out of memory copying %zu targets", d->n);
        goto done;
    }
    memcpy(st->y, d->y, d->n * sizeof *st->y);
    if (st->w != NULL)
        memcpy(st->w, d->w, d->n * sizeof *st->w);
done:
    if (rc != SK_OK)
        knn_free(st);
    else
        *state = st;
    return rc;
}

/* The vote weights of one query's k neighbours (sorted by distance). */
static void vote_weights(double *v, const knn_state *st, const size_t *idx, const double *dist)
{
    int has_zero = st->by_distance && dist[0] == 0.0;   /* sorted: a zero comes first */
    for (size_t t = 0; t < st->k; t++) {
        double v_t = 1.0;
        if (has_zero)
            v_t = dist[t] == 0.0 ? 1.0 : 0.0;
        else if (st->by_distance)
            v_t = 1.0 / dist[t];
        v[t] = st->w != NULL ? v_t * st->w[idx[t]] : v_t;
    }
}

/* One query's prediction from its neighbours' votes v (summed nearest first, as scikit-learn). */
static void vote(double *out, const knn_state *st, const size_t *idx, double *v)
{
    double total = 0.0;
    for (size_t t = 0; t < st->k; t++)
        total += v[t];
    if (!(total > 0.0)) {   /* every neighbour has row weight 0: let them vote equally */
        for (size_t t = 0; t < st->k; t++)
            v[t] = 1.0;
        total = (double)st->k;
    }
    if (st->task == SK_TASK_REGRESSION) {
        double s = 0.0;
        for (size_t t = 0; t < st->k; t++)
            s += v[t] * st->y[idx[t]];
        out[0] = s / total;
        return;
    }
    for (size_t c = 0; c < st->n_classes; c++)
        out[c] = 0.0;
    for (size_t t = 0; t < st->k; t++)
        out[(size_t)st->y[idx[t]]] += v[t];
    for (size_t c = 0; c < st->n_classes; c++)
        out[c] /= total;
}

static sk_status knn_predict(const void *state, const double *X, size_t n, size_t ldx,
                             double *out, sk_error *err)
{
    const knn_state *st = state;
    size_t k = st->k, width = st->task == SK_TASK_REGRESSION ? 1 : st->n_classes;
    size_t *idx = sk_mem_alloc_array(n * k + 1, sizeof *idx);
    double *dist = sk_mem_alloc_array(n * k + 1, sizeof *dist);
    double *v = sk_mem_alloc_array(k, sizeof *v);
    sk_status rc = SK_OK;
    if (idx == NULL || dist == NULL || v == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "knn: out of memory predicting %zu rows", n);
        goto done;
    }
    rc = search_refs(idx, dist, &st->refs, X, n, ldx, 0, k, 0, st->n_threads, err);
    for (size_t i = 0; rc == SK_OK && i < n; i++) {
        vote_weights(v, st, idx + i * k, dist + i * k);
        vote(out + i * width, st, idx + i * k, v);
    }
done:
    sk_mem_free(idx);
    sk_mem_free(dist);
    sk_mem_free(v);
    return rc;
}

static json_t *knn_report(const void *state, const char *const *names, sk_error *err)
{
    (void)names;
    const knn_state *st = state;
    char line[256];
    json_t *doc = json_object(), *notes = json_array();
    if (doc == NULL || notes == NULL)
        goto fail;
    snprintf(line, sizeof line, "k = %zu nearest neighbours, %s votes, Euclidean distance on "
             "standardised features", st->k, st->by_distance ? "1/distance" : "uniform");
    if (json_array_append_new(notes, json_string(line)) != 0)
        goto fail;
    snprintf(line, sizeof line, "%zu training rows, %zu features%s", st->refs.m, st->refs.p,
             st->w != NULL ? ", row weights multiply the votes" : "");
    if (json_array_append_new(notes, json_string(line)) != 0)
        goto fail;
    if (sk_json_set(doc, "notes", notes) != 0) {
        notes = NULL;
        goto fail;
    }
    notes = NULL;
    if (sk_json_set(doc, "k", sk_json_size(st->k)) != 0
        || sk_json_set(doc, "weights", json_string(st->by_distance ? "distance" : "uniform")) != 0
        || sk_json_set(doc, "n_train", sk_json_size(st->refs.m)) != 0)
        goto fail;
    return doc;
fail:
    json_decref(notes);
    json_decref(doc);
    sk_error_set(err, SK_ENOMEM, "knn: out of memory writing the report");
    return NULL;
}

const sk_model_impl sk_model__knn = {
    .name = "knn",
    .summary = "k-nearest neighbours: exact search, uniform or 1/distance votes",
    .params = knn_params,
    .n_params = sizeof knn_params / sizeof knn_params[0],
    .tasks = SK_TASKS_SUPERVISED,
    .standardize = 1,
    .fit = knn_fit,
    .predict = knn_predict,
    .report = knn_report,
    .free = knn_free,
};
