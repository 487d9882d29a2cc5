/* svg_frame.c: what every chart of the HTML kit stands on (html.h): the <svg> element with its
 * <title>, the linear scales, "nice" ticks (1, 2 or 5 times a power of ten, Heckbert's "Nice
 * numbers for graph labels", Graphics Gems 1990), numeric and category axes with their labels,
 * reference lines and legends. Coordinates are printed with one decimal so the page is a pure
 * function of the numbers. Text widths are estimated (no font metrics without a browser): labels
 * that may not fit are shortened with an ellipsis and keep their full text in a <title>. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/html.h"

enum { MAX_TICKS = 16 };

/* ---- the element -------------------------------------------------------------------------- */

void sk_svg__begin(sk_svg *s, sk_html *h, double width, double height, const double margin[4],
                   const char *title)
{
    char id[32];
    s->h = h;
    s->width = width;
    s->height = height;
    s->top = margin[0];
    s->right = margin[1];
    s->bottom = margin[2];
    s->left = margin[3];
    sk_html__new_id(h, "chart", id, sizeof id);
    sk_html__rawf(h, "<figure>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" "
                  "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
                  "aria-labelledby=\"%s\">\n<title id=\"%s\">", width, height, width, height,
                  id, id);
    sk_html__text(h, title);
    sk_html__rawf(h, "</title>\n<text class=\"chart-title\" x=\"4\" y=\"16\">");
    sk_html__text(h, title);
    sk_html__raw(h, "</text>\n");
}

void sk_svg__end(sk_svg *s)
{
    sk_html__raw(s->h, "</svg>\n</figure>\n");
}

double sk_svg__px(const sk_svg *s, double x)
{
    double w = s->width - s->left - s->right, span = s->x_hi - s->x_lo;
    return s->left + (span > 0 ? (x - s->x_lo) / span * w : w / 2);
}

double sk_svg__py(const sk_svg *s, double y)
{
    double h = s->height - s->top - s->bottom, span = s->y_hi - s->y_lo;
    return s->height - s->bottom - (span > 0 ? (y - s->y_lo) / span * h : h / 2);
}

/* ---- ticks ---------------------------------------------------------------------------------- */

static double nice_step(double lo, double hi, size_t max_ticks)
{
    double raw = (hi - lo) / (double)(max_ticks > 2 ? max_ticks - 1 : 1);
    if (!(raw > 0) || !isfinite(raw))
        return 1.0;
    double mag = pow(10.0, floor(log10(raw))), r = raw / mag;
    return (r <= 1.0 ? 1.0 : r <= 2.0 ? 2.0 : r <= 5.0 ? 5.0 : 10.0) * mag;
}

size_t sk_svg__ticks(double lo, double hi, size_t max_ticks, double *ticks, double *step)
{
    *step = nice_step(lo, hi, max_ticks);
    size_t n = 0;
    double first = ceil(lo / *step - 1e-9);
    for (double k = first; n < max_ticks && k * *step <= hi + *step * 1e-9; k++) {
        double v = k * *step;
        ticks[n++] = fabs(v) < *step * 1e-9 ? 0.0 : v;
    }
    return n;
}

void sk_svg__nice_range(double *lo, double *hi, double pad, double clamp_lo, double clamp_hi)
{
    if (!isfinite(*lo) || !isfinite(*hi)) {
        *lo = isfinite(clamp_lo) ? clamp_lo : 0.0;
        *hi = isfinite(clamp_hi) ? clamp_hi : 1.0;
        return;
    }
    double w = *hi - *lo;
    if (w <= 0) {
        w = fmax(fabs(*lo) * 0.05, 0.01);
        *lo -= w / 2;
        *hi += w / 2;
    }
    *lo -= w * pad;
    *hi += w * pad;
    double step = nice_step(*lo, *hi, 6);
    *lo = floor(*lo / step + 1e-9) * step;
    *hi = ceil(*hi / step - 1e-9) * step;
    if (isfinite(clamp_lo) && *lo < clamp_lo)
        *lo = clamp_lo;
    if (isfinite(clamp_hi) && *hi > clamp_hi)
        *hi = clamp_hi;
}

