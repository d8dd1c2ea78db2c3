/*
 * source_camera.c - a camera station: V4L2 frames decoded for barcodes.
 *
 *   scanner = camera:/dev/video0 width=1280 height=720 fps=15 format=GREY interval_ms=200
 *   scanner = camera:/dev/video0 density=3 shrink=2 budget_ms=30
 *
 * The device is opened non-blocking and streams into mmap'd buffers; each
 * dispatch() dequeues what is ready, keeps the newest frame (at most one
 * every interval_ms), gives the others back and hands that one, still in
 * its mmap buffer, to the source's decoding thread.  ZBar and libdmtx run
 * there with a station's options (scan_image_station_options(): the
 * station's `symbols`, default 1, so libdmtx does not run once ZBar read
 * the label; only the regions of the frame with clusters of edges are
 * read, so a frame with no label costs about a millisecond; ZBar every
 * density-th line, default height / 240 = 3 at 720; libdmtx on the
 * regions shrunk by shrink=2 within budget_ms of CPU time, default 30:
 * 15 missed 3 DataMatrix positions in 20 when it searched the whole
 * frame, and a label held still misses on every frame), never
 * in the daemon's loop: while a frame is being decoded the source polls
 * only the thread's wake-up pipe, not the camera, so the loop neither waits
 * nor spins; the driver keeps filling its other buffers meanwhile.  When
 * the thread is done, dispatch() delivers its symbols and requeues the
 * buffer.  Formats: GREY (8-bit luma)
 * and YUYV (the Y bytes are the gray image); MJPG is refused at check time
 * (no JPEG decoder is linked).  The driver may adjust width and height (we take what it gives)
 * but not the pixel format: a camera that cannot deliver the requested one
 * is a configuration error naming what it offered.
 *
 * A barcode held in front of the camera is one scan (image_debounce.h,
 * hold_ms); the bytes delivered are a hardware scanner's: AIM identifier
 * and data, GS for FNC1.
 */
#include "scan_source.h"

#include "image_debounce.h"
#include "image_decode.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/videodev2.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define CAMERA_BUFFERS 4

struct camera {
	struct scan_source head;      /* first: a struct scan_source * is a struct camera * */
	int fd;
	bool streaming;
	unsigned pixfmt;              /* V4L2_PIX_FMT_GREY or _YUYV */
	int width, height, bytesperline;
	long interval_ms;
	long long last_decode_ms;
	int nbuf;
	struct { void *start; size_t len; } buf[CAMERA_BUFFERS];
	unsigned char *gray;          /* width * height, for YUYV frames (the thread's) */
	struct scan_image_decoder *decoder;   /* the thread's */
	struct scan_debounce debounce;
	/* the decoding thread; the loop hands it one buffer at a time */
	pthread_t thread;
	bool thread_started;
	int wake[2];                  /* thread -> loop: a frame is decoded */
	bool busy;                    /* (loop) buffer `held` is with the thread */
	struct v4l2_buffer held;
	pthread_mutex_t mu;           /* guards job, done, stop */
	pthread_cond_t cv;
	bool job, done, stop;
	int symbols;                  /* (mu) the station's expected symbols, for the thread */
	int nsyms;                    /* the thread's result, read by the loop after done */
	struct scan_image_symbol syms[SCAN_IMAGE_MAX_SYMBOLS];
};

struct camera_conf {
	char path[128];
	unsigned pixfmt;
	long width, height, fps, interval_ms, hold_ms, budget_ms;
	long density, shrink;         /* density 0: from the frame height */
};

