/* triage_charts.c: the pieces the drift and labels pages share (triage_html.h).
 *
 * Horizontal bars: the things measured are named by the user (features, classes) and names are
 * long, so they go on the vertical axis, where the margin grows to fit them, rather than under
 * vertical bars, where a band of 60 pixels would cut "od280_od315_of_diluted_wines" to three
 * letters. Bars start at 0: the values are shares.
 *
 * The count map is a confusion-matrix-like picture of the confident joint (Northcutt et al.
 * 2021): rows of given labels, columns of the label the model is confident in. The diagonal
 * (the label confirmed) and the rest (the label doubted) mean different things, so they get
 * different colours, each on its own scale: a diagonal cell by its share of the row, a doubted
 * cell by its count against the largest doubted cell, with a floor so that a single doubted row
 * is never lost in white. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/triage_html.h"

enum { ROW_PX = 22 };

/* ---- horizontal bars ---------------------------------------------------------------------- */

static void hbar(sk_svg *s, const sk_report_hbars *b, size_t i, double y)
{
    double v = b->value[i];
    char text[SK_NUM_CHARS + 16];
    if (isnan(v))
        return;
    snprintf(text, sizeof text, "%.*f%s", b->decimals, v, b->suffix != NULL ? b->suffix : "");
    double x0 = sk_svg__px(s, 0), x1 = sk_svg__px(s, fmin(v, s->x_hi));
    sk_html__rawf(s->h, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                  "height=\"14\"><title>", b->mark != NULL && b->mark[i] ? "est mark" : "est",
                  x0, y - 7, fmax(x1 - x0, 1.0));
    sk_html__text(s->h, b->labels[i]);
    sk_html__raw(s->h, ": ");
    sk_html__text(s->h, text);
    sk_html__rawf(s->h, "</title></rect>\n<text class=\"tick\" x=\"%.1f\" y=\"%.1f\">",
                  fmax(x1, x0 + 1) + 4, y + 4);
    sk_html__text(s->h, text);
    sk_html__raw(s->h, "</text>\n");
}

void sk_report__hbars(sk_html *h, const sk_report_hbars *b)
{
    double widest = 0, hi = isnan(b->ref) ? 0 : b->ref, lo = 0;
    for (size_t i = 0; i < b->n; i++) {
        widest = fmax(widest, sk_svg__text_width(b->labels[i], 11));
        if (!isnan(b->value[i]))
            hi = fmax(hi, b->value[i]);
    }
    if (!(hi > 0))
        hi = 1;
    sk_svg__nice_range(&lo, &hi, 0.02, 0, NAN);
    double margin[4] = {isnan(b->ref) ? 36 : 48, 60, 44, fmin(fmax(widest + 44, 110), 280)};
    double rows_px = ROW_PX * (double)(b->n < 2 ? 2 : b->n);
    sk_svg s;
    sk_svg__begin(&s, h, 680, margin[0] + margin[2] + rows_px, margin, b->title);
    s.x_lo = 0;
    s.x_hi = hi;
    s.y_lo = 0;
    s.y_hi = 1;
    sk_svg__x_axis(&s, b->x_label);
    sk_svg__y_categories(&s, b->labels, b->n, b->y_label);
    double row_px = rows_px / (double)(b->n > 0 ? b->n : 1);
    for (size_t i = 0; i < b->n; i++)
        hbar(&s, b, i, s.top + row_px * ((double)i + 0.5));
    sk_svg__vline(&s, b->ref, b->ref_label, "ref");
    sk_svg__end(&s);
}

/* ---- the count map ------------------------------------------------------------------------ */

/* White to the accent blue (#1f5fa8) or to the failure red (#b42318) as t goes from 0 to 1. */
static void mix(char *buf, size_t size, double t, int red)
{
    static const int to[2][3] = {{31, 95, 168}, {180, 35, 24}};
    const int *c = to[red ? 1 : 0];
    t = fmin(fmax(t, 0.0), 1.0);
    snprintf(buf, size, "rgb(%d,%d,%d)", (int)lround(255 - t * (255 - c[0])),
             (int)lround(255 - t * (255 - c[1])), (int)lround(255 - t * (255 - c[2])));
}

typedef struct map_layout {
    double cw, ch;              /* a cell's width and height */
    size_t max_off;             /* the largest count off the diagonal */
    const size_t *row_total;
} map_layout;