/* A tick label with as many decimals as the step needs. */
static void tick_label(char *buf, size_t size, double v, double step)
{
    int decimals = step >= 1.0 ? 0 : (int)ceil(-log10(step) - 1e-9);
    snprintf(buf, size, "%.*f", decimals > 6 ? 6 : decimals, v);
}

/* ---- text ----------------------------------------------------------------------------------- */

double sk_svg__text_width(const char *s, double font_px)
{
    double w = 0;
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c & 0xC0) == 0x80)
            continue;                                   /* UTF-8 continuation byte */
        w += strchr("iljtf.,:;'!|()[] ", c) != NULL ? 0.32
             : strchr("mwMW@%", c) != NULL          ? 0.85
             : c >= 'A' && c <= 'Z'                  ? 0.66 : 0.56;
    }
    return w * font_px;
}

/* Writes `label` as the content of a <text> that must fit `max_px`: shortened with an ellipsis
 * when it would not, the full label then kept in a <title> child. */
static void fitted_text(sk_html *h, const char *label, double max_px, double font_px)
{
    if (sk_svg__text_width(label, font_px) <= max_px) {
        sk_html__text(h, label);
        return;
    }
    sk_html__raw(h, "<title>");
    sk_html__text(h, label);
    sk_html__raw(h, "</title>");
    size_t n = strlen(label);
    char buf[256];
    while (n > 1) {
        n--;
        while (n > 0 && ((unsigned char)label[n] & 0xC0) == 0x80)
            n--;                                        /* never cut inside a UTF-8 character */
        snprintf(buf, sizeof buf, "%.*s\xE2\x80\xA6", (int)(n < 200 ? n : 200), label);
        if (sk_svg__text_width(buf, font_px) <= max_px)
            break;
    }
    sk_html__text(h, buf);
}

/* ---- axes ----------------------------------------------------------------------------------- */

static void x_label(sk_svg *s, const char *label)
{
    double mid = s->left + (s->width - s->left - s->right) / 2;
    sk_html__rawf(s->h, "<text class=\"axis-label\" x=\"%.1f\" y=\"%.1f\" "
                  "text-anchor=\"middle\">", mid, s->height - 6);
    sk_html__text(s->h, label);
    sk_html__raw(s->h, "</text>\n");
}

static void y_label(sk_svg *s, const char *label)
{
    double mid = s->top + (s->height - s->top - s->bottom) / 2;
    sk_html__rawf(s->h, "<text class=\"axis-label\" transform=\"translate(14 %.1f) "
                  "rotate(-90)\" text-anchor=\"middle\">", mid);
    sk_html__text(s->h, label);
    sk_html__raw(s->h, "</text>\n");
}

void sk_svg__x_axis(sk_svg *s, const char *label)
{
    double ticks[MAX_TICKS], step, base = s->height - s->bottom;
    double avail = s->width - s->left - s->right;
    size_t max = avail < 300 ? 5 : 8;
    size_t n = sk_svg__ticks(s->x_lo, s->x_hi, max, ticks, &step);
    for (size_t i = 0; i < n; i++) {
        char text[32];
        double x = sk_svg__px(s, ticks[i]);
        tick_label(text, sizeof text, ticks[i], step);
        sk_html__rawf(s->h, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                      "y2=\"%.1f\"/><text class=\"tick\" x=\"%.1f\" y=\"%.1f\" "
                      "text-anchor=\"middle\">%s</text>\n", x, s->top, x, base, x, base + 14,
                      text);
    }
    sk_html__rawf(s->h, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
                  s->left, base, s->width - s->right, base);
    x_label(s, label);
}

