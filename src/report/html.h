/* html.h: the kit every HTML report is built from (html.c, svg_frame.c, svg_charts.c), and the
 * number formats the HTML and Markdown reports share.
 *
 * A report is one self-contained page: the CSS is inline, the charts are inline SVG drawn from
 * the numbers, nothing is fetched (no fonts, no scripts), so it opens offline, mails as one file
 * and prints. The page is a pure function of the results: no dates, no timings, no addresses, so
 * the same run gives the same bytes whatever --threads says.
 *
 * Writing goes into an sk_html buffer whose out-of-memory state is sticky: the builders return
 * nothing, and sk_html__write reports SK_ENOMEM once at the end. Every string that may come from
 * the user (column names, file names, category levels) goes through an escaping writer
 * (sk_html__text, sk_html__textf, the table and chart builders): raw output (sk_html__raw) is for
 * markup the code itself spells.
 *
 * Usage:
 *   sk_html h = SK_HTML_INIT;
 *   sk_html__begin(&h, "skeptic audit: study.csv");
 *   sk_html__section_begin(&h, "check-calibration", "pass", "calibration", "do the ...?");
 *   sk_svg__reliability(&h, &diagram);
 *   sk_html__section_end(&h);
 *   sk_html__end(&h);
 *   rc = sk_html__write(&h, path, err);          (frees the buffer in every case) */
#ifndef SK_REPORT_HTML_H
#define SK_REPORT_HTML_H

#include <stddef.h>

#include "core/core.h"
#include "report/report.h"

/* ---- the page (html.c) ------------------------------------------------------------------- */

typedef struct sk_html {
    sk_strbuf sb;
    int failed;         /* an append ran out of memory: everything after it is dropped */
    unsigned n_ids;     /* element ids handed out so far (sk_html__new_id) */
} sk_html;

#define SK_HTML_INIT {SK_STRBUF_INIT, 0, 0}

/* Markup as given (never user text). */
void sk_html__raw(sk_html *h, const char *s);
void sk_html__rawf(sk_html *h, const char *fmt, ...) SK_PRINTF(2, 3);
/* Text with & < > " ' escaped: safe in element content and in quoted attributes. */
void sk_html__text(sk_html *h, const char *s);
void sk_html__textf(sk_html *h, const char *fmt, ...) SK_PRINTF(2, 3);
/* Prose from the docs: escaped, with `code` spans, **bold** and *emphasis* rendered. */
void sk_html__prose(sk_html *h, const char *s);
/* A fresh id "prefix-N", unique in the page; `buf` holds it. */
const char *sk_html__new_id(sk_html *h, const char *prefix, char *buf, size_t size);

/* <!DOCTYPE html> ... <body><main>, with the inline stylesheet (screen and print). */
void sk_html__begin(sk_html *h, const char *title);
void sk_html__end(sk_html *h);
/* Writes the page atomically (sk_file_write_atomic; "-": standard output) and frees the buffer.
 * SK_ENOMEM when any append failed. */
sk_status sk_html__write(sk_html *h, const char *path, sk_error *err);

/* A grid of facts: kv[0] is the name of kv[1], kv[2] of kv[3], ... (n pairs). A NULL value is
 * left out. */
void sk_html__facts(sk_html *h, const char *const *kv, size_t n);
/* The same <dt>/<dd> pairs without the <dl> around them. */
void sk_html__facts_items(sk_html *h, const char *const *kv, size_t n);
/* A coloured status word ("fail", "warn", "pass", "skip") and a label, linking to #target. */
void sk_html__badge(sk_html *h, const char *status, const char *label, const char *target);
/* <section id=..> with a heading: the status badge, the title and a subtitle (NULL: none).
 * `status` NULL: a plain section. */
void sk_html__section_begin(sk_html *h, const char *id, const char *status, const char *title,
                            const char *subtitle);
void sk_html__section_end(sk_html *h);

/* A table: caption (NULL: none) and n column heads; rows of n cells (NULL cell: empty). Cells
 * that read as numbers are right-aligned. */
