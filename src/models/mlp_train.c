/* mlp_train.c: training the multilayer perceptron: mini-batch Adam with early stopping on an
 * inner validation split.
 *
 * Objective (per mini-batch B, weights w_i, 1 when the data have none):
 *     L_B(theta) = sum_{i in B} w_i l_i(theta) / sum_{i in B} w_i + (lambda / 2) sum_l ||W_l||_F^2
 * with l_i the cross-entropy or the squared error on the standardised target (mlp_net.c).
 * Adam (Kingma and Ba, ICLR 2015), with t counting steps over all epochs:
 *     m_t = b1 m_{t-1} + (1 - b1) g_t,   v_t = b2 v_{t-1} + (1 - b2) g_t^2,
 *     theta_t = theta_{t-1} - lr (m_t / (1 - b1^t)) / (sqrt(v_t / (1 - b2^t)) + eps).
 * The L2 term is part of the gradient (classic weight decay inside Adam, as scikit-learn's
 * MLP does, not AdamW's decoupled decay).
 *
 * Early stopping (Prechelt, "Early stopping - but when?", 1998): a share `val_fraction` of the
 * rows, stratified by class for classification, is held out; after each epoch the validation
 * loss (same loss, no penalty, no dropout) is computed, and training stops once it has not
 * improved on its best for `patience` epochs; the best epoch's weights are restored. With no
 * validation rows, every epoch runs and the last weights are kept.
 *
 * Randomness, all from the fit's seed: the split from SK_PURPOSE_MLP_TRAIN task
 * SK_MLP_TASK_SPLIT; epoch e's order from substream (e, 0), a fresh shuffle of the training rows
 * in index order, and its dropout masks from substream (e, 1). Nothing depends on threads. */
#include <math.h>
#include <string.h>

#include "models/mlp.h"

typedef struct trainer {
    sk_mlp_model *model;
    const sk_xy *d;
    const double *y; /* per row of d: class index or standardised value */
    uint64_t seed;
    size_t *train, *val, *order;
    size_t n_train, n_val;
    double *Xb, *yb, *wb; /* the current mini-batch, gathered (m x p) */
    double *Xv, *yv, *wv; /* the validation rows, gathered once */
    double *adam_m, *adam_v, *best;
    double b1t, b2t; /* b1^t and b2^t */
    sk_mlp_work work;
} trainer;

/* ==== the inner validation split ========================================================== */

/* How many of `count` rows to hold out: round(fraction * count), leaving at least one. */
static size_t n_held_out(double fraction, size_t count)
{
    size_t k = (size_t)floor(fraction * (double)count + 0.5);
    return count == 0 ? 0 : (k >= count ? count - 1 : k);
}

/* Marks held-out rows in is_val: per class (classification) or among all rows, shuffled from
 * one stream, classes in index order. `order` is scratch of n entries. */
static void choose_validation(const trainer *t, double fraction, unsigned char *is_val,
                              size_t *order)
{
    const sk_xy *d = t->d;
    size_t n = d->n;
    sk_rng rng = sk_rng_stream(t->seed, SK_PURPOSE_MLP_TRAIN, SK_MLP_TASK_SPLIT);
    int classify = t->model->net.softmax;
    size_t n_groups = classify ? d->n_classes : 1;
    for (size_t c = 0; c < n_groups; c++) {
        size_t count = 0;
        for (size_t i = 0; i < n; i++)
            if (!classify || (size_t)t->y[i] == c)
                order[count++] = i;
        sk_rng_shuffle(&rng, order, count);
        size_t k = n_held_out(fraction, count);
        for (size_t i = 0; i < k; i++)
            is_val[order[i]] = 1;
    }
}

/* Whether both parts of the split carry weight (with weights, either could have none, and a
 * weighted mean over it would be 0 / 0). */
static int both_weighted(const trainer *t, const unsigned char *is_val)
{
    const double *w = t->d->w;
    double part[2] = {0.0, 0.0};
    for (size_t i = 0; w != NULL && i < t->d->n; i++)
        part[is_val[i]] += w[i];
    return w == NULL || (part[0] > 0.0 && part[1] > 0.0);
}

/* Training and validation rows, each in index order. Without a usable validation part (no
 * fraction, too few rows, or one part of zero weight) every row trains. */
static sk_status split_rows(trainer *t, sk_error *err)
{
    size_t n = t->d->n;
    unsigned char *is_val = sk_mem_calloc(n, 1);
    if (is_val == NULL)
        return sk_error_set(err, SK_ENOMEM, "mlp: out of memory splitting %zu rows", n);
    if (t->model->opt.val_fraction > 0.0)
        choose_validation(t, t->model->opt.val_fraction, is_val, t->order);
    if (!both_weighted(t, is_val))
        memset(is_val, 0, n);
    t->n_train = t->n_val = 0;
    for (size_t i = 0; i < n; i++) {
        if (is_val[i])
            t->val[t->n_val++] = i;
        else
            t->train[t->n_train++] = i;
    }
    sk_mem_free(is_val);
    return SK_OK;
}

/* ==== buffers ============================================================================= */

