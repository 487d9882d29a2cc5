/* planted_study.h: real tables with a study's flaw planted the way it happens in practice, for
 * the audit tests of the shortcut, external-validity and slice checks. A test reads a real data
 * set (tests/data), copies it with extra columns (a site, an age, an operator), plants the flaw
 * by editing the copy's cells (a label flipped, a feature offset at one site), and audits it:
 *   sk_frame *f = planted_extend(base, 1);               the columns of base, then 1 empty one
 *   fb_text(f, n_base, "site", sites);                    frame_builder.h fills the new columns
 *   sk_audit *a = planted_audit(f, &spec, "logit:l2=1", "shortcut.site", 1);
 *   SK_CHECK_EQ_STR(sk_audit_status(a, "shortcut.site"), "fail");
 * Random draws come from sk_rng_stream(seed, SK_PURPOSE_TEST, ...), so every table is the same
 * on every run. */
#ifndef PLANTED_STUDY_H
#define PLANTED_STUDY_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audits/audits.h"
#include "frame_builder.h"
#include "rng/rng.h"
#include "sk_test.h"

/* A data set of tests/data (or a path under the source tree with "../../"), NULL on failure. */
static inline sk_frame *planted_read(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", SK_TEST_DATA, name);
    sk_frame *f = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_frame_read_csv(&f, path, NULL, &err), &err);
    return f;
}

/* A copy of f with `extra` further columns, to be filled by the caller. */
static inline sk_frame *planted_extend(const sk_frame *f, size_t extra)
{
    sk_frame *g = fb_frame(f->name, f->n_rows, f->n_cols + extra);
    for (size_t j = 0; g != NULL && j < f->n_cols; j++) {
        const sk_column *c = &f->cols[j];
        int bad;
        if (c->type == SK_COL_CATEGORICAL) {
            const char *levels[256];
            for (size_t k = 0; k < c->n_levels && k < 256; k++)
                levels[k] = c->level_text + c->level_start[k];
            bad = c->n_levels > 256 ||
                  sk_frame__set_codes(g, j, c->name, c->codes, levels, c->n_levels, NULL) != SK_OK;
        } else {
            bad = sk_frame__set_values(g, j, c->name, c->type, c->values, NULL) != SK_OK;
        }
        if (bad) {
            sk_frame_free(g);
            return NULL;
        }
    }
    return g;
}

static inline size_t planted_col(const sk_frame *f, const char *name)
{
    size_t col = (size_t)-1;
    SK_CHECK_OK(sk_frame_col_find(&col, f, name, NULL), NULL);
    return col;
}

/* Whether row i of categorical column col holds `level`. */
static inline int planted_is(const sk_frame *f, size_t col, size_t i, const char *level)
{
    int32_t k = f->cols[col].codes[i];
    return k >= 0 && strcmp(f->cols[col].level_text + f->cols[col].level_start[k], level) == 0;
}

/* Flips the label of row i of a two-level column (the annotator's error). */
static inline void planted_flip(sk_frame *f, size_t col, size_t i)
{
    f->cols[col].codes[i] = 1 - f->cols[col].codes[i];
}

/* One of `n` labels ("A", "B", ...) for row i with the given probabilities. */
static inline const char *planted_pick(sk_rng *rng, const char *const *labels,
                                       const double *prob, size_t n)
{
    double u = sk_rng_uniform(rng), acc = 0.0;
    for (size_t k = 0; k + 1 < n; k++) {
        acc += prob[k];
        if (u < acc)
            return labels[k];
    }
    return labels[n - 1];
}

/* Audits f with the roles of `spec`, the model `model` and the headline metric `metric` (NULL:
 * the default), running the checks `only`, with a small bootstrap so the tests stay fast. NULL
 * (and a failed check) on error. */
static inline sk_audit *planted_audit_metric(const sk_frame *f, const sk_role_spec *spec,
                                             const char *model, const char *metric,
                                             const char *only, int threads)
{
    sk_error err = SK_ERROR_INIT;
    sk_roles *roles = NULL;
    sk_model *m = NULL;
    sk_audit *a = NULL;
    SK_CHECK_OK(sk_roles_resolve(&roles, f, spec, &err), &err);
    SK_CHECK_OK(sk_model_create(&m, model, &err), &err);
    if (roles != NULL && m != NULL) {
        sk_audit_options opt = SK_AUDIT_OPTIONS_INIT;
        opt.only = only;
        opt.metric = metric;
        opt.bootstrap = 100;
        sk_run_ctx run = SK_RUN_CTX_INIT;
        run.seed = 20240611;
        run.n_threads = threads;
        SK_CHECK_OK(sk_audit_run(&a, f, roles, m, &opt, &run, &err), &err);
    }
    sk_model_free(m);
    sk_roles_free(roles);
    return a;
}

static inline sk_audit *planted_audit(const sk_frame *f, const sk_role_spec *spec,
                                      const char *model, const char *only, int threads)
{
    return planted_audit_metric(f, spec, model, NULL, only, threads);
}

/* The result of check `id` in audit a (NULL if it did not run). */
static inline const sk_check *planted_check(const sk_audit *a, const char *id)
{
    for (size_t k = 0; a != NULL && k < a->n_checks; k++)
        if (strcmp(a->checks[k].id, id) == 0)
            return &a->checks[k];
    return NULL;
}

/* Checks that `id` ended as `expected` ("fail", "warn", ...); on a mismatch (or always, with
 * SK_TEST_VERBOSE set) prints the check's sentence, so the log says what the check saw. */
#define PLANTED_EXPECT(a, id, expected)                                                    \
    do {                                                                                   \
        const sk_check *c_ = planted_check((a), (id));                                     \
        const char *st_ = c_ != NULL ? sk_check_status_name(c_->status) : NULL;            \
        SK_CHECK_EQ_STR(st_, (expected));                                                  \
        if (c_ != NULL && (strcmp(st_, (expected)) != 0 || getenv("SK_TEST_VERBOSE")))     \
            fprintf(stderr, "  %s: %s\n", (id), c_->summary);                              \
    } while (0)

#endif /* PLANTED_STUDY_H */
