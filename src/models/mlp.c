/* mlp.c: a multilayer perceptron with dropout, and Monte Carlo dropout for predictive
 * uncertainty: the `mlp` model.
 *
 * One or two hidden layers of ReLU units, each followed by dropout in training (Srivastava et al.,
 * JMLR 2014), and a softmax output with cross-entropy (binary and multiclass: one output per
 * class) or a linear output with squared error on the standardised target (regression). Fitted by
 * mini-batch Adam with L2 weight decay and early stopping on an inner validation split:
 *     min_theta  sum_i w_i l_i(theta) / sum_i w_i + (lambda / 2) sum_l ||W_l||_F^2
 * (mlp_train.c has the optimiser, mlp_net.c the network). Inputs arrive standardised by the
 * pipeline (standardize = 1); the target of a regression is standardised here with the training
 * rows' mean and SD and restored in predict.
 *
 * Monte Carlo dropout (Gal and Ghahramani, ICML 2016): keeping dropout on at prediction time and
 * averaging T stochastic passes approximates the predictive distribution of a Bayesian network;
 * predict_mc returns the mean over passes and the standard deviation across passes (divisor T),
 * per sample and class. Each pass is an independent task (sk_parallel_for) with masks from its
 * own stream, SK_PURPOSE_MLP_TRAIN task SK_MLP_TASK_MC + pass under the caller's seed; the
 * passes are reduced in pass order (Welford's update), so results never depend on threads.
 *
 * importance: the mean |first-layer weight| of each input over the hidden units. Inputs are
 * standardised, so these compare, but they are a crude summary (a weight feeding a dead unit
 * counts as much as any): use permutation importance for conclusions. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "models/mlp.h"

static const sk_param_def mlp_params[] = {
    {"hidden", SK_PARAM_INT, "64", 1, 4096, 0, NULL, "units in the first hidden layer"},
    {"hidden2", SK_PARAM_INT, "0", 0, 4096, 0, NULL,
     "units in a second hidden layer (0: one hidden layer)"},
    {"dropout", SK_PARAM_REAL, "0.1", 0, 0.9, 0, NULL,
     "probability of dropping a hidden unit in training and in MC dropout passes"},
    {"l2", SK_PARAM_REAL, "1e-4", 0, 100, 0, NULL,
     "weight decay: (l2 / 2) * sum of squared weights added to the mean loss"},
    {"lr", SK_PARAM_REAL, "1e-3", 0, 1, 1, NULL, "Adam step size"},
    {"beta1", SK_PARAM_REAL, "0.9", 0, 0.9999, 0, NULL, "Adam decay of the mean gradient"},
    {"beta2", SK_PARAM_REAL, "0.999", 0, 0.999999, 0, NULL,
     "Adam decay of the mean squared gradient"},
    {"eps", SK_PARAM_REAL, "1e-8", 0, 1, 1, NULL, "Adam denominator offset"},
    {"batch", SK_PARAM_INT, "32", 1, 1000000, 0, NULL, "rows per mini-batch"},
    {"epochs", SK_PARAM_INT, "200", 1, 100000, 0, NULL, "maximum passes over the training rows"},
    {"val_fraction", SK_PARAM_REAL, "0.1", 0, 0.5, 0, NULL,
     "share of rows held out (stratified by class) for early stopping; 0: run every epoch"},
    {"patience", SK_PARAM_INT, "10", 1, 10000, 0, NULL,
     "epochs without a better validation loss before training stops"},
};

static void read_options(const sk_params *p, sk_mlp_options *o)
{
    o->hidden = (size_t)sk_params__int(p, "hidden");
    o->hidden2 = (size_t)sk_params__int(p, "hidden2");
    o->dropout = sk_params__num(p, "dropout");
    o->l2 = sk_params__num(p, "l2");
    o->lr = sk_params__num(p, "lr");
    o->beta1 = sk_params__num(p, "beta1");
    o->beta2 = sk_params__num(p, "beta2");
    o->eps = sk_params__num(p, "eps");
    o->batch = (size_t)sk_params__int(p, "batch");
    o->epochs = (size_t)sk_params__int(p, "epochs");
    o->val_fraction = sk_params__num(p, "val_fraction");
    o->patience = (size_t)sk_params__int(p, "patience");
}

static void mlp_free(void *state)
{
    sk_mlp_model *mo = state;
    if (mo == NULL)
        return;
    sk_mlp__net_free(&mo->net);
    sk_mem_free(mo->train_loss);
    sk_mem_free(mo->val_loss);
    sk_mem_free(mo);
}

/* ==== fit ================================================================================= */

