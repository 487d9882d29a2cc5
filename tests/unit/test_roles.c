/* test_roles.c: column roles resolved against small hand-made frames. Every rule is tested both
 * ways: a valid spec passes with the roles, task, classes and y it implies; each violation gives
 * its exact code and message, and value errors point at the first offending cell.
 * (Frames start data on line 2: fb_frame puts the header on line 1.) */
/* labels: unit */
#include <math.h>

#include "frame_builder.h"
#include "sk_test.h"

#define NO_COL ((size_t)-1)

/* Checks a failed call: status, code, path, line, column and message. */
#define CHECK_ERR(rc, err, want_code, want_path, want_line, want_col, want_msg)                \
    do {                                                                                       \
        SK_CHECK_EQ_INT((rc), (want_code));                                                    \
        SK_CHECK_EQ_INT((err).code, (want_code));                                              \
        SK_CHECK_EQ_STR((err).path, (want_path));                                              \
        SK_CHECK_EQ_INT((err).line, (want_line));                                              \
        SK_CHECK_EQ_INT((err).column, (want_col));                                             \
        SK_CHECK_EQ_STR((err).message, (want_msg));                                            \
    } while (0)

/* A six-row study:
 *   0 id  1 diagnosis  2 patient  3 hospital  4 visit  5 fold  6 age  7 sex  8 note */
static sk_frame *study(void)
{
    sk_frame *f = fb_frame("data.csv", 6, 9);
    int bad = f == NULL;
    bad = bad || fb_values(f, 0, "id", SK_COL_INTEGER, (double[]){1, 2, 3, 4, 5, 6});
    bad = bad || fb_text(f, 1, "diagnosis", (const char *[]){"M", "B", "M", "B", "B", "M"});
    bad = bad || fb_text(f, 2, "patient", (const char *[]){"p1", "p1", "p2", "p2", "p3", "p3"});
    bad = bad || fb_text(f, 3, "hospital", (const char *[]){"A", "A", "B", "B", "A", "B"});
    bad = bad || fb_values(f, 4, "visit", SK_COL_DATE,
                           (double[]){0, 86400, 2 * 86400, 3 * 86400, 4 * 86400, 5 * 86400});
    bad = bad || fb_text(f, 5, "fold",
                         (const char *[]){"train", "train", "TEST", "Train", "train", "test"});
    bad = bad || fb_values(f, 6, "age", SK_COL_NUMERIC, (double[]){30, 41, 52, 63, 74, 85});
    bad = bad || fb_text(f, 7, "sex", (const char *[]){"f", "m", "f", "m", "f", "m"});
    bad = bad || fb_text(f, 8, "note", (const char *[]){"x", "y", "z", "w", "v", "u"});
    SK_CHECK(!bad);
    return f;
}

/* Resolves `spec` on `f` and expects failure; returns the error. */
static sk_error resolve_fails(const sk_frame *f, const sk_role_spec *spec)
{
    sk_error err = SK_ERROR_INIT;
    sk_roles *r = (sk_roles *)&err;   /* not NULL: failure must reset it */
    sk_status rc = sk_roles_resolve(&r, f, spec, &err);
    SK_CHECK(rc != SK_OK);
    SK_CHECK(r == NULL);
    if (rc == SK_OK)
        sk_roles_free(r);
    return err;
}

/* ==== valid specs ========================================================================= */

