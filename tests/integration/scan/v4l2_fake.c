/*
 * v4l2_fake.c - LD_PRELOAD stand-in for a V4L2 camera driver, for the
 * camera source test: umockdev cannot script VIDIOC_* ioctls, and there is
 * no camera (nor vivid: no loadable modules) here.  It answers the calls
 * source_camera.c makes, the way the kernel's videobuf2 does:
 *
 *   FAKE_V4L2_DEV=/dev/video42     the node it answers for (open() of it)
 *   FAKE_V4L2_OFFER=GREY|YUYV       the one pixel format the "camera" has
 *   FAKE_V4L2_SIZE=640x480          the frame size it forces (S_FMT adjusts)
 *   FAKE_V4L2_FRAMES=a.pgm,b.pgm    frames in order (binary PGM, pasted
 *                                   top-left on a white frame), one per
 *                                   dispatch; after the last, DQBUF says
 *                                   EAGAIN and poll() blocks; a.pgm+b.pgm
 *                                   is one frame, b pasted right of a
 *
 * The descriptor is an eventfd that is readable while frames remain, so the
 * source's poll() works unchanged.  Not a library mock: the source, ZBar and
 * libdmtx run for real; only the kernel side of /dev/videoN is played.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/videodev2.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#define NBUF 4
#define MAXFRAMES 32

static int fake_fd = -1;
static unsigned offer, width, height;
static int nframes, next_frame;
static unsigned char *frames[MAXFRAMES];     /* width * height gray each */
static struct { unsigned char *mem; size_t len; int queued; } buf[NBUF];
static int nbuf;

int open(const char *path, int flags, ...);
int open64(const char *path, int flags, ...);
int ioctl(int fd, unsigned long request, ...);
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int close(int fd);

static unsigned frame_bytes(void)
{
	return width * height * (offer == V4L2_PIX_FMT_YUYV ? 2 : 1);
}

/* Paste the PGM at path onto canvas at column x0; its width, or abort. */
static unsigned paste(const char *path, unsigned char *canvas, unsigned x0)
{
	FILE *f = fopen(path, "rb");
	unsigned w, h, maxval;

	if (f == NULL || fscanf(f, "P5 %u %u %u", &w, &h, &maxval) != 3 || fgetc(f) == EOF) {
		fprintf(stderr, "v4l2_fake: cannot read PGM %s\n", path);
		abort();
	}
	for (unsigned y = 0; y < h; y++)
		for (unsigned x = 0; x < w; x++) {
			int c = fgetc(f);
			if (y < height && x0 + x < width && c != EOF)
				canvas[y * width + x0 + x] = (unsigned char)c;
		}
	fclose(f);
	return w;
}

/* Load the PGM frames onto white width x height canvases. */
static void load_frames(void)
{
	char list[4096], *save = NULL;
	const char *env = getenv("FAKE_V4L2_FRAMES");

	snprintf(list, sizeof list, "%s", env ? env : "");
	for (char *p = strtok_r(list, ",", &save); p && nframes < MAXFRAMES;
	     p = strtok_r(NULL, ",", &save)) {
		unsigned char *canvas = malloc((size_t)width * height);
		char *part_save = NULL;
		unsigned x = 0;
		if (canvas == NULL)
			abort();
		memset(canvas, 255, (size_t)width * height);
		for (char *part = strtok_r(p, "+", &part_save); part;
		     part = strtok_r(NULL, "+", &part_save))
			x += paste(part, canvas, x);
		frames[nframes++] = canvas;
	}
}

static int fake_open(const char *path)
{
	const char *dev = getenv("FAKE_V4L2_DEV"), *fmt = getenv("FAKE_V4L2_OFFER");
	const char *size = getenv("FAKE_V4L2_SIZE");

	if (dev == NULL || strcmp(path, dev) != 0)
		return -2;
	offer = fmt && strcmp(fmt, "YUYV") == 0 ? V4L2_PIX_FMT_YUYV : V4L2_PIX_FMT_GREY;
	if (size == NULL || sscanf(size, "%ux%u", &width, &height) != 2)
		width = 640, height = 480;
	load_frames();
	fake_fd = eventfd(nframes ? 1 : 0, EFD_NONBLOCK | EFD_CLOEXEC);
	return fake_fd;
}

