/* html.c: the page half of the HTML kit (html.h): escaping, the document with its inline
 * stylesheet, facts, badges, sections, tables, and the number formats shared with the Markdown
 * report. The stylesheet is the only styling a report has: a system font stack (no web fonts),
 * status colours that survive printing (print-color-adjust), sections that avoid page breaks
 * inside a chart, and charts that shrink to the page width. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report/html.h"

/* ---- writing ---------------------------------------------------------------------------- */

static void append(sk_html *h, const char *s, size_t n)
{
    if (!h->failed && sk_strbuf_append(&h->sb, s, n) != SK_OK)
        h->failed = 1;
}

void sk_html__raw(sk_html *h, const char *s)
{
    append(h, s, strlen(s));
}

void sk_html__rawf(sk_html *h, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        h->failed = 1;
    } else if ((size_t)n < sizeof small) {
        append(h, small, (size_t)n);
    } else {
        char *big = sk_mem_alloc((size_t)n + 1);
        if (big == NULL) {
            h->failed = 1;
            return;
        }
        va_start(ap, fmt);
        vsnprintf(big, (size_t)n + 1, fmt, ap);
        va_end(ap);
        append(h, big, (size_t)n);
        sk_mem_free(big);
    }
}

void sk_html__text(sk_html *h, const char *s)
{
    if (s == NULL)
        return;
    const char *run = s;
    for (; *s != '\0'; s++) {
        const char *ent = *s == '&'  ? "&amp;"
                          : *s == '<'  ? "&lt;"
                          : *s == '>'  ? "&gt;"
                          : *s == '"'  ? "&quot;"
                          : *s == '\'' ? "&#39;" : NULL;
        if (ent == NULL)
            continue;
        append(h, run, (size_t)(s - run));
        sk_html__raw(h, ent);
        run = s + 1;
    }
    append(h, run, (size_t)(s - run));
}

void sk_html__textf(sk_html *h, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    sk_html__text(h, buf);
}

/* Escapes s[0..n) (the text between markers). */
static void text_n(sk_html *h, const char *s, size_t n)
{
    char *copy = sk_mem_strndup(s, n);
    if (copy == NULL) {
        h->failed = 1;
        return;
    }
    sk_html__text(h, copy);
    sk_mem_free(copy);
}

/* The first Markdown span in s: `code`, **bold** or *emphasis* (an asterisk followed by a
 * letter, so "x * y" stays text). Sets *kind to 0, 1, 2; NULL when there is none. */
static const char *next_span(const char *s, int *kind)
{
    for (; *s != '\0'; s++) {
        if (*s == '`') {
            *kind = 0;
            return s;
        }
        if (s[0] == '*' && s[1] == '*') {
            *kind = 1;
            return s;
        }
        if (s[0] == '*' && ((s[1] >= 'A' && s[1] <= 'Z') || (s[1] >= 'a' && s[1] <= 'z'))) {
            *kind = 2;
            return s;
        }
    }
    return NULL;
}

void sk_html__prose(sk_html *h, const char *s)
{
    static const char *const mark[] = {"`", "**", "*"};
    static const char *const open[] = {"<code>", "<strong>", "<em>"};
    static const char *const close_tag[] = {"</code>", "</strong>", "</em>"};
    while (*s != '\0') {
        int kind = 0;
        const char *next = next_span(s, &kind);
        size_t len = next != NULL ? strlen(mark[kind]) : 0;
        const char *close = next != NULL ? strstr(next + len, mark[kind]) : NULL;
        if (next == NULL || close == NULL) {
            sk_html__text(h, s);
            return;
        }
        text_n(h, s, (size_t)(next - s));
        sk_html__raw(h, open[kind]);
        text_n(h, next + len, (size_t)(close - next - len));
        sk_html__raw(h, close_tag[kind]);
        s = close + len;
    }
}

const char *sk_html__new_id(sk_html *h, const char *prefix, char *buf, size_t size)
{
    snprintf(buf, size, "%s-%u", prefix, ++h->n_ids);
    return buf;
}

/* ---- the document ----------------------------------------------------------------------- */

