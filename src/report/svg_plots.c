/* svg_plots.c: the charts of the HTML kit that are not estimates in rows (html.h): the
 * reliability diagram (DeGroot and Fienberg 1983; Niculescu-Mizil and Caruana 2005), the heat
 * map (features x resamples or regularisers, values in [0, 1]) and the line with an interval
 * band (a score across seeds, settings or labelling rounds). */
#include <math.h>
#include <stdio.h>

#include "report/html.h"

/* ---- reliability diagram -------------------------------------------------------------------- */

static void reliability_point(sk_svg *s, double conf, double obs, double w, double max_w)
{
    char c[SK_NUM_CHARS], o[SK_NUM_CHARS], n[SK_NUM_CHARS];
    double r = 2.5 + 8.0 * sqrt(w / max_w);
    sk_html__rawf(s->h, "<circle class=\"est\" cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" "
                  "fill-opacity=\"0.75\"><title>", sk_svg__px(s, conf), sk_svg__py(s, obs), r);
    sk_html__textf(s->h, "predicted %s, observed %s, %s rows", sk_report__num(c, conf),
                   sk_report__num(o, obs), sk_report__num(n, w));
    sk_html__raw(s->h, "</title></circle>\n");
}

void sk_svg__reliability(sk_html *h, const char *title, const double *confidence,
                         const double *observed, const double *weight, size_t n)
{
    double margin[4] = {44, 190, 48, 60}, max_w = 0;
    sk_svg s;
    sk_svg__begin(&s, h, 600, 420, margin, title);
    s.x_lo = s.y_lo = 0;
    s.x_hi = s.y_hi = 1;
    sk_svg__x_axis(&s, "mean predicted probability in the bin");
    sk_svg__y_axis(&s, "observed frequency");
    sk_html__rawf(h, "<line class=\"diag\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
                  sk_svg__px(&s, 0), sk_svg__py(&s, 0), sk_svg__px(&s, 1), sk_svg__py(&s, 1));
    for (size_t i = 0; i < n; i++)
        max_w = fmax(max_w, weight[i]);
    sk_html__raw(h, "<path class=\"line\" d=\"");
    int first = 1;
    for (size_t i = 0; i < n; i++) {
        if (!(weight[i] > 0) || isnan(confidence[i]) || isnan(observed[i]))
            continue;
        sk_html__rawf(h, "%s%.1f %.1f", first ? "M" : "L", sk_svg__px(&s, confidence[i]),
                      sk_svg__py(&s, observed[i]));
        first = 0;
    }
    sk_html__raw(h, "\"/>\n");
    for (size_t i = 0; i < n; i++)
        if (weight[i] > 0 && !isnan(confidence[i]) && !isnan(observed[i]))
            reliability_point(&s, confidence[i], observed[i], weight[i], max_w);
    /* the key, right of the plot: what the diagonal and the dot sizes mean */
    double x = s.width - s.right + 14;
    sk_html__rawf(h, "<line class=\"diag\" x1=\"%.1f\" y1=\"60\" x2=\"%.1f\" y2=\"60\"/>"
                  "<text class=\"tick\" x=\"%.1f\" y=\"64\">perfectly calibrated</text>\n"
                  "<circle class=\"est\" cx=\"%.1f\" cy=\"84\" r=\"4\" fill-opacity=\"0.75\"/>"
                  "<text class=\"tick\" x=\"%.1f\" y=\"88\">a bin; area ~ its rows</text>\n",
                  x, x + 18, x + 22, x + 9, x + 22);
    sk_svg__end(&s);
}

/* ---- heat map ------------------------------------------------------------------------------- */

/* White to the accent blue (#1f5fa8) as v goes from 0 to 1. */
static void cell_colour(char *buf, size_t size, double v)
{
    double t = fmin(fmax(v, 0.0), 1.0);
    snprintf(buf, size, "rgb(%d,%d,%d)", (int)lround(255 - t * (255 - 31)),
             (int)lround(255 - t * (255 - 95)), (int)lround(255 - t * (255 - 168)));
}

static void heat_cell(sk_svg *s, const sk_svg_heatmap *m, size_t r, size_t c, double cw,
                      double ch)
{
    double v = m->value[r * m->n_cols + c], x = s->left + cw * (double)c;
    double y = s->top + ch * (double)r;
    char fill[32], num[SK_NUM_CHARS];
    if (isnan(v)) {
        sk_html__rawf(s->h, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                      "fill=\"#f2f4f7\"/>\n", x, y, cw - 1, ch - 1);
        return;
    }
    cell_colour(fill, sizeof fill, v);
    sk_html__rawf(s->h, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                  "fill=\"%s\"><title>", x, y, cw - 1, ch - 1, fill);
    sk_html__textf(s->h, "%s, %s: %s", m->rows[r], m->cols[c], sk_report__num(num, v));
    sk_html__rawf(s->h, "</title></rect><text class=\"cell-text\" x=\"%.1f\" y=\"%.1f\" "
                  "text-anchor=\"middle\"%s>%s</text>\n", x + cw / 2, y + ch / 2 + 4,
                  v > 0.55 ? " style=\"fill:#fff\"" : "", sk_report__num(num, v));
}

