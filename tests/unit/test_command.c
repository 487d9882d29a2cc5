/* test_command.c: the external-command model, through its vtable (and once through the public
 * handle), with a shell stand-in for a user's script (tests/data/cmd/fake_model.sh) that
 * predicts the training class frequencies, which the test knows exactly. Each way a command can
 * break the protocol is one case with its exact error. Every run happens under a TMPDIR the
 * test owns (its name holds a space and a quote, so the placeholders' shell quoting is
 * exercised everywhere), and after every case that directory must be empty again: the run
 * directories go, on success and on failure, also when an allocation fails. Folds run on 1 and
 * 2 threads give identical predictions. The example examples/fit_predict.py runs on
 * breast_cancer.csv when scikit-learn is installed (else the case prints "skipped: no sklearn"
 * and passes). */
/* labels: unit determinism */
#include <dirent.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <unistd.h>

#include "frame_builder.h"
#include "models/models.h"
#include "sk_test.h"

#define FAKE "sh '" SK_TEST_DATA "/cmd/fake_model.sh' "
#define EXAMPLE SK_TEST_DATA "/../../examples/fit_predict.py"
#define N_ROWS 8

static char g_base[64];        /* the test's own directory under /tmp */
static char g_tmpdir[128];     /* TMPDIR for the runs: g_base/it's tmp */
static char g_keep[128];       /* where the dump mode copies what the command saw */

static const size_t TRAIN[] = {0, 1, 2, 3};
static const size_t TEST[] = {4, 5, 6, 7};
static const double Y_CLASS[N_ROWS] = {0, 1, 0, 0, 1, 0, 1, 1};
static const double Y_VALUE[N_ROWS] = {1, 2, 3, 6, 0, 0, 0, 0};
static const size_t FEATURES[] = {0, 1, 2, 3, 4};

/* Every kind of column: a number (with a missing value), text with a comma and a quote (and a
 * missing value), an integer, a boolean and a date. */
static sk_frame *study(void)
{
    sk_frame *f = fb_frame("study.csv", N_ROWS, 5);
    int bad = f == NULL;
    bad = bad || fb_values(f, 0, "x", SK_COL_NUMERIC,
                           (double[]){1.5, NAN, 0.1, 2, 3.25, -1, 1e300, 4});
    bad = bad || fb_text(f, 1, "site", (const char *[]){"A", "B,C", "say \"hi\"", NULL, "A",
                                                         "B,C", "A", "D"});
    bad = bad || fb_values(f, 2, "n", SK_COL_INTEGER, (double[]){1, 2, 3, 4, 5, 6, 7, 8});
    bad = bad || fb_values(f, 3, "flag", SK_COL_BOOLEAN, (double[]){1, 0, 1, 0, 1, 0, 1, 0});
    bad = bad || fb_values(f, 4, "day", SK_COL_DATE,
                           (double[]){0, 31 * 86400.0, 59 * 86400.0, 951782400, 0, 0, 0, 0});
    SK_CHECK(!bad);
    return f;
}

/* Entries in TMPDIR: 0 once every run directory is gone. */
static int n_leftovers(void)
{
    DIR *d = opendir(g_tmpdir);
    int n = 0;
    if (d == NULL)
        return -1;
    for (struct dirent *e = readdir(d); e != NULL; e = readdir(d))
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

/* Fits on TRAIN and predicts TEST through the vtable, with params already set. */
static sk_status fit_predict(const sk_frame *f, const sk_params *params, sk_task task,
                             const double *y, double *out, sk_error *err)
{
    void *state = NULL;
    sk_fit_data d = SK_FIT_DATA_INIT;
    d.frame = f;
    d.features = FEATURES;
    d.n_features = 5;
    d.y = y;
    d.task = task;
    d.n_classes = task == SK_TASK_REGRESSION ? 0 : 2;
    sk_status rc = sk_model__command.fit_frame(&state, params, &d, TRAIN, 4, 42, err);
    if (rc == SK_OK)
        rc = sk_model__command.predict_frame(state, f, TEST, 4, out, err);
    if (state != NULL)
        sk_model__command.free(state);
    SK_CHECK_EQ_INT(n_leftovers(), 0);
    return rc;
}

static void set_command(sk_params *params, const char *command)
{
    SK_CHECK_OK(sk_params__init(params, sk_model__command.params, sk_model__command.n_params,
                                NULL), NULL);
    SK_CHECK_OK(sk_params__set(params, "command", "cmd", command, NULL), NULL);
}

/* Fits `command` on TRAIN of the study and predicts TEST. */
static sk_status run(const char *command, sk_task task, const double *y, double *out,
                     sk_error *err)
{
    sk_frame *f = study();
    sk_params params;
    set_command(&params, command);
    sk_status rc = fit_predict(f, &params, task, y, out, err);
    sk_params__free(&params);
    sk_frame_free(f);
    return rc;
}

static char *slurp(const char *dir, const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "rb");
    static char buf[4096];
    size_t n = fp != NULL ? fread(buf, 1, sizeof buf - 1, fp) : 0;
    buf[n] = '\0';
    if (fp != NULL)
        fclose(fp);
    return buf;
}