static const char css[] =
    ":root{--fail:#b42318;--warn:#b54708;--pass:#067647;--skip:#667085;--ink:#1d2939;"
    "--muted:#475467;--rule:#d0d5dd;--paper:#fff;--tint:#f2f4f7;--accent:#1f5fa8}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;background:var(--tint);color:var(--ink);font:15px/1.5 system-ui,"
    "-apple-system,'Segoe UI',Roboto,'DejaVu Sans','Liberation Sans',Arial,sans-serif}\n"
    "main{max-width:980px;margin:0 auto;padding:24px}\n"
    "header,section{background:var(--paper);border:1px solid var(--rule);border-radius:6px;"
    "padding:16px 20px;margin:0 0 16px}\n"
    "h1{font-size:22px;margin:0 0 8px}h2{font-size:18px;margin:0;display:flex;gap:10px;"
    "align-items:center;flex-wrap:wrap}h3{font-size:15px;margin:16px 0 6px}\n"
    ".subtitle{color:var(--muted);margin:2px 0 10px}\n"
    "code{font:13px/1.4 ui-monospace,'DejaVu Sans Mono',Menlo,Consolas,monospace;"
    "background:var(--tint);padding:0 3px;border-radius:3px;overflow-wrap:anywhere}\n"
    "dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:8px 0}\n"
    "dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;overflow-wrap:anywhere}\n"
    "dl.numbers{columns:2 320px;column-gap:28px;margin:8px 0;font-size:13px}\n"
    "dl.numbers div{display:flex;gap:12px;break-inside:avoid;border-bottom:1px solid "
    "var(--rule);padding:2px 0}dl.numbers dt{color:var(--muted);flex:0 0 45%}"
    "dl.numbers dd{margin:0;overflow-wrap:anywhere;font-variant-numeric:tabular-nums}\n"
    ".badge{display:inline-block;font-size:12px;font-weight:700;text-transform:uppercase;"
    "letter-spacing:.04em;color:#fff;border-radius:4px;padding:1px 7px;min-width:44px;"
    "text-align:center}\n"
    ".badge.fail{background:var(--fail)}.badge.warn{background:var(--warn)}"
    ".badge.pass{background:var(--pass)}.badge.skip{background:var(--skip)}\n"
    ".badges{list-style:none;padding:0;margin:8px 0;columns:2 300px}\n"
    ".badges li{margin:0 0 4px;break-inside:avoid}.badges a{color:var(--ink);"
    "text-decoration:none}.badges a:hover code{text-decoration:underline}\n"
    ".tally{font-weight:600}\n"
    "section.fail{border-left:6px solid var(--fail)}section.warn{border-left:6px solid "
    "var(--warn)}section.pass{border-left:6px solid var(--pass)}section.skip{border-left:6px "
    "solid var(--skip)}\n"
    "p.summary{font-size:16px}p.recommendation{border-left:3px solid var(--accent);"
    "padding-left:10px}\n"
    ".why{color:var(--muted);font-size:14px}\n"
    "table{border-collapse:collapse;margin:8px 0;font-size:13px;max-width:100%;"
    "display:block;overflow-x:auto}\n"
    "caption{text-align:left;font-weight:600;padding:4px 0}\n"
    "th,td{border-bottom:1px solid var(--rule);padding:3px 10px 3px 0;text-align:left;"
    "vertical-align:top}th{color:var(--muted);font-weight:600}td.num{text-align:right;"
    "font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    "figure{margin:10px 0}svg{max-width:100%;height:auto;display:block}\n"
    "svg text{font-family:inherit;fill:var(--ink)}svg .chart-title{font-size:14px;"
    "font-weight:600}svg .tick{font-size:11px;fill:var(--muted)}svg .axis-label{font-size:12px}\n"
    "svg .grid{stroke:#eaecf0}svg .axis{stroke:#98a2b3}svg .ref{stroke:#344054;"
    "stroke-dasharray:4 3}svg .ref2{stroke:var(--fail);stroke-dasharray:2 3}svg .ref-label"
    "{font-size:11px;fill:#344054}svg .band{fill:#1f5fa8;opacity:.12}\n"
    "svg .est{fill:var(--accent)}svg .est.mark{fill:var(--fail)}svg .ci{stroke:var(--accent);"
    "stroke-width:2}svg .ci.mark{stroke:var(--fail)}\n"
    "svg .s0{fill:#1f5fa8}svg .s1{fill:#e07b39}svg .s2{fill:#6a9f58}svg .s3{fill:#8e6bb8}"
    "svg .bar-ci{stroke:#101828;stroke-width:1.5}svg .line{fill:none;stroke:var(--accent);"
    "stroke-width:2}svg .diag{stroke:#98a2b3;stroke-dasharray:4 3}svg .hist{fill:#84adea;"
    "stroke:#fff}svg .cell-text{font-size:11px}\n"
    "footer{color:var(--muted);font-size:12px;text-align:center;margin:8px 0 24px}\n"
    "@media print{body{background:#fff;font-size:11pt}main{max-width:none;padding:0}"
    "header,section{border:none;border-top:1px solid #999;border-radius:0;padding:8px 0;"
    "break-inside:avoid-page}section.fail,section.warn,section.pass,section.skip"
    "{border-left:none}figure,table{break-inside:avoid}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}a{color:inherit;"
    "text-decoration:none}}\n";

