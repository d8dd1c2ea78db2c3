/*
 * recon_checklist_fuzz.c - libFuzzer target for the reconditioning
 * checklist parser and the judging of results.  Beyond memory safety
 * (ASan/UBSan) it checks invariants: a parse either succeeds with at least
 * one step, a product and a version, or fails with WMS_EINVAL and a one-line
 * message naming the file; every parsed step judges "pass"/"fail"/numbers/
 * versions with 0 or WMS_EINVAL and a one-line judgement.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "recon_checklist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int cond)
{
	if (!cond)
		__builtin_trap();
}

static void check_line(const char *msg)
{
	check(msg[0] != '\0' && strchr(msg, '\n') == NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const results[] = { "pass", "FAIL", "0", "-3.5", "4,6", "1e308", "1.4.0",
	                                       "99999.1", "nan", "" };
	static struct recon_checklist cl;
	struct wms_error err = { 0 };
	int rc = recon_checklist_parse("fuzz.checklist", (const char *)data, size, NULL, &cl, &err);

	check(rc == 0 || rc == WMS_EINVAL);
	if (rc < 0) {
		check_line(err.msg);
		check(strncmp(err.msg, "fuzz.checklist", 14) == 0);
		return 0;
	}
	check(cl.n_steps >= 1 && cl.n_steps <= RECON_MAX_STEPS && cl.version >= 1 && cl.product[0]);
	for (int i = 0; i < cl.n_steps; i++) {
		char why[200], lim[64];
		check(recon_checklist_find(&cl, cl.steps[i].code) == &cl.steps[i]);
		check(recon_step_limits(&cl.steps[i], lim, sizeof lim)[0] != '\0');
		for (size_t k = 0; k < sizeof results / sizeof results[0]; k++) {
			bool passed;
			rc = recon_step_judge(&cl.steps[i], results[k], &passed, why, sizeof why, &err);
			check(rc == 0 || rc == WMS_EINVAL);
			check_line(rc == 0 ? why : err.msg);
		}
	}
	return 0;
}
