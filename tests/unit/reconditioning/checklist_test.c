/*
 * checklist_test.c - the checklist parser and the judging of results:
 * every shipped checklist parses, file errors name file:line and what is
 * allowed, tolerances are judged at their edges, a missing checklist is an
 * error and never an empty pass.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recon_checklist.h"

static struct recon_checklist cl;

static int parse(const char *text, struct wms_error *err)
{
	return recon_checklist_parse("t.checklist", text, strlen(text), "BPM", &cl, err);
}

static void shipped_checklists_parse(void **state)
{
	static const char *const products[] = { "BPM", "SCALE", "PULSOX", "GLUCO", "HBA1C", "SPIRO",
	                                        "MEDDISP", "TILLSYN", "GPSLARM", "LOCK" };
	struct wms_error err = { 0 };

	for (size_t i = 0; i < sizeof products / sizeof products[0]; i++) {
		char *body = NULL;
		int rc = recon_checklist_load(WMS_RECON_CHECKLISTS, products[i], &cl, &body, &err);
		if (rc != 0)
			fail_msg("%s: %s", products[i], err.msg);
		assert_string_equal(cl.product, products[i]);
		assert_true(cl.version >= 1);
		assert_true(cl.n_steps >= 5);
		/* every product type has cleaning, data wipe, accessories and visual check */
		assert_non_null(recon_checklist_find(&cl, "CLEAN"));
		assert_non_null(recon_checklist_find(&cl, "WIPE"));
		assert_non_null(recon_checklist_find(&cl, "ACC"));
		assert_non_null(recon_checklist_find(&cl, "VISUAL"));
		assert_non_null(recon_checklist_find(&cl, "FW"));
		assert_non_null(body);
		assert_int_equal(strlen(cl.hash), 16);
		free(body);
	}
	/* the BPM function test: 0, 100 and 200 mmHg against the reference, +-3 */
	assert_int_equal(recon_checklist_load(WMS_RECON_CHECKLISTS, "BPM", &cl, NULL, &err), 0);
	assert_true(recon_checklist_find(&cl, "P100")->has_ref);
	assert_true(recon_checklist_find(&cl, "P100")->ref == 100 && recon_checklist_find(&cl, "P100")->tol == 3);
}

static void missing_checklist_is_an_error(void **state)
{
	struct wms_error err = { 0 };

	assert_int_equal(recon_checklist_load(WMS_RECON_CHECKLISTS, "NOSUCH", &cl, NULL, &err), WMS_ENOTFOUND);
	assert_non_null(strstr(err.msg, "no reconditioning checklist for product type NOSUCH"));
	assert_non_null(strstr(err.msg, "NOSUCH.checklist does not exist"));
	assert_int_equal(recon_checklist_load(WMS_RECON_CHECKLISTS, "../etc", &cl, NULL, &err), WMS_EINVAL);
	assert_int_equal(recon_checklist_load(WMS_RECON_CHECKLISTS, "", &cl, NULL, &err), WMS_EINVAL);
}

static void file_errors_name_the_line(void **state)
{
	static const struct { const char *text, *want; } cases[] = {
		{ "version 1\nstep A check \"x\"\n", "t.checklist: no \"product CODE\" line" },
		{ "product BPM\nstep A check \"x\"\n", "t.checklist: no \"version N\" line" },
		{ "product BPM\nversion 1\n# nothing\n", "no steps; an empty checklist would pass anything" },
		{ "product SCALE\n", "t.checklist:1: this is the checklist of product type SCALE, not BPM" },
		{ "product BPM\nversion 1\nstep A mystery \"x\"\n",
		  "t.checklist:3: unknown step kind \"mystery\"; allowed: check, value, version" },
		{ "product BPM\nversion 1\nstep A value mmHg ref=0 \"x\"\n", "t.checklist:3: ref= and tol= go together" },
		{ "product BPM\nversion 1\nstep A value mmHg ref=0 tol=x \"x\"\n", "t.checklist:3: bad number in \"tol=x\"" },
		{ "product BPM\nversion 1\nstep A value mmHg ref=0 tol=-1 \"x\"\n", "tolerance must not be negative" },
		{ "product BPM\nversion 1\nstep A value mmHg \"x\"\n", "needs ref= with tol=, or min= and/or max=" },
		{ "product BPM\nversion 1\nstep A value mmHg min=5 max=1 \"x\"\n", "min= is greater than max=" },
		{ "product BPM\nversion 1\nstep A value mmHg ref=1 tol=1 min=0 \"x\"\n", "use either ref= with tol=" },
		{ "product BPM\nversion 1\nstep A version \"x\"\n", "t.checklist:3: a version step needs min=VERSION" },
		{ "product BPM\nversion 1\nstep A version min=1..2 \"x\"\n", "bad minimum version \"1..2\"" },
		{ "product BPM\nversion 1\nstep A check \"x\"\nstep A check \"y\"\n", "t.checklist:4: step A appears twice" },
		{ "product BPM\nversion 1\nstep a:b check \"x\"\n", "bad step code \"a:b\"" },
		{ "product BPM\nversion 1\nstep A check \"x\n", "t.checklist:3: unterminated quoted text" },
		{ "product BPM\nversion 1\nstep A check\n", "step A needs a description" },
		{ "product BPM\nversion 1\nstep A check extra \"x\"\n", "a check step takes no parameters" },
		{ "product BPM\nversion 0\n", "t.checklist:2: bad version \"0\"" },
		{ "product BPM\nversion 1\nstepp A check \"x\"\n", "t.checklist:3: unknown line \"stepp\"" },
		{ "product BPM\nversion 1\nstep A check \"x\" trailing\n", "text after the quoted description" },
		{ "product BPM\nversion 1\nstep A check \"x\"\x01\n", "t.checklist:3: control character" },
		{ "product BPM\nproduct BPM\n", "t.checklist:2: expected one line \"product CODE\"" },
	};
	struct wms_error err = { 0 };

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		err.msg[0] = '\0';
		if (parse(cases[i].text, &err) != WMS_EINVAL || strstr(err.msg, cases[i].want) == NULL)
			fail_msg("case %zu: got \"%s\", wanted \"%s\"", i, err.msg, cases[i].want);
	}
}