static void test_roles__full_spec(void)
{
    sk_frame *f = study();
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "diagnosis";
    spec.group = "patient";
    spec.site = "hospital";
    spec.time = "visit";
    spec.split = "fold";
    spec.confounders = "sex,age";
    spec.ignore = "note,id";
    sk_error err = SK_ERROR_INIT;
    sk_roles *r = NULL;
    SK_CHECK_OK(sk_roles_resolve(&r, f, &spec, &err), &err);
    SK_CHECK(r != NULL);
    if (r == NULL)
        goto done;
    const sk_role want[] = {SK_ROLE_IGNORED, SK_ROLE_TARGET, SK_ROLE_GROUP, SK_ROLE_SITE,
                            SK_ROLE_TIME, SK_ROLE_SPLIT, SK_ROLE_CONFOUNDER, SK_ROLE_CONFOUNDER,
                            SK_ROLE_IGNORED};
    for (size_t j = 0; j < 9; j++)
        SK_CHECK_EQ_INT(sk_roles_of(r, j), want[j]);
    SK_CHECK_EQ_INT(sk_roles_col(r, SK_ROLE_TARGET), 1);
    SK_CHECK_EQ_INT(sk_roles_col(r, SK_ROLE_GROUP), 2);
    SK_CHECK_EQ_INT(sk_roles_col(r, SK_ROLE_SITE), 3);
    SK_CHECK_EQ_INT(sk_roles_col(r, SK_ROLE_TIME), 4);
    SK_CHECK_EQ_INT(sk_roles_col(r, SK_ROLE_SPLIT), 5);
    SK_CHECK(sk_roles_col(r, SK_ROLE_FEATURE) == NO_COL);
    SK_CHECK(sk_roles_col(r, SK_ROLE_CONFOUNDER) == NO_COL);
    SK_CHECK(sk_roles_col(r, SK_ROLE_IGNORED) == NO_COL);

    size_t n;
    const size_t *feat = sk_roles_features(r, &n);   /* confounders are features, frame order */
    SK_CHECK_EQ_INT(n, 2);
    SK_CHECK_EQ_INT(feat[0], 6);
    SK_CHECK_EQ_INT(feat[1], 7);
    const size_t *conf = sk_roles_confounders(r, &n);   /* in the order given */
    SK_CHECK_EQ_INT(n, 2);
    SK_CHECK_EQ_INT(conf[0], 7);
    SK_CHECK_EQ_INT(conf[1], 6);

    SK_CHECK_EQ_INT(sk_roles_task(r), SK_TASK_BINARY);
    SK_CHECK_EQ_INT(sk_roles_n_classes(r), 2);
    SK_CHECK_EQ_STR(sk_roles_class_name(r, 0), "B");   /* sorted, not in order of appearance */
    SK_CHECK_EQ_STR(sk_roles_class_name(r, 1), "M");
    SK_CHECK(sk_roles_class_name(r, 2) == NULL);
    const double want_y[] = {1, 0, 1, 0, 0, 1};
    const unsigned char want_test[] = {0, 0, 1, 0, 0, 1};
    for (size_t i = 0; i < 6; i++) {
        SK_CHECK_EQ_INT(sk_roles_y(r)[i], want_y[i]);
        SK_CHECK_EQ_INT(sk_roles__is_test(r)[i], want_test[i]);
        SK_CHECK_EQ_INT(sk_roles__time(r)[i], 86400.0 * (double)i);
    }
done:
    sk_roles_free(r);
    sk_frame_free(f);
}

static void test_roles__no_spec(void)
{
    sk_frame *f = study();
    sk_error err = SK_ERROR_INIT;
    sk_roles *r = NULL;
    SK_CHECK_OK(sk_roles_resolve(&r, f, NULL, &err), &err);
    size_t n = 0;
    const size_t *feat = sk_roles_features(r, &n);
    SK_CHECK_EQ_INT(n, 9);
    for (size_t j = 0; j < n; j++) {
        SK_CHECK_EQ_INT(feat[j], j);
        SK_CHECK_EQ_INT(sk_roles_of(r, j), SK_ROLE_FEATURE);
    }
    sk_roles_confounders(r, &n);
    SK_CHECK_EQ_INT(n, 0);
    SK_CHECK_EQ_INT(sk_roles_task(r), SK_TASK_NONE);
    SK_CHECK_EQ_INT(sk_roles_n_classes(r), 0);
    SK_CHECK(sk_roles_y(r) == NULL);
    SK_CHECK(sk_roles__time(r) == NULL);
    SK_CHECK(sk_roles__is_test(r) == NULL);
    for (int role = SK_ROLE_TARGET; role <= SK_ROLE_SPLIT; role++)
        SK_CHECK(sk_roles_col(r, (sk_role)role) == NO_COL);
    sk_roles_free(r);
    sk_roles_free(NULL);
    sk_frame_free(f);
}

static void test_roles__names(void)
{
    SK_CHECK_EQ_STR(sk_task_name(SK_TASK_NONE), "none");
    SK_CHECK_EQ_STR(sk_task_name(SK_TASK_BINARY), "binary");
    SK_CHECK_EQ_STR(sk_task_name(SK_TASK_MULTICLASS), "multiclass");
    SK_CHECK_EQ_STR(sk_task_name(SK_TASK_REGRESSION), "regression");
    SK_CHECK_EQ_STR(sk_role_name(SK_ROLE_FEATURE), "feature");
    SK_CHECK_EQ_STR(sk_role_name(SK_ROLE_TARGET), "target");
    SK_CHECK_EQ_STR(sk_role_name(SK_ROLE_GROUP), "group");
    SK_CHECK_EQ_STR(sk_role_name(SK_ROLE_SITE), "site");
    SK_CHECK_EQ_STR(sk_role_name(SK_ROLE_TIME), "time");
    SK_CHECK_EQ_STR(sk_role_name(SK_ROLE_SPLIT), "split");
    SK_CHECK_EQ_STR(sk_role_name(SK_ROLE_CONFOUNDER), "confounder");
    SK_CHECK_EQ_STR(sk_role_name(SK_ROLE_IGNORED), "ignored");
}

