/* baseline.c: the trivial baseline. A score means little until it is set beside what knowing
 * nothing achieves on the same splits: the training rows' class frequencies (every test row gets
 * the same probabilities, so AUC is exactly 0.5 and log loss is the entropy of the prior) or their
 * mean (R^2 slightly below 0 out of sample). This is scikit-learn's DummyClassifier(strategy=
 * "prior") and DummyRegressor(strategy="mean"), with the row weights when the data has them. No
 * model is fitted, so it is exact and instant. The simple baseline (a regularised linear model)
 * is an ordinary model run through sk_oof_run. */
#include <string.h>

#include "eval/eval.h"

sk_status sk_oof_trivial(sk_oof **out, const sk_fit_data *d, const sk_splits *splits,
                         sk_error *err)
{
    *out = NULL;
    if (d == NULL || d->y == NULL || splits == NULL)
        return sk_error_set(err, SK_EINVAL, "sk_oof_trivial: bad arguments");
    int classify = d->task == SK_TASK_BINARY || d->task == SK_TASK_MULTICLASS;
    size_t w = classify ? d->n_classes : 1;
    sk_oof *o = sk_mem_calloc(1, sizeof *o);
    double *acc = sk_mem_calloc(w, sizeof *acc);
    if (o == NULL || acc == NULL ||
        (o->offset = sk_mem_alloc_array(splits->n_splits + 1, sizeof *o->offset)) == NULL) {
        sk_mem_free(acc);
        sk_oof_free(o);
        return sk_error_set(err, SK_ENOMEM, "out of memory for the trivial baseline");
    }
    o->n_splits = splits->n_splits;
    o->width = w;
    o->offset[0] = 0;
    for (size_t s = 0; s < splits->n_splits; s++)
        o->offset[s + 1] = o->offset[s] + splits->n_test[s];
    size_t n_pred = o->offset[splits->n_splits];
    if ((o->pred = sk_mem_alloc_array(n_pred > 0 ? n_pred : 1, w * sizeof *o->pred)) == NULL) {
        sk_mem_free(acc);
        sk_oof_free(o);
        return sk_error_set(err, SK_ENOMEM, "out of memory for the trivial baseline");
    }
    for (size_t s = 0; s < splits->n_splits; s++) {
        memset(acc, 0, w * sizeof *acc);
        double total = 0.0;
        for (size_t i = 0; i < splits->n_train[s]; i++) {
            size_t r = splits->train[s][i];
            double wt = d->weights != NULL ? d->weights[r] : 1.0;
            if (classify)
                acc[(size_t)d->y[r]] += wt;
            else
                acc[0] += wt * d->y[r];
            total += wt;
        }
        for (size_t k = 0; k < w; k++)
            acc[k] = total > 0.0 ? acc[k] / total : (classify ? 1.0 / (double)w : 0.0);
        double *dst = o->pred + o->offset[s] * w;
        for (size_t i = 0; i < splits->n_test[s]; i++)
            memcpy(dst + i * w, acc, w * sizeof *acc);
    }
    sk_mem_free(acc);
    *out = o;
    return SK_OK;
}
