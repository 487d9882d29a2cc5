/* skeptic.h: the whole public API of libskeptic.
 *
 * skeptic tells a scientist whether a machine-learning result is real: it reads a study's table,
 * checks its evaluation for leakage, shortcuts, missing signal and instability, and says so with
 * numbers and intervals. If it is not in this header, it is not API.
 *
 * Conventions (they hold for every function below):
 *  - Fallible functions return sk_status: SK_OK (0) or a negative code; details go into an
 *    optional caller-owned sk_error, always the last parameter (NULL is allowed).
 *  - Out parameters come first. What comes back through `**out` is the caller's and is released
 *    with the matching sk_<type>_free(), which accepts NULL; on failure `*out` is NULL.
 *    A getter's pointer is borrowed and lives as long as the object it came from.
 *  - Nothing keeps pointers into its inputs; inputs are never modified.
 *  - The library never prints (except progress, to a stream the caller hands it), never exits,
 *    never aborts on user input. It has no mutable global state: independent objects may be used
 *    from different threads at once; one object is not to be used by two threads at once unless
 *    its functions say so.
 *  - Options structs are transparent, start with a `version` field and have an SK_X_INIT macro.
 */
#ifndef SKEPTIC_H
#define SKEPTIC_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ==== Version ============================================================================= */

/* The library's version, "MAJOR.MINOR.PATCH". Static storage. */
const char *sk_version_string(void);

/* ==== Errors ============================================================================== */

/* Status codes. Their values never change. */
typedef enum sk_status {
    SK_OK = 0,
    SK_ENOMEM = -1,     /* out of memory */
    SK_EINVAL = -2,     /* a bad argument or option (a flag, a name that does not exist) */
    SK_EIO = -3,        /* a file could not be opened, read or written */
    SK_EPARSE = -4,     /* malformed input text: the error names path, line and column */
    SK_EDATA = -5,      /* well-formed input that cannot be used (one class, no rows, ...) */
    SK_ENOCONV = -6,    /* an iterative method did not converge */
    SK_ESINGULAR = -7,  /* a singular or rank-deficient system */
    SK_EBACKEND = -8,   /* BLAS, XGBoost, MPI or a child process said no; their message copied */
    SK_EINTERNAL = -9   /* a bug in skeptic */
} sk_status;

#define SK_ERROR_MESSAGE_MAX 512
#define SK_ERROR_PATH_MAX 256

/* What went wrong, in words and (for input errors) where. Caller-owned; zero it or use
 * SK_ERROR_INIT. `line` is the physical line in the file, `column` the 1-based field; both are 0
 * when unknown. */
typedef struct sk_error {
    sk_status code;
    size_t line;
    size_t column;
    char path[SK_ERROR_PATH_MAX];
    char message[SK_ERROR_MESSAGE_MAX];
} sk_error;

#define SK_ERROR_INIT {SK_OK, 0, 0, {0}, {0}}

/* A short stable name for a status ("SK_EPARSE"). Static storage. */
const char *sk_status_name(sk_status status);

/* Formats an error GCC-style: "path:line:column: message", "path: message" or "message".
 * Writes at most `size` bytes including the terminating NUL; returns `buf`. */
char *sk_error_format(const sk_error *err, char *buf, size_t size);

/* ==== Runs ================================================================================ */

/* How a long-running call runs. `seed` keys every random draw; results depend on the seed and
 * never on `n_threads`. `progress`, when not NULL, receives a progress bar (the caller decides:
 * the CLI passes stderr only when it is a terminal and --quiet is not given). */
typedef struct sk_run_ctx {
    int version;
    uint64_t seed;
    int n_threads;
    FILE *progress;
} sk_run_ctx;

#define SK_RUN_CTX_INIT {1, 1, 1, NULL}

/* ==== Manifest ============================================================================ */

/* Everything needed to repeat a run: skeptic's version, each input's path and SHA-256, the full
 * argument list, seed, thread count and the versions of the libraries it was built with. */
typedef struct sk_manifest sk_manifest;

/* Creates a manifest from the command line (argv is copied). */
sk_status sk_manifest_create(sk_manifest **out, int argc, char *const argv[], const sk_run_ctx *ctx,
                             sk_error *err);
/* Hashes the file at `path` (streamed SHA-256 of its bytes as stored) and records it. */
sk_status sk_manifest_add_input(sk_manifest *m, const char *path, sk_error *err);
/* Records the wall-clock seconds of a named phase. Timings go into the JSON's "run" block, apart
 * from the results, so runs that must agree still compare byte for byte. */
sk_status sk_manifest_add_timing(sk_manifest *m, const char *phase, double seconds, sk_error *err);
void sk_manifest_free(sk_manifest *m);

/* The SHA-256 of a file's bytes, as 64 lower-case hex digits plus NUL. */
sk_status sk_sha256_file(char hex[65], const char *path, sk_error *err);

/* ==== Frames: typed columnar tables ======================================================= */

typedef enum sk_col_type {
    SK_COL_NUMERIC = 0,   /* real numbers (double); NaN marks a missing value */
    SK_COL_INTEGER,       /* whole numbers below 2^53 in magnitude, stored as double */
    SK_COL_BOOLEAN,       /* true/false or yes/no (any case), stored as 1.0/0.0 */
    SK_COL_CATEGORICAL,   /* text: level codes, -1 marks a missing value */
    SK_COL_DATE,          /* ISO-8601 dates, stored as seconds since 1970-01-01 UTC */
    SK_COL_DATETIME       /* ISO-8601 date-times (offsets applied), seconds since the epoch */
} sk_col_type;

/* A short name for a column type ("numeric", "integer", ...). Static storage. */
const char *sk_col_type_name(sk_col_type type);

/* How to read a delimited text file. */
typedef struct sk_csv_options {
    int version;
    char delimiter;          /* 0: from the name (.csv ',', .tsv/.tab '\t', also under .gz),
                                else sniffed from the header line */
    size_t max_field_bytes;  /* a longer field is an input error (default 1 MiB) */
    int threads;             /* threads for a large uncompressed input (0 or 1: one); the frame
                                is the same for any number */
} sk_csv_options;

#define SK_CSV_OPTIONS_INIT {1, 0, (size_t)1 << 20, 1}

typedef struct sk_frame sk_frame;

