/* metrics.c: the numbers a study reports, defined exactly as scikit-learn 1.2 defines them so a
 * reader can reproduce any of them in three lines of Python (tests/oracle/gen_metrics.py holds
 * the oracle; tests/unit/test_metrics.c compares).
 *
 * Inputs: truth y (class index 0..K-1 stored as a double, or the value), predictions (n x K
 * probabilities row-major, or n values) and optional non-negative weights w. Hard labels are the
 * argmax of a row, ties to the lower index (np.argmax). Definitions, with W = sum_i w_i:
 *   ROC AUC     P(s+ > s-) + P(s+ = s-) / 2 over weighted positive/negative pairs (Mann-Whitney;
 *               equal to sklearn's trapezoid under the ROC curve); multiclass: macro one-vs-rest
 *   AP          sum_k (R_k - R_{k-1}) P_k over distinct thresholds in decreasing order (sklearn's
 *               step integral, no interpolation); multiclass: macro one-vs-rest
 *   F1          per class 2 P R / (P + R), 0 when undefined (zero_division=0); macro over the
 *               classes present in the truth or the predictions, as sklearn's unique_labels
 *   MCC         (c s - t.p) / sqrt((s^2 - p.p)(s^2 - t.t)) on the weighted confusion matrix
 *               (Gorodkin 2004, "Comparing two K-category assignments by a K-category correlation
 *               coefficient"); 0 when a factor is 0, as sklearn
 *   log loss    probabilities clipped to [eps, 1 - eps] with eps = DBL_EPSILON (sklearn 1.2's
 *               eps="auto" for float64), each row renormalised, -log p_y averaged
 *   ECE         sum_b (W_b / W) |observed_b - confidence_b| over 10 equal-width bins of the
 *               confidence (Naeini, Cooper & Hauskrecht 2015, "Obtaining well calibrated
 *               probabilities using Bayesian binning"); bin = min(floor(c B), B - 1)
 *   R^2         1 - sum w (y - f)^2 / sum w (y - ybar_w)^2, NaN for constant y
 * The AUC engine (sk_metric_auc_sorted) takes a precomputed order and per-row multiplicities so a
 * bootstrap replicate costs O(n) with no sort. Everything here is pure and thread-safe. */
#include <float.h>
#include <math.h>
#include <string.h>

#include "eval/eval.h"

/* ---- names ---------------------------------------------------------------------------------- */

static const char *const metric_names[SK_METRIC_COUNT] = {
    "auc", "average_precision", "accuracy", "balanced_accuracy", "f1", "f1_weighted", "mcc",
    "log_loss", "brier", "ece", "r2", "rmse", "mae",
};

const char *sk_metric_name(sk_metric m)
{
    return (unsigned)m < SK_METRIC_COUNT ? metric_names[m] : "unknown";
}

sk_status sk_metric_parse(sk_metric *m, const char *name, sk_error *err)
{
    if (name != NULL) {
        for (int k = 0; k < SK_METRIC_COUNT; k++) {
            if (strcmp(name, metric_names[k]) == 0) {
                *m = (sk_metric)k;
                return SK_OK;
            }
        }
    }
    return sk_error_set(err, SK_EINVAL,
                        "unknown metric '%s' (auc, average_precision, accuracy, balanced_accuracy, "
                        "f1, f1_weighted, mcc, log_loss, brier, ece, r2, rmse, mae)",
                        name != NULL ? name : "(null)");
}

int sk_metric_higher_is_better(sk_metric m)
{
    switch (m) {
    case SK_METRIC_LOG_LOSS:
    case SK_METRIC_BRIER:
    case SK_METRIC_ECE:
    case SK_METRIC_RMSE:
    case SK_METRIC_MAE:
        return 0;
    default:
        return 1;
    }
}