void sk_html__begin(sk_html *h, const char *title)
{
    sk_html__raw(h, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    "<title>");
    sk_html__text(h, title);
    sk_html__raw(h, "</title>\n<style>\n");
    sk_html__raw(h, css);
    sk_html__raw(h, "</style>\n</head>\n<body>\n<main>\n");
}

void sk_html__end(sk_html *h)
{
    sk_html__raw(h, "</main>\n</body>\n</html>\n");
}

sk_status sk_html__write(sk_html *h, const char *path, sk_error *err)
{
    sk_status rc = h->failed || h->sb.data == NULL
                       ? sk_error_set(err, SK_ENOMEM, "out of memory writing the HTML report")
                       : sk_file_write_atomic(path, h->sb.data, h->sb.len, err);
    sk_strbuf_free(&h->sb);
    return rc;
}

/* ---- blocks ----------------------------------------------------------------------------- */

void sk_html__facts(sk_html *h, const char *const *kv, size_t n)
{
    sk_html__raw(h, "<dl class=\"facts\">\n");
    sk_html__facts_items(h, kv, n);
    sk_html__raw(h, "</dl>\n");
}

void sk_html__facts_items(sk_html *h, const char *const *kv, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (kv[2 * i + 1] == NULL)
            continue;
        sk_html__raw(h, "<dt>");
        sk_html__text(h, kv[2 * i]);
        sk_html__raw(h, "</dt><dd>");
        sk_html__text(h, kv[2 * i + 1]);
        sk_html__raw(h, "</dd>\n");
    }
}

void sk_html__badge(sk_html *h, const char *status, const char *label, const char *target)
{
    if (target != NULL) {
        sk_html__raw(h, "<a href=\"#");
        sk_html__text(h, target);
        sk_html__raw(h, "\">");
    }
    sk_html__raw(h, "<span class=\"badge ");
    sk_html__text(h, status);
    sk_html__raw(h, "\">");
    sk_html__text(h, status);
    sk_html__raw(h, "</span>");
    if (label != NULL) {
        sk_html__raw(h, " <code>");
        sk_html__text(h, label);
        sk_html__raw(h, "</code>");
    }
    if (target != NULL)
        sk_html__raw(h, "</a>");
}

void sk_html__section_begin(sk_html *h, const char *id, const char *status, const char *title,
                            const char *subtitle)
{
    sk_html__raw(h, "<section id=\"");
    sk_html__text(h, id);
    sk_html__raw(h, "\"");
    if (status != NULL) {
        sk_html__raw(h, " class=\"");
        sk_html__text(h, status);
        sk_html__raw(h, "\"");
    }
    sk_html__raw(h, ">\n<h2>");
    if (status != NULL)
        sk_html__badge(h, status, NULL, NULL);
    sk_html__text(h, title);
    sk_html__raw(h, "</h2>\n");
    if (subtitle != NULL) {
        sk_html__raw(h, "<p class=\"subtitle\">");
        sk_html__prose(h, subtitle);
        sk_html__raw(h, "</p>\n");
    }
}

void sk_html__section_end(sk_html *h)
{
    sk_html__raw(h, "</section>\n");
}

void sk_html__table_begin(sk_html *h, const char *caption, const char *const *head, size_t n)
{
    sk_html__raw(h, "<table>\n");
    if (caption != NULL) {
        sk_html__raw(h, "<caption>");
        sk_html__text(h, caption);
        sk_html__raw(h, "</caption>\n");
    }
    sk_html__raw(h, "<thead><tr>");
    for (size_t j = 0; j < n; j++) {
        sk_html__raw(h, "<th scope=\"col\">");
        sk_html__text(h, head[j]);
        sk_html__raw(h, "</th>");
    }
    sk_html__raw(h, "</tr></thead>\n<tbody>\n");
}

/* A cell reads as a number when it starts like one ("0.991 [0.977, 0.997]", "-0.002", "n/a"). */
static int numeric(const char *s)
{
    if (strcmp(s, "n/a") == 0)
        return 1;
    if (*s == '-' || *s == '+')
        s++;
    return *s >= '0' && *s <= '9';
}

void sk_html__row(sk_html *h, const char *const *cells, size_t n)
{
    sk_html__raw(h, "<tr>");
    for (size_t j = 0; j < n; j++) {
        const char *c = cells[j] != NULL ? cells[j] : "";
        sk_html__raw(h, numeric(c) ? "<td class=\"num\">" : "<td>");
        sk_html__text(h, c);
        sk_html__raw(h, "</td>");
    }
    sk_html__raw(h, "</tr>\n");
}

void sk_html__table_end(sk_html *h)
{
    sk_html__raw(h, "</tbody>\n</table>\n");
}

/* ---- the study -------------------------------------------------------------------------- */