static int camera_parse(const char *spec, struct camera_conf *c, struct wms_error *err)
{
	struct scan_spec s;
	const char *fmt;
	int rc;

	if ((rc = scan_spec_parse(spec, "width height fps format interval_ms hold_ms budget_ms "
	                          "density shrink", &s, err)) < 0)
		return rc;
	if (s.first[0] != '/')
		return wms_error_set(err, WMS_ECONFIG, "camera:%.60s: a device path is needed "
		                     "(/dev/video0 or /dev/v4l/by-id/...)", spec);
	snprintf(c->path, sizeof c->path, "%s", s.first);
	if ((rc = scan_spec_long(&s, "width", 16, 8192, 1280, &c->width, err)) < 0 ||
	    (rc = scan_spec_long(&s, "height", 16, 8192, 720, &c->height, err)) < 0 ||
	    (rc = scan_spec_long(&s, "fps", 1, 120, 15, &c->fps, err)) < 0 ||
	    (rc = scan_spec_long(&s, "interval_ms", 0, 10000, 200, &c->interval_ms, err)) < 0 ||
	    (rc = scan_spec_long(&s, "hold_ms", 0, 60000, 1000, &c->hold_ms, err)) < 0 ||
	    (rc = scan_spec_long(&s, "budget_ms", 10, 1000, SCAN_IMAGE_STATION_BUDGET_MS, &c->budget_ms,
	                         err)) < 0 ||
	    (rc = scan_spec_long(&s, "density", 1, 8, 0, &c->density, err)) < 0 ||
	    (rc = scan_spec_long(&s, "shrink", 1, 4, 2, &c->shrink, err)) < 0)
		return rc;
	fmt = scan_spec_get(&s, "format");
	if (fmt == NULL || strcmp(fmt, "GREY") == 0)
		c->pixfmt = V4L2_PIX_FMT_GREY;
	else if (strcmp(fmt, "YUYV") == 0)
		c->pixfmt = V4L2_PIX_FMT_YUYV;
	else if (strcmp(fmt, "MJPG") == 0)
		return wms_error_set(err, WMS_ECONFIG, "camera: format=MJPG is not supported (no JPEG "
		                     "decoder); allowed: GREY, YUYV");
	else
		return wms_error_set(err, WMS_ECONFIG, "camera: format=%.20s is not known; allowed: "
		                     "GREY, YUYV", fmt);
	return 0;
}

static int camera_check(const char *spec, struct wms_error *err)
{
	struct camera_conf c;

	return camera_parse(spec, &c, err);
}

static void fourcc_text(unsigned f, char out[5])
{
	for (int i = 0; i < 4; i++) {
		char ch = (char)((f >> (8 * i)) & 0xFF);
		out[i] = ch >= 0x20 && ch < 0x7F ? ch : '?';
	}
	out[4] = '\0';
}

static int xioctl(int fd, unsigned long req, void *arg)
{
	int r;

	do
		r = ioctl(fd, req, arg);
	while (r < 0 && errno == EINTR);
	return r;
}