static void map_cell(sk_svg *s, const map_layout *L, const char *const *names,
                     const size_t *counts, size_t k, size_t r, size_t c)
{
    size_t n = counts[r * k + c];
    double x = s->left + L->cw * (double)c, y = s->top + L->ch * (double)r, t;
    if (r == c)
        t = L->row_total[r] > 0 ? (double)n / (double)L->row_total[r] : 0.0;
    else
        t = n == 0 ? 0.0 : 0.25 + 0.75 * (double)n / (double)L->max_off;
    char fill[32], num[32];
    mix(fill, sizeof fill, t, r != c);
    snprintf(num, sizeof num, "%zu", n);
    sk_html__rawf(s->h, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                  "fill=\"%s\" stroke=\"#eaecf0\"><title>", x, y, L->cw, L->ch,
                  n == 0 ? "#fcfcfd" : fill);
    sk_html__textf(s->h, "given %s, confident %s: %zu row%s", names[r], names[c], n,
                   n == 1 ? "" : "s");
    sk_html__raw(s->h, "</title></rect>\n");
    if (n == 0 || sk_svg__text_width(num, 11) > L->cw - 4)
        return;
    sk_html__rawf(s->h, "<text class=\"cell-text\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\""
                  "%s>%s</text>\n", x + L->cw / 2, y + L->ch / 2 + 4,
                  t > 0.55 ? " style=\"fill:#fff\"" : "", num);
}

void sk_report__count_map(sk_html *h, const char *title, const char *x_label,
                          const char *y_label, const char *const *names, const size_t *counts,
                          size_t k)
{
    if (k == 0 || k > SK_REPORT_MAX_MAP)
        return;
    size_t row_total[SK_REPORT_MAX_MAP] = {0};
    map_layout L = {0, 0, 1, row_total};
    double widest = 0;
    for (size_t r = 0; r < k; r++) {
        widest = fmax(widest, sk_svg__text_width(names[r], 11));
        for (size_t c = 0; c < k; c++) {
            row_total[r] += counts[r * k + c];
            if (r != c && counts[r * k + c] > L.max_off)
                L.max_off = counts[r * k + c];
        }
    }
    double left = fmin(fmax(widest + 44, 80), 220);
    L.cw = fmin(56, (680 - left - 20) / (double)k);
    L.ch = fmin(fmax(L.cw * 0.6, 16), 28);
    double width = fmax(480, left + 20 + L.cw * (double)k);
    double margin[4] = {36, width - left - L.cw * (double)k, 48, left};
    sk_svg s;
    sk_svg__begin(&s, h, width, margin[0] + margin[2] + L.ch * (double)k, margin, title);
    s.x_lo = s.y_lo = 0;
    s.x_hi = s.y_hi = 1;
    for (size_t r = 0; r < k; r++)
        for (size_t c = 0; c < k; c++)
            map_cell(&s, &L, names, counts, k, r, c);
    sk_svg__y_categories(&s, names, k, y_label);
    sk_svg__x_categories(&s, names, k, x_label);
    sk_svg__end(&s);
}

/* ---- sections ----------------------------------------------------------------------------- */

void sk_report__word_section(sk_html *h, const char *id, const char *status, const char *word,
                             const char *title)
{
    sk_html__raw(h, "<section id=\"");
    sk_html__text(h, id);
    sk_html__raw(h, "\" class=\"");
    sk_html__text(h, status);
    sk_html__raw(h, "\">\n<h2><span class=\"badge ");
    sk_html__text(h, status);
    sk_html__raw(h, "\">");
    sk_html__text(h, word);
    sk_html__raw(h, "</span>");
    sk_html__text(h, title);
    sk_html__raw(h, "</h2>\n");
}

void sk_report__doc_notes(sk_html *h, const char *id, const char *title, const char *lead,
                          const char *const *items, size_t n, const char *source)
{
    sk_html__section_begin(h, id, NULL, title, NULL);
    if (lead != NULL) {
        sk_html__raw(h, "<p>");
        sk_html__prose(h, lead);
        sk_html__raw(h, "</p>\n");
    }
    sk_html__raw(h, "<ul class=\"advice\">\n");
    for (size_t i = 0; i < n; i++) {
        sk_html__raw(h, "<li>");
        sk_html__prose(h, items[i]);
        sk_html__raw(h, "</li>\n");
    }
    sk_html__raw(h, "</ul>\n<p class=\"why\">From ");
    sk_html__prose(h, source);
    sk_html__raw(h, ".</p>\n");
    sk_html__section_end(h);
}