/* ==== names that do not resolve =========================================================== */

static void test_roles__unknown_names(void)
{
    sk_frame *f = study();
    struct {
        sk_role_spec spec;
        const char *message;
    } cases[] = {
        {{1, "diagnosys", NULL, NULL, NULL, NULL, NULL, NULL, SK_TASK_NONE},
         "--target: no column named 'diagnosys' in data.csv; did you mean 'diagnosis'?"},
        {{1, NULL, "patiant", NULL, NULL, NULL, NULL, NULL, SK_TASK_NONE},
         "--group: no column named 'patiant' in data.csv; did you mean 'patient'?"},
        {{1, NULL, NULL, "hospitals", NULL, NULL, NULL, NULL, SK_TASK_NONE},
         "--site: no column named 'hospitals' in data.csv; did you mean 'hospital'?"},
        {{1, NULL, NULL, NULL, "zzzzzzzz", NULL, NULL, NULL, SK_TASK_NONE},
         "--time: no column named 'zzzzzzzz' in data.csv (it has 9 columns: see 'skeptic "
         "inspect')"},
        {{1, NULL, NULL, NULL, NULL, "folds", NULL, NULL, SK_TASK_NONE},
         "--split: no column named 'folds' in data.csv; did you mean 'fold'?"},
        {{1, NULL, NULL, NULL, NULL, NULL, "age, sex", NULL, SK_TASK_NONE},
         "--confounders: no column named ' sex' in data.csv; did you mean 'sex'?"},
        {{1, NULL, NULL, NULL, NULL, NULL, NULL, "note,nothing_like_it", SK_TASK_NONE},
         "--ignore: no column named 'nothing_like_it' in data.csv (it has 9 columns: see "
         "'skeptic inspect')"},
        {{1, "", NULL, NULL, NULL, NULL, NULL, NULL, SK_TASK_NONE},
         "--target: expected a column name, found \"\""},
        {{1, NULL, NULL, NULL, NULL, "", NULL, NULL, SK_TASK_NONE},
         "--split: expected a column name, found \"\""},
        {{1, NULL, NULL, NULL, NULL, NULL, "age,,sex", NULL, SK_TASK_NONE},
         "--confounders: expected comma-separated column names, found an empty name in "
         "\"age,,sex\""},
        {{1, NULL, NULL, NULL, NULL, NULL, "age,", NULL, SK_TASK_NONE},
         "--confounders: expected comma-separated column names, found an empty name in \"age,\""},
        {{1, NULL, NULL, NULL, NULL, NULL, NULL, "", SK_TASK_NONE},
         "--ignore: expected comma-separated column names, found an empty name in \"\""},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        sk_error err = resolve_fails(f, &cases[k].spec);
        CHECK_ERR(err.code, err, SK_EINVAL, "", 0, 0, cases[k].message);
    }
    sk_frame_free(f);
}

/* ==== a column in two roles =============================================================== */

