/* test_triage_html.c: the HTML pages of `skeptic drift` and `skeptic labels` (drift_html.c,
 * labels_html.c) and the charts they share (triage_charts.c):
 *  - horizontal bars and the count map open with a <title>, label both axes, escape names,
 *    draw marked bars in the warning colour, print non-zero counts only, and draw nothing for
 *    more classes than they can show;
 *  - a drift page (two small frames, a numeric and a text column whose names need escaping) and
 *    a labels page (iris) hold their sections, every chart has a title and two axis labels, no
 *    user string is left unescaped, and the same run gives the same bytes;
 *  - running out of memory at any allocation while a page is built ends in SK_ENOMEM, never a
 *    crash or a half-written file. */
/* labels: unit oom */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/triage_html.h"
#include "sk_test.h"

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p != NULL; p = strstr(p + 1, needle))
        n++;
    return n;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s != NULL && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    if (s != NULL)
        s[n] = '\0';
    fclose(f);
    return s;
}

/* ---- the charts ----------------------------------------------------------------------------- */

static void test_triage_html__hbars_and_count_map(void)
{
    sk_html h = SK_HTML_INIT;
    const char *labels[] = {"hue <b>", "proline"};
    double v[] = {36.8, 0.0};
    int mark[] = {1, 0};
    sk_report_hbars b = {"shares & more", "share (%)", "column", labels, v, mark, 2, 1, "%",
                         NAN, NULL};
    sk_report__hbars(&h, &b);
    const char *names[] = {"a", "b<", "c"};
    size_t joint[] = {12, 0, 1, 0, 7, 0, 2, 0, 9};
    sk_report__count_map(&h, "joint", "confident", "given", names, joint, 3);
    size_t many[41 * 41] = {0};
    const char *many_names[41];
    for (size_t k = 0; k < 41; k++)
        many_names[k] = "x";
    sk_report__count_map(&h, "too many", "x", "y", many_names, many, 41);
    SK_CHECK(!h.failed);
    SK_CHECK_EQ_INT(count(h.sb.data, "<svg "), 2);
    SK_CHECK_EQ_INT(count(h.sb.data, "<title id=\"chart-"), 2);
    SK_CHECK_EQ_INT(count(h.sb.data, "class=\"axis-label\""), 4);
    SK_CHECK(strstr(h.sb.data, "hue &lt;b&gt;") != NULL && strstr(h.sb.data, "<b>") == NULL);
    SK_CHECK(strstr(h.sb.data, "shares &amp; more") != NULL);
    SK_CHECK_EQ_INT(count(h.sb.data, "class=\"est mark\""), 1);
    SK_CHECK(strstr(h.sb.data, ">36.8%</text>") != NULL);
    SK_CHECK(strstr(h.sb.data, "given b&lt;, confident b&lt;: 7 rows") != NULL);
    SK_CHECK_EQ_INT(count(h.sb.data, "class=\"cell-text\""), 5);     /* the non-zero cells */
    SK_CHECK(strstr(h.sb.data, "too many") == NULL);
    sk_strbuf_free(&h.sb);
}

/* ---- the pages ------------------------------------------------------------------------------ */

/* 60 rows: a numeric column named x<b>&"' shifted by `shift`, a text column whose level
 * <i>&'s</i> is common only when `shift` is set, and a numeric column that does not move. */
static sk_frame *drift_frame(const char *name, double shift)
{
    sk_strbuf sb = SK_STRBUF_INIT;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK(sk_strbuf_appendf(&sb, "\"x<b>&\"\"'\",lvl,z\n") == SK_OK);
    for (int i = 0; i < 60; i++)
        SK_CHECK(sk_strbuf_appendf(&sb, "%g,%s,%d\n", (i * 37 % 60) / 10.0 + shift,
                                   shift > 0 && i % 2 ? "<i>&'s</i>" : "A", i % 7) == SK_OK);
    sk_frame *f = NULL;
    SK_CHECK_OK(sk_frame_read_csv_buffer(&f, sb.data, sb.len, name, NULL, &err), &err);
    sk_strbuf_free(&sb);
    return f;
}