/* Format, frame rate, buffers, stream on. */
static int camera_start(struct camera *cam, const struct camera_conf *c, struct wms_error *err)
{
	struct v4l2_capability cap = { 0 };
	struct v4l2_format fmt = { .type = V4L2_BUF_TYPE_VIDEO_CAPTURE };
	struct v4l2_streamparm parm = { .type = V4L2_BUF_TYPE_VIDEO_CAPTURE };
	struct v4l2_requestbuffers req = {
		.count = CAMERA_BUFFERS, .type = V4L2_BUF_TYPE_VIDEO_CAPTURE, .memory = V4L2_MEMORY_MMAP };
	enum v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	unsigned caps;
	char want[5], got[5];

	if (xioctl(cam->fd, VIDIOC_QUERYCAP, &cap) < 0)
		return wms_error_set(err, WMS_EIO, "%s is not a V4L2 device: %s", c->path, strerror(errno));
	caps = cap.capabilities & V4L2_CAP_DEVICE_CAPS ? cap.device_caps : cap.capabilities;
	if (!(caps & V4L2_CAP_VIDEO_CAPTURE) || !(caps & V4L2_CAP_STREAMING))
		return wms_error_set(err, WMS_ECONFIG, "%s cannot stream video capture (a metadata or "
		                     "output node?); use the camera's capture node", c->path);
	fmt.fmt.pix.width = (unsigned)c->width;
	fmt.fmt.pix.height = (unsigned)c->height;
	fmt.fmt.pix.pixelformat = c->pixfmt;
	fmt.fmt.pix.field = V4L2_FIELD_NONE;
	if (xioctl(cam->fd, VIDIOC_S_FMT, &fmt) < 0)
		return wms_error_set(err, WMS_EIO, "%s: setting the format failed: %s", c->path,
		                     strerror(errno));
	fourcc_text(c->pixfmt, want);
	fourcc_text(fmt.fmt.pix.pixelformat, got);
	if (fmt.fmt.pix.pixelformat != c->pixfmt)
		return wms_error_set(err, WMS_ECONFIG, "%s cannot deliver format=%s (it offers %s); "
		                     "allowed: GREY, YUYV", c->path, want, got);
	cam->pixfmt = c->pixfmt;
	cam->width = (int)fmt.fmt.pix.width;
	cam->height = (int)fmt.fmt.pix.height;
	cam->bytesperline = (int)fmt.fmt.pix.bytesperline;
	if (cam->bytesperline < cam->width * (cam->pixfmt == V4L2_PIX_FMT_YUYV ? 2 : 1))
		cam->bytesperline = cam->width * (cam->pixfmt == V4L2_PIX_FMT_YUYV ? 2 : 1);
	if (cam->width < 16 || cam->height < 16 || cam->width > 8192 || cam->height > 8192)
		return wms_error_set(err, WMS_EIO, "%s: driver gave a %dx%d frame", c->path, cam->width,
		                     cam->height);
	/* a frame rate is a wish: drivers without it still stream */
	parm.parm.capture.timeperframe.numerator = 1;
	parm.parm.capture.timeperframe.denominator = (unsigned)c->fps;
	(void)xioctl(cam->fd, VIDIOC_S_PARM, &parm);
	if (xioctl(cam->fd, VIDIOC_REQBUFS, &req) < 0 || req.count < 1)
		return wms_error_set(err, WMS_EIO, "%s: no mmap buffers: %s", c->path, strerror(errno));
	if (req.count > CAMERA_BUFFERS)
		req.count = CAMERA_BUFFERS;
	for (unsigned i = 0; i < req.count; i++) {
		struct v4l2_buffer b = { .type = V4L2_BUF_TYPE_VIDEO_CAPTURE, .memory = V4L2_MEMORY_MMAP,
		                         .index = i };
		void *p;
		if (xioctl(cam->fd, VIDIOC_QUERYBUF, &b) < 0)
			return wms_error_set(err, WMS_EIO, "%s: buffer %u: %s", c->path, i, strerror(errno));
		p = mmap(NULL, b.length, PROT_READ | PROT_WRITE, MAP_SHARED, cam->fd, b.m.offset);
		if (p == MAP_FAILED)
			return wms_error_set(err, WMS_EIO, "%s: mmap buffer %u: %s", c->path, i, strerror(errno));
		cam->buf[i].start = p;
		cam->buf[i].len = b.length;
		cam->nbuf++;
		if (xioctl(cam->fd, VIDIOC_QBUF, &b) < 0)
			return wms_error_set(err, WMS_EIO, "%s: queue buffer %u: %s", c->path, i, strerror(errno));
	}
	if (cam->pixfmt == V4L2_PIX_FMT_YUYV &&
	    (cam->gray = malloc((size_t)cam->width * (size_t)cam->height)) == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory for %dx%d frames", cam->width,
		                     cam->height);
	if (xioctl(cam->fd, VIDIOC_STREAMON, &type) < 0)
		return wms_error_set(err, WMS_EIO, "%s: stream on: %s", c->path, strerror(errno));
	cam->streaming = true;
	return 0;
}

/* The thread: decode buffer `held` into syms/nsyms.  Reads only what the
 * loop does not touch while busy. */
static void decode_held(struct camera *cam)
{
	struct scan_image img = { .width = cam->width, .height = cam->height };
	const unsigned char *p = cam->buf[cam->held.index].start;
	size_t used = cam->held.bytesused ? cam->held.bytesused : cam->buf[cam->held.index].len;
	struct wms_error ignored;
	int n = 0;

	cam->nsyms = 0;
	if (used < (size_t)cam->bytesperline * (size_t)cam->height)
		return;      /* a short frame (driver error): nothing to read in it */
	if (cam->pixfmt == V4L2_PIX_FMT_GREY) {
		img.gray = p;
		img.stride = cam->bytesperline;
	} else {
		for (int y = 0; y < cam->height; y++)
			for (int x = 0; x < cam->width; x++)
				cam->gray[(size_t)y * (size_t)cam->width + (size_t)x] =
					p[(size_t)y * (size_t)cam->bytesperline + 2 * (size_t)x];
		img.gray = cam->gray;
		img.stride = cam->width;
	}
	if (scan_image_decode(cam->decoder, &img, cam->syms, SCAN_IMAGE_MAX_SYMBOLS, &n, &ignored) == 0)
		cam->nsyms = n;
}

static void *decode_thread(void *arg)
{
	struct camera *cam = arg;
	struct wms_error ignored;
	int symbols;

	for (;;) {
		pthread_mutex_lock(&cam->mu);
		while (!cam->job && !cam->stop)
			pthread_cond_wait(&cam->cv, &cam->mu);
		if (cam->stop) {
			pthread_mutex_unlock(&cam->mu);
			return NULL;
		}
		cam->job = false;
		symbols = cam->symbols;
		pthread_mutex_unlock(&cam->mu);
		(void)scan_image_decoder_set_symbols(cam->decoder, symbols, &ignored);  /* checked */
		decode_held(cam);
		pthread_mutex_lock(&cam->mu);
		cam->done = true;
		pthread_mutex_unlock(&cam->mu);
		(void)!write(cam->wake[1], "", 1);
	}
}