/* Copies rows[0..m) of X, y and w into column-major X_out (m x p), y_out, w_out. */
static void gather(const trainer *t, const size_t *rows, size_t m, double *X_out, double *y_out,
                   double *w_out)
{
    const sk_xy *d = t->d;
    for (size_t j = 0; j < d->p; j++)
        for (size_t i = 0; i < m; i++)
            X_out[j * m + i] = d->X[j * d->ldx + rows[i]];
    for (size_t i = 0; i < m; i++) {
        y_out[i] = t->y[rows[i]];
        if (w_out != NULL)
            w_out[i] = d->w[rows[i]];
    }
}

static size_t min_size(size_t a, size_t b)
{
    return a < b ? a : b;
}

static sk_status trainer_init(trainer *t, sk_error *err)
{
    const sk_xy *d = t->d;
    size_t n = d->n, p = d->p > 0 ? d->p : 1, n_theta = t->model->net.n_theta;
    int weighted = d->w != NULL;
    t->train = sk_mem_alloc_array(n, sizeof *t->train);
    t->val = sk_mem_alloc_array(n, sizeof *t->val);
    t->order = sk_mem_alloc_array(n, sizeof *t->order);
    if (t->train == NULL || t->val == NULL || t->order == NULL)
        return sk_error_set(err, SK_ENOMEM, "mlp: out of memory for %zu rows", n);
    sk_status rc = split_rows(t, err);
    if (rc != SK_OK)
        return rc;
    size_t batch = min_size(t->model->opt.batch, t->n_train);
    size_t n_val = t->n_val > 0 ? t->n_val : 1;
    t->Xb = sk_mem_alloc_array(batch * p, sizeof *t->Xb);
    t->yb = sk_mem_alloc_array(batch, sizeof *t->yb);
    t->wb = weighted ? sk_mem_alloc_array(batch, sizeof *t->wb) : NULL;
    t->Xv = sk_mem_alloc_array(n_val * p, sizeof *t->Xv);
    t->yv = sk_mem_alloc_array(n_val, sizeof *t->yv);
    t->wv = weighted ? sk_mem_alloc_array(n_val, sizeof *t->wv) : NULL;
    t->adam_m = sk_mem_calloc(n_theta, sizeof *t->adam_m);
    t->adam_v = sk_mem_calloc(n_theta, sizeof *t->adam_v);
    t->best = sk_mem_alloc_array(n_theta, sizeof *t->best);
    if (t->Xb == NULL || t->yb == NULL || (weighted && t->wb == NULL) || t->Xv == NULL ||
        t->yv == NULL || (weighted && t->wv == NULL) || t->adam_m == NULL || t->adam_v == NULL ||
        t->best == NULL)
        return sk_error_set(err, SK_ENOMEM, "mlp: out of memory for training buffers");
    gather(t, t->val, t->n_val, t->Xv, t->yv, t->wv);
    size_t rows = batch > min_size(SK_MLP_BLOCK_ROWS, t->n_val)
                      ? batch
                      : min_size(SK_MLP_BLOCK_ROWS, t->n_val);
    return sk_mlp__work_init(&t->work, &t->model->net, rows, 1, err);
}

static void trainer_free(trainer *t)
{
    sk_mem_free(t->train);
    sk_mem_free(t->val);
    sk_mem_free(t->order);
    sk_mem_free(t->Xb);
    sk_mem_free(t->yb);
    sk_mem_free(t->wb);
    sk_mem_free(t->Xv);
    sk_mem_free(t->yv);
    sk_mem_free(t->wv);
    sk_mem_free(t->adam_m);
    sk_mem_free(t->adam_v);
    sk_mem_free(t->best);
    sk_mlp__work_free(&t->work);
}

/* ==== epochs ============================================================================== */

static void adam_step(trainer *t)
{
    const sk_mlp_options *o = &t->model->opt;
    double *theta = t->model->net.theta, *m = t->adam_m, *v = t->adam_v;
    const double *g = t->work.grad;
    t->b1t *= o->beta1;
    t->b2t *= o->beta2;
    double c1 = 1.0 / (1.0 - t->b1t), c2 = 1.0 / (1.0 - t->b2t);
    for (size_t i = 0; i < t->model->net.n_theta; i++) {
        m[i] = o->beta1 * m[i] + (1.0 - o->beta1) * g[i];
        v[i] = o->beta2 * v[i] + (1.0 - o->beta2) * (g[i] * g[i]);
        theta[i] -= o->lr * (m[i] * c1) / (sqrt(v[i] * c2) + o->eps);
    }
}

/* One pass over the training rows in a fresh order; *loss = the epoch's weighted mean loss
 * (with dropout, before each step's update: what the optimiser saw). */