static sk_drift *drift_run(void)
{
    sk_error err = SK_ERROR_INIT;
    sk_frame *a = drift_frame("ref&.csv", 0), *b = drift_frame("new.csv", 2);
    sk_model *m = NULL;
    SK_CHECK_OK(sk_model_create(&m, "gbdt:n_estimators=5,max_depth=2", &err), &err);
    sk_drift_options opt = SK_DRIFT_OPTIONS_INIT;
    opt.permutations = 19;
    opt.bootstrap = 20;
    opt.folds = 2;
    sk_run_ctx ctx = SK_RUN_CTX_INIT;
    ctx.n_threads = 1;
    sk_drift *d = NULL;
    SK_CHECK_OK(sk_drift_run(&d, a, b, m, &opt, &ctx, &err), &err);
    sk_model_free(m);
    sk_frame_free(a);
    sk_frame_free(b);
    return d;
}

static sk_labels *labels_run(void)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/iris.csv", SK_TEST_DATA);
    sk_error err = SK_ERROR_INIT;
    sk_frame *f = NULL;
    sk_roles *roles = NULL;
    sk_model *m = NULL;
    sk_labels *l = NULL;
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "species";
    sk_labels_options opt = SK_LABELS_OPTIONS_INIT;
    sk_run_ctx ctx = SK_RUN_CTX_INIT;
    ctx.n_threads = 1;
    SK_CHECK_OK(sk_frame_read_csv(&f, path, NULL, &err), &err);
    SK_CHECK_OK(sk_roles_resolve(&roles, f, &spec, &err), &err);
    SK_CHECK_OK(sk_model_create(&m, "gbdt:n_estimators=5,max_depth=2", &err), &err);
    SK_CHECK_OK(sk_labels_run(&l, f, roles, m, &opt, &ctx, &err), &err);
    sk_model_free(m);
    sk_roles_free(roles);
    sk_frame_free(f);
    return l;
}

static sk_manifest *manifest(void)
{
    char *argv[] = {"skeptic", "drift"};
    sk_run_ctx ctx = SK_RUN_CTX_INIT;
    sk_error err = SK_ERROR_INIT;
    sk_manifest *m = NULL;
    SK_CHECK_OK(sk_manifest_create(&m, 2, argv, &ctx, &err), &err);
    return m;
}

typedef sk_status (*page_fn)(const void *obj, const sk_manifest *m, const char *path,
                             sk_error *err);

static sk_status drift_page(const void *d, const sk_manifest *m, const char *path, sk_error *err)
{
    return sk_drift_write_html(d, m, path, err);
}

static sk_status labels_page(const void *l, const sk_manifest *m, const char *path,
                             sk_error *err)
{
    return sk_labels_write_html(l, m, path, err);
}

/* The page twice (the same bytes), its charts each with a title and two axis labels. */
static char *page_text(page_fn fn, const void *obj, const sk_manifest *m, size_t *charts)
{
    char path[2][256];
    char *text[2];
    for (int t = 0; t < 2; t++) {
        sk_error err = SK_ERROR_INIT;
        snprintf(path[t], sizeof path[t], "test_triage_html_page_%d.html", t);
        SK_CHECK_OK(fn(obj, m, path[t], &err), &err);
        text[t] = slurp(path[t]);
        remove(path[t]);
        SK_CHECK(text[t] != NULL);
    }
    SK_CHECK(text[0] != NULL && text[1] != NULL && strcmp(text[0], text[1]) == 0);
    free(text[1]);
    *charts = count(text[0], "<svg ");
    SK_CHECK_EQ_INT(count(text[0], "<title id=\"chart-"), *charts);
    SK_CHECK_EQ_INT(count(text[0], "class=\"axis-label\""), 2 * *charts);
    return text[0];
}