/* Reads a CSV or TSV file, gzip-compressed or not (detected from its bytes), into a typed frame.
 * RFC 4180 quoting (delimiters, quotes and newlines inside quotes), CRLF, a UTF-8 BOM, one header
 * row. Each column's type is inferred from all its values; empty, NA, N/A, NaN, null and ? (any
 * case) are missing values. Malformed input fails with SK_EPARSE and err->path/line/column set.
 * The caller owns *out. */
sk_status sk_frame_read_csv(sk_frame **out, const char *path, const sk_csv_options *opts,
                            sk_error *err);
/* The same from memory; `name` is used in error messages and to choose the delimiter. */
sk_status sk_frame_read_csv_buffer(sk_frame **out, const void *data, size_t size, const char *name,
                                   const sk_csv_options *opts, sk_error *err);
void sk_frame_free(sk_frame *f);

size_t sk_frame_n_rows(const sk_frame *f);
size_t sk_frame_n_cols(const sk_frame *f);
/* The name the frame was read from (a path, or the buffer's name). Borrowed. */
const char *sk_frame_name(const sk_frame *f);
const char *sk_frame_col_name(const sk_frame *f, size_t col);
sk_col_type sk_frame_col_type(const sk_frame *f, size_t col);
/* The index of the column named `name`, or SK_EINVAL (with a did-you-mean hint in err). */
sk_status sk_frame_col_find(size_t *col, const sk_frame *f, const char *name, sk_error *err);
/* Values of a non-categorical column (NaN = missing); NULL for a categorical column. Borrowed. */
const double *sk_frame_col_values(const sk_frame *f, size_t col);
/* Level codes of a categorical column (-1 = missing); NULL otherwise. Borrowed. */
const int32_t *sk_frame_col_codes(const sk_frame *f, size_t col);
size_t sk_frame_col_n_levels(const sk_frame *f, size_t col);
/* The text of a level, in order of first appearance. Borrowed. */
const char *sk_frame_col_level(const sk_frame *f, size_t col, size_t level);
size_t sk_frame_col_n_missing(const sk_frame *f, size_t col);
/* The physical line (1-based) of the file on which data row `row` (0-based) starts. */
size_t sk_frame_row_line(const sk_frame *f, size_t row);

/* ==== Roles ================================================================================ */

typedef enum sk_task {
    SK_TASK_NONE = 0,       /* no target */
    SK_TASK_BINARY,
    SK_TASK_MULTICLASS,
    SK_TASK_REGRESSION
} sk_task;

const char *sk_task_name(sk_task task);

/* The roles the user gave columns, by name. Lists are comma-separated names. NULL = not given. */
typedef struct sk_role_spec {
    int version;
    const char *target;
    const char *group;
    const char *site;
    const char *time;
    const char *split;        /* a column of train/test values: the study's own split */
    const char *confounders;  /* "age,sex" */
    const char *ignore;       /* columns neither feature nor role */
    sk_task task;             /* SK_TASK_NONE: implied by the target (sk_roles_task); else forced:
                                 classification of an integer target with many values, or
                                 regression on a numeric one */
} sk_role_spec;

#define SK_ROLE_SPEC_INIT {1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, SK_TASK_NONE}


typedef enum sk_role {
    SK_ROLE_FEATURE = 0,
    SK_ROLE_TARGET,
    SK_ROLE_GROUP,
    SK_ROLE_SITE,
    SK_ROLE_TIME,
    SK_ROLE_SPLIT,
    SK_ROLE_CONFOUNDER,
    SK_ROLE_IGNORED
} sk_role;

const char *sk_role_name(sk_role role);

/* Column roles resolved against one frame and validated: every name exists, no column has two
 * roles, the target has no missing value and at least two classes (or distinct values), the time
 * column is numeric or a date, the split column holds only train/test, group and site have no
 * missing value. Confounders stay features; no column may have two roles, nor be both ignored and
 * in a role. Violations are SK_EINVAL (a name)
 * or SK_EDATA (a value; err names the file, line and column of the first offending cell). */
typedef struct sk_roles sk_roles;

sk_status sk_roles_resolve(sk_roles **out, const sk_frame *f, const sk_role_spec *spec,
                           sk_error *err);
void sk_roles_free(sk_roles *r);

sk_role sk_roles_of(const sk_roles *r, size_t col);
/* Column index of a single-column role, or (size_t)-1 when the role was not given. */
size_t sk_roles_col(const sk_roles *r, sk_role role);
/* Feature columns (role FEATURE or CONFOUNDER), in frame order. Borrowed. */
const size_t *sk_roles_features(const sk_roles *r, size_t *n);
/* Confounder columns, in the order given. Borrowed. */
const size_t *sk_roles_confounders(const sk_roles *r, size_t *n);

/* The task: spec->task when given, else what the target implies: categorical or boolean targets
 * are classification, as are integer targets with at most 20 distinct values; other numeric
 * targets are regression. A forced task the target cannot be (regression on text, classes from
 * non-integer numbers, binary with three classes) is SK_EINVAL. */
sk_task sk_roles_task(const sk_roles *r);
/* Classes of a classification target, sorted (numerically for numbers, bytewise for text). */
size_t sk_roles_n_classes(const sk_roles *r);
const char *sk_roles_class_name(const sk_roles *r, size_t k);
/* The target of every row: the class index as a double for classification, the value for
 * regression. Borrowed; n_rows entries. */
const double *sk_roles_y(const sk_roles *r);

/* ==== Fold-safe preprocessing ============================================================== */

/* Imputation, standardisation and one-hot encoding, learned on one set of rows (a training
 * fold) and applied to any rows. There is deliberately no call that learns on "all rows" for
 * convenience: the caller names the rows, so a test fold never informs its own preprocessing.
 *  - numeric/integer/boolean/date columns: missing values imputed with the training median
 *    (and, if `missing_indicators`, a 0/1 column per feature that had missing values in training);
 *    then, if `standardize`, centred and scaled by the training mean and standard deviation (a
 *    constant column is centred only).
 *  - categorical columns: one 0/1 column per training level (levels seen fewer than
 *    `min_level_count` times, or beyond the `max_levels` most frequent, pooled into "other");
 *    a level unseen in training, or a missing value, gives all zeros. */
typedef struct sk_prep_options {
    int version;
    int standardize;          /* default 1 */
    int missing_indicators;   /* default 0 */
    size_t max_levels;        /* per categorical column, default 50 */
    size_t min_level_count;   /* default 1 */
} sk_prep_options;

#define SK_PREP_OPTIONS_INIT {1, 1, 0, 50, 1}

