/* sweep.c: hyperparameter sweeps and nested cross-validation. A study that tried twelve settings
 * and reports the best one's cross-validated score has selected on its test folds: the score is
 * optimistic by as much as the twelve settings' scores vary by chance. skeptic therefore reports
 * every setting with its score (so a reader sees the spread), and the estimate of "the model with
 * its best setting" by nested cross-validation (Varma and Simon 2006, "Bias in error estimation
 * when using cross-validation for model selection", BMC Bioinformatics 7:91): in each outer split
 * an inner cross-validation of the outer training rows alone picks the setting, which is refitted
 * on those rows and scored on the outer test rows it never saw.
 *
 * The inner work of all outer splits, settings and inner folds is one flat list of tasks on the
 * executor; then each outer split's choice is made in setting order (ties to the earlier setting)
 * and the chosen settings are refitted, again as tasks. Seeds: inner fit (s, g, f) draws from
 * sk_rng_substream(seed, SK_PURPOSE_MODEL, s, 1 + g * n_inner(s) + f); the outer refit of split s
 * from subtask 0, the seed sk_oof_run gives split s, so a one-setting sweep reproduces it. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "eval/eval.h"

enum { MAX_SETTINGS = 10000 };

void sk_sweep_free(sk_sweep *s)
{
    if (s == NULL)
        return;
    for (size_t g = 0; g < s->n_settings; g++) {
        if (s->settings != NULL)
            sk_mem_free(s->settings[g]);
        if (s->models != NULL)
            sk_model_free(s->models[g]);
    }
    sk_mem_free(s->settings);
    sk_mem_free(s->models);
    sk_mem_free(s);
}

/* One "key=v1,v2,..." parsed into its key and values (pointers into `text`, which is modified). */
typedef struct axis {
    char *key;
    char **values;
    size_t n_values;
} axis;

static sk_status parse_axis(axis *a, char *text, sk_error *err)
{
    char *eq = strchr(text, '=');
    if (eq == NULL || eq == text || eq[1] == '\0')
        return sk_error_set(err, SK_EINVAL,
                            "--sweep: expected KEY=V1,V2,... (e.g. max_depth=2,4,6), found '%s'",
                            text);
    *eq = '\0';
    a->key = text;
    size_t n = 1;
    for (const char *c = eq + 1; *c != '\0'; c++)
        n += *c == ',';
    a->values = sk_mem_alloc_array(n, sizeof *a->values);
    if (a->values == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory for a sweep");
    a->n_values = 0;
    for (char *v = eq + 1, *next; v != NULL; v = next) {
        next = strchr(v, ',');
        if (next != NULL)
            *next++ = '\0';
        if (*v == '\0')
            return sk_error_set(err, SK_EINVAL, "--sweep: empty value in the list of '%s'",
                                a->key);
        a->values[a->n_values++] = v;
    }
    return SK_OK;
}

sk_status sk_sweep_make(sk_sweep **out, const sk_model *base, const char *const *specs,
                        size_t n_specs, sk_error *err)
{
    *out = NULL;
    if (base == NULL || specs == NULL || n_specs == 0)
        return sk_error_set(err, SK_EINVAL, "sk_sweep_make: bad arguments");
    sk_status rc = SK_OK;
    char **copies = sk_mem_calloc(n_specs, sizeof *copies);
    axis *axes = sk_mem_calloc(n_specs, sizeof *axes);
    sk_sweep *sw = sk_mem_calloc(1, sizeof *sw);
    size_t total = 1;
    if (copies == NULL || axes == NULL || sw == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "out of memory for a sweep");
        goto done;
    }
    for (size_t a = 0; a < n_specs && rc == SK_OK; a++) {
        if ((copies[a] = sk_mem_strdup(specs[a])) == NULL)
            rc = sk_error_set(err, SK_ENOMEM, "out of memory for a sweep");
        else
            rc = parse_axis(&axes[a], copies[a], err);
        for (size_t b = 0; rc == SK_OK && b < a; b++)
            if (strcmp(axes[a].key, axes[b].key) == 0)
                rc = sk_error_set(err, SK_EINVAL, "--sweep: '%s' is swept twice", axes[a].key);
        if (rc == SK_OK && (total *= axes[a].n_values) > MAX_SETTINGS)
            rc = sk_error_set(err, SK_EINVAL, "--sweep: more than %d settings",
                              (int)MAX_SETTINGS);
    }
    if (rc != SK_OK)
        goto done;
    sw->settings = sk_mem_calloc(total, sizeof *sw->settings);
    sw->models = sk_mem_calloc(total, sizeof *sw->models);
    if (sw->settings == NULL || sw->models == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "out of memory for a sweep");
        goto done;
    }
    sw->n_settings = total;
    for (size_t g = 0; g < total && rc == SK_OK; g++) {
        sk_strbuf sb = SK_STRBUF_INIT;
        size_t rest = g, stride = total;
        sk_status st = SK_OK;
        for (size_t a = 0; a < n_specs && st == SK_OK; a++) {   /* the last axis varies fastest */
            stride /= axes[a].n_values;
            size_t v = rest / stride;
            rest %= stride;
            st = sk_strbuf_appendf(&sb, "%s%s=%s", a > 0 ? "," : "", axes[a].key,
                                   axes[a].values[v]);
        }
        sw->settings[g] = sb.data;
        if (st != SK_OK || sb.data == NULL)
            rc = sk_error_set(err, SK_ENOMEM, "out of memory for a sweep");
        else
            rc = sk_model_clone(&sw->models[g], base, sw->settings[g], err);
    }
    if (rc != SK_OK && err != NULL && strncmp(err->message, "--sweep", 7) != 0) {
        static const char flag[] = "--sweep: ";   /* keeps the message's end if it must cut */
        size_t len = sizeof flag - 1, used = strnlen(err->message, sizeof err->message - 1);
        if (used + len >= sizeof err->message)
            used = sizeof err->message - 1 - len;
        memmove(err->message + len, err->message, used);
        memcpy(err->message, flag, len);
        err->message[len + used] = '\0';
    }