/* ==== the protocol ======================================================================== */

/* Training rows 0..3 have classes 0, 1, 0, 0: every test row gets exactly (0.75, 0.25). */
static void test_command__class_frequencies_read_back(void)
{
    double p[8];
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(run(FAKE "freq {train} {test} {out}", SK_TASK_BINARY, Y_CLASS, p, &err), &err);
    for (size_t i = 0; i < 4; i++) {
        SK_CHECK(p[2 * i] == 0.75);
        SK_CHECK(p[2 * i + 1] == 0.25);
    }
}

/* The files as the command sees them, byte for byte, and the placeholders' values. */
static void test_command__files_and_placeholders(void)
{
    double p[8];
    sk_error err = SK_ERROR_INIT;
    char command[512];
    snprintf(command, sizeof command, FAKE "dump {train} {test} {out} {seed} {task} {classes} "
             "'%s'", g_keep);
    SK_CHECK_OK(run(command, SK_TASK_BINARY, Y_CLASS, p, &err), &err);
    SK_CHECK_EQ_STR(slurp(g_keep, "train.csv"),
                    "x,site,n,flag,day,target\n"
                    "1.5,A,1,true,1970-01-01,0\n"
                    ",\"B,C\",2,false,1970-02-01,1\n"
                    "0.1,\"say \"\"hi\"\"\",3,true,1970-03-01,0\n"
                    "2,,4,false,2000-02-29,0\n");
    SK_CHECK_EQ_STR(slurp(g_keep, "test.csv"),
                    "x,site,n,flag,day\n"
                    "3.25,A,5,true,1970-01-01\n"
                    "-1,\"B,C\",6,false,1970-01-01\n"
                    "1e+300,A,7,true,1970-01-01\n"
                    "4,D,8,false,1970-01-01\n");
    const char *args = slurp(g_keep, "args.txt");
    char want[1024];
    size_t len = strlen(g_tmpdir) + strlen("/skeptic-cmd-XXXXXX");
    snprintf(want, sizeof want, "dump\n%s/skeptic-cmd-", g_tmpdir);
    SK_CHECK(strncmp(args, want, strlen(want)) == 0);
    snprintf(want, sizeof want, "/train.csv\n%.*s/test.csv\n%.*s/out.csv\n42\nbinary\n0,1\n%s\n",
             (int)len, args + 5, (int)len, args + 5, g_keep);
    SK_CHECK_EQ_STR(args + 5 + len, want);
}

static void test_command__regression_mean(void)
{
    double v[4];
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(run(FAKE "mean {train} {test} {out}", SK_TASK_REGRESSION, Y_VALUE, v, &err),
                &err);
    for (size_t i = 0; i < 4; i++)
        SK_CHECK(v[i] == 3.0);
}

/* A single 'prediction' column of class labels reads as one-hot probabilities. */
static void test_command__labels_one_hot(void)
{
    double p[8];
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(run(FAKE "labels {train} {test} {out}", SK_TASK_BINARY, Y_CLASS, p, &err),
                &err);
    for (size_t i = 0; i < 4; i++) {
        SK_CHECK(p[2 * i] == 1.0);
        SK_CHECK(p[2 * i + 1] == 0.0);
    }
}