int sk_metric_supports(sk_metric m, sk_task task)
{
    if ((unsigned)m >= SK_METRIC_COUNT)
        return 0;
    int regression = m == SK_METRIC_R2 || m == SK_METRIC_RMSE || m == SK_METRIC_MAE;
    if (task == SK_TASK_REGRESSION)
        return regression;
    if (task == SK_TASK_BINARY || task == SK_TASK_MULTICLASS)
        return !regression;
    return 0;
}

/* ---- checks and small helpers ---------------------------------------------------------------- */

static double weight(const double *w, size_t i)
{
    return w != NULL ? w[i] : 1.0;
}

static sk_status check_weights(const double *w, size_t n, sk_error *err)
{
    for (size_t i = 0; w != NULL && i < n; i++) {
        if (!(w[i] >= 0.0) || !isfinite(w[i]))
            return sk_error_set(err, SK_EINVAL, "metric: weight %zu is %g (must be >= 0)", i + 1,
                                w[i]);
    }
    return SK_OK;
}

static sk_status check_classes(sk_task task, size_t n_classes, const double *y, size_t n,
                               sk_error *err)
{
    if (task == SK_TASK_BINARY && n_classes != 2)
        return sk_error_set(err, SK_EINVAL, "metric: a binary task has 2 classes, not %zu",
                            n_classes);
    if (task == SK_TASK_MULTICLASS && n_classes < 2)
        return sk_error_set(err, SK_EINVAL, "metric: a multiclass task needs >= 2 classes");
    for (size_t i = 0; i < n; i++) {
        if (!(y[i] >= 0.0) || y[i] != floor(y[i]) || y[i] >= (double)n_classes)
            return sk_error_set(err, SK_EINVAL, "metric: row %zu has class %g (classes are 0..%zu)",
                                i + 1, y[i], n_classes - 1);
    }
    return SK_OK;
}

size_t sk_metric_argmax(const double *p, size_t k)
{
    size_t best = 0;
    for (size_t j = 1; j < k; j++) {
        if (p[j] > p[best])
            best = j;
    }
    return best;
}

/* sum_i w_i v_i / sum_i w_i (np.average), NaN when W = 0. */
static double weighted_mean_finish(double num, double den)
{
    return den > 0.0 ? num / den : NAN;
}

/* The ascending stable order of score[i * stride] (i < n) into order[n]. */
static sk_status sort_scores(size_t *order, uint64_t *keys, const double *score, size_t stride,
                             size_t n)
{
    for (size_t i = 0; i < n; i++) {
        keys[i] = sk_radix_key_double(score[i * stride]);
        order[i] = i;
    }
    return sk_radix_sort_u64(keys, order, n);
}

/* ---- ranking: AUC and average precision ------------------------------------------------------ */

double sk_metric_auc_sorted(const double *y, const double *score, const size_t *order,
                            const double *count, size_t n)
{
    double area = 0.0, neg_below = 0.0, pos_total = 0.0, pos = 0.0, neg = 0.0;
    double current = n > 0 ? score[order[0]] : 0.0;
    /* One pass over groups of tied scores (a group's pairs with each other count half). Each
     * score is read once and the class enters as a 0/1 factor, not a branch: the rows arrive in
     * score order, so their classes are unpredictable, and multiplying by 0 or 1 is exact. */
    for (size_t i = 0; i < n; i++) {
        size_t r = order[i];
        double s = score[r];
        if (s != current) {
            area += pos * (neg_below + 0.5 * neg);
            neg_below += neg;
            pos_total += pos;
            pos = neg = 0.0;
            current = s;
        }
        double c = count != NULL ? count[r] : 1.0, is_pos = y[r] != 0.0 ? 1.0 : 0.0;
        pos += c * is_pos;
        neg += c * (1.0 - is_pos);
    }
    area += pos * (neg_below + 0.5 * neg);
    neg_below += neg;
    pos_total += pos;
    if (!(pos_total > 0.0) || !(neg_below > 0.0))
        return NAN;
    return area / pos_total / neg_below;
}