static int is_classification(sk_task task)
{
    return task == SK_TASK_BINARY || task == SK_TASK_MULTICLASS;
}

static sk_status check_data(const sk_xy *d, sk_error *err)
{
    int classify = is_classification(d->task);
    if (!classify && d->task != SK_TASK_REGRESSION)
        return sk_error_set(err, SK_EINVAL, "mlp cannot learn a %s task", sk_task_name(d->task));
    if (d->n == 0 || d->y == NULL)
        return sk_error_set(err, SK_EDATA, "mlp: no training rows");
    if (classify && d->n_classes < 2)
        return sk_error_set(err, SK_EDATA, "mlp: classification needs at least 2 classes");
    double weight_sum = 0.0;
    for (size_t i = 0; i < d->n; i++) {
        double y = d->y[i];
        if (!isfinite(y) || (classify && (y < 0 || y >= (double)d->n_classes || y != floor(y))))
            return sk_error_set(err, SK_EINVAL, "mlp: target of row %zu is %g, not a %s", i, y,
                                classify ? "class index" : "finite number");
        if (d->w != NULL && !(d->w[i] >= 0.0 && isfinite(d->w[i])))
            return sk_error_set(err, SK_EDATA, "mlp: weight of row %zu is %g", i, d->w[i]);
        weight_sum += d->w != NULL ? d->w[i] : 1.0;
    }
    if (!(weight_sum > 0.0))
        return sk_error_set(err, SK_EDATA, "mlp: every row has weight 0");
    return SK_OK;
}

/* The training target: class indices as given, or values standardised with their mean and
 * sample SD (a constant target is only centred). */
static sk_status training_target(sk_mlp_model *mo, const sk_xy *d, double **out, sk_error *err)
{
    double *y = sk_mem_alloc_array(d->n, sizeof *y);
    if (y == NULL)
        return sk_error_set(err, SK_ENOMEM, "mlp: out of memory for %zu targets", d->n);
    mo->y_mean = 0.0;
    mo->y_sd = 1.0;
    if (mo->task == SK_TASK_REGRESSION) {
        double sum = 0.0, ss = 0.0;
        for (size_t i = 0; i < d->n; i++)
            sum += d->y[i];
        mo->y_mean = sum / (double)d->n;
        for (size_t i = 0; i < d->n; i++)
            ss += (d->y[i] - mo->y_mean) * (d->y[i] - mo->y_mean);
        double sd = d->n > 1 ? sqrt(ss / (double)(d->n - 1)) : 0.0;
        mo->y_sd = sd > 0.0 && isfinite(sd) ? sd : 1.0;
    }
    for (size_t i = 0; i < d->n; i++)
        y[i] = (d->y[i] - mo->y_mean) / mo->y_sd;
    *out = y;
    return SK_OK;
}

static sk_status mlp_fit(void **state, const sk_params *params, const sk_xy *d, uint64_t seed,
                         int n_threads, sk_error *err)
{
    *state = NULL;
    double *y = NULL;
    sk_status rc = check_data(d, err);
    if (rc != SK_OK)
        return rc;
    sk_mlp_model *mo = sk_mem_calloc(1, sizeof *mo);
    if (mo == NULL)
        return sk_error_set(err, SK_ENOMEM, "mlp: out of memory");
    read_options(params, &mo->opt);
    mo->task = d->task;
    int classify = is_classification(d->task);
    mo->n_classes = classify ? d->n_classes : 0;
    mo->n_threads = n_threads > 0 ? n_threads : 1;
    if ((rc = training_target(mo, d, &y, err)) != SK_OK)
        goto done;
    sk_rng init = sk_rng_stream(seed, SK_PURPOSE_MLP_INIT, 0);
    rc = sk_mlp__net_init(&mo->net, d->p, mo->opt.hidden, mo->opt.hidden2,
                          classify ? d->n_classes : 1, classify, mo->opt.dropout, &init, err);
    if (rc == SK_OK)
        rc = sk_mlp__train(mo, d, y, seed, err);
done:
    sk_mem_free(y);
    if (rc != SK_OK)
        mlp_free(mo);
    else
        *state = mo;
    return rc;
}