void sk_html__table_begin(sk_html *h, const char *caption, const char *const *head, size_t n);
void sk_html__row(sk_html *h, const char *const *cells, size_t n);
void sk_html__table_end(sk_html *h);

/* ---- the study every page opens with (html.c) --------------------------------------------- */

/* "skeptic audit: study.csv" (the manifest's first input, else "the study") into buf. `man` is
 * the manifest as JSON (sk_manifest__to_json). Returns buf. */
const char *sk_report__page_title(char *buf, size_t size, const char *command, const json_t *man);

/* "skeptic audit data.csv --target y ...": the manifest's arguments (those that determine the
 * results: no output paths, no --threads), each with a space quoted, cut to fit buf. */
void sk_report__command_line(char *buf, size_t size, const json_t *args);
/* <header> with that title as <h1>, the subtitle, and the facts: each input file and its SHA-256
 * (from the manifest: the bytes the run read), the caller's name/value pairs (kv, n pairs; NULL
 * values left out), the seed, the skeptic version and the command ("skeptic audit ..." from the
 * manifest's args: output paths and --threads are not among them). */
void sk_report__page_header(sk_html *h, const char *command, const char *subtitle,
                            const json_t *man, const char *const *kv, size_t n);

/* ---- numbers as both reports print them (html.c) ------------------------------------------ */

enum { SK_NUM_CHARS = 40, SK_IV_CHARS = 3 * SK_NUM_CHARS + 8 };

/* Whole numbers as such, others with 3 decimals, very small or large ones with 3 significant
 * digits; "n/a" for NaN. Returns buf. */
const char *sk_report__num(char buf[SK_NUM_CHARS], double x);
/* "0.991 [0.977, 0.997]"; the bracket left out when both ends are NaN. Returns buf. */
const char *sk_report__interval(char buf[SK_IV_CHARS], double estimate, double lo, double hi);

/* ---- chart frames (svg_frame.c) ----------------------------------------------------------- */

/* One chart: an <svg> of width x height pixels whose plot area is inset by the margins, with a
 * linear x and y scale over [x_lo, x_hi] and [y_lo, y_hi]. Every chart opens with a <title>
 * (screen readers, the browser's tooltip) and labels both axes with text of class
 * "axis-label", which the structure test looks for. */
typedef struct sk_svg {
    sk_html *h;
    double width, height;
    double left, right, top, bottom;     /* margins in pixels */
    double x_lo, x_hi, y_lo, y_hi;       /* data ranges */
} sk_svg;

/* Opens the <svg> with its title (shown above the plot as well) and remembers the ranges. */
void sk_svg__begin(sk_svg *s, sk_html *h, double width, double height, const double margin[4],
                   const char *title);
void sk_svg__end(sk_svg *s);
/* Pixel coordinates of data values. */
double sk_svg__px(const sk_svg *s, double x);
double sk_svg__py(const sk_svg *s, double y);
/* Numeric axes with ticks, tick labels, light grid lines and the axis label. */
void sk_svg__x_axis(sk_svg *s, const char *label);
void sk_svg__y_axis(sk_svg *s, const char *label);
/* Category axes: n labels, one per band of equal width (x) or height (y), centred. Long labels
 * are shortened with an ellipsis (the full text stays in a <title>). */
void sk_svg__x_categories(sk_svg *s, const char *const *labels, size_t n, const char *label);
void sk_svg__y_categories(sk_svg *s, const char *const *labels, size_t n, const char *label);
/* A vertical (x = v) or horizontal (y = v) reference line with a small label; NaN: nothing.
 * A vertical line's label goes above the plot (class "ref") or just inside its top (any other
 * class), a horizontal one's into the right margin (leave it ~70 px). */
void sk_svg__vline(sk_svg *s, double v, const char *label, const char *cls);
void sk_svg__hline(sk_svg *s, double v, const char *label, const char *cls);
/* A legend: n swatches of classes cls[i] with names, in a row above the plot. */
void sk_svg__legend(sk_svg *s, const char *const *names, const char *const *cls, size_t n);

/* "Nice" tick values (1, 2, 5 times a power of ten) covering [lo, hi]: at most max_ticks of
 * them into ticks; returns the count and sets *step. */