/* Start the thread with every signal blocked: they belong to the loop. */
static int start_thread(struct camera *cam, struct wms_error *err)
{
	sigset_t all, old;
	int rc;

	if (pipe2(cam->wake, O_NONBLOCK | O_CLOEXEC) < 0)
		return wms_error_set(err, WMS_EIO, "camera %s: pipe: %s", cam->head.spec, strerror(errno));
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&cam->thread, NULL, decode_thread, cam);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0)
		return wms_error_set(err, WMS_EIO, "camera %s: cannot start its decoding thread: %s",
		                     cam->head.spec, strerror(rc));
	cam->thread_started = true;
	return 0;
}

static void camera_close(struct scan_source *src)
{
	struct camera *cam = (struct camera *)src;
	enum v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;

	if (cam == NULL)
		return;
	if (cam->thread_started) {
		pthread_mutex_lock(&cam->mu);
		cam->stop = true;
		pthread_cond_signal(&cam->cv);
		pthread_mutex_unlock(&cam->mu);
		pthread_join(cam->thread, NULL);     /* at most one frame's decoding */
	}
	for (int i = 0; i < 2; i++)
		if (cam->wake[i] >= 0)
			close(cam->wake[i]);
	pthread_cond_destroy(&cam->cv);
	pthread_mutex_destroy(&cam->mu);
	if (cam->streaming)
		(void)xioctl(cam->fd, VIDIOC_STREAMOFF, &type);
	for (int i = 0; i < cam->nbuf; i++)
		munmap(cam->buf[i].start, cam->buf[i].len);
	if (cam->fd >= 0)
		close(cam->fd);
	scan_image_decoder_free(cam->decoder);
	free(cam->gray);
	free(cam);
}

static int camera_open(const char *spec, const char *station, struct scan_source **out,
                       struct wms_error *err)
{
	struct camera_conf c;
	struct scan_image_options opt;
	struct camera *cam;
	int rc;