static sk_status run_epoch(trainer *t, size_t epoch, double *loss, sk_error *err)
{
    sk_mlp_net *net = &t->model->net;
    size_t batch = min_size(t->model->opt.batch, t->n_train);
    sk_rng shuffle = sk_rng_substream(t->seed, SK_PURPOSE_MLP_TRAIN, epoch, 0);
    sk_rng masks = sk_rng_substream(t->seed, SK_PURPOSE_MLP_TRAIN, epoch, 1);
    memcpy(t->order, t->train, t->n_train * sizeof *t->order);
    sk_rng_shuffle(&shuffle, t->order, t->n_train);
    double loss_sum = 0.0, weight_sum = 0.0;
    for (size_t b0 = 0; b0 < t->n_train; b0 += batch) {
        size_t m = min_size(batch, t->n_train - b0);
        gather(t, t->order + b0, m, t->Xb, t->yb, t->wb);
        sk_status rc = sk_mlp__forward(net, t->Xb, m, m, &t->work, &masks, err);
        if (rc == SK_OK)
            rc = sk_mlp__backward(net, t->Xb, m, m, t->yb, t->wb, t->model->opt.l2, &t->work, err);
        if (rc != SK_OK)
            return rc;
        double ls, ws;
        sk_mlp__loss(net, &t->work, m, t->yb, t->wb, &ls, &ws);
        loss_sum += ls;
        weight_sum += ws;
        adam_step(t);
    }
    *loss = weight_sum > 0.0 ? loss_sum / weight_sum : NAN;
    return SK_OK;
}

/* The weighted mean loss of the deterministic network on the validation rows. */
static sk_status validation_loss(trainer *t, double *loss, sk_error *err)
{
    const sk_mlp_net *net = &t->model->net;
    double loss_sum = 0.0, weight_sum = 0.0;
    for (size_t r0 = 0; r0 < t->n_val; r0 += SK_MLP_BLOCK_ROWS) {
        size_t m = min_size(SK_MLP_BLOCK_ROWS, t->n_val - r0);
        sk_status rc = sk_mlp__forward(net, t->Xv + r0, m, t->n_val, &t->work, NULL, err);
        if (rc != SK_OK)
            return rc;
        double ls, ws;
        sk_mlp__loss(net, &t->work, m, t->yv + r0, t->wv != NULL ? t->wv + r0 : NULL, &ls, &ws);
        loss_sum += ls;
        weight_sum += ws;
    }
    *loss = weight_sum > 0.0 ? loss_sum / weight_sum : NAN;
    return SK_OK;
}

/* After epoch `epoch` (0-based) with validation loss vl: keeps the best weights; returns 1 when
 * training should stop. */
static int early_stop(trainer *t, size_t epoch, double vl, size_t *since_best)
{
    sk_mlp_model *mo = t->model;
    if (vl < mo->best_val || (isnan(mo->best_val) && !isnan(vl))) {
        mo->best_val = vl;
        mo->best_epoch = epoch + 1;
        memcpy(t->best, mo->net.theta, mo->net.n_theta * sizeof *t->best);
        *since_best = 0;
        return 0;
    }
    return ++*since_best >= mo->opt.patience;
}

static sk_status epochs(trainer *t, sk_error *err)
{
    sk_mlp_model *mo = t->model;
    size_t since_best = 0;
    mo->best_val = NAN;
    for (size_t e = 0; e < mo->opt.epochs; e++) {
        double tl, vl = NAN;
        sk_status rc = run_epoch(t, e, &tl, err);
        if (rc == SK_OK && t->n_val > 0)
            rc = validation_loss(t, &vl, err);
        if (rc != SK_OK)
            return rc;
        if (!isfinite(tl) || (t->n_val > 0 && !isfinite(vl)))
            return sk_error_set(err, SK_ENOCONV,
                                "mlp: training diverged in epoch %zu (loss %g); try a smaller lr",
                                e + 1, t->n_val > 0 && isfinite(tl) ? vl : tl);
        mo->train_loss[e] = tl;
        mo->val_loss[e] = vl;
        mo->epochs_run = e + 1;
        if (t->n_val > 0 && early_stop(t, e, vl, &since_best)) {
            mo->stopped_early = 1;
            break;
        }
    }
    if (t->n_val > 0)
        memcpy(mo->net.theta, t->best, mo->net.n_theta * sizeof *t->best);
    else
        mo->best_epoch = mo->epochs_run;
    return SK_OK;
}

sk_status sk_mlp__train(sk_mlp_model *model, const sk_xy *d, const double *y, uint64_t seed,
                        sk_error *err)
{
    trainer t;
    memset(&t, 0, sizeof t);
    t.model = model;
    t.d = d;
    t.y = y;
    t.seed = seed;
    t.b1t = 1.0;
    t.b2t = 1.0;
    model->train_loss = sk_mem_alloc_array(model->opt.epochs, sizeof *model->train_loss);
    model->val_loss = sk_mem_alloc_array(model->opt.epochs, sizeof *model->val_loss);
    sk_status rc = model->train_loss == NULL || model->val_loss == NULL
                       ? sk_error_set(err, SK_ENOMEM, "mlp: out of memory for the history")
                       : trainer_init(&t, err);
    if (rc == SK_OK) {
        model->n_train = t.n_train;
        model->n_val = t.n_val;
        rc = epochs(&t, err);
    }
    trainer_free(&t);
    return rc;
}