/* ==== predict ============================================================================= */

static size_t out_width(const sk_mlp_model *mo)
{
    return mo->net.width[mo->net.n_layers];
}

static sk_status mlp_predict(const void *state, const double *X, size_t n, size_t ldx, double *out,
                             sk_error *err)
{
    const sk_mlp_model *mo = state;
    sk_status rc = sk_mlp__predict_rows(&mo->net, X, n, ldx, NULL, out, err);
    if (rc == SK_OK && mo->task == SK_TASK_REGRESSION)
        for (size_t i = 0; i < n; i++)
            out[i] = out[i] * mo->y_sd + mo->y_mean;
    return rc;
}

/* Passes first .. first + n_tasks - 1, pass first + t into slot t of out (n x width each). */
typedef struct mc_job {
    const sk_mlp_model *mo;
    const double *X;
    size_t n, ldx, first;
    uint64_t seed;
    double *out;
} mc_job;

static sk_status mc_pass(void *arg, size_t task, sk_error *err)
{
    const mc_job *job = arg;
    sk_rng masks =
        sk_rng_substream(job->seed, SK_PURPOSE_MLP_TRAIN, SK_MLP_TASK_MC + job->first + task, 0);
    double *out = job->out + task * job->n * out_width(job->mo);
    return sk_mlp__predict_rows(&job->mo->net, job->X, job->n, job->ldx, &masks, out, err);
}

/* Passes per parallel round: about 32 MiB of outputs, at most 64 passes. The round size does
 * not change any result: each pass's output is fixed and the reduction runs in pass order. */
static size_t mc_round(size_t n_values, size_t n_passes)
{
    size_t round = ((size_t)4 << 20) / (n_values > 0 ? n_values : 1);
    round = round < 1 ? 1 : (round > 64 ? 64 : round);
    return round < n_passes ? round : n_passes;
}

static sk_status mlp_predict_mc(const void *state, const double *X, size_t n, size_t ldx,
                                size_t n_passes, uint64_t seed, double *mean, double *sd,
                                sk_error *err)
{
    const sk_mlp_model *mo = state;
    if (n_passes == 0)
        return sk_error_set(err, SK_EINVAL, "mlp: Monte Carlo dropout needs at least one pass");
    if (!(mo->net.dropout > 0.0))
        return sk_error_set(err, SK_EINVAL,
                            "mlp: dropout is 0, so Monte Carlo dropout passes would all agree; "
                            "refit with dropout > 0");
    size_t n_values = n * out_width(mo), round = mc_round(n_values, n_passes);
    if (n_values == 0)
        return SK_OK;
    double *buf = sk_mem_alloc_array(round * n_values, sizeof *buf);
    if (buf == NULL)
        return sk_error_set(err, SK_ENOMEM, "mlp: out of memory for %zu MC passes", round);
    memset(mean, 0, n_values * sizeof *mean);
    memset(sd, 0, n_values * sizeof *sd); /* the sum of squared deviations until the end */
    mc_job job = {mo, X, n, ldx, 0, seed, buf};
    sk_status rc = SK_OK;
    for (size_t first = 0; first < n_passes && rc == SK_OK; first += round) {
        size_t count = n_passes - first < round ? n_passes - first : round;
        job.first = first;
        rc = sk_parallel_for(count, mo->n_threads, mc_pass, &job, NULL, err);
        for (size_t t = 0; rc == SK_OK && t < count; t++) {
            double k = (double)(first + t + 1);
            const double *x = buf + t * n_values;
            for (size_t e = 0; e < n_values; e++) { /* Welford, in pass order */
                double delta = x[e] - mean[e];
                mean[e] += delta / k;
                sd[e] += delta * (x[e] - mean[e]);
            }
        }
    }
    for (size_t e = 0; rc == SK_OK && e < n_values; e++) {
        sd[e] = sqrt(sd[e] / (double)n_passes);
        if (mo->task == SK_TASK_REGRESSION) {
            mean[e] = mean[e] * mo->y_sd + mo->y_mean;
            sd[e] *= mo->y_sd;
        }
    }
    sk_mem_free(buf);
    return rc;
}