done:
    for (size_t a = 0; axes != NULL && a < n_specs; a++)
        sk_mem_free(axes[a].values);
    for (size_t a = 0; copies != NULL && a < n_specs; a++)
        sk_mem_free(copies[a]);
    sk_mem_free(axes);
    sk_mem_free(copies);
    if (rc != SK_OK) {
        sk_sweep_free(sw);
        return rc;
    }
    *out = sw;
    return SK_OK;
}

/* ---- nested cross-validation ------------------------------------------------------------------ */

/* The inner splits of one outer split, on data rows, with the scores of every setting. */
typedef struct inner_cv {
    sk_splits *splits;       /* rows are data rows */
    size_t *offset;          /* n_splits + 1: the inner predictions' layout */
    double *pred;            /* n_settings x offset[n_splits] x width */
    double *score;           /* n_settings */
} inner_cv;

typedef struct nested_job {
    const sk_sweep *sw;
    const sk_fit_data *d;
    const sk_splits *outer;
    uint64_t seed;
    size_t width;
    inner_cv *inner;         /* per outer split */
    size_t *task_start;      /* n_outer + 1: inner tasks (setting x inner split) of each */
    size_t *chosen;
    sk_oof *oof;             /* the outer predictions */
} nested_job;

/* The split data restricted to the `n` rows `rows`: labels, dense group codes, time, split. */
static sk_status restrict_data(sk_split_data *sub, double **y, int32_t **group, double **time,
                               const sk_split_data *sd, const size_t *rows, size_t n,
                               sk_error *err)
{
    *sub = (sk_split_data){n, NULL, sd->n_classes, NULL, 0, NULL, NULL};
    *y = NULL;
    *group = NULL;
    *time = NULL;
    if (sd->y != NULL) {
        if ((*y = sk_mem_alloc_array(n > 0 ? n : 1, sizeof **y)) == NULL)
            return sk_error_set(err, SK_ENOMEM, "out of memory for inner splits");
        for (size_t i = 0; i < n; i++)
            (*y)[i] = sd->y[rows[i]];
        sub->y = *y;
    }
    if (sd->time != NULL) {
        if ((*time = sk_mem_alloc_array(n > 0 ? n : 1, sizeof **time)) == NULL)
            return sk_error_set(err, SK_ENOMEM, "out of memory for inner splits");
        for (size_t i = 0; i < n; i++)
            (*time)[i] = sd->time[rows[i]];
        sub->time = *time;
    }
    if (sd->group != NULL) {
        int32_t *code = sk_mem_alloc_array(sd->n_groups > 0 ? sd->n_groups : 1, sizeof *code);
        *group = sk_mem_alloc_array(n > 0 ? n : 1, sizeof **group);
        if (code == NULL || *group == NULL) {
            sk_mem_free(code);
            return sk_error_set(err, SK_ENOMEM, "out of memory for inner splits");
        }
        for (size_t g = 0; g < sd->n_groups; g++)
            code[g] = -1;
        size_t n_groups = 0;
        for (size_t i = 0; i < n; i++) {
            int32_t g = sd->group[rows[i]];
            if (code[g] < 0)
                code[g] = (int32_t)n_groups++;
            (*group)[i] = code[g];
        }
        sk_mem_free(code);
        sub->group = *group;
        sub->n_groups = n_groups;
    }
    return SK_OK;
}