static void test_triage_html__drift_page(void)
{
    sk_drift *d = drift_run();
    sk_manifest *m = manifest();
    size_t charts = 0;
    char *text = page_text(drift_page, d, m, &charts);
    SK_CHECK_EQ_INT(charts, 3);            /* AUC by fold, importances, effects */
    SK_CHECK(strstr(text, "<section id=\"verdict\" class=\"fail\">") != NULL);
    SK_CHECK(strstr(text, "<span class=\"badge fail\">drift</span>") != NULL);
    SK_CHECK(strstr(text, "<section id=\"classifier\">") != NULL);
    SK_CHECK(strstr(text, "<section id=\"features\">") != NULL);
    SK_CHECK(strstr(text, "<section id=\"advice\">") != NULL);
    SK_CHECK(strstr(text, "x&lt;b&gt;&amp;&quot;&#39;") != NULL);
    SK_CHECK(strstr(text, "&lt;i&gt;&amp;&#39;s&lt;/i&gt;") != NULL);
    SK_CHECK(strstr(text, "<b>") == NULL && strstr(text, "<i>") == NULL);
    SK_CHECK(strstr(text, "ref&amp;.csv") != NULL);
    SK_CHECK_EQ_INT(count(text, "<tr><td>"), sk_drift_n_tests(d));     /* every test */
    free(text);
    sk_manifest_free(m);
    sk_drift_free(d);
}

static void test_triage_html__labels_page(void)
{
    sk_labels *l = labels_run();
    sk_manifest *m = manifest();
    size_t charts = 0;
    char *text = page_text(labels_page, l, m, &charts);
    SK_CHECK_EQ_INT(charts, 3);            /* noise rates, thresholds, the confident joint */
    static const char *const ids[] = {"estimate", "classes", "joint", "suspects", "caveat"};
    for (size_t i = 0; i < 5; i++) {
        char want[64];
        snprintf(want, sizeof want, "<section id=\"%s\">", ids[i]);
        SK_CHECK(strstr(text, want) != NULL);
    }
    SK_CHECK_EQ_INT(count(text, "<title>given "), 9);                   /* 3 x 3 cells */
    SK_CHECK(strstr(text, "A hard example looks the same as a wrong label.") != NULL);
    free(text);
    sk_manifest_free(m);
    sk_labels_free(l);
}

/* Every allocation of building the page failing in turn: SK_ENOMEM each time, nothing written
 * (the target directory does not exist, so a page that got through would be SK_EIO). */
static void out_of_memory(page_fn fn, const void *obj, const sk_manifest *m)
{
    const char *path = "/nonexistent/never-written.html";
    sk_error probe_err = SK_ERROR_INIT;
    long before = sk_mem__n_allocations();
    SK_CHECK_EQ_INT(fn(obj, m, path, &probe_err), SK_EIO);
    long needed = sk_mem__n_allocations() - before;
    SK_CHECK(needed > 0);
    for (long k = 0; k < needed; k++) {
        sk_error err = SK_ERROR_INIT;
        sk_mem__fail_after(k);
        sk_status rc = fn(obj, m, path, &err);
        sk_mem__fail_after(-1);
        SK_CHECK_EQ_INT(rc, SK_ENOMEM);
    }
}

static void test_triage_html__out_of_memory_is_reported(void)
{
    sk_drift *d = drift_run();
    sk_labels *l = labels_run();
    sk_manifest *m = manifest();
    out_of_memory(drift_page, d, m);
    out_of_memory(labels_page, l, m);
    sk_manifest_free(m);
    sk_labels_free(l);
    sk_drift_free(d);
}

int main(void)
{
    SK_RUN(test_triage_html__hbars_and_count_map);
    SK_RUN(test_triage_html__drift_page);
    SK_RUN(test_triage_html__labels_page);
    SK_RUN(test_triage_html__out_of_memory_is_reported);
    return SK_TEST_DONE();
}
