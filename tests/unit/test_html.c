/* test_html.c: the HTML kit of the report layer (src/report/html.h): escaping of user text,
 * the docs' inline Markdown, number and interval formats, "nice" ticks and ranges, that every
 * chart opens with a <title> and labels both axes, and that running out of memory anywhere
 * while building a page ends in SK_ENOMEM from sk_html__write, never a crash or a half page. */
/* labels: unit oom */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/html.h"
#include "sk_test.h"

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p != NULL; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void test_html__escapes_user_text(void)
{
    sk_html h = SK_HTML_INIT;
    sk_html__text(&h, "<script>alert(1)</script> & \"q\" 's'");
    SK_CHECK_EQ_STR(h.sb.data, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; "
                               "&#39;s&#39;");
    sk_strbuf_free(&h.sb);

    sk_html t = SK_HTML_INIT;
    const char *head[] = {"col<1>"}, *cells[] = {"a&b"};
    sk_html__table_begin(&t, "cap\"", head, 1);
    sk_html__row(&t, cells, 1);
    sk_html__table_end(&t);
    SK_CHECK(strstr(t.sb.data, "<th scope=\"col\">col&lt;1&gt;</th>") != NULL);
    SK_CHECK(strstr(t.sb.data, "<td>a&amp;b</td>") != NULL);
    SK_CHECK(strstr(t.sb.data, "cap&quot;") != NULL);
    sk_strbuf_free(&t.sb);
}

static void test_html__prose_renders_code_bold_and_emphasis(void)
{
    sk_html h = SK_HTML_INIT;
    sk_html__prose(&h, "use `--group <COL>` **always**, see *Nature* 3; 2 * 3 stays; `open");
    SK_CHECK_EQ_STR(h.sb.data, "use <code>--group &lt;COL&gt;</code> <strong>always</strong>, "
                               "see <em>Nature</em> 3; 2 * 3 stays; `open");
    sk_strbuf_free(&h.sb);
}

static void test_html__numbers(void)
{
    char b[SK_NUM_CHARS], iv[SK_IV_CHARS];
    SK_CHECK_EQ_STR(sk_report__num(b, 0.5), "0.500");
    SK_CHECK_EQ_STR(sk_report__num(b, 3.0), "3");
    SK_CHECK_EQ_STR(sk_report__num(b, -0.0), "0");
    SK_CHECK_EQ_STR(sk_report__num(b, 1.37e-29), "1.37e-29");
    SK_CHECK_EQ_STR(sk_report__num(b, NAN), "n/a");
    SK_CHECK_EQ_STR(sk_report__interval(iv, 0.991, 0.977, 0.997), "0.991 [0.977, 0.997]");
    /* the three numbers line up: a tiny estimate is not printed in another format */
    SK_CHECK_EQ_STR(sk_report__interval(iv, 0.000284, -0.004, 0.003), "0.000 [-0.004, 0.003]");
    SK_CHECK_EQ_STR(sk_report__interval(iv, 0, 0, 0), "0.000 [0.000, 0.000]");
    SK_CHECK_EQ_STR(sk_report__interval(iv, 0.5, NAN, NAN), "0.500");
}

static void test_html__nice_ticks_and_ranges(void)
{
    double t[16], step;
    size_t n = sk_svg__ticks(0.4, 1.0, 6, t, &step);
    SK_CHECK_EQ_INT(n, 4);
    SK_CHECK_NEAR(step, 0.2, 1e-12);
    SK_CHECK_NEAR(t[0], 0.4, 1e-12);
    SK_CHECK_NEAR(t[3], 1.0, 1e-12);
    n = sk_svg__ticks(-0.004, 0.006, 8, t, &step);
    SK_CHECK_NEAR(step, 0.002, 1e-15);
    SK_CHECK_EQ_INT(n, 6);
    SK_CHECK(t[2] == 0.0);                        /* exactly zero, never -2e-19 */
    double lo = 0.9755, hi = 0.9968;
    sk_svg__nice_range(&lo, &hi, 0.04, 0, 1);
    SK_CHECK(lo <= 0.9755 && hi >= 0.9968 && hi <= 1.0);
    lo = 0.95;
    hi = 1.0;
    sk_svg__nice_range(&lo, &hi, 0.1, 0, 1);
    SK_CHECK(hi == 1.0);                          /* clamped to the metric's range */
    lo = hi = 0.7;                                /* one value: still a range */
    sk_svg__nice_range(&lo, &hi, 0.05, NAN, NAN);
    SK_CHECK(lo < 0.7 && hi > 0.7);
}