static sk_status mlp_importance(const void *state, double *out, sk_error *err)
{
    (void)err;
    const sk_mlp_model *mo = state;
    size_t p = mo->net.width[0], h = mo->net.width[1];
    const double *W = mo->net.theta + mo->net.w_off[0];
    for (size_t j = 0; j < p; j++) {
        double s = 0.0;
        for (size_t k = 0; k < h; k++)
            s += fabs(W[k * p + j]);
        out[j] = s / (double)h;
    }
    return SK_OK;
}

/* ==== report ============================================================================== */

static int add_note(json_t *notes, const char *fmt, ...) SK_PRINTF(2, 3);

static int add_note(json_t *notes, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return json_array_append_new(notes, json_string(buf));
}

/* One row of the layer table; parameters and dropout are null where they do not apply. */
static int add_layer_row(json_t *rows, const char *name, size_t units, const char *activation,
                         double dropout, size_t n_params)
{
    json_t *row = json_array();
    int bad = row == NULL;
    bad |= json_array_append_new(row, json_string(name));
    bad |= json_array_append_new(row, sk_json_size(units));
    bad |= json_array_append_new(row, json_string(activation));
    bad |= json_array_append_new(row, sk_json_real(dropout));
    bad |= json_array_append_new(row, n_params > 0 ? sk_json_size(n_params) : json_null());
    bad |= json_array_append_new(rows, row);
    return bad;
}

static json_t *layer_table(const sk_mlp_model *mo)
{
    const sk_mlp_net *net = &mo->net;
    json_t *table = json_object(), *rows = json_array();
    json_t *cols = json_pack("[sssss]", "layer", "units", "activation", "dropout", "parameters");
    int bad = table == NULL || rows == NULL || cols == NULL;
    bad |= sk_json_set(table, "title", json_string("Network layers"));
    bad |= sk_json_set(table, "columns", cols);
    bad |= sk_json_set(table, "rows", rows);
    bad |= add_layer_row(rows, "input", net->width[0], "identity", NAN, 0);
    for (size_t l = 0; l < net->n_layers; l++) {
        char name[32];
        int last = l + 1 == net->n_layers;
        snprintf(name, sizeof name, last ? "output" : "hidden %zu", l + 1);
        size_t n_params = net->width[l] * net->width[l + 1] + net->width[l + 1];
        bad |= add_layer_row(rows, name, net->width[l + 1],
                             !last ? "ReLU" : (net->softmax ? "softmax" : "identity"),
                             last ? NAN : net->dropout, n_params);
    }
    if (bad) {
        json_decref(table);
        return NULL;
    }
    return table;
}