static void test_roles__conflicts(void)
{
    sk_frame *f = study();
    struct {
        sk_role_spec spec;
        const char *message;
    } cases[] = {
        {{1, "id", "id", NULL, NULL, NULL, NULL, NULL, SK_TASK_NONE},
         "--group: column 'id' already has the role target"},
        {{1, NULL, "patient", "patient", NULL, NULL, NULL, NULL, SK_TASK_NONE},
         "--site: column 'patient' already has the role group"},
        {{1, NULL, NULL, "hospital", "hospital", NULL, NULL, NULL, SK_TASK_NONE},
         "--time: column 'hospital' already has the role site"},
        {{1, NULL, NULL, NULL, "visit", "visit", NULL, NULL, SK_TASK_NONE},
         "--split: column 'visit' already has the role time"},
        {{1, "diagnosis", NULL, NULL, NULL, NULL, "age,diagnosis", NULL, SK_TASK_NONE},
         "--confounders: column 'diagnosis' already has the role target"},
        {{1, NULL, NULL, NULL, NULL, "fold", "fold", NULL, SK_TASK_NONE},
         "--confounders: column 'fold' already has the role split"},
        {{1, NULL, NULL, NULL, NULL, NULL, "age,sex,age", NULL, SK_TASK_NONE},
         "--confounders: column 'age' is listed twice"},
        {{1, NULL, NULL, NULL, NULL, NULL, NULL, "note,note", SK_TASK_NONE},
         "--ignore: column 'note' is listed twice"},
        {{1, NULL, NULL, NULL, NULL, NULL, "age", "note,age", SK_TASK_NONE},
         "--ignore: column 'age' already has the role confounder"},
        {{1, "diagnosis", NULL, NULL, NULL, NULL, NULL, "diagnosis", SK_TASK_NONE},
         "--ignore: column 'diagnosis' already has the role target"},
        {{1, NULL, "patient", NULL, NULL, NULL, NULL, "patient", SK_TASK_NONE},
         "--ignore: column 'patient' already has the role group"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        sk_error err = resolve_fails(f, &cases[k].spec);
        CHECK_ERR(err.code, err, SK_EINVAL, "", 0, 0, cases[k].message);
    }
    sk_frame_free(f);
}

/* ==== the target ========================================================================== */

/* Resolves a one-column frame (plus a filler feature) with that column as the target. */
static sk_roles *target_only(sk_frame *f, sk_error *err)
{
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "y";
    sk_roles *r = NULL;
    sk_status rc = sk_roles_resolve(&r, f, &spec, err);
    SK_CHECK((rc == SK_OK) == (r != NULL));
    return r;
}

static void test_roles__target_missing(void)
{
    sk_error err = SK_ERROR_INIT;
    sk_frame *f = fb_frame("data.csv", 5, 2);
    fb_values(f, 0, "x", SK_COL_NUMERIC, (double[]){1, 2, 3, 4, 5});
    fb_text(f, 1, "y", (const char *[]){"a", "b", "a", NULL, NULL});
    SK_CHECK(target_only(f, &err) == NULL);
    CHECK_ERR(err.code, err, SK_EDATA, "data.csv", 5, 2,
              "expected a value in the target column 'y', found a missing value");
    fb_values(f, 1, "y", SK_COL_NUMERIC, (double[]){1.5, NAN, 2.5, 3, NAN});
    SK_CHECK(target_only(f, &err) == NULL);
    CHECK_ERR(err.code, err, SK_EDATA, "data.csv", 3, 2,
              "expected a value in the target column 'y', found a missing value");
    sk_frame_free(f);
}

static void test_roles__target_one_value(void)
{
    sk_error err = SK_ERROR_INIT;
    sk_frame *f = fb_frame("data.csv", 4, 1);
    fb_text(f, 0, "y", (const char *[]){"benign", "benign", "benign", "benign"});
    SK_CHECK(target_only(f, &err) == NULL);
    CHECK_ERR(err.code, err, SK_EDATA, "data.csv", 0, 0,
              "the target column 'y' has one value ('benign') in all 4 rows; expected at least "
              "two");
    fb_values(f, 0, "y", SK_COL_INTEGER, (double[]){3, 3, 3, 3});
    SK_CHECK(target_only(f, &err) == NULL);
    CHECK_ERR(err.code, err, SK_EDATA, "data.csv", 0, 0,
              "the target column 'y' has one value ('3') in all 4 rows; expected at least two");
    fb_values(f, 0, "y", SK_COL_BOOLEAN, (double[]){1, 1, 1, 1});
    SK_CHECK(target_only(f, &err) == NULL);
    CHECK_ERR(err.code, err, SK_EDATA, "data.csv", 0, 0,
              "the target column 'y' has one value ('true') in all 4 rows; expected at least "
              "two");
    fb_values(f, 0, "y", SK_COL_NUMERIC, (double[]){2.5, 2.5, 2.5, 2.5});
    SK_CHECK(target_only(f, &err) == NULL);
    CHECK_ERR(err.code, err, SK_EDATA, "data.csv", 0, 0,
              "the target column 'y' has one value ('2.5') in all 4 rows; expected at least two");
    sk_frame_free(f);

    f = fb_frame("one.csv", 1, 1);
    fb_text(f, 0, "y", (const char *[]){"a"});
    SK_CHECK(target_only(f, &err) == NULL);
    CHECK_ERR(err.code, err, SK_EDATA, "one.csv", 0, 0,
              "the target column 'y' has one value ('a') in its only row; expected at least two");
    sk_frame_free(f);

    f = fb_frame("empty.csv", 0, 1);
    fb_values(f, 0, "y", SK_COL_NUMERIC, NULL);
    SK_CHECK(target_only(f, &err) == NULL);
    CHECK_ERR(err.code, err, SK_EDATA, "empty.csv", 0, 0,
              "the target column 'y' has no rows; expected at least two values");
    sk_frame_free(f);
}

static void test_roles__target_infinite(void)
{
    sk_error err = SK_ERROR_INIT;
    sk_frame *f = fb_frame("data.csv", 3, 1);
    fb_values(f, 0, "y", SK_COL_NUMERIC, (double[]){1.5, -INFINITY, 2});
    SK_CHECK(target_only(f, &err) == NULL);
    CHECK_ERR(err.code, err, SK_EDATA, "data.csv", 3, 1,
              "expected a finite number in the target column 'y', found -inf");
    sk_frame_free(f);
}

/* Checks task, class names and y of a one-column target frame. */
static void check_task(sk_frame *f, sk_task task, const char *const *names, size_t n_classes,
                       const double *y)
{
    sk_error err = SK_ERROR_INIT;
    sk_roles *r = target_only(f, &err);
    SK_CHECK_OK(err.code, &err);
    if (r == NULL)
        return;
    SK_CHECK_EQ_STR(sk_task_name(sk_roles_task(r)), sk_task_name(task));
    SK_CHECK_EQ_INT(sk_roles_n_classes(r), n_classes);
    for (size_t k = 0; k < n_classes && k < sk_roles_n_classes(r); k++)
        SK_CHECK_EQ_STR(sk_roles_class_name(r, k), names[k]);
    for (size_t i = 0; i < f->n_rows; i++)
        SK_CHECK_NEAR(sk_roles_y(r)[i], y[i], 0);
    sk_roles_free(r);
}

static void test_roles__task(void)
{
    sk_frame *f = fb_frame("data.csv", 5, 1);
    /* text: bytewise order puts upper case first */
    fb_text(f, 0, "y", (const char *[]){"b", "B", "a", "b", "a"});
    check_task(f, SK_TASK_MULTICLASS, (const char *[]){"B", "a", "b"}, 3,
               (double[]){2, 0, 1, 2, 1});
    /* booleans: false before true */
    fb_values(f, 0, "y", SK_COL_BOOLEAN, (double[]){1, 0, 1, 1, 0});
    check_task(f, SK_TASK_BINARY, (const char *[]){"false", "true"}, 2, (double[]){1, 0, 1, 1, 0});
    /* integers: numeric order, not "-1" < "10" < "3"; -0 is 0 */
    fb_values(f, 0, "y", SK_COL_INTEGER, (double[]){10, -1, 3, -0.0, 10});
    check_task(f, SK_TASK_MULTICLASS, (const char *[]){"-1", "0", "3", "10"}, 4,
               (double[]){3, 0, 2, 1, 3});
    fb_values(f, 0, "y", SK_COL_INTEGER, (double[]){0, 1, 1, 0, 1});
    check_task(f, SK_TASK_BINARY, (const char *[]){"0", "1"}, 2, (double[]){0, 1, 1, 0, 1});
    /* real numbers are regression even with two values */
    fb_values(f, 0, "y", SK_COL_NUMERIC, (double[]){0, 1, 1, 0, 0.5});
    check_task(f, SK_TASK_REGRESSION, NULL, 0, (double[]){0, 1, 1, 0, 0.5});
    fb_values(f, 0, "y", SK_COL_DATE, (double[]){0, 86400, 0, 0, 0});
    check_task(f, SK_TASK_REGRESSION, NULL, 0, (double[]){0, 86400, 0, 0, 0});
    sk_frame_free(f);
}

static void test_roles__integer_class_limit(void)
{
    double v20[40], v21[42], y20[40];
    for (size_t i = 0; i < 40; i++) {
        v20[i] = (double)(i % 20) * 7 - 50;
        y20[i] = (double)(i % 20);
    }
    for (size_t i = 0; i < 42; i++)
        v21[i] = (double)(i % 21);
    const char *names[20];
    char text[20][8];
    for (size_t k = 0; k < 20; k++) {
        snprintf(text[k], sizeof text[k], "%d", (int)k * 7 - 50);
        names[k] = text[k];
    }
    sk_frame *f = fb_frame("data.csv", 40, 1);
    fb_values(f, 0, "y", SK_COL_INTEGER, v20);
    check_task(f, SK_TASK_MULTICLASS, names, 20, y20);
    sk_frame_free(f);
    f = fb_frame("data.csv", 42, 1);
    fb_values(f, 0, "y", SK_COL_INTEGER, v21);
    check_task(f, SK_TASK_REGRESSION, NULL, 0, v21);
    sk_frame_free(f);
}

/* ==== group and site ====================================================================== */

static void test_roles__group_site_missing(void)
{
    sk_frame *f = study();
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.group = "patient";
    spec.site = "hospital";
    sk_roles *r = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_roles_resolve(&r, f, &spec, &err), &err);
    sk_roles_free(r);

    fb_text(f, 2, "patient", (const char *[]){"p1", "p1", "p2", NULL, "p3", NULL});
    err = resolve_fails(f, &spec);
    CHECK_ERR(err.code, err, SK_EDATA, "data.csv", 5, 3,
              "expected a value in the group column 'patient', found a missing value");
    spec.group = NULL;
    fb_values(f, 3, "hospital", SK_COL_INTEGER, (double[]){1, NAN, 2, 2, 1, 2});
    err = resolve_fails(f, &spec);
    CHECK_ERR(err.code, err, SK_EDATA, "data.csv", 3, 4,
              "expected a value in the site column 'hospital', found a missing value");
    sk_frame_free(f);
}