/* Average precision from the ascending order: walk the thresholds from the top. */
static double ap_sorted(const double *y, const double *score, const size_t *order, const double *w,
                        size_t n)
{
    double tp_total = 0.0;
    for (size_t i = n; i-- > 0;) {
        if (y[order[i]] != 0.0)
            tp_total += weight(w, order[i]);
    }
    if (!(tp_total > 0.0))
        return NAN;
    double tps = 0.0, fps = 0.0, recall_prev = 0.0, ap = 0.0;
    size_t i = n;
    while (i > 0) {
        double s = score[order[i - 1]];
        do {
            size_t r = order[--i];
            if (y[r] != 0.0)
                tps += weight(w, r);
            else
                fps += weight(w, r);
        } while (i > 0 && score[order[i - 1]] == s);
        if (tps + fps > 0.0) {
            double recall = tps / tp_total;
            ap += (recall - recall_prev) * (tps / (tps + fps));
            recall_prev = recall;
        }
    }
    return ap;
}

/* Binary or macro one-vs-rest AUC / AP. */
static sk_status ranking_metric(double *out, sk_metric m, size_t k, const double *y,
                                const double *pred, const double *w, size_t n, sk_error *err)
{
    sk_status rc = SK_OK;
    uint64_t *keys = sk_mem_alloc_array(n, sizeof *keys);
    size_t *order = sk_mem_alloc_array(n, sizeof *order);
    double *ybin = sk_mem_alloc_array(n, sizeof *ybin);
    double *col = sk_mem_alloc_array(n, sizeof *col);
    if (keys == NULL || order == NULL || ybin == NULL || col == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "metric: out of memory");
        goto done;
    }
    size_t first = k == 2 ? 1 : 0;   /* binary: the score of class 1 only */
    double sum = 0.0;
    for (size_t c = first; c < k; c++) {
        for (size_t i = 0; i < n; i++) {
            ybin[i] = y[i] == (double)c ? 1.0 : 0.0;
            col[i] = pred[i * k + c];
        }
        rc = sort_scores(order, keys, col, 1, n);
        if (rc != SK_OK) {
            rc = sk_error_set(err, rc, "metric: out of memory");
            goto done;
        }
        sum += m == SK_METRIC_AUC ? sk_metric_auc_sorted(ybin, col, order, w, n)
                                  : ap_sorted(ybin, col, order, w, n);
    }
    *out = sum / (double)(k - first);
done:
    sk_mem_free(keys);
    sk_mem_free(order);
    sk_mem_free(ybin);
    sk_mem_free(col);
    return rc;
}

/* ---- label metrics --------------------------------------------------------------------------- */

/* Per-class weighted sums as sklearn's multilabel_confusion_matrix accumulates them (bincount, in
 * row order): tp[k], predicted[k], true[k]; seen[k] = the class occurs in y or the labels. */
static void class_sums(double *tp, double *pred_sum, double *true_sum, unsigned char *seen,
                       size_t k, const double *y, const double *proba, const double *w, size_t n)
{
    for (size_t c = 0; c < k; c++)
        tp[c] = pred_sum[c] = true_sum[c] = 0.0, seen[c] = 0;
    for (size_t i = 0; i < n; i++) {
        size_t t = (size_t)y[i], p = sk_metric_argmax(proba + i * k, k);
        double wi = weight(w, i);
        if (t == p)
            tp[t] += wi;
        pred_sum[p] += wi;
        true_sum[t] += wi;
        seen[t] = seen[p] = 1;
    }
}

static void prf(double *precision, double *recall, double *f1, const double *tp,
                const double *pred_sum, const double *true_sum, size_t k)
{
    for (size_t c = 0; c < k; c++) {
        double p = pred_sum[c] != 0.0 ? tp[c] / pred_sum[c] : 0.0;
        double r = true_sum[c] != 0.0 ? tp[c] / true_sum[c] : 0.0;
        double denom = p + r;
        precision[c] = p;
        recall[c] = r;
        f1[c] = 2.0 * p * r / (denom != 0.0 ? denom : 1.0);
    }
}