static void a_good_file_with_comments_and_crlf(void **state)
{
	struct wms_error err = { 0 };
	const char *text = "# a comment\r\nproduct BPM\r\nversion 7\r\n\r\n"
	                   "step P100 value mmHg ref=100 tol=3 \"Tryck 100\"  # trailing comment\r\n"
	                   "step BATT value V min=4,6 \"Batteri\"\r\n"
	                   "step FW version min=1.4.0 \"Firmware\"\r\n"
	                   "step CLEAN check \"Rengöring # inte en kommentar\"\r\n";

	assert_int_equal(parse(text, &err), 0);
	assert_int_equal(cl.version, 7);
	assert_int_equal(cl.n_steps, 4);
	assert_string_equal(cl.steps[3].text, "Rengöring # inte en kommentar");
	assert_true(cl.steps[1].has_min && cl.steps[1].min > 4.59 && cl.steps[1].min < 4.61);
	assert_string_equal(cl.steps[0].unit, "mmHg");
}

static void judge(const char *code, const char *result, bool want_pass, const char *want_text)
{
	struct wms_error err = { 0 };
	char why[200];
	bool passed = !want_pass;

	if (recon_step_judge(recon_checklist_find(&cl, code), result, &passed, why, sizeof why, &err) != 0)
		fail_msg("%s %s: %s", code, result, err.msg);
	if (passed != want_pass || strstr(why, want_text) == NULL)
		fail_msg("%s %s: passed=%d \"%s\", wanted %d \"%s\"", code, result, passed, why, want_pass, want_text);
}

static void tolerances_at_their_edges(void **state)
{
	struct wms_error err = { 0 };
	char why[200];
	bool passed;

	assert_int_equal(parse("product BPM\nversion 1\n"
	                       "step P100 value mmHg ref=100 tol=3 \"x\"\n"
	                       "step BATT value V min=4.6 \"x\"\n"
	                       "step LEAK value mmHg/min max=6 \"x\"\n"
	                       "step RANGE value C min=15 max=30 \"x\"\n"
	                       "step FW version min=1.4.0 \"x\"\n"
	                       "step CLEAN check \"x\"\n", &err), 0);
	judge("P100", "100", true, "within 100 +-3 mmHg");
	judge("P100", "103", true, "within");
	judge("P100", "97", true, "within");
	judge("P100", "103.1", false, "P100: 103.1 mmHg is outside 100 +-3 mmHg (deviation +3.1)");
	judge("P100", "96,5", false, "96.5 mmHg is outside 100 +-3 mmHg (deviation -3.5)");
	judge("BATT", "4.6", true, "within the limits");
	judge("BATT", "4.59", false, "BATT: 4.59 V is below the minimum 4.6 V");
	judge("LEAK", "6", true, "within");
	judge("LEAK", "6.5", false, "above the maximum 6 mmHg/min");
	judge("RANGE", "14", false, "below the minimum 15 C");
	judge("RANGE", "31", false, "above the maximum 30 C");
	judge("FW", "1.4.0", true, "at or above the minimum 1.4.0");
	judge("FW", "1.10", true, "at or above");
	judge("FW", "1.3.99", false, "version 1.3.99 is below the minimum 1.4.0");
	judge("FW", "fail", false, "failed");
	judge("CLEAN", "PASS", true, "passed");
	judge("CLEAN", "Fail", false, "failed");
	/* the wrong form for the step is refused, not judged */
	assert_int_equal(recon_step_judge(recon_checklist_find(&cl, "P100"), "abc", &passed, why, sizeof why, &err),
	                 WMS_EINVAL);
	assert_non_null(strstr(err.msg, "step P100 needs the measured value in mmHg"));
	assert_int_equal(recon_step_judge(recon_checklist_find(&cl, "P100"), "nan", &passed, why, sizeof why, &err),
	                 WMS_EINVAL);
	assert_int_equal(recon_step_judge(recon_checklist_find(&cl, "CLEAN"), "101", &passed, why, sizeof why, &err),
	                 WMS_EINVAL);
	assert_non_null(strstr(err.msg, "the result is pass or fail"));
	assert_int_equal(recon_step_judge(recon_checklist_find(&cl, "FW"), "v1.5", &passed, why, sizeof why, &err),
	                 WMS_EINVAL);
	assert_non_null(strstr(err.msg, "step FW needs the version found"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shipped_checklists_parse),
		cmocka_unit_test(missing_checklist_is_an_error),
		cmocka_unit_test(file_errors_name_the_line),
		cmocka_unit_test(a_good_file_with_comments_and_crlf),
		cmocka_unit_test(tolerances_at_their_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