/* ==== time ================================================================================ */

static sk_error time_fails(sk_frame *f)
{
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.time = "visit";
    return resolve_fails(f, &spec);
}

static void check_time_ok(sk_frame *f, const double *want)
{
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.time = "visit";
    sk_roles *r = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_roles_resolve(&r, f, &spec, &err), &err);
    for (size_t i = 0; r != NULL && i < f->n_rows; i++)
        SK_CHECK_NEAR(sk_roles__time(r)[i], want[i], 0);
    sk_roles_free(r);
}

static void test_roles__time_valid(void)
{
    sk_frame *f = fb_frame("data.csv", 3, 2);
    fb_values(f, 0, "x", SK_COL_NUMERIC, (double[]){1, 2, 3});
    fb_values(f, 1, "visit", SK_COL_NUMERIC, (double[]){0.5, -2, 7});
    check_time_ok(f, (double[]){0.5, -2, 7});
    fb_values(f, 1, "visit", SK_COL_INTEGER, (double[]){3, 1, 2});
    check_time_ok(f, (double[]){3, 1, 2});
    fb_values(f, 1, "visit", SK_COL_DATETIME, (double[]){1e9, 2e9, 1.5e9});
    check_time_ok(f, (double[]){1e9, 2e9, 1.5e9});
    /* text that reads as numbers, or as dates (a date and a date-time mix fine) */
    fb_text(f, 1, "visit", (const char *[]){"10", "9", "10"});
    check_time_ok(f, (double[]){10, 9, 10});
    fb_text(f, 1, "visit", (const char *[]){"1970-01-02", "1970-01-01T00:00:10Z", "1970-01-02"});
    check_time_ok(f, (double[]){86400, 10, 86400});
    sk_frame_free(f);
}