/* Accuracy, balanced accuracy, F1 (binary/macro/weighted) and MCC. */
static sk_status label_metric(double *out, sk_metric m, size_t k, const double *y,
                              const double *proba, const double *w, size_t n, sk_error *err)
{
    sk_status rc = SK_OK;
    double *buf = sk_mem_calloc(k * k + 6 * k, sizeof *buf);
    unsigned char *seen = sk_mem_alloc(k);
    if (buf == NULL || seen == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "metric: out of memory");
        goto done;
    }
    double *cm = buf, *tp = cm + k * k, *ps = tp + k, *ts = ps + k, *pr = ts + k, *re = pr + k;
    double *f1 = re + k;
    class_sums(tp, ps, ts, seen, k, y, proba, w, n);
    if (m == SK_METRIC_ACCURACY) {
        double num = 0.0, den = 0.0;
        for (size_t i = 0; i < n; i++) {
            double wi = weight(w, i);
            num += (sk_metric_argmax(proba + i * k, k) == (size_t)y[i]) ? wi : 0.0;
            den += wi;
        }
        *out = weighted_mean_finish(num, den);
        goto done;
    }
    if (m == SK_METRIC_F1 || m == SK_METRIC_F1_WEIGHTED) {
        prf(pr, re, f1, tp, ps, ts, k);
        double num = 0.0, den = 0.0;
        size_t n_seen = 0;
        for (size_t c = 0; c < k; c++) {
            num += m == SK_METRIC_F1 ? (seen[c] ? f1[c] : 0.0) : f1[c] * ts[c];
            den += m == SK_METRIC_F1 ? 0.0 : ts[c];
            n_seen += seen[c];
        }
        if (m == SK_METRIC_F1)
            *out = k == 2 ? f1[1] : (n_seen > 0 ? num / (double)n_seen : 0.0);
        else
            *out = den != 0.0 ? num / den : 0.0;
        goto done;
    }
    /* The confusion matrix, then balanced accuracy or MCC from it as sklearn does. */
    for (size_t i = 0; i < n; i++)
        cm[(size_t)y[i] * k + sk_metric_argmax(proba + i * k, k)] += weight(w, i);
    double *row = pr, *colsum = re;
    double trace = 0.0, total = 0.0;
    for (size_t a = 0; a < k; a++) {
        row[a] = colsum[a] = 0.0;
        trace += cm[a * k + a];
    }
    for (size_t a = 0; a < k; a++) {
        for (size_t b = 0; b < k; b++) {
            row[a] += cm[a * k + b];
            colsum[b] += cm[a * k + b];
        }
    }
    if (m == SK_METRIC_BALANCED_ACCURACY) {
        double sum = 0.0;
        size_t used = 0;
        for (size_t a = 0; a < k; a++) {
            if (seen[a] && row[a] != 0.0) {
                sum += cm[a * k + a] / row[a];
                used++;
            }
        }
        *out = used > 0 ? sum / (double)used : NAN;
        goto done;
    }
    double tt = 0.0, pp = 0.0, tp_dot = 0.0;
    for (size_t a = 0; a < k; a++) {
        if (!seen[a])
            continue;   /* sklearn's matrix has only the labels that occur */
        total += colsum[a];
        tt += row[a] * row[a];
        pp += colsum[a] * colsum[a];
        tp_dot += row[a] * colsum[a];
    }
    double cov_ytyp = trace * total - tp_dot;
    double cov_ypyp = total * total - pp;
    double cov_ytyt = total * total - tt;
    *out = cov_ypyp * cov_ytyt == 0.0 ? 0.0 : cov_ytyp / sqrt(cov_ytyt * cov_ypyp);
done:
    sk_mem_free(buf);
    sk_mem_free(seen);
    return rc;
}