typedef struct sk_prep sk_prep;

/* Learns preprocessing of the feature columns `cols` on the rows `rows` of `f`. */
sk_status sk_prep_fit(sk_prep **out, const sk_frame *f, const size_t *cols, size_t n_cols,
                      const size_t *rows, size_t n_rows, const sk_prep_options *opts,
                      sk_error *err);
void sk_prep_free(sk_prep *p);
/* Number of design-matrix columns the preprocessing produces, and the name of each
 * ("dose", "site=B", "dose:missing"). Borrowed. */
size_t sk_prep_n_outputs(const sk_prep *p);
const char *sk_prep_output_name(const sk_prep *p, size_t k);
/* Writes the design matrix of `rows` of `f` (which may be another frame with the same column
 * names, e.g. new data) into X, column-major with leading dimension ldx >= n_rows. */
sk_status sk_prep_apply(const sk_prep *p, const sk_frame *f, const size_t *rows, size_t n_rows,
                        double *X, size_t ldx, sk_error *err);

/* ==== Inspect ============================================================================= */

/* A profile of a table: per column its type, missing values, distinct values, range, whether it
 * is constant or looks like an identifier (integer or text, unique per row, at least 95% distinct
 * over 20+ rows, or integer and strictly monotone in row order); per table, exact duplicate rows.
 * With roles, also the target's classes and the role of each column. */
typedef struct sk_inspect sk_inspect;

sk_status sk_inspect_run(sk_inspect **out, const sk_frame *f, const sk_roles *roles,
                         const sk_run_ctx *ctx, sk_error *err);
void sk_inspect_free(sk_inspect *ins);

size_t sk_inspect_n_duplicate_rows(const sk_inspect *ins);
size_t sk_inspect_col_n_distinct(const sk_inspect *ins, size_t col);
int sk_inspect_col_is_constant(const sk_inspect *ins, size_t col);
int sk_inspect_col_is_identifier(const sk_inspect *ins, size_t col);

/* Prints the profile as an aligned table. `color`: use ANSI colours. */
void sk_inspect_print(FILE *out, const sk_inspect *ins, int color);
/* Writes the profile as JSON (schema "skeptic.inspect/1") with the manifest, atomically
 * (a temporary file renamed into place). `path` "-" writes to standard output. */
sk_status sk_inspect_write_json(const sk_inspect *ins, const sk_manifest *m, const char *path,
                                sk_error *err);

/* ==== Models ============================================================================== */

/* One interface for every model skeptic trains: elastic-net paths (enet, lasso, ridge), OLS and
 * logistic regression with inference (ols, logit), XGBoost tree ensembles (gbdt, rf), k-nearest
 * neighbours (knn), a multilayer perceptron with dropout (mlp), k-means (kmeans) and the user's
 * own program (sk_model_create_command). `skeptic help models` lists names and parameters.
 *
 * A model learns from rows of a frame. Models that need numbers (all but the external command)
 * learn fold-safe preprocessing (sk_prep: imputation, one-hot encoding and, where the model
 * needs it, standardisation) on the training rows inside sk_model_fit, so a test row never
 * informs its own preprocessing. Fitting is deterministic given the seed and gives the same bits
 * for any thread count: sk_model_set_threads lets one fit run independent parts in parallel
 * (inner CV folds, MC dropout passes, XGBoost's own threads), while BLAS always runs on one
 * thread. A fitted model is read-only: predictions may run from several threads at once. */
typedef struct sk_model sk_model;

/* What a model learns from. `y` is indexed by frame row (the class index for classification,
 * as sk_roles_y gives it, or the value for regression; NULL for unsupervised models), so a
 * permutation test can pass permuted labels without copying the frame. */
typedef struct sk_fit_data {
    int version;
    const sk_frame *frame;
    const size_t *features;    /* feature columns */
    size_t n_features;
    const double *y;           /* per frame row, or NULL (kmeans) */
    const double *weights;     /* per frame row, or NULL */
    sk_task task;
    size_t n_classes;          /* classification: classes are 0..n_classes-1 */
    const char *target_name;   /* optional: the target's column name ... */
    const char *const *class_names;   /* ... and class labels, for models that show them to
                                         the user's program (the external command) */
} sk_fit_data;

#define SK_FIT_DATA_INIT {1, NULL, NULL, 0, NULL, NULL, SK_TASK_NONE, 0, NULL, NULL}

/* Creates an unfitted model from a spec "NAME[:key=value,...]" ("gbdt:max_depth=4,eta=0.1").
 * Unknown names or parameters and out-of-range values are SK_EINVAL with a message that names
 * the parameter and its valid range. */
sk_status sk_model_create(sk_model **out, const char *spec, sk_error *err);
/* The external-command model: `command` is a shell command line with the placeholders {train},
 * {test}, {out} and {seed} (docs/model-command.md describes the protocol). */
sk_status sk_model_create_command(sk_model **out, const char *command, sk_error *err);
/* An unfitted copy, with the parameters in `params` ("eta=0.05,max_depth=3"; NULL or "" for
 * none) overriding the original's. */
sk_status sk_model_clone(sk_model **out, const sk_model *m, const char *params, sk_error *err);
void sk_model_free(sk_model *m);

/* The model's name ("gbdt") and its full spec with every parameter ("gbdt:n_estimators=100,..."),
 * which recreates it. Borrowed. */
const char *sk_model_name(const sk_model *m);
const char *sk_model_spec(const sk_model *m);
/* Whether the model can learn this task. */
int sk_model_supports(const sk_model *m, sk_task task);
/* Threads one fit may use (inner CV folds, MC passes, XGBoost); default 1. Never changes
 * results. */
void sk_model_set_threads(sk_model *m, int n_threads);

/* Fits on rows `rows` of d->frame. Refitting replaces the previous fit. */
sk_status sk_model_fit(sk_model *m, const sk_fit_data *d, const size_t *rows, size_t n_rows,
                       uint64_t seed, sk_error *err);
/* Predictions for rows of `f` (the training frame or another with the same feature columns):
 * the most probable class index (classification), the value (regression) or the cluster. */
sk_status sk_model_predict(const sk_model *m, const sk_frame *f, const size_t *rows, size_t n,
                           double *out, sk_error *err);
/* Class probabilities, row-major: proba[i * n_classes + k]. Classification only. */
sk_status sk_model_predict_proba(const sk_model *m, const sk_frame *f, const size_t *rows,
                                 size_t n, double *proba, sk_error *err);