	*out = NULL;
	if ((rc = camera_parse(spec, &c, err)) < 0)
		return rc;
	if ((cam = calloc(1, sizeof *cam)) == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory opening %s", spec);
	cam->head.ops = &scan_source_camera;
	snprintf(cam->head.station, sizeof cam->head.station, "%s", station);
	snprintf(cam->head.spec, sizeof cam->head.spec, "%s", c.path);
	cam->interval_ms = c.interval_ms;
	cam->last_decode_ms = -1000000;
	cam->wake[0] = cam->wake[1] = -1;
	cam->symbols = 1;
	pthread_mutex_init(&cam->mu, NULL);
	pthread_cond_init(&cam->cv, NULL);
	scan_debounce_init(&cam->debounce, c.hold_ms);
	cam->fd = open(c.path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (cam->fd < 0) {
		rc = wms_error_set(err, errno == ENOENT || errno == ENODEV || errno == ENXIO ?
		                   WMS_ENOTFOUND : WMS_EIO, "cannot open %s: %s", c.path, strerror(errno));
		goto fail;
	}
	if ((rc = camera_start(cam, &c, err)) < 0)
		goto fail;
	/* the frame's height as the driver gave it decides ZBar's density */
	scan_image_station_options(cam->height, cam->symbols, &opt);
	opt.dmtx_timeout_ms = c.budget_ms;
	opt.dmtx_shrink = (int)c.shrink;
	if (c.density)
		opt.zbar_density = (int)c.density;
	if ((rc = scan_image_decoder_new(&opt, &cam->decoder, err)) < 0 ||
	    (rc = start_thread(cam, err)) < 0)
		goto fail;
	*out = &cam->head;
	return 0;
fail:
	camera_close(&cam->head);
	return rc;
}

static int camera_set_symbols(struct scan_source *src, int n, struct wms_error *err)
{
	struct camera *cam = (struct camera *)src;

	if (n < 0 || n > SCAN_IMAGE_MAX_SYMBOLS)
		return wms_error_set(err, WMS_ECONFIG, "symbols = %d: allowed 1..%d or all", n,
		                     SCAN_IMAGE_MAX_SYMBOLS);
	pthread_mutex_lock(&cam->mu);
	cam->symbols = n;
	pthread_mutex_unlock(&cam->mu);
	return 0;
}

static int camera_pollfds(const struct scan_source *src, struct pollfd *fds, int max)
{
	if (max < 1)
		return 0;
	const struct camera *cam = (const struct camera *)src;

	/* while the thread decodes, only its wake-up: a ready camera would spin the loop */
	fds[0] = (struct pollfd){ .fd = cam->busy ? cam->wake[0] : cam->fd, .events = POLLIN };
	return 1;
}

/* The loop: the thread finished `held`; deliver the barcodes new to the
 * debouncer and give the buffer back to the driver. */
static int take_result(struct camera *cam, scan_fn fn, void *ctx, struct wms_error *err)
{
	char drain[16];
	bool done;
	long long now = scan_source_now_ms();

	while (read(cam->wake[0], drain, sizeof drain) > 0)
		;
	pthread_mutex_lock(&cam->mu);
	done = cam->done;
	cam->done = false;
	pthread_mutex_unlock(&cam->mu);
	if (!done)
		return 0;
	cam->busy = false;
	for (int i = 0; i < cam->nsyms; i++) {
		const struct scan_image_symbol *sym = &cam->syms[i];
		if (scan_debounce_seen(&cam->debounce, sym->bytes, sym->len, now)) {
			struct scan s = { .station = cam->head.station, .bytes = sym->bytes,
			                  .len = sym->len, .mono_ms = now,
			                  .fault = sym->truncated ? "barcode longer than 1024 bytes, cut" :
			                           NULL };
			fn(ctx, &s);
		}
	}
	if (xioctl(cam->fd, VIDIOC_QBUF, &cam->held) < 0)
		return wms_error_set(err, WMS_EIO, "%s: requeue: %s", cam->head.spec, strerror(errno));
	return 0;
}

static int camera_dispatch(struct scan_source *src, short revents, scan_fn fn, void *ctx,
                           struct wms_error *err)
{
	struct camera *cam = (struct camera *)src;
	struct v4l2_buffer newest = { 0 };
	bool have = false;
	long long now;

	(void)revents;
	if (cam->busy)
		return take_result(cam, fn, ctx, err);
	/* take every ready frame, keep the newest, give the others back */
	for (;;) {
		struct v4l2_buffer b = { .type = V4L2_BUF_TYPE_VIDEO_CAPTURE, .memory = V4L2_MEMORY_MMAP };
		if (xioctl(cam->fd, VIDIOC_DQBUF, &b) < 0) {
			if (errno == EAGAIN)
				break;
			return wms_error_set(err, WMS_EIO, "%s: %s", cam->head.spec,
			                     errno == ENODEV ? "camera unplugged" : strerror(errno));
		}
		if (b.index >= (unsigned)cam->nbuf)
			return wms_error_set(err, WMS_EIO, "%s: driver returned buffer %u of %d",
			                     cam->head.spec, b.index, cam->nbuf);
		if (have && xioctl(cam->fd, VIDIOC_QBUF, &newest) < 0)
			return wms_error_set(err, WMS_EIO, "%s: requeue: %s", cam->head.spec, strerror(errno));
		newest = b;
		have = true;
	}
	if (!have)
		return 0;
	now = scan_source_now_ms();
	if (now - cam->last_decode_ms >= cam->interval_ms) {
		/* to the thread; the buffer comes back in take_result() */
		cam->last_decode_ms = now;
		cam->held = newest;
		cam->busy = true;
		pthread_mutex_lock(&cam->mu);
		cam->job = true;
		pthread_cond_signal(&cam->cv);
		pthread_mutex_unlock(&cam->mu);
		return 0;
	}
	if (xioctl(cam->fd, VIDIOC_QBUF, &newest) < 0)
		return wms_error_set(err, WMS_EIO, "%s: requeue: %s", cam->head.spec, strerror(errno));
	return 0;
}

const struct scan_source_ops scan_source_camera = {
	.name = "camera",
	.usage = "camera:/dev/videoN [width=N] [height=N] [fps=N] [format=GREY|YUYV] "
	         "[interval_ms=N] [hold_ms=N] [budget_ms=N] [density=1..8] [shrink=1..4]",
	.check = camera_check,
	.open = camera_open,
	.pollfds = camera_pollfds,
	.dispatch = camera_dispatch,
	.set_symbols = camera_set_symbols,
	.close = camera_close,
};