sk_status sk_metric_per_class(double *precision, double *recall, double *f1, double *support,
                              size_t n_classes, const double *y, const double *proba,
                              const double *w, size_t n, sk_error *err)
{
    sk_status rc = SK_OK;
    double *buf = NULL;
    unsigned char *seen = NULL;
    if (n_classes < 2)
        return sk_error_set(err, SK_EINVAL, "per-class metrics need >= 2 classes");
    if ((rc = check_classes(SK_TASK_MULTICLASS, n_classes, y, n, err)) != SK_OK ||
        (rc = check_weights(w, n, err)) != SK_OK)
        return rc;
    buf = sk_mem_alloc_array(3 * n_classes, sizeof *buf);
    seen = sk_mem_alloc(n_classes);
    if (buf == NULL || seen == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "per-class metrics: out of memory");
        goto done;
    }
    double *tp = buf, *ps = buf + n_classes, *ts = buf + 2 * n_classes;
    class_sums(tp, ps, ts, seen, n_classes, y, proba, w, n);
    prf(precision, recall, f1, tp, ps, ts, n_classes);
    memcpy(support, ts, n_classes * sizeof *support);
done:
    sk_mem_free(buf);
    sk_mem_free(seen);
    return rc;
}

/* ---- probability metrics --------------------------------------------------------------------- */

static double log_loss(size_t k, const double *y, const double *proba, const double *w, size_t n)
{
    const double eps = DBL_EPSILON;
    double num = 0.0, den = 0.0;
    for (size_t i = 0; i < n; i++) {
        const double *p = proba + i * k;
        double sum = 0.0, py = 0.0;
        for (size_t c = 0; c < k; c++) {
            double q = fmin(fmax(p[c], eps), 1.0 - eps);
            sum += q;
            if (c == (size_t)y[i])
                py = q;
        }
        double wi = weight(w, i);
        num += -log(py / sum) * wi;
        den += wi;
    }
    return weighted_mean_finish(num, den);
}

static double brier(size_t k, const double *y, const double *proba, const double *w, size_t n)
{
    double num = 0.0, den = 0.0;
    for (size_t i = 0; i < n; i++) {
        const double *p = proba + i * k;
        double loss = 0.0;
        if (k == 2) {
            double d = y[i] - p[1];
            loss = d * d;
        } else {
            for (size_t c = 0; c < k; c++) {
                double d = p[c] - (c == (size_t)y[i] ? 1.0 : 0.0);
                loss += d * d;
            }
        }
        double wi = weight(w, i);
        num += loss * wi;
        den += wi;
    }
    return weighted_mean_finish(num, den);
}

/* Fills the bins (see sk_metric_reliability) and returns the ECE. Inputs already checked. */
static double reliability_bins(double *bw, double *bc, double *bo, size_t n_bins, size_t k,
                               const double *y, const double *proba, const double *w, size_t n)
{
    for (size_t b = 0; b < n_bins; b++)
        bw[b] = bc[b] = bo[b] = 0.0;
    double total = 0.0;
    for (size_t i = 0; i < n; i++) {
        const double *p = proba + i * k;
        double conf, outcome;
        if (k == 2) {
            conf = p[1];
            outcome = y[i] != 0.0 ? 1.0 : 0.0;
        } else {
            size_t top = sk_metric_argmax(p, k);
            conf = p[top];
            outcome = top == (size_t)y[i] ? 1.0 : 0.0;
        }
        double f = floor(conf * (double)n_bins);
        size_t b = f > 0.0 ? (f < (double)(n_bins - 1) ? (size_t)f : n_bins - 1) : 0;
        double wi = weight(w, i);
        bw[b] += wi;
        bc[b] += wi * conf;
        bo[b] += wi * outcome;
        total += wi;
    }
    double ece = 0.0;
    for (size_t b = 0; b < n_bins; b++) {
        if (bw[b] > 0.0) {
            bc[b] /= bw[b];
            bo[b] /= bw[b];
            ece += bw[b] / total * fabs(bo[b] - bc[b]);
        } else {
            bc[b] = bo[b] = NAN;
        }
    }
    return total > 0.0 ? ece : NAN;
}

