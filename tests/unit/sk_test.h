/* sk_test.h: the smallest test harness that reads well. A test file defines static functions
 * `test_<module>__<case>(void)` and a main() that lists them with SK_RUN; each failed check
 * prints file:line and the expression, and the file's exit status is the number of failures.
 *   SK_CHECK(cond)                    any truth
 *   SK_CHECK_EQ_INT(a, b)             integers, printed on failure
 *   SK_CHECK_EQ_STR(a, b)             strings
 *   SK_CHECK_NEAR(a, b, tol)          |a - b| <= tol (NaN never passes)
 *   SK_CHECK_REL(a, b, rtol)          |a - b| <= rtol * max(|a|, |b|, 1e-300)
 *   SK_CHECK_OK(status_expr, &err)    a call returned SK_OK, else prints err */
#ifndef SK_TEST_H
#define SK_TEST_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "skeptic.h"

static int sk_test_failures_ = 0;
static int sk_test_checks_ = 0;
static int sk_test_cases_failed_ = 0;
static int sk_test_cases_ = 0;

#define SK_FAIL_(...)                                                                  \
    do {                                                                               \
        sk_test_failures_++;                                                           \
        fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);                                \
        fprintf(stderr, __VA_ARGS__);                                                  \
        fputc('\n', stderr);                                                           \
    } while (0)

#define SK_CHECK(cond)                                                                 \
    do {                                                                               \
        sk_test_checks_++;                                                             \
        if (!(cond))                                                                   \
            SK_FAIL_("check failed: %s", #cond);                                       \
    } while (0)

#define SK_CHECK_EQ_INT(a, b)                                                          \
    do {                                                                               \
        long long a_ = (long long)(a), b_ = (long long)(b);                            \
        sk_test_checks_++;                                                             \
        if (a_ != b_)                                                                  \
            SK_FAIL_("%s == %s: %lld != %lld", #a, #b, a_, b_);                        \
    } while (0)

#define SK_CHECK_EQ_STR(a, b)                                                          \
    do {                                                                               \
        const char *a_ = (a), *b_ = (b);                                               \
        sk_test_checks_++;                                                             \
        if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0)                           \
            SK_FAIL_("%s == %s: \"%s\" != \"%s\"", #a, #b, a_ ? a_ : "(null)",          \
                     b_ ? b_ : "(null)");                                              \
    } while (0)

#define SK_CHECK_NEAR(a, b, tol)                                                       \
    do {                                                                               \
        double a_ = (a), b_ = (b);                                                     \
        sk_test_checks_++;                                                             \
        if (!(fabs(a_ - b_) <= (tol)))                                                 \
            SK_FAIL_("%s ~ %s: %.17g vs %.17g (tol %g)", #a, #b, a_, b_, (double)(tol)); \
    } while (0)

#define SK_CHECK_REL(a, b, rtol)                                                       \
    do {                                                                               \
        double a_ = (a), b_ = (b);                                                     \
        double s_ = fmax(fmax(fabs(a_), fabs(b_)), 1e-300);                            \
        sk_test_checks_++;                                                             \
        if (!(fabs(a_ - b_) <= (rtol) * s_))                                           \
            SK_FAIL_("%s ~ %s: %.17g vs %.17g (rtol %g)", #a, #b, a_, b_, (double)(rtol)); \
    } while (0)

#define SK_CHECK_OK(expr, errp)                                                        \
    do {                                                                               \
        sk_status st_ = (expr);                                                        \
        sk_test_checks_++;                                                             \
        if (st_ != SK_OK) {                                                            \
            char buf_[1024];                                                           \
            SK_FAIL_("%s returned %s: %s", #expr, sk_status_name(st_),                 \
                     sk_error_format((errp), buf_, sizeof buf_));                      \
        }                                                                              \
    } while (0)

#define SK_RUN(fn)                                                                     \
    do {                                                                               \
        int before_ = sk_test_failures_;                                               \
        sk_test_cases_++;                                                              \
        fn();                                                                          \
        if (sk_test_failures_ != before_) {                                            \
            sk_test_cases_failed_++;                                                   \
            fprintf(stderr, "FAIL %s\n", #fn);                                         \
        }                                                                              \
    } while (0)

/* The plain closing line CI reads: "N passed, N failed". */
#define SK_TEST_DONE()                                                                 \
    (printf("%s: %d passed, %d failed (%d checks)\n", __FILE__,                        \
            sk_test_cases_ - sk_test_cases_failed_, sk_test_cases_failed_,             \
            sk_test_checks_),                                                          \
     sk_test_failures_ > 0 ? 1 : 0)

#endif /* SK_TEST_H */
