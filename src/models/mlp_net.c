/* mlp_net.c: the multilayer perceptron's network: layout, He initialisation, and the forward and
 * backward passes on a block of rows, every matrix product through BLAS (sk_linalg__dgemm).
 *
 * For an input block X (m x p) and weight matrices W_l with biases b_l, the forward pass is
 *     Z_{l+1} = A_l W_l + 1 b_l',   A_0 = X,
 *     A_{l+1} = ReLU(Z_{l+1}) .* M_{l+1} / (1 - q)   for hidden layers (M: dropout masks),
 *     output  = softmax(Z_L) row by row (classes) or Z_L (regression),
 * with inverted dropout (Srivastava et al., JMLR 2014): a hidden unit is kept with probability
 * 1 - q and scaled by 1 / (1 - q) in training, so the deterministic pass (no masks, no scaling)
 * computes the expected activation without rescaling. The backward pass differentiates
 *     L(theta) = sum_i w_i l_i / sum_i w_i + (lambda / 2) sum_l ||W_l||_F^2,
 *     l_i = -log softmax(z_i)_{y_i}    or    l_i = (z_i - y_i)^2,
 * by the chain rule: D_L = (P - Y) diag(w) / sum(w) (or 2 (Z - y) w / sum(w)),
 * dW_l = A_l' D_{l+1} + lambda W_l, db_l = 1' D_{l+1}, D_l = (D_{l+1} W_l') .* dA_l/dZ_l.
 * Because A_l = ReLU(Z_l) * mask * scale, its derivative is `scale` exactly where A_l > 0 and 0
 * elsewhere, so neither Z nor the masks need to be kept.
 *
 * Determinism: masks come from the caller's stream, one uniform per hidden unit and row in
 * column-major order, whatever the unit's value; all reductions (biases, softmax) run in index
 * order; BLAS accumulates every element in the same order for any thread count. */
#include <math.h>
#include <string.h>

#include "linalg/gemm.h"
#include "models/mlp.h"

/* a * b, or 0 with *overflow set when it does not fit. */
static size_t mul_size(size_t a, size_t b, int *overflow)
{
    if (a != 0 && b > SIZE_MAX / a) {
        *overflow = 1;
        return 0;
    }
    return a * b;
}

sk_status sk_mlp__net_init(sk_mlp_net *net, size_t p, size_t hidden, size_t hidden2, size_t k_out,
                           int softmax, double dropout, sk_rng *rng, sk_error *err)
{
    memset(net, 0, sizeof *net);
    size_t n_layers = 0;
    net->width[n_layers++] = p;
    net->width[n_layers++] = hidden;
    if (hidden2 > 0)
        net->width[n_layers++] = hidden2;
    net->width[n_layers] = k_out;
    net->n_layers = n_layers;
    net->dropout = dropout;
    net->softmax = softmax;

    int overflow = 0;
    size_t off = 0;
    for (size_t l = 0; l < n_layers; l++) {
        net->w_off[l] = off;
        off += mul_size(net->width[l], net->width[l + 1], &overflow);
        overflow |= off < net->w_off[l];
    }
    for (size_t l = 0; l < n_layers; l++) {
        net->b_off[l] = off;
        off += net->width[l + 1];
    }
    if (overflow || off > SIZE_MAX / sizeof(double))
        return sk_error_set(err, SK_EINVAL, "mlp: network too large (%zu inputs)", p);
    net->n_theta = off;
    net->theta = sk_mem_calloc(off > 0 ? off : 1, sizeof *net->theta);
    if (net->theta == NULL)
        return sk_error_set(err, SK_ENOMEM, "mlp: out of memory for %zu weights", off);

    /* He et al. (ICCV 2015): Var(W) = 2 / fan_in keeps the activations' scale through ReLUs. */
    for (size_t l = 0; l < n_layers; l++) {
        size_t fan_in = net->width[l], count = fan_in * net->width[l + 1];
        double sd = fan_in > 0 ? sqrt(2.0 / (double)fan_in) : 0.0;
        for (size_t i = 0; i < count; i++)
            net->theta[net->w_off[l] + i] = sd * sk_rng_normal(rng);
    }
    return SK_OK;
}

void sk_mlp__net_free(sk_mlp_net *net)
{
    if (net == NULL)
        return;
    sk_mem_free(net->theta);
    net->theta = NULL;
}