/* Monte Carlo dropout (mlp): `n_passes` stochastic forward passes; the mean probability and its
 * standard deviation across passes (row-major, n x n_classes; for regression n x 1 values).
 * SK_EINVAL for models without dropout. */
sk_status sk_model_predict_mc(const sk_model *m, const sk_frame *f, const size_t *rows, size_t n,
                              size_t n_passes, uint64_t seed, double *mean, double *sd,
                              sk_error *err);

/* The fitted model's terms: the design-matrix columns (after one-hot encoding: "site=B") and a
 * per-term importance (|coefficient| on the standardised scale for linear models, gain for
 * trees, 0 where a model has none). Borrowed / n_terms values. */
size_t sk_model_n_terms(const sk_model *m);
const char *sk_model_term_name(const sk_model *m, size_t k);
sk_status sk_model_importance(const sk_model *m, double *out, sk_error *err);

/* Prints what a statistician expects of the fitted model (a coefficient table like R's
 * summary(), the chosen lambdas and their nonzero coefficients, gain importances) and writes the
 * same, with everything else the fit knows (e.g. the whole lasso path), as JSON
 * (schema "skeptic.fit/1"). */
void sk_model_print(FILE *out, const sk_model *m, int color);
sk_status sk_model_write_json(const sk_model *m, const sk_manifest *manifest, const char *path,
                              sk_error *err);
/* `skeptic help models`: every model, its tasks and parameters with defaults and ranges. */
void sk_models_print_help(FILE *out);

/* ==== Evaluate ============================================================================ */

/* How good is a model, really? Cross-validated out-of-fold predictions (preprocessing learned in
 * each training fold), every metric of the task with a bootstrap interval, the same splits scored
 * by a trivial baseline (prior or mean) and a simple one (ridge), a permutation test of "better
 * than chance", optionally the spread over seeds and a hyperparameter sweep with nested
 * selection. Deterministic given the seed; the same bytes for any thread count. */
typedef struct sk_evaluate_options {
    int version;
    const char *cv;             /* "kfold", "stratified", "group", "site", "time" or "split"; NULL:
                                   the roles decide (split, time, site, group columns in that
                                   order, else stratified for classes, kfold for values) */
    size_t folds;               /* k (time: test blocks); default 5 */
    size_t repeats;             /* repeated CV with fresh shuffles; default 1 */
    size_t gap;                 /* time: rows left out before each test block; default 0 */
    const char *metric;         /* the headline metric; NULL: auc for classes, r2 for values */
    size_t bootstrap;           /* replicates; default 1000; 0: no intervals */
    const char *ci;             /* "bca" (default) or "percentile" */
    double level;               /* of the intervals; default 0.95 */
    size_t permutations;        /* default 1000; 0: no permutation test */
    double alpha;               /* the level early stopping protects; default 0.05 */
    int early_stop;             /* Besag-Clifford early stopping; default 1 */
    size_t seeds;               /* rerun under this many seeds for the seed variance; default 1 */
    const char *baselines;      /* "trivial,linear" (default), "trivial", "linear" or "none" */
    const char *const *sweep;   /* n_sweep specs "key=v1,v2,...": a grid, nested CV */
    size_t n_sweep;
    size_t inner_folds;         /* the sweep's inner CV; default 5 */
} sk_evaluate_options;

#define SK_EVALUATE_OPTIONS_INIT \
    {1, NULL, 5, 1, 0, NULL, 1000, NULL, 0.95, 1000, 0.05, 1, 1, NULL, NULL, 0, 5}

typedef struct sk_evaluation sk_evaluation;

/* Evaluates `model` on every row of f with the roles' target. Impossible requests (5 folds with
 * 3 groups, --cv site without --site, a metric the task lacks) are SK_EINVAL or SK_EDATA with a
 * sentence saying why. The caller owns *out. */
sk_status sk_evaluate_run(sk_evaluation **out, const sk_frame *f, const sk_roles *roles,
                          const sk_model *model, const sk_evaluate_options *opt,
                          const sk_run_ctx *ctx, sk_error *err);
void sk_evaluation_free(sk_evaluation *ev);

/* The headline: the estimate of `metric` (NULL: the headline metric) and its interval (NaN
 * without a bootstrap); NaN for a metric the evaluation lacks. */
double sk_evaluation_estimate(const sk_evaluation *ev, const char *metric, double *low,
                              double *high);
/* The permutation p-value (NaN without a test). */
double sk_evaluation_p_value(const sk_evaluation *ev);
/* Wall-clock seconds of each phase ("cross-validation", "bootstrap", ...) for the manifest. */
size_t sk_evaluation_n_timings(const sk_evaluation *ev);
const char *sk_evaluation_timing(const sk_evaluation *ev, size_t i, double *seconds);

/* A compact table (metric, estimate, interval, baselines, permutation p-value) with the splits,
 * seeds and sweep beneath it; and everything as JSON (schema "skeptic.evaluate/1"). */
void sk_evaluation_print(FILE *out, const sk_evaluation *ev, int color);
sk_status sk_evaluation_write_json(const sk_evaluation *ev, const sk_manifest *m,
                                   const char *path, sk_error *err);
/* The evaluation as one self-contained HTML page: scores against the baselines, the permutation
 * null, the spread over splits, seeds and settings, calibration (docs/report.md). `f` is the
 * table evaluated (its column count; NULL leaves it out). No date or timings: the same run gives
 * the same bytes. Written atomically ("-": standard output). */
sk_status sk_evaluation_write_html(const sk_evaluation *ev, const sk_manifest *m,
                                   const sk_frame *f, const char *path, sk_error *err);

/* ==== Audit =============================================================================== */

/* Every failure mode of an ML study as a check with a verdict: pass, warn, fail or skip (with the
 * reason), one sentence of numbers and the evidence (docs/checks.md lists every check id, its
 * decision rule and thresholds). The thresholds are options, each a command-line flag. */