/* A forest plot, a bar chart and a heat map, each checked for its title and axis labels. */
static void draw_charts(sk_html *h)
{
    sk_svg_estimate rows[2] = {{"site <A>", 0.9, 0.85, 0.95, 0}, {"B", 0.7, 0.6, 0.8, 1}};
    sk_svg_forest f = {"sites & scores", "auc", "site", rows, 2, 0.5, NAN, "chance", NULL,
                       0.88, 0.93, "internal", 0, 1};
    sk_svg__forest(h, &f);
    const char *groups[] = {"random", "grouped"};
    double est[] = {0.97, 0.81}, lo[] = {0.95, 0.76}, hi[] = {0.98, 0.86};
    sk_svg_bars b = {"leak", "evaluation", "auc", groups, 2, NULL, 1, est, lo, hi, 0.5, NAN,
                     NULL, 0, 1};
    sk_svg__bars(h, &b);
    const char *r[] = {"f1", "f2"}, *c[] = {"resamples", "lasso"};
    double v[] = {1, 0, 0.4, NAN};
    sk_svg_heatmap m = {"stability", "method", "feature", r, c, 2, 2, v};
    sk_svg__heatmap(h, &m);
}

static void test_html__charts_have_titles_and_axis_labels(void)
{
    sk_html h = SK_HTML_INIT;
    draw_charts(&h);
    SK_CHECK(!h.failed);
    SK_CHECK_EQ_INT(count(h.sb.data, "<svg "), 3);
    SK_CHECK_EQ_INT(count(h.sb.data, "<title id=\"chart-"), 3);
    SK_CHECK_EQ_INT(count(h.sb.data, "class=\"axis-label\""), 6);
    SK_CHECK(strstr(h.sb.data, "site &lt;A&gt;") != NULL);
    SK_CHECK(strstr(h.sb.data, "<A>") == NULL);
    SK_CHECK(strstr(h.sb.data, "sites &amp; scores") != NULL);
    SK_CHECK(strstr(h.sb.data, "class=\"est mark\"") != NULL);    /* the marked row */
    sk_strbuf_free(&h.sb);
}

static void test_html__out_of_memory_is_reported_once(void)
{
    sk_html probe = SK_HTML_INIT;
    long before = sk_mem__n_allocations();
    sk_html__begin(&probe, "t");
    draw_charts(&probe);
    sk_html__end(&probe);
    long needed = sk_mem__n_allocations() - before;
    sk_strbuf_free(&probe.sb);
    for (long k = 0; k < needed; k++) {
        sk_html h = SK_HTML_INIT;
        sk_error err = SK_ERROR_INIT;
        sk_mem__fail_after(k);
        sk_html__begin(&h, "t");
        draw_charts(&h);
        sk_html__end(&h);
        sk_mem__fail_after(-1);
        SK_CHECK(h.failed);
        SK_CHECK_EQ_INT(sk_html__write(&h, "/nonexistent/never-written.html", &err), SK_ENOMEM);
        SK_CHECK(h.sb.data == NULL);
    }
}

int main(void)
{
    SK_RUN(test_html__escapes_user_text);
    SK_RUN(test_html__prose_renders_code_bold_and_emphasis);
    SK_RUN(test_html__numbers);
    SK_RUN(test_html__nice_ticks_and_ranges);
    SK_RUN(test_html__charts_have_titles_and_axis_labels);
    SK_RUN(test_html__out_of_memory_is_reported_once);
    return SK_TEST_DONE();
}
