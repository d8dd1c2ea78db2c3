/*
 * http_client.c - who the client of a request is: the peer's address, or,
 * when the peer is one of [http] trusted_proxies, the address the proxy
 * wrote into X-Forwarded-For (the rightmost entry that is not itself a
 * trusted proxy).  From any other peer X-Forwarded-For is ignored, so a
 * client cannot choose the address its login failures are counted under,
 * nor pass for loopback (/metrics).
 */
#include "http_impl.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

/* An address as family + bytes; IPv4-mapped IPv6 becomes IPv4.  false: not IP. */
static bool addr_of(const struct sockaddr *sa, int *family, unsigned char bytes[16])
{
	if (sa && sa->sa_family == AF_INET) {
		*family = AF_INET;
		memcpy(bytes, &((const struct sockaddr_in *)sa)->sin_addr, 4);
		return true;
	}
	if (sa && sa->sa_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
		if (IN6_IS_ADDR_V4MAPPED(a)) {
			*family = AF_INET;
			memcpy(bytes, a->s6_addr + 12, 4);
		} else {
			*family = AF_INET6;
			memcpy(bytes, a->s6_addr, 16);
		}
		return true;
	}
	return false;
}

static bool text_addr(const char *text, int *family, unsigned char bytes[16])
{
	struct in6_addr a6;

	if (inet_pton(AF_INET, text, bytes) == 1) {
		*family = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, text, &a6) != 1)
		return false;
	if (IN6_IS_ADDR_V4MAPPED(&a6)) {
		*family = AF_INET;
		memcpy(bytes, a6.s6_addr + 12, 4);
	} else {
		*family = AF_INET6;
		memcpy(bytes, a6.s6_addr, 16);
	}
	return true;
}

static bool trusted(const struct http_conf *c, int family, const unsigned char *bytes)
{
	for (int i = 0; i < c->n_trusted; i++) {
		const struct http_net *n = &c->trusted[i];
		int full = n->bits / 8, rest = n->bits % 8;
		if (n->family != family || memcmp(n->addr, bytes, (size_t)full) != 0)
			continue;
		if (rest == 0 || ((n->addr[full] ^ bytes[full]) & (0xff << (8 - rest)) & 0xff) == 0)
			return true;
	}
	return false;
}

static bool is_loopback(int family, const unsigned char *bytes)
{
	static const unsigned char v6[16] = { [15] = 1 };

	return family == AF_INET ? bytes[0] == 127 : memcmp(bytes, v6, 16) == 0;
}

bool http_peer_trusted(const struct http_conf *c, const struct sockaddr *sa)
{
	unsigned char bytes[16];
	int family;

	return addr_of(sa, &family, bytes) && trusted(c, family, bytes);
}

bool http_client_address(const struct http_conf *c, struct MHD_Connection *conn, char client[INET6_ADDRSTRLEN])
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const char *xff;
	unsigned char bytes[16];
	int family;

	snprintf(client, INET6_ADDRSTRLEN, "unknown");
	if (!addr_of(ci ? ci->client_addr : NULL, &family, bytes))
		return false;
	if (trusted(c, family, bytes) &&
	    (xff = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For")) != NULL) {
		/* from the right: the entry the nearest proxy added, skipping trusted proxies */
		size_t end = strlen(xff);
		for (;;) {
			size_t start = end, from, to;
			char word[INET6_ADDRSTRLEN];
			unsigned char b[16];
			int f;
			while (start > 0 && xff[start - 1] != ',')
				start--;
			for (from = start; from < end && (xff[from] == ' ' || xff[from] == '\t'); from++)
				;
			for (to = end; to > from && (xff[to - 1] == ' ' || xff[to - 1] == '\t'); to--)
				;
			if (to == from || to - from >= sizeof word)
				break;                 /* garbage: keep the address we have */
			memcpy(word, xff + from, to - from);
			word[to - from] = '\0';
			if (!text_addr(word, &f, b))
				break;
			family = f;
			memcpy(bytes, b, sizeof b);
			if (!trusted(c, family, bytes) || start == 0)
				break;
			end = start - 1;           /* the comma before this entry */
		}
	}
	inet_ntop(family, bytes, client, INET6_ADDRSTRLEN);
	return is_loopback(family, bytes);
}