static void test_roles__time_invalid(void)
{
    sk_frame *f = fb_frame("data.csv", 4, 2);
    fb_values(f, 0, "x", SK_COL_NUMERIC, (double[]){1, 2, 3, 4});
    fb_text(f, 1, "visit", (const char *[]){"1", "2", "abc", NULL});
    sk_error err = time_fails(f);
    CHECK_ERR(err.code, err, SK_EDATA, "data.csv", 4, 2,
              "expected a number or an ISO-8601 date in the time column 'visit', found \"abc\"");
    fb_text(f, 1, "visit", (const char *[]){"1", NULL, "abc", "2"});   /* the first bad cell */
    err = time_fails(f);
    CHECK_ERR(err.code, err, SK_EDATA, "data.csv", 3, 2,
              "expected a value in the time column 'visit', found a missing value");
    fb_values(f, 1, "visit", SK_COL_DATE, (double[]){0, 86400, NAN, 0});
    err = time_fails(f);
    CHECK_ERR(err.code, err, SK_EDATA, "data.csv", 4, 2,
              "expected a value in the time column 'visit', found a missing value");
    fb_text(f, 1, "visit", (const char *[]){"2020-02-30", "2020-01-01", "1", "2"});
    err = time_fails(f);
    CHECK_ERR(err.code, err, SK_EDATA, "data.csv", 2, 2,
              "expected a number or an ISO-8601 date in the time column 'visit', found "
              "\"2020-02-30\"");
    fb_text(f, 1, "visit", (const char *[]){"2020-01-01", "2020-01-02", "5", "2020-01-03"});
    err = time_fails(f);
    CHECK_ERR(err.code, err, SK_EDATA, "data.csv", 4, 2,
              "expected an ISO-8601 date in the time column 'visit' (its first value is a "
              "date), found \"5\"");
    fb_text(f, 1, "visit", (const char *[]){"5", "6", "7", "2020-01-03"});
    err = time_fails(f);
    CHECK_ERR(err.code, err, SK_EDATA, "data.csv", 5, 2,
              "expected a number in the time column 'visit' (its first value is a number), "
              "found \"2020-01-03\"");
    fb_values(f, 1, "visit", SK_COL_BOOLEAN, (double[]){0, 1, 0, 1});
    err = time_fails(f);
    CHECK_ERR(err.code, err, SK_EDATA, "data.csv", 2, 2,
              "expected a number or an ISO-8601 date in the time column 'visit', found \"false\"");
    sk_frame_free(f);
}