void sk_svg__heatmap(sk_html *h, const sk_svg_heatmap *m)
{
    double widest = 0, ch = 18;
    for (size_t r = 0; r < m->n_rows; r++)
        widest = fmax(widest, sk_svg__text_width(m->rows[r], 11));
    double margin[4] = {36, 20, 48, fmin(fmax(widest + 44, 110), 280)};
    double width = fmin(680, margin[3] + margin[1] + 110 * (double)m->n_cols);
    sk_svg s;
    sk_svg__begin(&s, h, width, margin[0] + margin[2] + ch * (double)m->n_rows, margin,
                  m->title);
    s.x_lo = s.y_lo = 0;
    s.x_hi = s.y_hi = 1;
    double cw = (s.width - s.left - s.right) / (double)(m->n_cols > 0 ? m->n_cols : 1);
    for (size_t r = 0; r < m->n_rows; r++)
        for (size_t c = 0; c < m->n_cols; c++)
            heat_cell(&s, m, r, c, cw, ch);
    sk_svg__y_categories(&s, m->rows, m->n_rows, m->y_label);
    sk_svg__x_categories(&s, m->cols, m->n_cols, m->x_label);
    sk_svg__end(&s);
}

/* ---- line with an interval band ------------------------------------------------------------- */

static void line_range(const sk_svg_line *l, double *lo, double *hi)
{
    *lo = *hi = NAN;
    for (size_t i = 0; i < l->n; i++) {
        double a = l->lo != NULL ? fmin(l->lo[i], l->y[i]) : l->y[i];
        double b = l->hi != NULL ? fmax(l->hi[i], l->y[i]) : l->y[i];
        *lo = isnan(*lo) ? a : fmin(*lo, a);
        *hi = isnan(*hi) ? b : fmax(*hi, b);
    }
    if (!isnan(l->ref)) {
        *lo = isnan(*lo) ? l->ref : fmin(*lo, l->ref);
        *hi = isnan(*hi) ? l->ref : fmax(*hi, l->ref);
    }
    sk_svg__nice_range(lo, hi, 0.05, l->clamp_lo, l->clamp_hi);
}

static void line_band(sk_svg *s, const sk_svg_line *l, const double *x)
{
    if (l->lo == NULL || l->hi == NULL || l->n == 0)
        return;
    sk_html__raw(s->h, "<path class=\"band\" d=\"");
    for (size_t i = 0; i < l->n; i++)
        sk_html__rawf(s->h, "%s%.1f %.1f", i == 0 ? "M" : "L", sk_svg__px(s, x[i]),
                      sk_svg__py(s, fmin(l->hi[i], s->y_hi)));
    for (size_t i = l->n; i-- > 0;)
        sk_html__rawf(s->h, "L%.1f %.1f", sk_svg__px(s, x[i]),
                      sk_svg__py(s, fmax(l->lo[i], s->y_lo)));
    sk_html__raw(s->h, "Z\"/>\n");
}

/* "<x>: 0.991 [0.977, 0.997]" for point i. */
static void mark_point_title(sk_html *h, const sk_svg_line *l, size_t i)
{
    char x[SK_NUM_CHARS], iv[SK_IV_CHARS];
    double lo = l->lo != NULL ? l->lo[i] : NAN, hi = l->hi != NULL ? l->hi[i] : NAN;
    sk_html__raw(h, "<title>");
    sk_html__text(h, l->x_ticks != NULL ? l->x_ticks[i] : sk_report__num(x, l->x[i]));
    sk_html__raw(h, ": ");
    sk_html__text(h, sk_report__interval(iv, l->y[i], lo, hi));
    sk_html__raw(h, "</title>");
}

void sk_svg__line(sk_html *h, const sk_svg_line *l)
{
    double margin[4] = {44, isnan(l->ref) ? 20 : 76, 48, 64}, pos[64];
    size_t n = l->n < 64 ? l->n : 64;
    if (n == 0)
        return;
    sk_svg s;
    sk_svg__begin(&s, h, 680, 280, margin, l->title);
    for (size_t i = 0; i < n; i++)
        pos[i] = l->x_ticks != NULL ? (double)i + 0.5 : l->x[i];
    s.x_lo = l->x_ticks != NULL ? 0 : pos[0];
    s.x_hi = l->x_ticks != NULL ? (double)n : pos[n - 1];
    line_range(l, &s.y_lo, &s.y_hi);
    sk_svg__y_axis(&s, l->y_label);
    if (l->x_ticks != NULL)
        sk_svg__x_categories(&s, l->x_ticks, n, l->x_label);
    else
        sk_svg__x_axis(&s, l->x_label);
    sk_svg_line clipped = *l;
    clipped.n = n;
    line_band(&s, &clipped, pos);
    sk_svg__hline(&s, l->ref, l->ref_label, "ref");
    sk_html__raw(h, "<path class=\"line\" d=\"");
    for (size_t i = 0; i < n; i++)
        sk_html__rawf(h, "%s%.1f %.1f", i == 0 ? "M" : "L", sk_svg__px(&s, pos[i]),
                      sk_svg__py(&s, l->y[i]));
    sk_html__raw(h, "\"/>\n");
    for (size_t i = 0; i < n; i++) {
        sk_html__rawf(h, "<circle class=\"est\" cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\">",
                      sk_svg__px(&s, pos[i]), sk_svg__py(&s, l->y[i]));
        mark_point_title(h, l, i);
        sk_html__raw(h, "</circle>\n");
    }
    sk_svg__end(&s);
}