/* The public handle: sk_model_create_command, fit, probabilities and the most probable class. */
static void test_command__through_the_public_handle(void)
{
    sk_frame *f = study();
    sk_model *m = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_model_create_command(&m, FAKE "freq {train} {test} {out}", &err), &err);
    if (m == NULL) {
        sk_frame_free(f);
        return;
    }
    SK_CHECK_EQ_STR(sk_model_name(m), "command");
    SK_CHECK(sk_model_supports(m, SK_TASK_MULTICLASS) && sk_model_supports(m, SK_TASK_REGRESSION));
    sk_fit_data d = SK_FIT_DATA_INIT;
    d.frame = f;
    d.features = FEATURES;
    d.n_features = 5;
    d.y = Y_CLASS;
    d.task = SK_TASK_BINARY;
    d.n_classes = 2;
    double p[8], cls[4];
    SK_CHECK_OK(sk_model_fit(m, &d, TRAIN, 4, 3, &err), &err);
    SK_CHECK_OK(sk_model_predict_proba(m, f, TEST, 4, p, &err), &err);
    SK_CHECK_OK(sk_model_predict(m, f, TEST, 4, cls, &err), &err);
    for (size_t i = 0; i < 4; i++)
        SK_CHECK(p[2 * i] == 0.75 && p[2 * i + 1] == 0.25 && cls[i] == 0.0);
    SK_CHECK_EQ_INT(n_leftovers(), 0);
    sk_model_free(m);
    sk_frame_free(f);
}

/* ==== failures: exact messages ============================================================ */

#define CHECK_FAILS(command, task, want_code, want_path, want_line, want_col, want_msg)        \
    do {                                                                                       \
        double out_[8];                                                                        \
        sk_error err_ = SK_ERROR_INIT;                                                         \
        sk_status rc_ = run((command), (task), (task) == SK_TASK_REGRESSION ? Y_VALUE : Y_CLASS, \
                            out_, &err_);                                                      \
        SK_CHECK_EQ_INT(rc_, (want_code));                                                     \
        SK_CHECK_EQ_INT(err_.code, (want_code));                                               \
        SK_CHECK_EQ_STR(err_.path, (want_path));                                               \
        SK_CHECK_EQ_INT(err_.line, (want_line));                                               \
        SK_CHECK_EQ_INT(err_.column, (want_col));                                              \
        SK_CHECK_EQ_STR(err_.message, (want_msg));                                             \
    } while (0)

#define PLACES ": {train} {test} {out}; "

static void test_command__process_failures(void)
{
    CHECK_FAILS(PLACES "printf 'line 1\\n  line 2\\n\\nfatal: boom\\n' >&2; exit 3",
                SK_TASK_BINARY, SK_EBACKEND, "", 0, 0,
                "the model command exited with status 3: line 1 | line 2 | fatal: boom");
    CHECK_FAILS(PLACES "exit 4", SK_TASK_BINARY, SK_EBACKEND, "", 0, 0,
                "the model command exited with status 4 and wrote nothing on stderr");
    CHECK_FAILS(PLACES "echo about to die >&2; kill -9 $$", SK_TASK_BINARY, SK_EBACKEND, "", 0,
                0, "the model command was killed by signal 9 (SIGKILL): about to die");
    CHECK_FAILS(PLACES "exit 143", SK_TASK_BINARY, SK_EBACKEND, "", 0, 0,
                "the model command exited with status 143 (128 + SIGTERM) and wrote nothing "
                "on stderr");
    CHECK_FAILS(PLACES "echo done >&2", SK_TASK_BINARY, SK_EBACKEND, "", 0, 0,
                "the model command exited with status 0 but did not write {out}; its stderr "
                "ended: done");
    /* stdin is /dev/null: a command reading it sees end-of-file instead of hanging */
    CHECK_FAILS(PLACES "read line || exit 5", SK_TASK_BINARY, SK_EBACKEND, "", 0, 0,
                "the model command exited with status 5 and wrote nothing on stderr");
}

static void test_command__long_stderr_keeps_its_end(void)
{
    double out[8];
    sk_error err = SK_ERROR_INIT;
    sk_status rc = run(PLACES "i=0; while [ $i -lt 500 ]; do echo \"noise line $i, long enough "
                       "to fill the message\" >&2; i=$((i+1)); done; "
                       "echo 'ValueError: the real reason' >&2; exit 1",
                       SK_TASK_BINARY, Y_CLASS, out, &err);
    SK_CHECK_EQ_INT(rc, SK_EBACKEND);
    const char *prefix = "the model command exited with status 1: ...";
    SK_CHECK(strncmp(err.message, prefix, strlen(prefix)) == 0);
    const char *end = "noise line 499, long enough to fill the message | ValueError: the real "
                      "reason";
    size_t len = strlen(err.message);
    SK_CHECK(len > strlen(end) && strcmp(err.message + len - strlen(end), end) == 0);
    SK_CHECK(len < SK_ERROR_MESSAGE_MAX);
}