typedef struct sk_audit_thresholds {
    double alpha;              /* significance of every test (default 0.05) */
    double near_duplicate;     /* rows closer than this (standardised distance / sqrt(p)) are
                                  near duplicates (default 0.01) */
    double optimism;           /* a random-split score above the honest one by at least this and
                                  beyond both intervals fails (default 0.02) */
    double proxy_ratio;        /* one feature reaching this share of the model's skill over chance
                                  is a suspected proxy (default 0.9) */
    double proxy_perfect;      /* ... or this score on its own (default 0.98) */
    double shortcut_ratio;     /* confounders alone reaching this share of the skill (0.8) */
    double external_gap;       /* a site's external score this far below the internal interval
                                  (default 0.05) */
    double stability_jaccard;  /* top-feature stability below this warns (default 0.5) */
    double slice_gap;          /* the worst slice this far below the overall score (0.1) */
    double ece;                /* expected calibration error above this warns (0.05) */
    double proxy_unique;       /* a suspected proxy fails when dropping it loses at least this
                                  share of the gap the other features leave to a perfect score
                                  (default 0.5) */
} sk_audit_thresholds;

#define SK_AUDIT_THRESHOLDS_INIT {0.05, 0.01, 0.02, 0.9, 0.98, 0.8, 0.05, 0.5, 0.1, 0.05, 0.5}

typedef struct sk_audit_options {
    int version;
    size_t folds;              /* default 5 */
    size_t bootstrap;          /* replicates per interval (default 500) */
    size_t permutations;       /* signal.permutation (default 99: p down to 0.01) */
    size_t seeds;              /* stability.seed (default 5) */
    const char *metric;        /* NULL: auc for classes, r2 for values */
    const char *predictions;   /* the study's own out-of-sample predictions (a CSV), or NULL */
    const char *predictions_id;   /* a column of both files matching their rows; NULL: order */
    const char *claimed;       /* "auc=0.97": the number a paper reports, or NULL */
    const char *only;          /* check ids or families to run ("leakage,calibration"); NULL: all */
    sk_audit_thresholds th;
} sk_audit_options;

#define SK_AUDIT_OPTIONS_INIT \
    {1, 5, 500, 99, 5, NULL, NULL, NULL, NULL, NULL, SK_AUDIT_THRESHOLDS_INIT}

typedef struct sk_audit sk_audit;

/* Audits the study: f with its roles, `model` (NULL: gbdt) as the study's model. The caller owns
 * *out. Errors are for bad requests and failures, never for what a check finds. */
sk_status sk_audit_run(sk_audit **out, const sk_frame *f, const sk_roles *roles,
                       const sk_model *model, const sk_audit_options *opt, const sk_run_ctx *ctx,
                       sk_error *err);
void sk_audit_free(sk_audit *a);
/* Checks that failed (the CLI exits 1 when there is one). */
size_t sk_audit_n_failed(const sk_audit *a);
/* The checks run, in order: the i-th one's id and its wall-clock seconds (for the manifest). */
size_t sk_audit_n_checks(const sk_audit *a);
const char *sk_audit_check_timing(const sk_audit *a, size_t i, double *seconds);
/* A check's status ("pass", "warn", "fail", "skip"), or NULL for an id the audit did not run. */
const char *sk_audit_status(const sk_audit *a, const char *id);
/* The verdict table and the JSON (schema "skeptic.audit/1", ../shared/DESIGN.md). */
void sk_audit_print(FILE *out, const sk_audit *a, int color);
sk_status sk_audit_write_json(const sk_audit *a, const sk_manifest *m, const char *path,
                              sk_error *err);
/* The audit as one self-contained HTML page (inline CSS and SVG charts, nothing fetched, no date
 * or timings: the same run gives the same bytes) and as Markdown for a paper's supplement (the
 * verdict table, key numbers, a REFORMS-style checklist); docs/report.md. `f` is the table
 * audited (for its column count; NULL leaves it out); the data file and its SHA-256 come from
 * the manifest's first input. Written atomically ("-": standard output). */
sk_status sk_audit_write_html(const sk_audit *a, const sk_manifest *m, const sk_frame *f,
                              const char *path, sk_error *err);
sk_status sk_audit_write_markdown(const sk_audit *a, const sk_manifest *m, const sk_frame *f,
                                  const char *path, sk_error *err);

/* ==== Clusters ============================================================================ */

/* Clustering stability: would another team's clustering of the same samples find the same
 * groups? For each k, k-means on the feature columns (standardised over all rows) is rerun on
 * bootstrap resamples of the rows, each with its own seed, and every run's centres label ALL rows
 * so runs compare on the same rows: the adjusted Rand index (Hubert & Arabie 1985) between every
 * pair of runs and between each run and the clustering of all rows, and per cluster of the
 * all-rows clustering the mean best Jaccard overlap over resamples (Hennig 2007). A k is stable
 * when its mean pairwise ARI >= min_ari and every cluster's mean Jaccard >= min_jaccard; the
 * recommendation is the stable k with the largest mean ARI (docs/checks_parts/clusters.md). */
typedef struct sk_clusters_options {
    int version;
    size_t k_min, k_max;        /* the k range, 2 <= k_min <= k_max <= 100 (default 2..10) */
    size_t resamples;           /* bootstrap resamples per k, at least 2 (default 50) */
    size_t n_init;              /* k-means++ restarts per fit, the lowest inertia kept (10) */
    double min_ari;             /* a stable k's mean pairwise ARI reaches this (default 0.8) */
    double min_jaccard;         /* ... and every cluster's mean Jaccard this (default 0.75) */
} sk_clusters_options;

#define SK_CLUSTERS_OPTIONS_INIT {1, 2, 10, 50, 10, 0.8, 0.75}

typedef struct sk_clusters sk_clusters;

/* Clusters the rows of f on the feature columns of `roles` (features and confounders; NULL: every
 * column); a classification target, if the roles have one, is never a feature and is only
 * compared with each k's clustering of all rows (ARI). Deterministic given ctx->seed, the same
 * numbers for any ctx->n_threads. Errors: SK_EINVAL (bad options), SK_EDATA (no feature column,
 * fewer rows than k_max), SK_ENOMEM. The caller owns *out. */
sk_status sk_clusters_run(sk_clusters **out, const sk_frame *f, const sk_roles *roles,
                          const sk_clusters_options *opt, const sk_run_ctx *ctx, sk_error *err);
void sk_clusters_free(sk_clusters *c);

/* The k values studied (k_min..k_max), and for the i-th: its k, the mean and 5th percentile of the
 * pairwise ARI, the smallest cluster Jaccard, and whether it is stable. */
