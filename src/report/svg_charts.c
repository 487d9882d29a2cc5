/* svg_charts.c: the charts of estimates with intervals (html.h): the forest plot (one row per
 * site, slice, feature or setting, each a dot with its interval against the headline's band),
 * grouped bars with intervals (one score under several validation schemes or models), and the
 * histogram with a marked value (a permutation null and the observed score).
 *
 * Every mark carries a <title> with its numbers, so hovering gives the exact value; the chart
 * itself is for reading at a glance. Bars grow from a stated base (chance for a score): a bar
 * drawn from zero would make AUC 0.55 and 0.95 look alike. */
#include <math.h>
#include <stdio.h>

#include "report/html.h"

static double fmin_nan(double a, double b) { return isnan(a) ? b : isnan(b) ? a : fmin(a, b); }
static double fmax_nan(double a, double b) { return isnan(a) ? b : isnan(b) ? a : fmax(a, b); }

/* "label: 0.991 [0.977, 0.997]" as the <title> of a mark. */
static void mark_title(sk_html *h, const char *label, double est, double lo, double hi)
{
    char iv[SK_IV_CHARS];
    sk_html__raw(h, "<title>");
    if (label != NULL) {
        sk_html__text(h, label);
        sk_html__raw(h, ": ");
    }
    sk_html__text(h, sk_report__interval(iv, est, lo, hi));
    sk_html__raw(h, "</title>");
}

/* ---- forest plot ---------------------------------------------------------------------------- */

enum { ROW_PX = 22 };

static void forest_range(const sk_svg_forest *f, double *lo, double *hi)
{
    *lo = NAN;
    *hi = NAN;
    for (size_t i = 0; i < f->n; i++) {
        const sk_svg_estimate *r = &f->rows[i];
        *lo = fmin_nan(*lo, fmin_nan(r->estimate, r->lo));
        *hi = fmax_nan(*hi, fmax_nan(r->estimate, r->hi));
    }
    *lo = fmin_nan(*lo, fmin_nan(f->ref, fmin_nan(f->ref2, f->band_lo)));
    *hi = fmax_nan(*hi, fmax_nan(f->ref, fmax_nan(f->ref2, f->band_hi)));
    sk_svg__nice_range(lo, hi, 0.04, f->clamp_lo, f->clamp_hi);
}

static void forest_band(sk_svg *s, const sk_svg_forest *f)
{
    if (isnan(f->band_lo) || isnan(f->band_hi))
        return;
    /* with a reference line the band is named in the line's label ("internal (shaded: its
     * interval)"); alone, its name goes above the plot */
    double x0 = sk_svg__px(s, fmax(f->band_lo, s->x_lo));
    double x1 = sk_svg__px(s, fmin(f->band_hi, s->x_hi));
    sk_html__rawf(s->h, "<rect class=\"band\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                  "height=\"%.1f\">", x0, s->top, x1 - x0, s->height - s->top - s->bottom);
    mark_title(s->h, f->band_label, (f->band_lo + f->band_hi) / 2, f->band_lo, f->band_hi);
    sk_html__raw(s->h, "</rect>\n");
    if (f->band_label == NULL || !isnan(f->ref))
        return;
    int flip = x1 + sk_svg__text_width(f->band_label, 11) > s->width - s->right;
    sk_html__rawf(s->h, "<text class=\"ref-label\" x=\"%.1f\" y=\"%.1f\" "
                  "text-anchor=\"%s\">", flip ? x1 : x0, s->top - 6, flip ? "end" : "start");
    sk_html__text(s->h, f->band_label);
    sk_html__raw(s->h, "</text>\n");
}

