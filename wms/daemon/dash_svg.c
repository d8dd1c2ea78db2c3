/*
 * dash_svg.c - server-side SVG charts for the dashboard (dash_svg.h).
 * Coordinates are printed with one decimal in the C locale's format.
 */
#include "dash_svg.h"

#include <string.h>

#define LEFT   64.0             /* room for the y-axis labels */
#define TOP    20.0
#define PLOT_W (DASH_SVG_W - LEFT - 40.0)   /* room on the right for half the last x label */

static void open_svg(struct dash_buf *b, const char *cls, const char *title)
{
	dash_buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart %s\" role=\"img\" "
	                "viewBox=\"0 0 %d %d\" width=\"100%%\" preserveAspectRatio=\"xMidYMid meet\">"
	                "<title>", cls, DASH_SVG_W, DASH_SVG_H);
	dash_buf_html(b, title);
	dash_buf_puts(b, "</title>");
	dash_buf_printf(b, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
	                LEFT, TOP + DASH_SVG_PLOT_H, LEFT + PLOT_W, TOP + DASH_SVG_PLOT_H);
}

static void empty_svg(struct dash_buf *b, const char *empty)
{
	dash_buf_printf(b, "<text class=\"empty\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">",
	                DASH_SVG_W / 2, DASH_SVG_H / 2);
	dash_buf_html(b, empty);
	dash_buf_puts(b, "</text></svg>");
}

/* Show every k-th x label so that they do not overlap (about 8.5 units a character). */
static int label_step(const struct dash_svg_point *pts, int n)
{
	size_t longest = 1;
	int step = 1;

	for (int i = 0; i < n; i++)
		if (pts[i].label && strlen(pts[i].label) > longest)
			longest = strlen(pts[i].label);
	while (n / step * (8.5 * (double)longest + 10) > PLOT_W)
		step++;
	return step;
}

void dash_svg_bars(struct dash_buf *b, const char *title, const struct dash_svg_point *pts, int n,
                   const char *empty)
{
	double max = 0, slot, w;
	int step = label_step(pts, n);

	for (int i = 0; i < n; i++)
		if (pts[i].value > max)
			max = pts[i].value;
	open_svg(b, "bars", title);
	if (n <= 0 || max <= 0) {
		empty_svg(b, empty);
		return;
	}
	slot = PLOT_W / n;
	w = slot * 0.8;
	dash_buf_printf(b, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.0f</text>",
	                LEFT - 6, TOP + 5, max);
	dash_buf_printf(b, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">0</text>",
	                LEFT - 6, TOP + DASH_SVG_PLOT_H);
	for (int i = 0; i < n; i++) {
		double h = pts[i].value / max * DASH_SVG_PLOT_H, x = LEFT + i * slot + (slot - w) / 2;
		dash_buf_printf(b, "<rect class=\"bar%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
		                "data-value=\"%g\"><title>", pts[i].mark ? " late" : "", x,
		                TOP + DASH_SVG_PLOT_H - h, w, h, pts[i].value);
		dash_buf_html(b, pts[i].label);
		dash_buf_printf(b, ": %g</title></rect>", pts[i].value);
		if (i % step == 0) {
			dash_buf_printf(b, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">",
			                x + w / 2, TOP + DASH_SVG_PLOT_H + 18);
			dash_buf_html(b, pts[i].label);
			dash_buf_puts(b, "</text>");
		}
	}
	dash_buf_puts(b, "</svg>");
}

void dash_svg_line(struct dash_buf *b, const char *title, const struct dash_svg_point *pts, int n,
                   double target, const char *empty)
{
	double slot;
	int step = label_step(pts, n);

	open_svg(b, "line", title);
	if (n <= 0) {
		empty_svg(b, empty);
		return;
	}
	slot = PLOT_W / n;
	for (int pct = 0; pct <= 100; pct += 50)
		dash_buf_printf(b, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%d %%</text>",
		                LEFT - 6, TOP + DASH_SVG_PLOT_H - pct * DASH_SVG_PLOT_H / 100.0 + 5, pct);
	if (target >= 0 && target <= 1)
		dash_buf_printf(b, "<line class=\"target\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
		                LEFT, TOP + DASH_SVG_PLOT_H * (1 - target), LEFT + PLOT_W,
		                TOP + DASH_SVG_PLOT_H * (1 - target));
	dash_buf_puts(b, "<polyline class=\"series\" points=\"");
	for (int i = 0; i < n; i++)
		dash_buf_printf(b, "%s%.1f,%.1f", i ? " " : "", LEFT + (i + 0.5) * slot,
		                TOP + DASH_SVG_PLOT_H * (1 - pts[i].value));
	dash_buf_puts(b, "\"/>");
	for (int i = 0; i < n; i++) {
		double x = LEFT + (i + 0.5) * slot;
		dash_buf_printf(b, "<circle class=\"point\" cx=\"%.1f\" cy=\"%.1f\" r=\"5\" data-value=\"%.3f\">"
		                "<title>", x, TOP + DASH_SVG_PLOT_H * (1 - pts[i].value), pts[i].value);
		dash_buf_html(b, pts[i].label);
		dash_buf_printf(b, ": %.0f %%</title></circle>", pts[i].value * 100);
		if (i % step == 0) {
			dash_buf_printf(b, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", x,
			                TOP + DASH_SVG_PLOT_H + 18);
			dash_buf_html(b, pts[i].label);
			dash_buf_puts(b, "</text>");
		}
	}
	dash_buf_puts(b, "</svg>");
}