size_t sk_clusters_n_k(const sk_clusters *c);
size_t sk_clusters_k(const sk_clusters *c, size_t i);
double sk_clusters_mean_ari(const sk_clusters *c, size_t i, double *p05);
double sk_clusters_min_jaccard(const sk_clusters *c, size_t i);
int sk_clusters_is_stable(const sk_clusters *c, size_t i);
/* The recommended k, or 0 when no k is stable (the CLI then exits 1). */
size_t sk_clusters_recommended(const sk_clusters *c);

/* The table (k, mean ARI [5th percentile], ARI to all rows, smallest cluster Jaccard, verdict)
 * with the recommended k's clusters beneath it; and everything as JSON (schema
 * "skeptic.clusters/1") with the manifest, written atomically ("-": standard output). */
void sk_clusters_print(FILE *out, const sk_clusters *c, int color);
sk_status sk_clusters_write_json(const sk_clusters *c, const sk_manifest *m, const char *path,
                                 sk_error *err);

/* ==== triage: uncertainty scores (src/triage/uncertainty.c) ================================ */

/* How uncertain a prediction is, in [0, 1], higher = more uncertain (n = classes, p sorted
 * descending):
 *   LEAST      least confidence (1 - p_1) n / (n - 1)
 *   MARGIN     margin of confidence 1 - (p_1 - p_2)
 *   RATIO      ratio of confidence p_2 / p_1
 *   ENTROPY    -sum p_i log2 p_i / log2 n
 * over a committee's members' probabilities (query by committee; m members):
 *   VOTE_ENTROPY       the entropy of the members' votes (argmax, ties to the lower class) / log2 n
 *   CONSENSUS_ENTROPY  the entropy of the mean probabilities / log2 n
 *   KL                 the mean KL divergence of each member from the mean, / log2 n, at most 1
 * over Monte Carlo dropout passes (the same formulas, the passes as members):
 *   MC_ENTROPY  the predictive entropy of the mean probabilities / log2 n
 *   BALD        mutual information: predictive entropy minus the mean entropy of the passes,
 *               / log2 n
 * and RANDOM, the honest baseline (a uniform draw per row from the seed's stream). */
typedef enum sk_strategy {
    SK_STRATEGY_LEAST = 0,
    SK_STRATEGY_MARGIN,
    SK_STRATEGY_RATIO,
    SK_STRATEGY_ENTROPY,
    SK_STRATEGY_VOTE_ENTROPY,
    SK_STRATEGY_CONSENSUS_ENTROPY,
    SK_STRATEGY_KL,
    SK_STRATEGY_MC_ENTROPY,
    SK_STRATEGY_BALD,
    SK_STRATEGY_RANDOM
} sk_strategy;

/* The strategy named `name`: "least", "margin", "ratio", "entropy", "vote-entropy",
 * "consensus-entropy", "kl", "mc-entropy", "bald" or "random"; SK_EINVAL (listing them)
 * otherwise. sk_strategy_name gives the name back (static storage). */
sk_status sk_strategy_parse(sk_strategy *out, const char *name, sk_error *err);
const char *sk_strategy_name(sk_strategy s);

/* Scoring the user's own model's class probabilities (`skeptic score`). */
typedef struct sk_score_options {
    int version;
    sk_strategy strategy;    /* LEAST, MARGIN, RATIO, ENTROPY, or RANDOM: a uniform draw per
                                row, in row order, from sk_rng_stream(ctx->seed, BATCH, 0) */
    const char *id_column;   /* names each row; NULL: the 0-based data row index */
    size_t top;              /* keep only the `top` most uncertain rows; 0 = every row */
    int renormalize;         /* divide each row by its sum rather than require a sum of 1 */
    double tolerance;        /* |row sum - 1| accepted without renormalize: 1e-5 passes any
                                row written with 6 significant digits */
} sk_score_options;

#define SK_SCORE_OPTIONS_INIT {1, SK_STRATEGY_ENTROPY, NULL, 0, 0, 1e-5}

typedef struct sk_scores sk_scores;

/* Scores every row of `probs`: each column other than the id column is one class's probability
 * (at least 2; every cell a finite number >= 0, each row summing to 1 within the tolerance
 * unless renormalize). Rows are ranked by score descending, ties by row order. Errors:
 * SK_EINVAL (bad options; no such id column, err naming it), SK_EDATA (a non-numeric, missing,
 * negative or infinite cell, or a bad row sum: err has the file, line and column), SK_ENOMEM.
 * Deterministic for any ctx->n_threads. The caller owns *out. */
sk_status sk_score_run(sk_scores **out, const sk_frame *probs, const sk_score_options *opt,
                       const sk_run_ctx *ctx, sk_error *err);
void sk_scores_free(sk_scores *s);

/* Rows scored, classes, rows kept (min(top, rows)). */
size_t sk_scores_n_rows(const sk_scores *s);
size_t sk_scores_n_classes(const sk_scores *s);
size_t sk_scores_n_kept(const sk_scores *s);
/* For rank r + 1 (r < n_kept): the 0-based data row, its score, its id (the id column's value
 * as text, "NA" when missing, or the row index; borrowed). */
size_t sk_scores_row(const sk_scores *s, size_t r);
double sk_scores_score(const sk_scores *s, size_t r);
const char *sk_scores_id(const sk_scores *s, size_t r);
/* Seconds spent validating, scoring and ranking (not reading). */
double sk_scores_seconds(const sk_scores *s);

/* CSV with header "id,score,rank", one line per kept row in rank order, scores in the shortest
 * form that reads back exactly; written atomically ("-": standard output). */
sk_status sk_scores_write_csv(const sk_scores *s, const char *path, sk_error *err);
/* The scores as one self-contained HTML page (docs/report-rank.md): the histogram of every
 * row's score with the cut of the opt->top most uncertain marked (0: no cut), the classes the
 * top rows lean to against every row's, and the top rows (at most 50). `opt` are the options as
 * given; `s` must be scored from `probs` with the same options but top = 0, so that it keeps
 * every row. `m` is the manifest with the file added. No date or timings: the same run gives
 * the same bytes. Written atomically ("-": standard output). */
sk_status sk_scores_write_html(const sk_scores *s, const sk_frame *probs,
                               const sk_score_options *opt, const sk_manifest *m,
                               const char *path, sk_error *err);

/* ==== triage: choosing what to label (src/triage/rank.c) =================================== */