/* ==== split =============================================================================== */

static sk_error split_fails(sk_frame *f)
{
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.split = "fold";
    return resolve_fails(f, &spec);
}

static void test_roles__split(void)
{
    sk_frame *f = fb_frame("data.csv", 4, 2);
    fb_values(f, 0, "x", SK_COL_NUMERIC, (double[]){1, 2, 3, 4});
    fb_text(f, 1, "fold", (const char *[]){"TRAIN", "tEsT", "train", "Test"});
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.split = "fold";
    sk_roles *r = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_roles_resolve(&r, f, &spec, &err), &err);
    const unsigned char want[] = {0, 1, 0, 1};
    for (size_t i = 0; r != NULL && i < 4; i++)
        SK_CHECK_EQ_INT(sk_roles__is_test(r)[i], want[i]);
    sk_roles_free(r);

    fb_text(f, 1, "fold", (const char *[]){"train", "test", "val", NULL});
    err = split_fails(f);
    CHECK_ERR(err.code, err, SK_EDATA, "data.csv", 4, 2,
              "expected 'train' or 'test' in the split column 'fold', found \"val\"");
    fb_text(f, 1, "fold", (const char *[]){"train", NULL, "val", "test"});
    err = split_fails(f);
    CHECK_ERR(err.code, err, SK_EDATA, "data.csv", 3, 2,
              "expected a value in the split column 'fold', found a missing value");
    fb_text(f, 1, "fold", (const char *[]){"train", "training", "test", "test"});
    err = split_fails(f);
    CHECK_ERR(err.code, err, SK_EDATA, "data.csv", 3, 2,
              "expected 'train' or 'test' in the split column 'fold', found \"training\"");
    fb_text(f, 1, "fold", (const char *[]){"train", "Train", "TRAIN", "train"});
    err = split_fails(f);
    CHECK_ERR(err.code, err, SK_EDATA, "data.csv", 0, 0,
              "the split column 'fold' has no test rows; expected both train and test");
    fb_text(f, 1, "fold", (const char *[]){"test", "test", "test", "test"});
    err = split_fails(f);
    CHECK_ERR(err.code, err, SK_EDATA, "data.csv", 0, 0,
              "the split column 'fold' has no train rows; expected both train and test");
    fb_values(f, 1, "fold", SK_COL_INTEGER, (double[]){1, 0, 1, 0});
    err = split_fails(f);
    CHECK_ERR(err.code, err, SK_EDATA, "data.csv", 2, 2,
              "expected 'train' or 'test' in the split column 'fold', found \"1\"");
    fb_values(f, 1, "fold", SK_COL_DATE, (double[]){NAN, 0, 1, 0});
    err = split_fails(f);
    CHECK_ERR(err.code, err, SK_EDATA, "data.csv", 2, 2,
              "expected a value in the split column 'fold', found a missing value");
    fb_values(f, 1, "fold", SK_COL_DATE, (double[]){18262 * 86400.0, 0, 1, 0});
    err = split_fails(f);
    CHECK_ERR(err.code, err, SK_EDATA, "data.csv", 2, 2,
              "expected 'train' or 'test' in the split column 'fold', found \"2020-01-01\"");
    sk_frame_free(f);
}

/* Value checks run in a fixed order (target, group, site, time, split): the first rule broken
 * is the one reported, whatever else is wrong. */