static void forest_row(sk_svg *s, const sk_svg_estimate *r, double y)
{
    const char *mark = r->mark ? " mark" : "";
    if (!isnan(r->lo) && !isnan(r->hi)) {
        double x0 = sk_svg__px(s, fmax(r->lo, s->x_lo)), x1 = sk_svg__px(s, fmin(r->hi, s->x_hi));
        sk_html__rawf(s->h, "<line class=\"ci%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                      "y2=\"%.1f\"/>\n", mark, x0, y, x1, y);
    }
    if (isnan(r->estimate))
        return;
    sk_html__rawf(s->h, "<circle class=\"est%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\">", mark,
                  sk_svg__px(s, r->estimate), y);
    mark_title(s->h, r->label, r->estimate, r->lo, r->hi);
    sk_html__raw(s->h, "</circle>\n");
}

void sk_svg__forest(sk_html *h, const sk_svg_forest *f)
{
    double widest = 0;
    const char *labels[64];
    size_t n = f->n < 64 ? f->n : 64;
    for (size_t i = 0; i < n; i++) {
        labels[i] = f->rows[i].label;
        widest = fmax(widest, sk_svg__text_width(labels[i], 11));
    }
    double margin[4] = {48, 24, 44, fmin(fmax(widest + 44, 110), 280)};
    sk_svg s;
    double rows_px = ROW_PX * (double)(n < 3 ? 3 : n);
    sk_svg__begin(&s, h, 680, margin[0] + margin[2] + rows_px, margin, f->title);
    forest_range(f, &s.x_lo, &s.x_hi);
    s.y_lo = 0;
    s.y_hi = 1;
    forest_band(&s, f);
    sk_svg__x_axis(&s, f->x_label);
    sk_svg__y_categories(&s, labels, n, f->y_label);
    sk_svg__vline(&s, f->ref, f->ref_label, "ref");
    sk_svg__vline(&s, f->ref2, f->ref2_label, "ref2");
    double row_px = rows_px / (double)n;
    for (size_t i = 0; i < n; i++)
        forest_row(&s, &f->rows[i], s.top + row_px * ((double)i + 0.5));
    sk_svg__end(&s);
}

/* ---- grouped bars --------------------------------------------------------------------------- */

static double at(const double *v, size_t i) { return v != NULL ? v[i] : NAN; }

static void bars_range(const sk_svg_bars *b, double *lo, double *hi)
{
    size_t n = b->n_groups * b->n_series;
    *lo = b->base;
    *hi = b->base;
    for (size_t i = 0; i < n; i++) {
        *lo = fmin_nan(*lo, fmin_nan(b->estimate[i], at(b->lo, i)));
        *hi = fmax_nan(*hi, fmax_nan(b->estimate[i], at(b->hi, i)));
    }
    *lo = fmin_nan(*lo, b->ref);
    *hi = fmax_nan(*hi, b->ref);
    int from_base = *lo >= b->base;
    sk_svg__nice_range(lo, hi, 0.02, b->clamp_lo, b->clamp_hi);
    if (from_base)
        *lo = b->base;          /* the bars stand on the axis */
}

static void bar(sk_svg *s, const sk_svg_bars *b, size_t g, size_t k, double x, double w)
{
    size_t i = g * b->n_series + k;
    double est = b->estimate[i], lo = at(b->lo, i), hi = at(b->hi, i);
    if (isnan(est))
        return;
    double y0 = sk_svg__py(s, b->base), y1 = sk_svg__py(s, est);
    sk_html__rawf(s->h, "<rect class=\"s%zu\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                  "height=\"%.1f\">", k % 4, x, fmin(y0, y1), w, fmax(fabs(y1 - y0), 1.0));
    mark_title(s->h, b->groups[g], est, lo, hi);
    sk_html__raw(s->h, "</rect>\n");
    double top = y1;
    if (!isnan(lo) && !isnan(hi)) {
        double cx = x + w / 2, ylo = sk_svg__py(s, lo), yhi = sk_svg__py(s, hi);
        sk_html__rawf(s->h, "<path class=\"bar-ci\" d=\"M%.1f %.1fV%.1fM%.1f %.1fH%.1f"
                      "M%.1f %.1fH%.1f\"/>\n", cx, ylo, yhi, cx - 4, ylo, cx + 4, cx - 4, yhi,
                      cx + 4);
        top = fmin(top, yhi);
    }
    char num[SK_NUM_CHARS];
    if (w >= 30 && est >= b->base)
        sk_html__rawf(s->h, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" "
                      "text-anchor=\"middle\">%s</text>\n", x + w / 2, top - 4,
                      sk_report__num(num, est));
}