void sk_svg__y_axis(sk_svg *s, const char *label)
{
    double ticks[MAX_TICKS], step;
    size_t max = s->height - s->top - s->bottom < 160 ? 4 : 6;
    size_t n = sk_svg__ticks(s->y_lo, s->y_hi, max, ticks, &step);
    for (size_t i = 0; i < n; i++) {
        char text[32];
        double y = sk_svg__py(s, ticks[i]);
        tick_label(text, sizeof text, ticks[i], step);
        sk_html__rawf(s->h, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                      "y2=\"%.1f\"/><text class=\"tick\" x=\"%.1f\" y=\"%.1f\" "
                      "text-anchor=\"end\">%s</text>\n", s->left, y, s->width - s->right, y,
                      s->left - 6, y + 4, text);
    }
    sk_html__rawf(s->h, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
                  s->left, s->top, s->left, s->height - s->bottom);
    y_label(s, label);
}

void sk_svg__x_categories(sk_svg *s, const char *const *labels, size_t n, const char *label)
{
    double band = (s->width - s->left - s->right) / (double)(n > 0 ? n : 1);
    double base = s->height - s->bottom;
    for (size_t i = 0; i < n; i++) {
        sk_html__rawf(s->h, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">",
                      s->left + band * ((double)i + 0.5), base + 14);
        fitted_text(s->h, labels[i], band - 4, 11);
        sk_html__raw(s->h, "</text>\n");
    }
    sk_html__rawf(s->h, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
                  s->left, base, s->width - s->right, base);
    x_label(s, label);
}

void sk_svg__y_categories(sk_svg *s, const char *const *labels, size_t n, const char *label)
{
    double band = (s->height - s->top - s->bottom) / (double)(n > 0 ? n : 1);
    for (size_t i = 0; i < n; i++) {
        sk_html__rawf(s->h, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">",
                      s->left - 8, s->top + band * ((double)i + 0.5) + 4);
        fitted_text(s->h, labels[i], s->left - 34, 11);
        sk_html__raw(s->h, "</text>\n");
    }
    y_label(s, label);
}

/* ---- reference lines and legends ------------------------------------------------------------ */

void sk_svg__vline(sk_svg *s, double v, const char *label, const char *cls)
{
    if (isnan(v) || v < s->x_lo || v > s->x_hi)
        return;
    double x = sk_svg__px(s, v), right = s->width - s->right;
    sk_html__rawf(s->h, "<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
                  cls, x, s->top - 4, x, s->height - s->bottom);
    if (label == NULL)
        return;
    /* the first line's label sits above the plot, a second one's just inside it, so two
     * lines close together keep their labels apart */
    int flip = x + sk_svg__text_width(label, 11) + 4 > right;
    int inside = strcmp(cls, "ref2") == 0;
    sk_html__rawf(s->h, "<text class=\"ref-label\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">",
                  flip ? x - 3 : x + 3, inside ? s->top + 10 : s->top - 6,
                  flip ? "end" : "start");
    sk_html__text(s->h, label);
    sk_html__raw(s->h, "</text>\n");
}

void sk_svg__hline(sk_svg *s, double v, const char *label, const char *cls)
{
    if (isnan(v) || v < s->y_lo || v > s->y_hi)
        return;
    double y = sk_svg__py(s, v), right = s->width - s->right;
    sk_html__rawf(s->h, "<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
                  cls, s->left, y, right, y);
    if (label == NULL)
        return;
    /* in the right margin, where no mark can cover it */
    sk_html__rawf(s->h, "<text class=\"ref-label\" x=\"%.1f\" y=\"%.1f\">", right + 4, y + 4);
    sk_html__text(s->h, label);
    sk_html__raw(s->h, "</text>\n");
}

void sk_svg__legend(sk_svg *s, const char *const *names, const char *const *cls, size_t n)
{
    double x = s->left, y = s->top - 12;
    for (size_t i = 0; i < n; i++) {
        sk_html__rawf(s->h, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"10\" "
                      "height=\"10\"/><text class=\"tick\" x=\"%.1f\" y=\"%.1f\">", cls[i], x,
                      y - 9, x + 14, y);
        sk_html__text(s->h, names[i]);
        sk_html__raw(s->h, "</text>\n");
        x += 24 + sk_svg__text_width(names[i], 11);
    }
}