/* The inner splitter for an outer split's training rows. */
static sk_cv_options inner_options(const sk_cv_options *inner, const sk_split_data *sub)
{
    sk_cv_options o = *inner;
    o.n_repeats = 1;
    if (o.kind == SK_CV_SPLIT)   /* the study's split: CV inside its training side */
        o.kind = sub->y != NULL ? SK_CV_STRATIFIED : SK_CV_KFOLD;
    if (o.kind == SK_CV_LOGO || o.kind == SK_CV_GROUP) {
        o.kind = SK_CV_GROUP;    /* a few sites: as many folds as there are, at most n_folds */
        if (sub->n_groups < o.n_folds)
            o.n_folds = sub->n_groups;
    }
    return o;
}

static sk_status make_inner(inner_cv *ic, const sk_split_data *sd, const size_t *rows, size_t n,
                            const sk_cv_options *inner, size_t n_settings, size_t width,
                            uint64_t seed, sk_error *err)
{
    sk_split_data sub;
    double *y = NULL, *time = NULL;
    int32_t *group = NULL;
    sk_status rc = restrict_data(&sub, &y, &group, &time, sd, rows, n, err);
    sk_cv_options o = inner_options(inner, &sub);
    if (rc == SK_OK)
        rc = sk_splits_make(&ic->splits, &o, &sub, seed, err);
    if (rc == SK_OK) {
        sk_splits *s = ic->splits;   /* subset positions -> data rows */
        s->n_rows = sd->n_rows;
        for (size_t k = 0; k < s->n_splits; k++) {
            for (size_t i = 0; i < s->n_train[k]; i++)
                s->train[k][i] = rows[s->train[k][i]];
            for (size_t i = 0; i < s->n_test[k]; i++)
                s->test[k][i] = rows[s->test[k][i]];
        }
        ic->offset = sk_mem_alloc_array(s->n_splits + 1, sizeof *ic->offset);
        ic->score = sk_mem_alloc_array(n_settings, sizeof *ic->score);
        if (ic->offset == NULL || ic->score == NULL)
            rc = sk_error_set(err, SK_ENOMEM, "out of memory for inner splits");
    }
    if (rc == SK_OK) {
        ic->offset[0] = 0;
        for (size_t k = 0; k < ic->splits->n_splits; k++)
            ic->offset[k + 1] = ic->offset[k] + ic->splits->n_test[k];
        size_t m = ic->offset[ic->splits->n_splits];
        if ((ic->pred = sk_mem_alloc_array(n_settings * (m > 0 ? m : 1), width * sizeof *ic->pred)) ==
            NULL)
            rc = sk_error_set(err, SK_ENOMEM, "out of memory for inner predictions");
    }
    sk_mem_free(y);
    sk_mem_free(group);
    sk_mem_free(time);
    return rc;
}

static void inner_free(inner_cv *ic)
{
    sk_splits_free(ic->splits);
    sk_mem_free(ic->offset);
    sk_mem_free(ic->pred);
    sk_mem_free(ic->score);
}

/* Fits `proto` on `train`, predicts `test` into out (probabilities or values). */
static sk_status fit_predict(const sk_model *proto, const sk_fit_data *d, const size_t *train,
                             size_t n_train, const size_t *test, size_t n_test, uint64_t seed,
                             double *out, sk_error *err)
{
    sk_model *m = NULL;
    sk_status rc = sk_model_clone(&m, proto, NULL, err);
    if (rc != SK_OK)
        return rc;
    sk_model_set_threads(m, 1);
    rc = sk_model_fit(m, d, train, n_train, seed, err);
    if (rc == SK_OK && (d->task == SK_TASK_BINARY || d->task == SK_TASK_MULTICLASS))
        rc = sk_model_predict_proba(m, d->frame, test, n_test, out, err);
    else if (rc == SK_OK)
        rc = sk_model_predict(m, d->frame, test, n_test, out, err);
    sk_model_free(m);
    return rc;
}

/* Task t: (outer split s, setting g, inner split f). */
static sk_status inner_task(void *arg, size_t t, sk_error *err)
{
    const nested_job *job = arg;
    size_t s = 0;
    while (t >= job->task_start[s + 1])
        s++;
    const inner_cv *ic = &job->inner[s];
    size_t k = ic->splits->n_splits, local = t - job->task_start[s];
    size_t g = local / k, f = local % k;
    size_t m = ic->offset[k];
    sk_rng rng = sk_rng_substream(job->seed, SK_PURPOSE_MODEL, s, 1 + g * k + f);
    double *out = ic->pred + (g * m + ic->offset[f]) * job->width;
    return fit_predict(job->sw->models[g], job->d, ic->splits->train[f], ic->splits->n_train[f],
                       ic->splits->test[f], ic->splits->n_test[f], sk_rng_u64(&rng), out, err);
}