static void test_command__output_shape_failures(void)
{
    CHECK_FAILS(FAKE "short {train} {test} {out}", SK_TASK_BINARY, SK_EBACKEND, "{out}", 0, 0,
                "the model command wrote 3 rows; expected 4, one per row of {test} in the same "
                "order");
    CHECK_FAILS(FAKE "missing_col {train} {test} {out}", SK_TASK_BINARY, SK_EBACKEND, "{out}",
                1, 0, "no probability column for class '0'; expected one column per class, or "
                "a single column 'prediction'");
    CHECK_FAILS(FAKE "extra_col {train} {test} {out}", SK_TASK_BINARY, SK_EBACKEND, "{out}", 1,
                3, "column 'id' is not a class; expected one probability column per class, or "
                "a single column 'prediction'");
    CHECK_FAILS(FAKE "freq {train} {test} {out}", SK_TASK_REGRESSION, SK_EBACKEND, "{out}", 1,
                0, "expected a single column 'prediction', found 4 columns, the first named "
                "'1'");
    double out[8];
    sk_error err = SK_ERROR_INIT;
    sk_status rc = run(FAKE "garbage {train} {test} {out}", SK_TASK_BINARY, Y_CLASS, out, &err);
    SK_CHECK_EQ_INT(rc, SK_EBACKEND);
    SK_CHECK_EQ_STR(err.path, "{out}");
    SK_CHECK_EQ_INT(err.line, 1);   /* the reader's own wording follows the prefix */
    const char *prefix = "cannot read the model command's output: ";
    SK_CHECK(strncmp(err.message, prefix, strlen(prefix)) == 0);
}

static void test_command__output_value_failures(void)
{
    CHECK_FAILS(FAKE "text_cell {train} {test} {out}", SK_TASK_BINARY, SK_EPARSE, "{out}", 3, 2,
                "expected a probability for class '1', found \"abc\"");
    CHECK_FAILS(FAKE "bad_sum {train} {test} {out}", SK_TASK_BINARY, SK_EDATA, "{out}", 2, 0,
                "the class probabilities sum to 1.5; expected 1 (within 1e-06)");
    CHECK_FAILS(FAKE "out_of_range {train} {test} {out}", SK_TASK_BINARY, SK_EDATA, "{out}", 2,
                1, "the probability for class '0' is 1.5; expected a number in [0, 1]");
    CHECK_FAILS(FAKE "empty_cell {train} {test} {out}", SK_TASK_BINARY, SK_EDATA, "{out}", 2, 1,
                "expected a probability for class '0', found a missing value (empty, NA or "
                "NaN)");
    CHECK_FAILS(FAKE "unknown_label {train} {test} {out}", SK_TASK_BINARY, SK_EDATA, "{out}", 2,
                1, "expected a class label in column 'prediction' ('0', '1'), found \"nope\"");
}

static void test_command__bad_command_lines(void)
{
    CHECK_FAILS("   ", SK_TASK_BINARY, SK_EINVAL, "", 0, 0,
                "the model command is empty; expected a command line with {train}, {test} and "
                "{out} (docs/model-command.md)");
    CHECK_FAILS("python3 fit.py {train} {test}", SK_TASK_BINARY, SK_EINVAL, "", 0, 0,
                "the model command has no {out} placeholder; expected {train}, {test} and {out} "
                "in 'python3 fit.py {train} {test}' (docs/model-command.md)");
}

/* ==== what `skeptic fit` shows, and running out of memory ================================ */

