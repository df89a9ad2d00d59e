// SPDX-License-Identifier: GPL-2.0-only
/*
 * klp_fail_nth - make the Nth allocation of one system call fail
 *
 * usage: klp_fail_nth N insmod FILE [PARAMS]
 *        klp_fail_nth N rmmod NAME
 *        klp_fail_nth N write FILE TEXT
 *
 * Writes N to /proc/thread-self/fail-nth (CONFIG_FAULT_INJECTION), makes
 * the one system call named, and prints "INJECTED ERRNO": INJECTED is 1 when
 * the Nth fault-injection point was reached during the call (the kernel then
 * reads back 0), ERRNO is the call's errno or 0.  The counter is cleared
 * afterwards, so nothing else this task does fails.  N = 0 makes the call
 * with no failure.  Exit status: 0 when the call was made, 2 on misuse.
 *
 * With KLP_FAIL_NTH_MARK set to the tracer's trace_marker file, the lines
 * "klp_fail_nth: armed" and "klp_fail_nth: done" enclose the call in the
 * trace: the allocations between them are the ones the counter sees (not
 * those of the helper's own start).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int fail_fd = -1;
static int mark_fd = -1;

static void die(const char *what)
{
	fprintf(stderr, "klp_fail_nth: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void mark(const char *what)
{
	if (mark_fd >= 0 && write(mark_fd, what, strlen(what)) < 0)
		die("KLP_FAIL_NTH_MARK");
}

/* The first call arms the counter for the system call; the second clears it. */
static void set_nth(unsigned long n)
{
	static int calls;
	char buf[32];
	int len = snprintf(buf, sizeof(buf), "%lu", n);

	if (!calls++)
		mark("klp_fail_nth: armed\n");
	if (pwrite(fail_fd, buf, len, 0) != len)
		die("/proc/thread-self/fail-nth");
}

/* 1 when the armed fault was injected: the counter has run down to 0. */
static int injected(unsigned long n)
{
	char buf[32] = "";

	if (n == 0)
		return 0;
	if (pread(fail_fd, buf, sizeof(buf) - 1, 0) <= 0)
		die("/proc/thread-self/fail-nth");
	return strtoul(buf, NULL, 10) == 0;
}

/* The file is opened before the counter is armed: only the call counts. */
static int file_fd(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);

	if (fd < 0)
		die(path);
	return fd;
}

int main(int argc, char **argv)
{
	const char *op = argc > 2 ? argv[2] : "";
	unsigned long n;
	long ret;
	char *end;
	int fd, err, inj;

	if (argc < 4)
		goto usage;
	n = strtoul(argv[1], &end, 10);
	if (*end || end == argv[1])
		goto usage;
	fail_fd = file_fd("/proc/thread-self/fail-nth", O_RDWR);
	if (getenv("KLP_FAIL_NTH_MARK"))
		mark_fd = file_fd(getenv("KLP_FAIL_NTH_MARK"), O_WRONLY);

	if (!strcmp(op, "insmod") && argc <= 5) {
		fd = file_fd(argv[3], O_RDONLY);
		set_nth(n);
		ret = syscall(SYS_finit_module, fd, argc == 5 ? argv[4] : "", 0);
	} else if (!strcmp(op, "rmmod") && argc == 4) {
		set_nth(n);
		ret = syscall(SYS_delete_module, argv[3], O_NONBLOCK);
	} else if (!strcmp(op, "write") && argc == 5) {
		fd = file_fd(argv[3], O_WRONLY);
		set_nth(n);
		ret = write(fd, argv[4], strlen(argv[4]));
	} else {
		goto usage;
	}
	err = ret < 0 ? errno : 0;
	inj = injected(n);
	set_nth(0);
	mark("klp_fail_nth: done\n");
	printf("%d %d\n", inj, err);
	return 0;
usage:
	fprintf(stderr, "usage: klp_fail_nth N insmod FILE [PARAMS]\n"
		"       klp_fail_nth N rmmod NAME\n"
		"       klp_fail_nth N write FILE TEXT\n");
	return 2;
}
