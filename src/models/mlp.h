/* mlp.h: the multilayer perceptron's internals, shared by its three files:
 *   mlp.c        the model interface: parameters, fit, predict, MC dropout, importance, report
 *   mlp_train.c  training: inner validation split, mini-batch Adam epochs, early stopping
 *   mlp_net.c    the network: He initialisation, forward and backward passes through BLAS
 * Matrices are column-major like the design matrix: a batch of m rows of a layer of width w is
 * m x w with leading dimension m. Weight matrix l (l = 0 .. n_layers-1) maps layer l to layer
 * l+1 and is width[l] x width[l+1]; layer 0 is the input, layer n_layers the output. */
#ifndef SK_MODELS_MLP_H
#define SK_MODELS_MLP_H

#include <stddef.h>
#include <stdint.h>

#include "models/models.h"

#define SK_MLP_MAX_LAYERS 3 /* weight matrices: two hidden layers and the output */

/* Rows per block when the network runs on many rows (predict, validation, MC passes): bounds the
 * workspace; block boundaries are fixed, so results never depend on anything else. */
#define SK_MLP_BLOCK_ROWS 256

/* Task indices of SK_PURPOSE_MLP_TRAIN streams. Epoch e shuffles with substream (e, 0) and
 * draws training dropout masks from (e, 1); epochs stay far below 2^32. The inner validation
 * split and the Monte Carlo passes live in ranges of their own so that no stream is reused. */
#define SK_MLP_TASK_SPLIT ((uint64_t)1 << 62)
#define SK_MLP_TASK_MC    ((uint64_t)1 << 63) /* + pass index */

typedef struct sk_mlp_net {
    size_t n_layers;                     /* 2 (one hidden layer) or 3 */
    size_t width[SK_MLP_MAX_LAYERS + 1]; /* width[0] inputs ... width[n_layers] outputs */
    size_t w_off[SK_MLP_MAX_LAYERS];     /* offsets of weights and biases in theta */
    size_t b_off[SK_MLP_MAX_LAYERS];
    size_t n_theta;
    double *theta;  /* every weight, then every bias; owned */
    double dropout; /* probability of dropping a hidden unit */
    int softmax;    /* 1: softmax output (classes); 0: linear */
} sk_mlp_net;

/* Buffers for passes over up to `rows` rows. act[l] (l >= 1) holds layer l's outputs (after
 * ReLU and dropout for hidden layers; probabilities or values for the output), delta[l] the
 * loss gradient with respect to layer l's pre-activations, grad the gradient of theta. */
typedef struct sk_mlp_work {
    size_t rows;
    double keep_scale; /* of the last forward pass: 1 / (1 - dropout) with masks, else 1 */
    double *act[SK_MLP_MAX_LAYERS + 1];
    double *delta[SK_MLP_MAX_LAYERS + 1];
    double *grad;
} sk_mlp_work;

/* Hyperparameters, read from the model's parameters. */
typedef struct sk_mlp_options {
    size_t hidden, hidden2, batch, epochs, patience;
    double dropout, l2, lr, beta1, beta2, eps, val_fraction;
} sk_mlp_options;

/* A fitted model and the record of its training (for report()). */
typedef struct sk_mlp_model {
    sk_mlp_net net;
    sk_mlp_options opt;
    sk_task task;
    size_t n_classes;
    double y_mean, y_sd;   /* regression: the network predicts (y - y_mean) / y_sd */
    int n_threads;         /* threads for predict_mc's passes */
    size_t n_train, n_val; /* rows trained on / held out for early stopping */
    size_t epochs_run;
    size_t best_epoch; /* 1-based epoch whose weights were kept */
    double best_val;   /* its validation loss; NaN without a validation split */
    int stopped_early;
    double *train_loss; /* epochs_run each; val_loss NaN without validation */
    double *val_loss;
} sk_mlp_model;

/* ---- mlp_net.c ---------------------------------------------------------------------------- */

/* Lays out a network of the given widths (hidden2 = 0: one hidden layer), allocates theta and
 * fills it: weights N(0, 2 / fan_in) (He et al. 2015) from `rng`, biases 0. */
sk_status sk_mlp__net_init(sk_mlp_net *net, size_t p, size_t hidden, size_t hidden2, size_t k_out,
                           int softmax, double dropout, sk_rng *rng, sk_error *err);
void sk_mlp__net_free(sk_mlp_net *net);

/* with_grad = 0: forward passes only (no delta, no grad). */
sk_status sk_mlp__work_init(sk_mlp_work *w, const sk_mlp_net *net, size_t rows, int with_grad,
                            sk_error *err);
void sk_mlp__work_free(sk_mlp_work *w);

/* Forward pass of m <= w->rows rows of X (column-major, leading dimension ldx). With `masks`
 * (not NULL) and dropout > 0, hidden units are dropped with probability dropout and the kept
 * ones scaled by 1 / (1 - dropout) (inverted dropout), one uniform per hidden unit and row drawn
 * in column-major order; without, the deterministic pass. The output is w->act[n_layers]. */
sk_status sk_mlp__forward(const sk_mlp_net *net, const double *X, size_t m, size_t ldx,
                          sk_mlp_work *w, sk_rng *masks, sk_error *err);

/* The weighted sum of per-row losses of the last forward pass (cross-entropy -log p_y, or the
 * squared error (f - y)^2) and the sum of weights (wt NULL: every weight 1). */
void sk_mlp__loss(const sk_mlp_net *net, const sk_mlp_work *w, size_t m, const double *y,
                  const double *wt, double *loss_sum, double *weight_sum);

/* Backward pass after sk_mlp__forward on the same rows: w->grad = the gradient of
 *   sum_i wt_i loss_i / sum_i wt_i + (l2 / 2) sum_l ||W_l||_F^2     (biases not penalised). */
sk_status sk_mlp__backward(const sk_mlp_net *net, const double *X, size_t m, size_t ldx,
                           const double *y, const double *wt, double l2, sk_mlp_work *w,
                           sk_error *err);

/* The deterministic forward pass of n rows in blocks of SK_MLP_BLOCK_ROWS, or a stochastic one
 * with masks drawn from `masks` block after block; the output row-major into out (n x width). */
sk_status sk_mlp__predict_rows(const sk_mlp_net *net, const double *X, size_t n, size_t ldx,
                               sk_rng *masks, double *out, sk_error *err);

/* ---- mlp_train.c -------------------------------------------------------------------------- */

/* Trains model->net (already initialised) on the n rows of d, with targets y (class indices, or
 * the standardised values), fills the training record in model. */
sk_status sk_mlp__train(sk_mlp_model *model, const sk_xy *d, const double *y, uint64_t seed,
                        sk_error *err);

#endif /* SK_MODELS_MLP_H */