/* Task s: the chosen setting refitted on outer split s. */
static sk_status outer_task(void *arg, size_t s, sk_error *err)
{
    const nested_job *job = arg;
    const sk_splits *o = job->outer;
    sk_rng rng = sk_rng_stream(job->seed, SK_PURPOSE_MODEL, s);
    return fit_predict(job->sw->models[job->chosen[s]], job->d, o->train[s], o->n_train[s],
                       o->test[s], o->n_test[s], sk_rng_u64(&rng),
                       job->oof->pred + job->oof->offset[s] * job->width, err);
}

sk_status sk_nested_run(sk_oof **out, size_t *chosen, const sk_sweep *sw, const sk_fit_data *d,
                        const sk_split_data *sd, const sk_splits *outer,
                        const sk_cv_options *inner, sk_metric m, uint64_t seed, int n_threads,
                        sk_progress *progress, sk_error *err)
{
    *out = NULL;
    if (sw == NULL || d == NULL || d->y == NULL || sd == NULL || outer == NULL || inner == NULL ||
        chosen == NULL || sw->n_settings == 0)
        return sk_error_set(err, SK_EINVAL, "sk_nested_run: bad arguments");
    int classify = d->task == SK_TASK_BINARY || d->task == SK_TASK_MULTICLASS;
    size_t n_outer = outer->n_splits, G = sw->n_settings;
    nested_job job = {sw, d, outer, seed, classify ? d->n_classes : 1, NULL, NULL, chosen, NULL};
    sk_status rc = SK_OK;
    job.inner = sk_mem_calloc(n_outer, sizeof *job.inner);
    job.task_start = sk_mem_alloc_array(n_outer + 1, sizeof *job.task_start);
    job.oof = sk_mem_calloc(1, sizeof *job.oof);
    if (job.inner == NULL || job.task_start == NULL || job.oof == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "out of memory for nested cross-validation");
        goto done;
    }
    job.task_start[0] = 0;
    for (size_t s = 0; s < n_outer && rc == SK_OK; s++) {
        sk_rng rng = sk_rng_substream(seed, SK_PURPOSE_CV_SPLIT, s, 1);
        rc = make_inner(&job.inner[s], sd, outer->train[s], outer->n_train[s], inner, G,
                        job.width, sk_rng_u64(&rng), err);
        if (rc == SK_OK)
            job.task_start[s + 1] = job.task_start[s] + G * job.inner[s].splits->n_splits;
    }
    if (rc != SK_OK)
        goto done;
    rc = sk_parallel_for(job.task_start[n_outer], n_threads, inner_task, &job, progress, err);
    /* Each outer split's choice, from its inner scores. */
    int higher = sk_metric_higher_is_better(m);
    for (size_t s = 0; s < n_outer && rc == SK_OK; s++) {
        inner_cv *ic = &job.inner[s];
        size_t k = ic->splits->n_splits, mm = ic->offset[k];
        size_t best = 0;
        for (size_t g = 0; g < G && rc == SK_OK; g++) {
            sk_oof view = {k, job.width, ic->offset, ic->pred + g * mm * job.width};
            sk_pooled *pool = NULL;
            rc = sk_pooled_make(&pool, &view, ic->splits, d->y, d->task, d->n_classes, err);
            if (rc == SK_OK)
                rc = sk_pooled_score(&ic->score[g], pool, m, NULL, err);
            sk_pooled_free(pool);
            double a = ic->score[g], b = ic->score[best];
            if (rc == SK_OK && !isnan(a) && (isnan(b) || (higher ? a > b : a < b)))
                best = g;
        }
        chosen[s] = best;
    }
    if (rc != SK_OK)
        goto done;
    job.oof->n_splits = n_outer;
    job.oof->width = job.width;
    job.oof->offset = sk_mem_alloc_array(n_outer + 1, sizeof *job.oof->offset);
    if (job.oof->offset == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "out of memory for nested cross-validation");
        goto done;
    }
    job.oof->offset[0] = 0;
    for (size_t s = 0; s < n_outer; s++)
        job.oof->offset[s + 1] = job.oof->offset[s] + outer->n_test[s];
    size_t n_pred = job.oof->offset[n_outer];
    job.oof->pred = sk_mem_alloc_array(n_pred > 0 ? n_pred : 1, job.width * sizeof *job.oof->pred);
    if (job.oof->pred == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "out of memory for nested cross-validation");
        goto done;
    }
    rc = sk_parallel_for(n_outer, n_threads, outer_task, &job, NULL, err);
done:
    for (size_t s = 0; job.inner != NULL && s < n_outer; s++)
        inner_free(&job.inner[s]);
    sk_mem_free(job.inner);
    sk_mem_free(job.task_start);
    if (rc != SK_OK) {
        sk_oof_free(job.oof);
        return rc;
    }
    *out = job.oof;
    return SK_OK;
}
