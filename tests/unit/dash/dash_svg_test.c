/*
 * dash_svg_test.c - the dashboard's server-side SVG charts (dash_svg.c) and
 * text buffer (dash_buf.c): every chart is well-formed XML (xmllint), bars
 * are proportional to their values with the highest one the full plot
 * height, marked bars are "late", text is escaped, empty data gives an
 * empty frame with its message, and the line chart puts a share of s at
 * s of the plot height.  CSV and HTML escaping.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dash_svg.h"

/* xmllint --noout on the text: 0 when well-formed. */
static int xmllint(const char *text)
{
	char path[] = "/tmp/dash_svg_test_XXXXXX", cmd[256];
	int fd = mkstemp(path), rc;
	FILE *f;

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	snprintf(cmd, sizeof cmd, "%s --noout %s", XMLLINT, path);
	rc = system(cmd);
	unlink(path);
	return rc;
}

static int count(const char *text, const char *what)
{
	int n = 0;

	for (const char *p = text; (p = strstr(p, what)) != NULL; p += strlen(what))
		n++;
	return n;
}

/* The height="" of the i-th <rect class="bar...">, or -1. */
static double bar_height(const char *text, int i, bool *late)
{
	const char *p = text;

	for (int k = 0; (p = strstr(p, "<rect class=\"bar")) != NULL; k++, p++)
		if (k == i) {
			*late = strncmp(p + 16, " late", 5) == 0;
			return atof(strstr(p, "height=\"") + 8);
		}
	return -1;
}

static void bars_proportional(void **state)
{
	struct dash_svg_point pts[] = {
		{ "0", 10, 0 }, { "1", 40, 0 }, { "2", 20, 0 }, { "3", 0, 0 }, { "8", 5, 1 },
	};
	struct dash_buf b = { 0 };
	char *svg;
	bool late;

	dash_svg_bars(&b, "Leveranser <per> dag & \"vecka\"", pts, 5, "inga");
	svg = dash_buf_take(&b);
	assert_non_null(svg);
	assert_int_equal(xmllint(svg), 0);
	assert_int_equal(count(svg, "<rect class=\"bar"), 5);
	assert_non_null(strstr(svg, "<title>Leveranser &lt;per&gt; dag &amp; &quot;vecka&quot;</title>"));
	assert_true(fabs(bar_height(svg, 1, &late) - DASH_SVG_PLOT_H) < 0.05);
	assert_false(late);
	assert_true(fabs(bar_height(svg, 0, &late) - DASH_SVG_PLOT_H / 4.0) < 0.05);
	assert_true(fabs(bar_height(svg, 2, &late) - DASH_SVG_PLOT_H / 2.0) < 0.05);
	assert_true(fabs(bar_height(svg, 3, &late)) < 0.05);
	assert_true(fabs(bar_height(svg, 4, &late) - DASH_SVG_PLOT_H / 8.0) < 0.05);
	assert_true(late);
	assert_null(strstr(svg, "class=\"empty\""));
	free(svg);
}

static void empty_data(void **state)
{
	struct dash_svg_point zero[] = { { "0", 0, 0 }, { "1", 0, 0 } };
	struct dash_buf b = { 0 };
	char *svg;

	dash_svg_bars(&b, "t", NULL, 0, "Inga leveranser");
	dash_svg_bars(&b, "t", zero, 2, "Inga leveranser");
	dash_svg_line(&b, "t", NULL, 0, 0.9, "Inga leveranser");
	svg = dash_buf_take(&b);
	assert_non_null(svg);
	assert_int_equal(count(svg, "<svg "), 3);
	assert_int_equal(count(svg, "</svg>"), 3);
	assert_int_equal(count(svg, ">Inga leveranser</text>"), 3);
	assert_int_equal(count(svg, "<rect"), 0);
	assert_int_equal(count(svg, "<polyline"), 0);
	free(svg);
	/* each alone is well-formed */
	dash_svg_line(&b, "t", NULL, 0, 0.9, "x < y");
	svg = dash_buf_take(&b);
	assert_int_equal(xmllint(svg), 0);
	assert_non_null(strstr(svg, "x &lt; y"));
	free(svg);
}

static void line_of_shares(void **state)
{
	struct dash_svg_point pts[] = { { "2026-01", 1.0, 0 }, { "2026-02", 0.5, 0 }, { "2026-03", 0, 0 } };
	struct dash_buf b = { 0 };
	const char *p;
	double cy[3];
	char *svg;

	dash_svg_line(&b, "Andel inom målet", pts, 3, 0.9, "inga");
	svg = dash_buf_take(&b);
	assert_non_null(svg);
	assert_int_equal(xmllint(svg), 0);
	assert_int_equal(count(svg, "<circle class=\"point\""), 3);
	assert_int_equal(count(svg, "<line class=\"target\""), 1);
	p = svg;
	for (int i = 0; i < 3; i++) {
		p = strstr(p, "<circle");
		assert_non_null(p);
		cy[i] = atof(strstr(p, "cy=\"") + 4);
		p++;
	}
	/* share 1 at the top, 0 at the bottom, 0.5 half way */
	assert_true(fabs((cy[2] - cy[0]) - DASH_SVG_PLOT_H) < 0.05);
	assert_true(fabs((cy[2] - cy[1]) - DASH_SVG_PLOT_H / 2.0) < 0.05);
	assert_non_null(strstr(svg, "<title>2026-02: 50 %</title>"));
	free(svg);
}

static void many_bars_thin_labels(void **state)
{
	struct dash_svg_point pts[61];
	char labels[61][8];
	struct dash_buf b = { 0 };
	char *svg;

	for (int i = 0; i < 61; i++) {
		snprintf(labels[i], sizeof labels[i], "%d", i);
		pts[i] = (struct dash_svg_point){ labels[i], (double)(i % 7), i > 7 };
	}
	dash_svg_bars(&b, "t", pts, 61, "inga");
	svg = dash_buf_take(&b);
	assert_int_equal(xmllint(svg), 0);
	assert_int_equal(count(svg, "<rect class=\"bar"), 61);
	assert_true(count(svg, "class=\"tick\" x=") < 40);    /* labels thinned, value ticks too */
	free(svg);
}

static void csv_and_html_escaping(void **state)
{
	struct dash_buf b = { 0 };
	char *s;

	dash_buf_csv(&b, "Vårdcentralen, Mölndal");
	dash_buf_puts(&b, "|");
	dash_buf_csv(&b, "sa \"hej\"");
	dash_buf_puts(&b, "|");
	dash_buf_csv(&b, "=HYPERLINK(1)");
	dash_buf_puts(&b, "|");
	dash_buf_csv(&b, "plain");
	dash_buf_puts(&b, "|");
	dash_buf_html(&b, "<a href='x'>&</a>");
	s = dash_buf_take(&b);
	assert_string_equal(s, "\"Vårdcentralen, Mölndal\"|\"sa \"\"hej\"\"\"|\"'=HYPERLINK(1)\"|plain|"
	                       "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bars_proportional),
		cmocka_unit_test(empty_data),
		cmocka_unit_test(line_of_shares),
		cmocka_unit_test(many_bars_thin_labels),
		cmocka_unit_test(csv_and_html_escaping),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