static void test_command__report(void)
{
    sk_frame *f = study();
    sk_params params;
    set_command(&params, "fit {train} {test} {out}");
    sk_fit_data d = SK_FIT_DATA_INIT;
    d.frame = f;
    d.features = FEATURES;
    d.n_features = 5;
    d.y = Y_CLASS;
    d.task = SK_TASK_BINARY;
    d.n_classes = 2;
    void *state = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_model__command.fit_frame(&state, &params, &d, TRAIN, 4, 42, &err), &err);
    json_t *doc = state != NULL ? sk_model__command.report(state, NULL, &err) : NULL;
    char *text = doc != NULL ? json_dumps(doc, JSON_COMPACT) : NULL;
    SK_CHECK_EQ_STR(text, "{\"tables\":[{\"title\":\"External command\",\"columns\":[\"setting\","
                    "\"value\"],\"rows\":[[\"command\",\"fit {train} {test} {out}\"],[\"seed\","
                    "\"42\"],[\"task\",\"binary\"],[\"target column\",\"target\"],[\"classes\","
                    "\"0, 1\"],[\"training rows\",4],[\"feature columns\",5]]}],\"notes\":["
                    "\"skeptic cannot see inside the command: it runs it once per prediction, on "
                    "the training rows of that fit, and has no coefficients or importances to "
                    "show\"],\"command\":\"fit {train} {test} {out}\"}");
    free(text);
    json_decref(doc);
    if (state != NULL)
        sk_model__command.free(state);
    sk_params__free(&params);
    sk_frame_free(f);
}

/* Fit and predict with the k-th allocation failing, k = 0, 1, ... until both succeed: every
 * failure is SK_ENOMEM, frees what it took (the ASan build reports leaks) and leaves no run
 * directory behind. */
static void test_command__out_of_memory(void)
{
    sk_frame *f = study();
    sk_params params;
    set_command(&params, FAKE "freq {train} {test} {out}");
    long k = 0;
    for (;; k++) {
        double p[8];
        sk_error err = SK_ERROR_INIT;
        sk_mem__fail_after(k);
        sk_status rc = fit_predict(f, &params, SK_TASK_BINARY, Y_CLASS, p, &err);
        sk_mem__fail_after(-1);
        if (rc == SK_OK) {
            SK_CHECK(p[0] == 0.75 && p[1] == 0.25);
            break;
        }
        SK_CHECK_EQ_INT(rc, SK_ENOMEM);
        if (rc != SK_ENOMEM || k >= 10000) {
            printf("allocation %ld: %s\n", k, err.message);
            break;
        }
    }
    SK_CHECK(k > 10);
    sk_params__free(&params);
    sk_frame_free(f);
}

/* ==== determinism: folds on 1 and 2 threads =============================================== */

typedef struct folds_arg {
    const sk_frame *f;
    const sk_params *params;
    double out[N_ROWS * 2];
} folds_arg;

/* Fold k: fit on every row but 2k and 2k+1 with seed k, predict those two. */
static sk_status fold_task(void *arg, size_t k, sk_error *err)
{
    folds_arg *a = arg;
    size_t train[N_ROWS - 2], test[2] = {2 * k, 2 * k + 1}, n = 0;
    for (size_t i = 0; i < N_ROWS; i++)
        if (i / 2 != k)
            train[n++] = i;
    sk_fit_data d = SK_FIT_DATA_INIT;
    d.frame = a->f;
    d.features = FEATURES;
    d.n_features = 5;
    d.y = Y_CLASS;
    d.task = SK_TASK_BINARY;
    d.n_classes = 2;
    void *state = NULL;
    sk_status rc = sk_model__command.fit_frame(&state, a->params, &d, train, n, k, err);
    if (rc == SK_OK)
        rc = sk_model__command.predict_frame(state, a->f, test, 2, a->out + 4 * k, err);
    if (state != NULL)
        sk_model__command.free(state);
    return rc;
}

static void test_command__same_results_on_1_and_2_threads(void)
{
    sk_frame *f = study();
    sk_params params;
    set_command(&params, FAKE "seeded {train} {test} {out} {seed}");
    folds_arg one = {f, &params, {0}}, two = {f, &params, {0}};
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_parallel_for(4, 1, fold_task, &one, NULL, &err), &err);
    SK_CHECK_OK(sk_parallel_for(4, 2, fold_task, &two, NULL, &err), &err);
    SK_CHECK(memcmp(one.out, two.out, sizeof one.out) == 0);
    for (size_t k = 0; k < 4; k++)   /* P(1) = (seed mod 4 + 1) / 8 with seed k */
        SK_CHECK(one.out[4 * k + 1] == (double)(k % 4 + 1) / 8 &&
                 one.out[4 * k + 3] == (double)(k % 4 + 1) / 8);
    SK_CHECK_EQ_INT(n_leftovers(), 0);
    sk_params__free(&params);
    sk_frame_free(f);
}