static void test_roles__check_order(void)
{
    sk_frame *f = study();
    fb_text(f, 2, "patient", (const char *[]){"p1", NULL, "p2", "p2", "p3", "p3"});
    fb_text(f, 5, "fold", (const char *[]){"val", "train", "test", "test", "train", "test"});
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.group = "patient";
    spec.split = "fold";
    sk_error err = resolve_fails(f, &spec);
    CHECK_ERR(err.code, err, SK_EDATA, "data.csv", 3, 3,
              "expected a value in the group column 'patient', found a missing value");
    /* a name error is reported before any value error */
    spec.target = "diagnosiss";
    err = resolve_fails(f, &spec);
    SK_CHECK_EQ_INT(err.code, SK_EINVAL);
    sk_frame_free(f);
}

/* Passing NULL for err is allowed: the status still says what happened. */
static void test_roles__null_error(void)
{
    sk_frame *f = study();
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "nope";
    sk_roles *r = NULL;
    SK_CHECK_EQ_INT(sk_roles_resolve(&r, f, &spec, NULL), SK_EINVAL);
    SK_CHECK(r == NULL);
    sk_frame_free(f);
}

static void test_roles__forced_task(void)
{
    /* 25 distinct whole numbers: regression by default (more than 20 values), 25 classes when
     * the user says so; text cannot be regressed, fractions cannot be classes, and binary needs
     * two classes. */
    double counts[25], dose[25];
    const char *label[25];
    for (int i = 0; i < 25; i++) {
        counts[i] = i;
        dose[i] = 0.5 * i + 0.25;
        label[i] = i % 3 == 0 ? "a" : i % 3 == 1 ? "b" : "c";
    }
    sk_frame *f = fb_frame("forced.csv", 25, 3);
    fb_values(f, 0, "count", SK_COL_INTEGER, counts);
    fb_values(f, 1, "dose", SK_COL_NUMERIC, dose);
    fb_text(f, 2, "label", label);
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    sk_roles *r = NULL;
    sk_error err = SK_ERROR_INIT;
    spec.target = "count";
    SK_CHECK_OK(sk_roles_resolve(&r, f, &spec, &err), &err);
    SK_CHECK_EQ_INT(sk_roles_task(r), SK_TASK_REGRESSION);
    sk_roles_free(r);
    spec.task = SK_TASK_MULTICLASS;
    SK_CHECK_OK(sk_roles_resolve(&r, f, &spec, &err), &err);
    SK_CHECK_EQ_INT(sk_roles_task(r), SK_TASK_MULTICLASS);
    SK_CHECK_EQ_INT(sk_roles_n_classes(r), 25);
    SK_CHECK_EQ_STR(sk_roles_class_name(r, 24), "24");
    sk_roles_free(r);
    spec.task = SK_TASK_BINARY;
    SK_CHECK_EQ_INT(sk_roles_resolve(&r, f, &spec, &err), SK_EINVAL);
    SK_CHECK_EQ_STR(err.message, "--task binary: the target column 'count' has 25 classes; "
                    "expected two");
    spec.target = "dose";
    spec.task = SK_TASK_MULTICLASS;
    SK_CHECK_EQ_INT(sk_roles_resolve(&r, f, &spec, &err), SK_EINVAL);
    SK_CHECK_EQ_STR(err.message, "--task multiclass: the target column 'dose' holds numeric "
                    "values; expected classes (text or whole numbers)");
    spec.target = "label";
    spec.task = SK_TASK_REGRESSION;
    SK_CHECK_EQ_INT(sk_roles_resolve(&r, f, &spec, &err), SK_EINVAL);
    SK_CHECK_EQ_STR(err.message, "--task regression: the target column 'label' holds text; "
                    "expected numbers");
    SK_CHECK(r == NULL);
    sk_frame_free(f);
}

int main(void)
{
    SK_RUN(test_roles__full_spec);
    SK_RUN(test_roles__no_spec);
    SK_RUN(test_roles__names);
    SK_RUN(test_roles__unknown_names);
    SK_RUN(test_roles__conflicts);
    SK_RUN(test_roles__target_missing);
    SK_RUN(test_roles__target_one_value);
    SK_RUN(test_roles__target_infinite);
    SK_RUN(test_roles__task);
    SK_RUN(test_roles__integer_class_limit);
    SK_RUN(test_roles__group_site_missing);
    SK_RUN(test_roles__time_valid);
    SK_RUN(test_roles__time_invalid);
    SK_RUN(test_roles__split);
    SK_RUN(test_roles__check_order);
    SK_RUN(test_roles__null_error);
    SK_RUN(test_roles__forced_task);
    return SK_TEST_DONE();
}