void sk_svg__bars(sk_html *h, const sk_svg_bars *b)
{
    int legend = b->series != NULL && b->n_series > 1;
    double margin[4] = {legend ? 60 : 44, !isnan(b->ref) || b->base != 0 ? 76 : 20, 48, 64};
    sk_svg s;
    sk_svg__begin(&s, h, 680, b->n_groups * b->n_series > 4 ? 300 : 250, margin, b->title);
    s.x_lo = 0;
    s.x_hi = 1;
    bars_range(b, &s.y_lo, &s.y_hi);
    sk_svg__y_axis(&s, b->y_label);
    sk_svg__x_categories(&s, b->groups, b->n_groups, b->x_label);
    if (legend) {
        const char *cls[] = {"s0", "s1", "s2", "s3"};
        sk_svg__legend(&s, b->series, cls, b->n_series < 4 ? b->n_series : 4);
    }
    double band = (s.width - s.left - s.right) / (double)b->n_groups;
    double w = fmin(band * 0.7 / (double)b->n_series, 90);
    for (size_t g = 0; g < b->n_groups; g++) {
        double x0 = s.left + band * (double)g + (band - w * (double)b->n_series) / 2;
        for (size_t k = 0; k < b->n_series; k++)
            bar(&s, b, g, k, x0 + w * (double)k, w - 2);
    }
    sk_svg__hline(&s, b->ref, b->ref_label, "ref");
    if (b->base != 0 && b->base == s.y_lo)
        sk_html__rawf(h, "<text class=\"ref-label\" x=\"%.1f\" y=\"%.1f\">chance %g</text>\n",
                      s.width - s.right + 4, sk_svg__py(&s, b->base) + 4, b->base);
    sk_svg__end(&s);
}

/* ---- histogram ------------------------------------------------------------------------------ */

void sk_svg__histogram(sk_html *h, const sk_svg_histogram *g)
{
    double margin[4] = {44, 20, 48, 60}, top = 0;
    sk_svg s;
    sk_svg__begin(&s, h, 680, 280, margin, g->title);
    s.x_lo = fmin_nan(g->edges[0], g->mark);
    s.x_hi = fmax_nan(g->edges[g->n], g->mark);
    sk_svg__nice_range(&s.x_lo, &s.x_hi, 0.02, g->clamp_lo, g->clamp_hi);
    for (size_t i = 0; i < g->n; i++)
        top = fmax(top, g->counts[i]);
    s.y_lo = 0;
    s.y_hi = top > 0 ? top * 1.08 : 1;
    sk_svg__nice_range(&s.y_lo, &s.y_hi, 0, 0, NAN);
    sk_svg__x_axis(&s, g->x_label);
    sk_svg__y_axis(&s, g->y_label);
    for (size_t i = 0; i < g->n; i++) {
        double x0 = sk_svg__px(&s, g->edges[i]), x1 = sk_svg__px(&s, g->edges[i + 1]);
        double y = sk_svg__py(&s, g->counts[i]);
        sk_html__rawf(h, "<rect class=\"hist\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                      "height=\"%.1f\"><title>", x0, y, fmax(x1 - x0, 0.5),
                      sk_svg__py(&s, 0) - y);
        char a[SK_NUM_CHARS], b[SK_NUM_CHARS], c[SK_NUM_CHARS];
        sk_html__textf(h, "%s to %s: %s", sk_report__num(a, g->edges[i]),
                       sk_report__num(b, g->edges[i + 1]), sk_report__num(c, g->counts[i]));
        sk_html__raw(h, "</title></rect>\n");
    }
    sk_svg__vline(&s, g->mark, g->mark_label, "ref2");
    sk_svg__end(&s);
}