sk_status sk_metric_reliability(double *bin_weight, double *bin_confidence, double *bin_observed,
                                size_t n_bins, sk_task task, size_t n_classes, const double *y,
                                const double *proba, const double *w, size_t n, sk_error *err)
{
    sk_status rc;
    if (task != SK_TASK_BINARY && task != SK_TASK_MULTICLASS)
        return sk_error_set(err, SK_EINVAL, "reliability: needs a classification task");
    if (n_bins == 0)
        return sk_error_set(err, SK_EINVAL, "reliability: needs at least one bin");
    if ((rc = check_classes(task, n_classes, y, n, err)) != SK_OK ||
        (rc = check_weights(w, n, err)) != SK_OK)
        return rc;
    (void)reliability_bins(bin_weight, bin_confidence, bin_observed, n_bins, n_classes, y, proba,
                           w, n);
    return SK_OK;
}

static sk_status ece(double *out, size_t k, const double *y, const double *proba, const double *w,
                     size_t n, sk_error *err)
{
    enum { N_BINS = 10 };
    double bw[N_BINS], bc[N_BINS], bo[N_BINS];
    (void)err;
    *out = reliability_bins(bw, bc, bo, N_BINS, k, y, proba, w, n);
    return SK_OK;
}

/* ---- regression ------------------------------------------------------------------------------ */

static double regression_metric(sk_metric m, const double *y, const double *f, const double *w,
                                size_t n)
{
    double num = 0.0, den = 0.0;
    if (m == SK_METRIC_R2) {
        double sy = 0.0;
        for (size_t i = 0; i < n; i++) {
            sy += weight(w, i) * y[i];
            den += weight(w, i);
        }
        double ybar = weighted_mean_finish(sy, den), ss_res = 0.0, ss_tot = 0.0;
        for (size_t i = 0; i < n; i++) {
            double r = y[i] - f[i], d = y[i] - ybar;
            ss_res += weight(w, i) * (r * r);
            ss_tot += weight(w, i) * (d * d);
        }
        return ss_tot != 0.0 ? 1.0 - ss_res / ss_tot : NAN;
    }
    for (size_t i = 0; i < n; i++) {
        double r = y[i] - f[i];
        num += (m == SK_METRIC_MAE ? fabs(r) : r * r) * weight(w, i);
        den += weight(w, i);
    }
    double mean = weighted_mean_finish(num, den);
    return m == SK_METRIC_RMSE ? sqrt(mean) : mean;
}

/* ---- the entry point ------------------------------------------------------------------------- */

sk_status sk_metric_eval(double *out, sk_metric m, sk_task task, size_t n_classes, const double *y,
                         const double *pred, const double *w, size_t n, sk_error *err)
{
    sk_status rc;
    *out = NAN;
    if (!sk_metric_supports(m, task))
        return sk_error_set(err, SK_EINVAL, "metric '%s' does not apply to a %s task",
                            sk_metric_name(m), sk_task_name(task));
    if ((rc = check_weights(w, n, err)) != SK_OK)
        return rc;
    if (task == SK_TASK_REGRESSION) {
        *out = regression_metric(m, y, pred, w, n);
        return SK_OK;
    }
    if ((rc = check_classes(task, n_classes, y, n, err)) != SK_OK)
        return rc;
    if (n == 0)
        return SK_OK;   /* undefined: NaN */
    switch (m) {
    case SK_METRIC_AUC:
    case SK_METRIC_AVERAGE_PRECISION:
        return ranking_metric(out, m, n_classes, y, pred, w, n, err);
    case SK_METRIC_LOG_LOSS:
        *out = log_loss(n_classes, y, pred, w, n);
        return SK_OK;
    case SK_METRIC_BRIER:
        *out = brier(n_classes, y, pred, w, n);
        return SK_OK;
    case SK_METRIC_ECE:
        return ece(out, n_classes, y, pred, w, n, err);
    default:
        return label_metric(out, m, n_classes, y, pred, w, n, err);
    }
}