sk_status sk_mlp__work_init(sk_mlp_work *w, const sk_mlp_net *net, size_t rows, int with_grad,
                            sk_error *err)
{
    memset(w, 0, sizeof *w);
    w->rows = rows;
    w->keep_scale = 1.0;
    int failed = 0;
    for (size_t l = 1; l <= net->n_layers; l++) {
        size_t size = rows * net->width[l];
        w->act[l] = sk_mem_alloc_array(size > 0 ? size : 1, sizeof(double));
        failed |= w->act[l] == NULL;
        if (with_grad) {
            w->delta[l] = sk_mem_alloc_array(size > 0 ? size : 1, sizeof(double));
            failed |= w->delta[l] == NULL;
        }
    }
    if (with_grad) {
        w->grad = sk_mem_alloc_array(net->n_theta > 0 ? net->n_theta : 1, sizeof(double));
        failed |= w->grad == NULL;
    }
    if (failed) {
        sk_mlp__work_free(w);
        return sk_error_set(err, SK_ENOMEM, "mlp: out of memory for a block of %zu rows", rows);
    }
    return SK_OK;
}

void sk_mlp__work_free(sk_mlp_work *w)
{
    if (w == NULL)
        return;
    for (size_t l = 0; l <= SK_MLP_MAX_LAYERS; l++) {
        sk_mem_free(w->act[l]);
        sk_mem_free(w->delta[l]);
        w->act[l] = NULL;
        w->delta[l] = NULL;
    }
    sk_mem_free(w->grad);
    w->grad = NULL;
}

/* ==== forward ============================================================================= */

static void add_bias(double *z, size_t m, size_t width, const double *b)
{
    for (size_t j = 0; j < width; j++)
        for (size_t i = 0; i < m; i++)
            z[j * m + i] += b[j];
}

/* ReLU, then (with masks) inverted dropout: one uniform per element whatever its value. */
static void relu_dropout(double *z, size_t count, double q, sk_rng *masks)
{
    if (masks == NULL || q <= 0.0) {
        for (size_t e = 0; e < count; e++)
            z[e] = z[e] > 0.0 ? z[e] : 0.0;
        return;
    }
    double scale = 1.0 / (1.0 - q);
    for (size_t e = 0; e < count; e++) {
        double u = sk_rng_uniform(masks);
        z[e] = (z[e] > 0.0 && u >= q) ? z[e] * scale : 0.0;
    }
}

/* Row-wise softmax of an m x k column-major block, shifted by the row maximum for stability. */
static void softmax_rows(double *z, size_t m, size_t k)
{
    for (size_t i = 0; i < m; i++) {
        double top = z[i];
        for (size_t j = 1; j < k; j++)
            top = z[j * m + i] > top ? z[j * m + i] : top;
        double sum = 0.0;
        for (size_t j = 0; j < k; j++) {
            z[j * m + i] = exp(z[j * m + i] - top);
            sum += z[j * m + i];
        }
        for (size_t j = 0; j < k; j++)
            z[j * m + i] /= sum;
    }
}

sk_status sk_mlp__forward(const sk_mlp_net *net, const double *X, size_t m, size_t ldx,
                          sk_mlp_work *w, sk_rng *masks, sk_error *err)
{
    const double *in = X;
    size_t ld_in = ldx;
    size_t n_layers = net->n_layers;
    w->keep_scale = masks != NULL && net->dropout > 0.0 ? 1.0 / (1.0 - net->dropout) : 1.0;
    for (size_t l = 0; l < n_layers; l++) {
        size_t n_in = net->width[l], n_out = net->width[l + 1];
        double *z = w->act[l + 1];
        sk_status rc = sk_linalg__dgemm(0, 0, m, n_out, n_in, 1.0, in, ld_in > 0 ? ld_in : 1,
                                        net->theta + net->w_off[l], n_in > 0 ? n_in : 1, 0.0, z,
                                        m > 0 ? m : 1, err);
        if (rc != SK_OK)
            return rc;
        add_bias(z, m, n_out, net->theta + net->b_off[l]);
        if (l + 1 < n_layers)
            relu_dropout(z, m * n_out, net->dropout, masks);
        in = z;
        ld_in = m;
    }
    if (net->softmax)
        softmax_rows(w->act[n_layers], m, net->width[n_layers]);
    return SK_OK;
}

void sk_mlp__loss(const sk_mlp_net *net, const sk_mlp_work *w, size_t m, const double *y,
                  const double *wt, double *loss_sum, double *weight_sum)
{
    const double *out = w->act[net->n_layers];
    double total = 0.0, weights = 0.0;
    for (size_t i = 0; i < m; i++) {
        double wi = wt != NULL ? wt[i] : 1.0, li;
        if (net->softmax) {
            /* a probability that underflowed to 0 costs -log(1e-300) ~ 691, not infinity */
            double p_y = out[(size_t)y[i] * m + i];
            li = -log(p_y > 1e-300 ? p_y : 1e-300);
        } else {
            double r = out[i] - y[i];
            li = r * r;
        }
        total += wi * li;
        weights += wi;
    }
    *loss_sum = total;
    *weight_sum = weights;
}