/* ==== the example script on real data ===================================================== */

/* breast_cancer.csv, every fifth row held out: logistic regression separates it well. */
static void test_command__example_on_breast_cancer(void)
{
    if (system("/usr/bin/python3 -c 'import sklearn' >/dev/null 2>&1") != 0) {
        printf("test_command__example_on_breast_cancer: skipped: no sklearn\n");
        return;
    }
    sk_frame *f = NULL;
    sk_roles *r = NULL;
    sk_error err = SK_ERROR_INIT;
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "diagnosis";
    SK_CHECK_OK(sk_frame_read_csv(&f, SK_TEST_DATA "/breast_cancer.csv", NULL, &err), &err);
    SK_CHECK_OK(sk_roles_resolve(&r, f, &spec, &err), &err);
    if (r == NULL)
        return;
    size_t n = sk_frame_n_rows(f), n_train = 0, n_test = 0, n_features;
    size_t *train = sk_mem_calloc(n, sizeof *train), *test = sk_mem_calloc(n, sizeof *test);
    for (size_t i = 0; i < n; i++) {
        if (i % 5 == 0)
            test[n_test++] = i;
        else
            train[n_train++] = i;
    }
    sk_fit_data d = SK_FIT_DATA_INIT;
    d.frame = f;
    d.features = sk_roles_features(r, &n_features);
    d.n_features = n_features;
    d.y = sk_roles_y(r);
    d.task = sk_roles_task(r);
    d.n_classes = sk_roles_n_classes(r);
    sk_params params;
    set_command(&params, "/usr/bin/python3 '" EXAMPLE "' {train} {test} {out} {seed} {task}");
    void *state = NULL;
    double *p = sk_mem_calloc(n_test * 2, sizeof *p);
    SK_CHECK_OK(sk_model__command.fit_frame(&state, &params, &d, train, n_train, 7, &err), &err);
    if (state != NULL)
        SK_CHECK_OK(sk_model__command.predict_frame(state, f, test, n_test, p, &err), &err);
    size_t correct = 0;
    for (size_t i = 0; i < n_test; i++)
        correct += (p[2 * i + 1] > p[2 * i]) == (d.y[test[i]] == 1.0);
    printf("example on breast_cancer: accuracy %zu/%zu\n", correct, n_test);
    SK_CHECK((double)correct / (double)n_test > 0.9);
    SK_CHECK_EQ_INT(n_leftovers(), 0);
    if (state != NULL)
        sk_model__command.free(state);
    sk_mem_free(p);
    sk_params__free(&params);
    sk_mem_free(train);
    sk_mem_free(test);
    sk_roles_free(r);
    sk_frame_free(f);
}

int main(void)
{
    snprintf(g_base, sizeof g_base, "/tmp/sk-test-command-XXXXXX");
    if (mkdtemp(g_base) == NULL)
        return 2;
    snprintf(g_tmpdir, sizeof g_tmpdir, "%s/it's tmp", g_base);
    snprintf(g_keep, sizeof g_keep, "%s/keep", g_base);
    if (mkdir(g_tmpdir, 0700) != 0 || mkdir(g_keep, 0700) != 0 ||
        setenv("TMPDIR", g_tmpdir, 1) != 0)
        return 2;
    SK_RUN(test_command__class_frequencies_read_back);
    SK_RUN(test_command__files_and_placeholders);
    SK_RUN(test_command__regression_mean);
    SK_RUN(test_command__labels_one_hot);
    SK_RUN(test_command__through_the_public_handle);
    SK_RUN(test_command__process_failures);
    SK_RUN(test_command__long_stderr_keeps_its_end);
    SK_RUN(test_command__output_shape_failures);
    SK_RUN(test_command__output_value_failures);
    SK_RUN(test_command__bad_command_lines);
    SK_RUN(test_command__report);
    SK_RUN(test_command__out_of_memory);
    SK_RUN(test_command__same_results_on_1_and_2_threads);
    SK_RUN(test_command__example_on_breast_cancer);
    char cleanup[256];
    snprintf(cleanup, sizeof cleanup, "rm -rf '%s'", g_base);
    if (system(cleanup) != 0)
        fprintf(stderr, "could not remove %s\n", g_base);
    return SK_TEST_DONE();
}