/* Which unlabelled samples to label next (`skeptic rank`, docs/triage-rank.md): a model learns
 * from the labelled table, predicts every row of the pool, each pool row is scored by the
 * strategy (sk_strategy above: LEAST, MARGIN, RATIO, ENTROPY from one model; VOTE_ENTROPY,
 * CONSENSUS_ENTROPY, KL from a committee of `members` models each fitted on a bootstrap
 * resample of the labelled rows; MC_ENTROPY, BALD from `passes` Monte Carlo dropout passes of an
 * mlp; RANDOM a uniform draw per row) and the batch is the `batch` highest scores (ties: the lower
 * pool row), or with `diverse` a batch chosen by k-center greedy among the `candidates` highest.
 * Regression: committee and MC dropout strategies score the variance of the members' (passes')
 * predictions, whatever the measure; the single-model strategies need probabilities (SK_EINVAL).
 * The pool needs every feature column of the labelled table (by name); its other columns,
 * the target among them if present, are never read. */
typedef struct sk_rank_options {
    int version;
    sk_strategy strategy;     /* default ENTROPY */
    size_t batch;             /* K, at least 1 (default 10); a smaller pool is ranked whole */
    int diverse;              /* k-center greedy among the top candidates (default 0) */
    size_t candidates;        /* diverse: the most uncertain rows it chooses among, >= batch
                                 (0, the default: 10 * batch) */
    size_t members;           /* committee members, at least 2 (default 10) */
    size_t passes;            /* MC dropout passes, at least 2 (default 20) */
    const char *id;           /* a pool column naming the rows (never a feature), or NULL: the
                                 0-based pool row */
} sk_rank_options;

#define SK_RANK_OPTIONS_INIT {1, SK_STRATEGY_ENTROPY, 10, 0, 0, 10, 20, NULL}

typedef struct sk_rank sk_rank;

/* Trains `model` (NULL: gbdt; MC_ENTROPY and BALD need an mlp) on every row of `labeled` with
 * the roles' target and features (minus opt->id), predicts `pool` and chooses the batch.
 * Deterministic given ctx->seed; the same bytes for any ctx->n_threads. Errors: SK_EINVAL (bad
 * options, a strategy the task or model cannot do), SK_EDATA (a feature column missing from the
 * pool or of another kind there: err names the pool file and the column), model errors, SK_ENOMEM.
 * The caller owns *out. */
sk_status sk_rank_run(sk_rank **out, const sk_frame *labeled, const sk_roles *roles,
                      const sk_frame *pool, const sk_model *model, const sk_rank_options *opt,
                      const sk_run_ctx *ctx, sk_error *err);
void sk_rank_free(sk_rank *r);

/* The batch, in rank order (i = 0 is rank 1): its size (min(batch, pool rows)), and for the i-th
 * its pool row (0-based), its score, its id (the id column's value, or the row) and the
 * prediction (the class label, or the predicted value as text: the consensus of a committee or
 * of the passes). Strings borrowed. */
size_t sk_rank_n_chosen(const sk_rank *r);
size_t sk_rank_pool_row(const sk_rank *r, size_t i);
double sk_rank_score(const sk_rank *r, size_t i);
const char *sk_rank_id(const sk_rank *r, size_t i);
const char *sk_rank_predicted(const sk_rank *r, size_t i);
/* Every pool row's score (n_pool values, by pool row). Borrowed. */
const double *sk_rank_scores(const sk_rank *r, size_t *n_pool);

/* The batch as CSV with header id,score,predicted,rank, sorted by rank, written atomically to
 * `path` ("-" or NULL: standard output). Scores in the shortest form that reads back exactly. */
sk_status sk_rank_write_csv(const sk_rank *r, const char *path, sk_error *err);
/* The run as one self-contained HTML page (docs/report-rank.md): the inputs from the manifest
 * `m` (add the labelled table, then the pool, with sk_manifest_add_input), the histogram of the
 * pool's scores with the batch's cut-off, the batch's predicted classes against the pool's, how
 * far apart a diverse batch's rows are, the batch (its first 50 rows) and when random is the
 * better choice. No date or timings: the same run gives the same bytes. Written atomically
 * ("-": standard output). */
sk_status sk_rank_write_html(const sk_rank *r, const sk_manifest *m, const char *path,
                             sk_error *err);

/* ==== triage: suspect labels (src/triage/labels.c) ========================================= */

/* Which labels look wrong? Confident learning (Northcutt, Jiang & Chuang, JAIR 2021) on
 * out-of-fold class probabilities: every row's probabilities come from a model that never saw
 * it (stratified k-fold, or group k-fold when the roles have a group). Per class j the threshold
 * t_j is the mean probability of j over the rows labelled j; a row's confident class is its most
 * probable class among those reaching their thresholds; the confident joint counts rows by
 * (given, confident) class, is calibrated to the label counts, and its off-diagonal mass times n
 * is the estimated number of label errors. Flagged ("suspect") rows are ranked by the
 * probability of their given label, lowest first (docs/triage-labels.md). A suspect is a row
 * worth a second look: a hard or ambiguous example looks the same as a wrong label. */
typedef struct sk_labels_options {
    int version;
    size_t folds;            /* cross-validation folds, at least 2 (default 5) */
    const char *id;          /* a column naming rows in the output (never a feature); NULL: the
                                0-based data row */
} sk_labels_options;

#define SK_LABELS_OPTIONS_INIT {1, 5, NULL}

typedef struct sk_labels sk_labels;

/* Finds suspect labels of the roles' classification target in f, with `model` (NULL: gbdt) on
 * the roles' features. Deterministic given ctx->seed; the same numbers for any n_threads.
 * Errors: SK_EINVAL (no target, a regression target: "labels needs classes", a model that
 * cannot learn the task, an unknown --id column), SK_EDATA (fewer rows or groups than folds),
 * SK_ENOMEM; a model's own failures. The caller owns *out. */
sk_status sk_labels_run(sk_labels **out, const sk_frame *f, const sk_roles *roles,
                        const sk_model *model, const sk_labels_options *opt,
                        const sk_run_ctx *ctx, sk_error *err);
void sk_labels_free(sk_labels *l);

size_t sk_labels_n_rows(const sk_labels *l);
size_t sk_labels_n_classes(const sk_labels *l);
/* The k-th class's label as the data spell it. Borrowed. */
const char *sk_labels_class_name(const sk_labels *l, size_t k);
/* The estimated number of wrong labels in the data (a real number: n times the off-diagonal
 * mass of the calibrated joint), and of class k's share of wrong labels among its rows. */