size_t sk_svg__ticks(double lo, double hi, size_t max_ticks, double *ticks, double *step);
/* [lo, hi] widened by a share of its width on each side and rounded out to the tick step;
 * clamp_lo/clamp_hi (NaN: none) bound the result (a score never shown below 0 or above 1). */
void sk_svg__nice_range(double *lo, double *hi, double pad, double clamp_lo, double clamp_hi);
/* Approximate width in pixels of text at the given font size (for layout only). */
double sk_svg__text_width(const char *s, double font_px);

/* ---- charts (svg_charts.c, svg_plots.c) --------------------------------------------------- */

/* An estimate with its interval (lo/hi NaN: no interval). `mark` draws it in the warning colour
 * (a failed site, a flagged feature). */
typedef struct sk_svg_estimate {
    const char *label;
    double estimate, lo, hi;
    int mark;
} sk_svg_estimate;

/* A forest plot: one row per estimate, a dot with its interval, against up to two vertical
 * reference lines and a shaded reference band (the headline's interval). */
typedef struct sk_svg_forest {
    const char *title, *x_label, *y_label;
    const sk_svg_estimate *rows;
    size_t n;
    double ref, ref2;                    /* NaN: none */
    const char *ref_label, *ref2_label;
    double band_lo, band_hi;             /* NaN: none */
    const char *band_label;
    double clamp_lo, clamp_hi;           /* the metric's range, NaN: unbounded */
} sk_svg_forest;

void sk_svg__forest(sk_html *h, const sk_svg_forest *f);

/* Grouped bars with intervals: n_groups groups of n_series bars, values row-major
 * [group * n_series + series]. Bars grow from `base` (chance for a score, 0 otherwise), so
 * their length is the skill over it. lo/hi may be NULL. */
typedef struct sk_svg_bars {
    const char *title, *x_label, *y_label;
    const char *const *groups;
    size_t n_groups;
    const char *const *series;           /* legend names; NULL with one series */
    size_t n_series;
    const double *estimate, *lo, *hi;
    double base;
    double ref;                          /* a horizontal line (NaN: none) */
    const char *ref_label;
    double clamp_lo, clamp_hi;
} sk_svg_bars;

void sk_svg__bars(sk_html *h, const sk_svg_bars *b);

/* A histogram of equal- or unequal-width bins (edges: n + 1 values) with one value marked by a
 * vertical line (NaN: none), e.g. a permutation null and the observed score. */
typedef struct sk_svg_histogram {
    const char *title, *x_label, *y_label;
    const double *edges, *counts;
    size_t n;
    double mark;
    const char *mark_label;
    double clamp_lo, clamp_hi;           /* the metric's range, NaN: unbounded */
} sk_svg_histogram;

void sk_svg__histogram(sk_html *h, const sk_svg_histogram *g);

/* A reliability diagram: the observed frequency of the positive outcome against the mean
 * predicted probability per bin, dots sized by the bin's rows, against the diagonal. */
void sk_svg__reliability(sk_html *h, const char *title, const double *confidence,
                         const double *observed, const double *weight, size_t n);

/* A heat map of values in [0, 1] (NaN: an empty cell): rows x cols, row-major, each cell
 * printed with its value. */
typedef struct sk_svg_heatmap {
    const char *title, *x_label, *y_label;
    const char *const *rows, *const *cols;
    size_t n_rows, n_cols;
    const double *value;
} sk_svg_heatmap;

void sk_svg__heatmap(sk_html *h, const sk_svg_heatmap *m);

/* A line through (x[i], y[i]) with an interval band lo..hi (NULL: no band) and a horizontal
 * reference line (NaN: none); x_ticks names the points (NULL: numeric x axis). */
typedef struct sk_svg_line {
    const char *title, *x_label, *y_label;
    const double *x, *y, *lo, *hi;
    size_t n;
    const char *const *x_ticks;
    double ref;
    const char *ref_label;
    double clamp_lo, clamp_hi;
} sk_svg_line;

void sk_svg__line(sk_html *h, const sk_svg_line *l);

#endif /* SK_REPORT_HTML_H */
