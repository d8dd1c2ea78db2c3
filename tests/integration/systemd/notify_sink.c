/*
 * notify_sink.c - plays systemd's side of sd_notify(3) for a test: binds a
 * datagram socket at PATH, then prints every message it receives (one line
 * per assignment) until it has seen COUNT messages or SECONDS passed.
 * usage: notify_sink PATH COUNT SECONDS
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd, count, seconds, seen = 0;
	time_t end;

	if (argc != 4 || strlen(argv[1]) >= sizeof addr.sun_path) {
		fprintf(stderr, "usage: notify_sink PATH COUNT SECONDS\n");
		return 2;
	}
	count = atoi(argv[2]);
	seconds = atoi(argv[3]);
	strcpy(addr.sun_path, argv[1]);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0 ||
	    bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
		perror("notify_sink");
		return 1;
	}
	printf("LISTENING\n");
	fflush(stdout);
	end = time(NULL) + seconds;
	while (seen < count && time(NULL) < end) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		char buf[4096];
		ssize_t n;
		if (poll(&p, 1, 200) <= 0)
			continue;
		if ((n = recv(fd, buf, sizeof buf - 1, 0)) <= 0)
			continue;
		buf[n] = '\0';
		printf("%s\n", buf);         /* assignments are newline-separated already */
		fflush(stdout);
		seen++;
	}
	close(fd);
	unlink(argv[1]);
	return 0;
}