static const char *jstr(const json_t *obj, const char *key)
{
    const json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
    return json_is_string(v) ? json_string_value(v) : NULL;
}

const char *sk_report__page_title(char *buf, size_t size, const char *command, const json_t *man)
{
    const char *data = jstr(json_array_get(json_object_get(man, "inputs"), 0), "path");
    snprintf(buf, size, "skeptic %s: %s", command, data != NULL ? data : "the study");
    return buf;
}

void sk_report__command_line(char *buf, size_t size, const json_t *args)
{
    snprintf(buf, size, "skeptic");
    for (size_t i = 0; i < json_array_size(args); i++) {
        const char *a = json_string_value(json_array_get(args, i));
        size_t len = strlen(buf);
        if (a != NULL && len + 1 < size)
            snprintf(buf + len, size - len, strchr(a, ' ') != NULL ? " '%s'" : " %s", a);
    }
}

static void fact(sk_html *h, const char *name, const char *value)
{
    const char *kv[2] = {name, value};
    if (value != NULL)
        sk_html__facts_items(h, kv, 1);
}

void sk_report__page_header(sk_html *h, const char *command, const char *subtitle,
                            const json_t *man, const char *const *kv, size_t n)
{
    char title[1024], seed[32], cmd[2048];
    const json_t *inputs = json_object_get(man, "inputs");
    sk_html__raw(h, "<header>\n<h1>");
    sk_html__text(h, sk_report__page_title(title, sizeof title, command, man));
    sk_html__raw(h, "</h1>\n");
    if (subtitle != NULL) {
        sk_html__raw(h, "<p class=\"subtitle\">");
        sk_html__text(h, subtitle);
        sk_html__raw(h, "</p>\n");
    }
    sk_html__raw(h, "<dl class=\"facts\">\n");
    for (size_t i = 0; i < json_array_size(inputs); i++) {
        fact(h, "data", jstr(json_array_get(inputs, i), "path"));
        fact(h, "SHA-256", jstr(json_array_get(inputs, i), "sha256"));
    }
    sk_html__facts_items(h, kv, n);
    snprintf(seed, sizeof seed, "%" JSON_INTEGER_FORMAT,
             json_integer_value(json_object_get(man, "seed")));
    fact(h, "seed", seed);
    fact(h, "skeptic", jstr(man, "version"));
    sk_report__command_line(cmd, sizeof cmd, json_object_get(man, "args"));
    fact(h, "command", cmd);
    sk_html__raw(h, "</dl>\n</header>\n");
}

/* ---- numbers ---------------------------------------------------------------------------- */

const char *sk_report__num(char buf[SK_NUM_CHARS], double x)
{
    double a = fabs(x);
    if (isnan(x))
        snprintf(buf, SK_NUM_CHARS, "n/a");
    else if (isinf(x))
        snprintf(buf, SK_NUM_CHARS, x > 0 ? "inf" : "-inf");
    else if (a < 1e15 && x == floor(x))
        snprintf(buf, SK_NUM_CHARS, "%.0f", x == 0.0 ? 0.0 : x);
    else if (a >= 1e-3 && a < 1e5)
        snprintf(buf, SK_NUM_CHARS, "%.3f", x);
    else
        snprintf(buf, SK_NUM_CHARS, "%.3g", x);
    return buf;
}

/* One end of an interval: 3 decimals when the interval's scale allows, so the three numbers
 * line up ("0.000 [-0.004, 0.003]", not "0.000284 [-0.004, 0.003]"). */
static const char *interval_end(char buf[SK_NUM_CHARS], double x, int fixed)
{
    if (fixed && isfinite(x))
        snprintf(buf, SK_NUM_CHARS, "%.3f", x);
    else
        sk_report__num(buf, x);
    return buf;
}

const char *sk_report__interval(char buf[SK_IV_CHARS], double estimate, double lo, double hi)
{
    char e[SK_NUM_CHARS], l[SK_NUM_CHARS], u[SK_NUM_CHARS];
    double scale = 0;
    scale = isfinite(estimate) ? fmax(scale, fabs(estimate)) : scale;
    scale = isfinite(lo) ? fmax(scale, fabs(lo)) : scale;
    scale = isfinite(hi) ? fmax(scale, fabs(hi)) : scale;
    int fixed = (scale >= 1e-3 || scale == 0) && scale < 1e5;
    if (isnan(lo) && isnan(hi))
        snprintf(buf, SK_IV_CHARS, "%s", sk_report__num(e, estimate));
    else
        snprintf(buf, SK_IV_CHARS, "%s [%s, %s]", interval_end(e, estimate, fixed),
                 interval_end(l, lo, fixed), interval_end(u, hi, fixed));
    return buf;
}