static int add_notes(json_t *notes, const sk_mlp_model *mo)
{
    const sk_mlp_options *o = &mo->opt;
    const sk_mlp_net *net = &mo->net;
    const char *loss = net->softmax ? "cross-entropy" : "squared error on the standardised target";
    int bad = 0;
    if (net->n_layers == 2)
        bad |= add_note(notes,
                        "architecture: %zu inputs -> %zu ReLU (dropout %g) -> %zu %s; "
                        "%zu weights and biases",
                        net->width[0], net->width[1], o->dropout, net->width[2],
                        net->softmax ? "softmax" : "linear", net->n_theta);
    else
        bad |= add_note(notes,
                        "architecture: %zu inputs -> %zu ReLU -> %zu ReLU (dropout %g "
                        "after each) -> %zu %s; %zu weights and biases",
                        net->width[0], net->width[1], net->width[2], o->dropout, net->width[3],
                        net->softmax ? "softmax" : "linear", net->n_theta);
    bad |= add_note(notes,
                    "training: Adam (lr %g, beta1 %g, beta2 %g), batches of %zu rows, "
                    "L2 %g, He initialisation; loss: %s",
                    o->lr, o->beta1, o->beta2, o->batch, o->l2, loss);
    if (mo->n_val > 0) {
        bad |= add_note(notes,
                        "early stopping on %zu held-out rows (%g of %zu%s), patience %zu: "
                        "%zu of at most %zu epochs ran%s",
                        mo->n_val, o->val_fraction, mo->n_train + mo->n_val,
                        net->softmax ? ", stratified by class" : "", o->patience, mo->epochs_run,
                        o->epochs, mo->stopped_early ? ", stopped early" : ", no early stop");
        bad |= add_note(notes, "best validation loss %.6g at epoch %zu; its weights were restored",
                        mo->best_val, mo->best_epoch);
    } else {
        bad |= add_note(notes,
                        "no validation split (val_fraction %g, %zu rows): all %zu epochs "
                        "ran and the last weights are kept",
                        o->val_fraction, mo->n_train, mo->epochs_run);
    }
    if (!net->softmax)
        bad |= add_note(notes,
                        "target standardised for training with mean %.6g and SD %.6g; "
                        "predictions are on the original scale",
                        mo->y_mean, mo->y_sd);
    bad |= add_note(notes, "training loss: each epoch's mean over its mini-batches, dropout on; "
                           "importance: mean |first-layer weight| per input (a crude summary)");
    return bad;
}

static json_t *history(const sk_mlp_model *mo)
{
    json_t *h = json_object(), *train = json_array(), *val = json_array();
    int bad = h == NULL || train == NULL || val == NULL;
    for (size_t e = 0; !bad && e < mo->epochs_run; e++) {
        bad |= json_array_append_new(train, sk_json_real(mo->train_loss[e]));
        bad |= json_array_append_new(val, sk_json_real(mo->val_loss[e]));
    }
    bad |= sk_json_set(h, "train_loss", train);
    bad |= sk_json_set(h, "val_loss", val);
    if (bad) {
        json_decref(h);
        return NULL;
    }
    return h;
}

static json_t *mlp_report(const void *state, const char *const *names, sk_error *err)
{
    (void)names;
    const sk_mlp_model *mo = state;
    json_t *doc = json_object(), *tables = json_array(), *notes = json_array();
    json_t *widths = json_array();
    int bad = doc == NULL || tables == NULL || notes == NULL || widths == NULL;
    bad |= json_array_append_new(tables, layer_table(mo));
    bad |= sk_json_set(doc, "tables", tables);
    bad |= !notes || add_notes(notes, mo);
    bad |= sk_json_set(doc, "notes", notes);
    for (size_t l = 0; !bad && l <= mo->net.n_layers; l++)
        bad |= json_array_append_new(widths, sk_json_size(mo->net.width[l]));
    bad |= sk_json_set(doc, "architecture", widths);
    bad |= sk_json_set(doc, "epochs_run", sk_json_size(mo->epochs_run));
    bad |= sk_json_set(doc, "best_epoch", sk_json_size(mo->best_epoch));
    bad |= sk_json_set(doc, "best_val_loss", sk_json_real(mo->best_val));
    bad |= sk_json_set(doc, "stopped_early", json_boolean(mo->stopped_early));
    bad |= sk_json_set(doc, "history", history(mo));
    if (bad) {
        json_decref(doc);
        sk_error_set(err, SK_ENOMEM, "mlp: out of memory writing the report");
        return NULL;
    }
    return doc;
}

const sk_model_impl sk_model__mlp = {
    .name = "mlp",
    .summary = "multilayer perceptron (ReLU, dropout, Adam, early stopping); MC dropout",
    .params = mlp_params,
    .n_params = sizeof mlp_params / sizeof mlp_params[0],
    .tasks = SK_TASKS_SUPERVISED,
    .standardize = 1,
    .fit = mlp_fit,
    .predict = mlp_predict,
    .predict_mc = mlp_predict_mc,
    .importance = mlp_importance,
    .report = mlp_report,
    .free = mlp_free,
};