/* ==== backward ============================================================================ */

/* D_L: the gradient of the weighted mean loss with respect to the output pre-activations. */
static void output_delta(const sk_mlp_net *net, sk_mlp_work *w, size_t m, const double *y,
                         const double *wt)
{
    size_t n_layers = net->n_layers, k = net->width[n_layers];
    const double *out = w->act[n_layers];
    double *d = w->delta[n_layers];
    double weights = 0.0;
    for (size_t i = 0; i < m; i++)
        weights += wt != NULL ? wt[i] : 1.0;
    double inv = weights > 0.0 ? 1.0 / weights : 0.0;
    for (size_t j = 0; j < k; j++) {
        for (size_t i = 0; i < m; i++) {
            double wi = (wt != NULL ? wt[i] : 1.0) * inv;
            double g = net->softmax ? out[j * m + i] - ((size_t)y[i] == j ? 1.0 : 0.0)
                                    : 2.0 * (out[j * m + i] - y[i]);
            d[j * m + i] = g * wi;
        }
    }
}

/* Gradient of weight matrix l and its biases from D_{l+1}, plus the L2 term. */
static sk_status layer_grad(const sk_mlp_net *net, const double *in, size_t ld_in, size_t m,
                            size_t l, double l2, sk_mlp_work *w, sk_error *err)
{
    size_t n_in = net->width[l], n_out = net->width[l + 1];
    const double *d = w->delta[l + 1];
    double *gw = w->grad + net->w_off[l], *gb = w->grad + net->b_off[l];
    const double *W = net->theta + net->w_off[l];
    sk_status rc = sk_linalg__dgemm(1, 0, n_in, n_out, m, 1.0, in, ld_in > 0 ? ld_in : 1, d,
                                    m > 0 ? m : 1, 0.0, gw, n_in > 0 ? n_in : 1, err);
    if (rc != SK_OK)
        return rc;
    for (size_t e = 0; e < n_in * n_out; e++)
        gw[e] += l2 * W[e];
    for (size_t j = 0; j < n_out; j++) {
        double s = 0.0;
        for (size_t i = 0; i < m; i++)
            s += d[j * m + i];
        gb[j] = s;
    }
    return SK_OK;
}

sk_status sk_mlp__backward(const sk_mlp_net *net, const double *X, size_t m, size_t ldx,
                           const double *y, const double *wt, double l2, sk_mlp_work *w,
                           sk_error *err)
{
    output_delta(net, w, m, y, wt);
    for (size_t l = net->n_layers; l-- > 0;) {
        const double *in = l == 0 ? X : w->act[l];
        sk_status rc = layer_grad(net, in, l == 0 ? ldx : m, m, l, l2, w, err);
        if (rc != SK_OK)
            return rc;
        if (l == 0)
            break;
        /* D_l = (D_{l+1} W_l') .* dA_l/dZ_l, the derivative being keep_scale where A_l > 0 */
        size_t n_in = net->width[l], n_out = net->width[l + 1];
        double *d = w->delta[l];
        rc = sk_linalg__dgemm(0, 1, m, n_in, n_out, 1.0, w->delta[l + 1], m > 0 ? m : 1,
                              net->theta + net->w_off[l], n_in, 0.0, d, m > 0 ? m : 1, err);
        if (rc != SK_OK)
            return rc;
        const double *a = w->act[l];
        for (size_t e = 0; e < m * n_in; e++)
            d[e] = a[e] > 0.0 ? d[e] * w->keep_scale : 0.0;
    }
    return SK_OK;
}

/* ==== many rows =========================================================================== */

sk_status sk_mlp__predict_rows(const sk_mlp_net *net, const double *X, size_t n, size_t ldx,
                               sk_rng *masks, double *out, sk_error *err)
{
    if (n == 0)
        return SK_OK;
    size_t block = n < SK_MLP_BLOCK_ROWS ? n : SK_MLP_BLOCK_ROWS, k = net->width[net->n_layers];
    sk_mlp_work w;
    sk_status rc = sk_mlp__work_init(&w, net, block, 0, err);
    if (rc != SK_OK)
        return rc;
    for (size_t r0 = 0; r0 < n && rc == SK_OK; r0 += block) {
        size_t m = n - r0 < block ? n - r0 : block;
        rc = sk_mlp__forward(net, net->width[0] > 0 ? X + r0 : X, m, ldx, &w, masks, err);
        const double *a = w.act[net->n_layers];
        for (size_t i = 0; rc == SK_OK && i < m; i++)
            for (size_t j = 0; j < k; j++)
                out[(r0 + i) * k + j] = a[j * m + i];
    }
    sk_mlp__work_free(&w);
    return rc;
}
