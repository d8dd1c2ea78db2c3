/*
 * dash_svg.h - the dashboard's charts as inline SVG, rendered on the server
 * (no JavaScript, no external files): a bar chart (the lead-time histogram by
 * working day) and a line chart of shares (within target, by month).  Each
 * chart is one <svg role="img"> with a <title>, axis labels, a <title> per
 * bar or point that a screen reader reads, and class names the stylesheet
 * colours.  Bars are proportional to their values (the highest bar is the
 * full plot height).  With no data (n == 0, or every value 0 for bars) the
 * chart is an empty frame with the `empty` text.  Owned by the dashboard.
 */
#ifndef WMSD_DASH_SVG_H
#define WMSD_DASH_SVG_H

#include "dash_buf.h"

#define DASH_SVG_W      720     /* viewBox width and height */
#define DASH_SVG_H      260
#define DASH_SVG_PLOT_H 200     /* plot height: a bar of the highest value */

struct dash_svg_point {
	const char *label;          /* x-axis label: "3", "2026-04" */
	double value;               /* bars: a count >= 0; line: a share 0..1 */
	int mark;                   /* bars: 1 = over the target (drawn as "late") */
};

/* Bars for pts[0..n-1]; title names the chart (escaped here). */
void dash_svg_bars(struct dash_buf *b, const char *title, const struct dash_svg_point *pts, int n,
                   const char *empty);
/* A line through shares pts[0..n-1] on a 0..100 % axis, with a dashed
 * reference line at share `target` (0..1; < 0 none). */
void dash_svg_line(struct dash_buf *b, const char *title, const struct dash_svg_point *pts, int n,
                   double target, const char *empty);

#endif