#define OPEN_WRAPPER(name)                                                     \
	int name(const char *path, int flags, ...)                                 \
	{                                                                          \
		static int (*next)(const char *, int, ...);                            \
		va_list ap;                                                            \
		int mode, fd;                                                          \
		va_start(ap, flags);                                                   \
		mode = va_arg(ap, int);                                                \
		va_end(ap);                                                            \
		if ((fd = fake_open(path)) != -2)                                      \
			return fd;                                                         \
		if (next == NULL)                                                      \
			*(void **)&next = dlsym(RTLD_NEXT, #name);                         \
		return next(path, flags, mode);                                        \
	}
OPEN_WRAPPER(open)
OPEN_WRAPPER(open64)

static int dqbuf(struct v4l2_buffer *b)
{
	int i;
	uint64_t drain;

	static int gave;

	/* a camera delivers frames one after another, not all at once: every
	 * other call finds no new frame yet */
	if (gave) {
		gave = 0;
		errno = EAGAIN;
		return -1;
	}
	if (next_frame >= nframes) {
		(void)!read(fake_fd, &drain, sizeof drain);     /* poll() blocks from now on */
		errno = EAGAIN;
		return -1;
	}
	for (i = 0; i < nbuf && !buf[i].queued; i++)
		;
	if (i == nbuf) {
		errno = EAGAIN;
		return -1;
	}
	if (offer == V4L2_PIX_FMT_GREY)
		memcpy(buf[i].mem, frames[next_frame], (size_t)width * height);
	else
		for (unsigned p = 0; p < width * height; p++) {
			buf[i].mem[2 * p] = frames[next_frame][p];
			buf[i].mem[2 * p + 1] = 128;              /* U / V: no colour */
		}
	next_frame++;
	gave = 1;
	buf[i].queued = 0;
	memset(b, 0, sizeof *b);
	b->type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	b->memory = V4L2_MEMORY_MMAP;
	b->index = (unsigned)i;
	b->bytesused = frame_bytes();
	return 0;
}

static int fake_ioctl(unsigned long req, void *arg)
{
	switch (req) {
	case VIDIOC_QUERYCAP: {
		struct v4l2_capability *c = arg;
		memset(c, 0, sizeof *c);
		snprintf((char *)c->driver, sizeof c->driver, "v4l2_fake");
		c->capabilities = V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_STREAMING | V4L2_CAP_DEVICE_CAPS;
		c->device_caps = V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_STREAMING;
		return 0;
	}
	case VIDIOC_S_FMT: {
		struct v4l2_format *f = arg;
		f->fmt.pix.pixelformat = offer;      /* a driver answers with what it has */
		f->fmt.pix.width = width;
		f->fmt.pix.height = height;
		f->fmt.pix.bytesperline = width * (offer == V4L2_PIX_FMT_YUYV ? 2 : 1);
		f->fmt.pix.sizeimage = frame_bytes();
		return 0;
	}
	case VIDIOC_S_PARM:
	case VIDIOC_STREAMON:
	case VIDIOC_STREAMOFF:
		return 0;
	case VIDIOC_REQBUFS: {
		struct v4l2_requestbuffers *r = arg;
		if (r->count > NBUF)
			r->count = NBUF;
		nbuf = (int)r->count;
		return 0;
	}
	case VIDIOC_QUERYBUF: {
		struct v4l2_buffer *b = arg;
		if (b->index >= (unsigned)nbuf) {
			errno = EINVAL;
			return -1;
		}
		b->length = frame_bytes();
		b->m.offset = b->index * 0x100000u;
		return 0;
	}
	case VIDIOC_QBUF: {
		struct v4l2_buffer *b = arg;
		if (b->index >= (unsigned)nbuf || buf[b->index].queued) {
			errno = EINVAL;
			return -1;
		}
		buf[b->index].queued = 1;
		return 0;
	}
	case VIDIOC_DQBUF:
		return dqbuf(arg);
	default:
		errno = ENOTTY;
		return -1;
	}
}

int ioctl(int fd, unsigned long request, ...)
{
	static int (*next)(int, unsigned long, ...);
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (fd >= 0 && fd == fake_fd)
		return fake_ioctl(request, arg);
	if (next == NULL)
		*(void **)&next = dlsym(RTLD_NEXT, "ioctl");
	return next(fd, request, arg);
}

static void *fake_mmap(size_t len, off_t off)
{
	unsigned i = (unsigned)(off / 0x100000);
	void *p;

	if (i >= (unsigned)nbuf || len < frame_bytes()) {
		errno = EINVAL;
		return MAP_FAILED;
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p != MAP_FAILED) {
		buf[i].mem = p;
		buf[i].len = len;
	}
	return p;
}

#define MMAP_WRAPPER(name)                                                     \
	void *name(void *addr, size_t len, int prot, int flags, int fd, off_t off) \
	{                                                                          \
		static void *(*next)(void *, size_t, int, int, int, off_t);            \
		if (fd >= 0 && fd == fake_fd)                                          \
			return fake_mmap(len, off);                                        \
		if (next == NULL)                                                      \
			*(void **)&next = dlsym(RTLD_NEXT, #name);                         \
		return next(addr, len, prot, flags, fd, off);                          \
	}
MMAP_WRAPPER(mmap)
MMAP_WRAPPER(mmap64)

int close(int fd)
{
	static int (*next)(int);

	if (next == NULL)
		*(void **)&next = dlsym(RTLD_NEXT, "close");
	if (fd >= 0 && fd == fake_fd)
		fake_fd = -1;
	return next(fd);
}