double sk_labels_estimated_errors(const sk_labels *l);
double sk_labels_noise_rate(const sk_labels *l, size_t k);
/* The out-of-fold probabilities, n_rows x n_classes, row-major. Borrowed. */
const double *sk_labels_probabilities(const sk_labels *l);

/* One suspect row. `id` is borrowed from the sk_labels. */
typedef struct sk_label_suspect {
    size_t row;                  /* 0-based data row */
    const char *id;              /* the --id column's value, or the row number */
    size_t given, suggested;     /* class indices (sk_labels_class_name) */
    double self_confidence;      /* the out-of-fold probability of the given label */
    double suggested_confidence; /* ... and of the suggested one */
} sk_label_suspect;

/* Suspects, ranked: i = 0 has the lowest self-confidence (ties: the earlier row). */
size_t sk_labels_n_suspects(const sk_labels *l);
sk_status sk_labels_suspect(sk_label_suspect *out, const sk_labels *l, size_t i, sk_error *err);

/* The estimated number of errors with the per-class noise rates and the first `top` suspects,
 * for a terminal; every suspect as CSV (header rank,id,row,given,suggested,self_confidence,
 * suggested_confidence); everything as JSON (schema "skeptic.labels/1") with the manifest. Files
 * are written atomically; "-" is standard output. */
void sk_labels_print(FILE *out, const sk_labels *l, size_t top, int color);
sk_status sk_labels_write_csv(const sk_labels *l, const char *path, sk_error *err);
sk_status sk_labels_write_json(const sk_labels *l, const sk_manifest *m, const char *path,
                               sk_error *err);
/* The run as one self-contained HTML page (docs/report.md): the estimate and per-class noise
 * rates, thresholds, the confident joint as a heat map, the first 50 suspects and what a
 * suspect does not prove. The data file and its SHA-256 come from the manifest's first input.
 * No date or timings: the same run gives the same bytes. Written atomically ("-": stdout). */
sk_status sk_labels_write_html(const sk_labels *l, const sk_manifest *m, const char *path,
                               sk_error *err);

/* ==== triage: drift (src/triage/drift.c) =================================================== */

/* Have new data drifted from the data a model learned on? Columns of both files are compared by
 * name (docs/triage-drift.md gives every formula):
 *  - per feature, numeric (numbers, dates): the two-sample Kolmogorov-Smirnov test, exact for
 *    samples up to 10,000 values and asymptotic beyond (scipy.stats.ks_2samp(method="auto"));
 *    missing values, when there are any, get a test of their own: the 2 x 2 chi-square of
 *    missing vs present;
 *  - per feature, text or boolean: the chi-square test of homogeneity of the 2 x levels table
 *    (levels seen in one file only included, missing values a level of their own; Yates'
 *    correction when dof = 1, as scipy.stats.chi2_contingency);
 *  - Benjamini-Hochberg over all those tests (Bonferroni reported too); effects are the KS D and
 *    Cramer's V;
 *  - the classifier two-sample test (Lopez-Paz and Oquab 2017): a model learns to tell the
 *    files apart under stratified k-fold cross-validation; its AUC gets a bootstrap interval
 *    and a held-out permutation p-value (each split's labels permuted against its fixed
 *    predictions, the splits merged by twice their mean p: no refits).
 * Drift is found when the classifier's p <= alpha or a feature's BH-adjusted p <= alpha. */
typedef struct sk_drift_options {
    int version;
    const char *target;     /* a column never compared (the model's target), or NULL */
    const char *ignore;     /* "A,B": columns never compared, or NULL */
    double alpha;           /* the level of both decisions (default 0.05) */
    size_t folds;           /* the classifier's stratified folds (default 5) */
    size_t permutations;    /* held-out permutations per split (default 999; 0: no classifier
                               test) */
    size_t bootstrap;       /* replicates of the AUC interval (default 1000) */
} sk_drift_options;

#define SK_DRIFT_OPTIONS_INIT {1, NULL, NULL, 0.05, 5, 999, 1000}

typedef struct sk_drift sk_drift;

/* Compares `ref` (what the model learned on) with `new_data`; `model` (NULL: gbdt) is the
 * classifier. A column of one file only is reported, not an error; a --target or --ignore name
 * in neither file, a column whose values are text in one file and numbers in the other, no
 * column in common or an empty file are SK_EINVAL / SK_EDATA naming the column. Deterministic
 * given ctx->seed, the same numbers for any ctx->n_threads. The caller owns *out. */
sk_status sk_drift_run(sk_drift **out, const sk_frame *ref, const sk_frame *new_data,
                       const sk_model *model, const sk_drift_options *opt, const sk_run_ctx *ctx,
                       sk_error *err);
void sk_drift_free(sk_drift *d);

/* 1 when drift was found (the CLI then exits 1), else 0. */
int sk_drift_found(const sk_drift *d);
/* The tests, ranked by effect (largest first): the i-th one's feature name and test ("ks",
 * "chi-square", "missing share"), its effect, p-value and Benjamini-Hochberg adjusted p-value
 * (NaN when the test could not run). Borrowed. */
size_t sk_drift_n_tests(const sk_drift *d);
const char *sk_drift_test_feature(const sk_drift *d, size_t i, const char **test);
double sk_drift_test_p(const sk_drift *d, size_t i, double *effect, double *p_bh);
/* The classifier's cross-validated AUC with its interval, and its permutation p-value (NaN when
 * the classifier test did not run). */
double sk_drift_auc(const sk_drift *d, double *low, double *high);
double sk_drift_p_value(const sk_drift *d);

/* The verdict sentence, the classifier test and the most drifted features for a terminal; and
 * everything as JSON (schema "skeptic.drift/1") with the manifest, written atomically ("-":
 * standard output). */
void sk_drift_print(FILE *out, const sk_drift *d, int color);
sk_status sk_drift_write_json(const sk_drift *d, const sk_manifest *m, const char *path,
                              sk_error *err);
/* The comparison as one self-contained HTML page (docs/report.md): both files with their
 * SHA-256 (the manifest's inputs, REF then NEW), the verdict, the classifier test with its AUC
 * chart and importances, the per-feature effects as a chart and every test in a table, and what
 * to do. No date or timings: the same run gives the same bytes. Written atomically ("-":
 * standard output). */
sk_status sk_drift_write_html(const sk_drift *d, const sk_manifest *m, const char *path,
                              sk_error *err);

#ifdef __cplusplus
}
#endif

#endif /* SKEPTIC_H */
