/*
 * scan_quote.c - make untrusted scanner bytes safe to put in a one-line
 * error message (no control bytes, bounded length).
 */
#include "scan_internal.h"

void scan_quote(char *out, size_t size, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i, o = 0;

	if (size == 0)
		return;
	for (i = 0; i < len && i < SCAN_QUOTE_MAX; i++) {
		unsigned char c = (unsigned char)s[i];
		char tmp[5];
		size_t n, k;

		if (c == '"' || c == '\\') {
			tmp[0] = '\\';
			tmp[1] = (char)c;
			n = 2;
		} else if (c >= 0x20 && c < 0x7f) {
			tmp[0] = (char)c;
			n = 1;
		} else {
			tmp[0] = '\\';
			tmp[1] = 'x';
			tmp[2] = hex[c >> 4];
			tmp[3] = hex[c & 0xf];
			n = 4;
		}
		if (o + n + 1 > size)
			goto out;
		for (k = 0; k < n; k++)
			out[o++] = tmp[k];
	}
	if (i < len && o + 4 <= size) {
		out[o++] = '.';
		out[o++] = '.';
		out[o++] = '.';
	}
out:
	out[o] = '\0';
}
