/*
 * scan_label.c - our own label formats and command barcodes (LOC:, ORD:,
 * USR:, CMD:), as documented in barcode.h.  Strict: a known prefix with a
 * bad body is an error naming the allowed characters, never plain text.
 */
#include "barcode.h"

#include "scan_internal.h"

#include <string.h>

static const char *const command_words[] = {
	[SCAN_CMD_RECEIPT] = "RECEIPT",   [SCAN_CMD_PUTAWAY] = "PUTAWAY",
	[SCAN_CMD_TRANSFER] = "TRANSFER", [SCAN_CMD_PICK] = "PICK",
	[SCAN_CMD_DISPATCH] = "DISPATCH", [SCAN_CMD_RETURN] = "RETURN",
	[SCAN_CMD_RECON] = "RECON",       [SCAN_CMD_COUNT] = "COUNT",
	[SCAN_CMD_CANCEL] = "CANCEL",     [SCAN_CMD_DONE] = "DONE",
};

#define N_COMMANDS (sizeof command_words / sizeof command_words[0])

const char *scan_command_name(enum scan_command cmd)
{
	if ((size_t)cmd >= N_COMMANDS || command_words[cmd] == NULL)
		return "";
	return command_words[cmd];
}

int scan_command_parse(const char *word, size_t len, enum scan_command *cmd,
                       struct wms_error *err)
{
	char q[SCAN_QUOTE_BUF];
	size_t i;

	*cmd = SCAN_CMD_NONE;
	for (i = 1; i < N_COMMANDS; i++)
		if (strlen(command_words[i]) == len && memcmp(command_words[i], word, len) == 0) {
			*cmd = (enum scan_command)i;
			return 0;
		}
	scan_quote(q, sizeof q, word, len);
	return wms_error_set(err, WMS_EINVAL, "unknown command \"%s\" in CMD: barcode "
	    "(allowed, upper case: RECEIPT PUTAWAY TRANSFER PICK DISPATCH RETURN RECON "
	    "COUNT CANCEL DONE)", q);
}

static bool in_set(char c, const char *extra, bool lower)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (lower && c >= 'a' && c <= 'z') || (c != '\0' && strchr(extra, c) != NULL);
}

/* Check body against a character set and length; copy it into out. */
static int body(const char *what, const char *allowed, const char *extra, bool lower,
                size_t max, const char *s, size_t n, char *out, struct wms_error *err)
{
	char q[SCAN_QUOTE_BUF];
	size_t i;

	if (n == 0)
		return wms_error_set(err, WMS_EINVAL, "%s label is empty after the prefix "
		    "(allowed: 1-%zu of %s)", what, max, allowed);
	scan_quote(q, sizeof q, s, n);
	if (n > max)
		return wms_error_set(err, WMS_EINVAL, "%s \"%s\" is %zu characters long, "
		    "maximum is %zu", what, q, n, max);
	for (i = 0; i < n; i++)
		if (!in_set(s[i], extra, lower)) {
			char qc[8];

			scan_quote(qc, sizeof qc, s + i, 1);
			return wms_error_set(err, WMS_EINVAL, "%s \"%s\": character '%s' at "
			    "position %zu is not allowed (allowed: %s)", what, q, qc, i + 1,
			    allowed);
		}
	memcpy(out, s, n);
	out[n] = '\0';
	return 0;
}

static bool prefix_ci(const char *s, size_t n, const char *p)
{
	size_t i;

	if (n < 4)
		return false;
	for (i = 0; i < 4; i++) {
		char c = s[i];

		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c != p[i])
			return false;
	}
	return true;
}

int scan_label_parse(const char *s, size_t n, struct scan_result *out, bool *matched,
                     struct wms_error *err)
{
	static const char *const prefixes[] = { "LOC:", "ORD:", "USR:", "CMD:" };
	const char *b = s + 4;
	size_t i, bn = n - 4;
	int rc;

	*matched = false;
	for (i = 0; i < 4; i++)
		if (prefix_ci(s, n, prefixes[i]))
			break;
	if (i == 4)
		return 0;
	*matched = true;
	if (memcmp(s, prefixes[i], 4) != 0)
		return wms_error_set(err, WMS_EINVAL, "label prefix must be upper case: "
		    "\"%s\" (our prefixes: LOC: ORD: USR: CMD:)", prefixes[i]);
	switch (i) {
	case 0:
		/* the location codes the ledger takes (wms_check_code) */
		rc = body("location", "A-Z 0-9 - . _ /", "-._/", false, SCAN_CODE_MAX, b, bn,
		    out->code, err);
		if (rc == 0)
			out->kind = SCAN_LOCATION;
		return rc;
	case 1:
		/* the order numbers the ledger takes (wms_check_order_number) */
		rc = body("order number", "A-Z a-z 0-9 - _ /", "-_/", true, SCAN_CODE_MAX, b, bn,
		    out->code, err);
		if (rc == 0)
			out->kind = SCAN_ORDER;
		else
			out->code[0] = '\0';
		return rc;
	case 2:
		rc = body("user id", "A-Z a-z 0-9 - _ .", "-_.", true, SCAN_CODE_MAX, b, bn,
		    out->code, err);
		if (rc == 0)
			out->kind = SCAN_USER;
		return rc;
	default:
		if (bn == 0)
			return wms_error_set(err, WMS_EINVAL, "CMD: barcode without a command "
			    "(allowed: RECEIPT PUTAWAY TRANSFER PICK DISPATCH RETURN RECON COUNT "
			    "CANCEL DONE)");
		rc = scan_command_parse(b, bn, &out->command, err);
		if (rc == 0)
			out->kind = SCAN_COMMAND;
		return rc;
	}
}
