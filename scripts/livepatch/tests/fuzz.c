// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz: feed a klp tool broken copies of good objects and require that it
 * only ever answers 0, 1 or 2, the exit statuses the tools promise.
 *
 *   fuzz [-n COUNT] [-s SEED] [-r FIRST] [-d DIR] [-m MAX] [-o]
 *        INPUT... -- TOOL [ARG]...
 *   fuzz -w [-n COUNT] [-s SEED] [-r FIRST] [-d DIR] INPUT...
 *
 * Round r (FIRST <= r < FIRST + COUNT) copies INPUT number r % #INPUTs to
 * DIR/in, breaks it with one to four mutations drawn from a generator
 * seeded by SEED and r alone, and runs TOOL with each "@in" argument
 * replaced by DIR/in and "@out" by DIR/out.  So any round can be replayed
 * by itself with -r.  The mutations aim at what a reader must bound: the
 * ELF header, section headers, symbols, relocations, string tables, and
 * the file's length.
 *
 * A round fails when the tool dies by a signal (SIGALRM after 20 s for a
 * hang) or exits with a status above MAX (default 2); sanitizers are told
 * to exit with 99.  klp-convert, which only reads good symbol sources and
 * writes to a good directory, has no business exiting 2: -m 1.  With -o
 * the tool writes @out, which must then exist exactly when it exits 0,
 * with no temporary file beside it.  A failing round's input
 * and stderr are kept as DIR/fail-<r>.ko and .log.  Exit: 0 if every round
 * passed, 1 if one failed, 2 on usage or I/O error.
 *
 * With -w no tool runs: round r's mutant is written to DIR/m-<r>.ko (r in
 * six digits) and "r INPUT MUTATIONS" printed, for a runner that loads
 * them elsewhere (scripts/check/klp-fuzz.sh loads them into a kernel).
 */
#include <elf.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../../include/linux/klp_format.h"

#define MAX_INPUTS	16
#define TIMEOUT		20
#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

struct input {
	const char *path;
	unsigned char *buf;
	size_t len;
	const Elf64_Ehdr *eh;
	const Elf64_Shdr *sh;	/* the section headers of the good file */
	unsigned int shnum;
	const Elf64_Shdr *symtab;
	unsigned int modinfo;	/* index of .modinfo, or 0 */
	unsigned int nr_relas;
	const Elf64_Shdr *relas[64];
};

static struct input inputs[MAX_INPUTS];
static unsigned int nr_inputs;
static unsigned long long rng;

static void die(const char *what)
{
	perror(what);
	exit(2);
}

/* splitmix64: small, good enough, and the same everywhere. */
static unsigned long long rnd(void)
{
	unsigned long long z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned int below(unsigned int n)
{
	return n ? rnd() % n : 0;
}

static bool is_named(const struct input *in, const Elf64_Shdr *strtab,
		     unsigned long long off, const char *name)
{
	size_t n = strlen(name) + 1;

	return off < strtab->sh_size && strtab->sh_size - off >= n &&
	       !memcmp(in->buf + strtab->sh_offset + off, name, n);
}

static void load(struct input *in, const char *path)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	unsigned int i;

	if (fd < 0 || fstat(fd, &st))
		die(path);
	in->path = path;
	in->len = st.st_size;
	in->buf = malloc(in->len);
	if (!in->buf || read(fd, in->buf, in->len) != (ssize_t)in->len)
		die(path);
	close(fd);
	in->eh = (const Elf64_Ehdr *)in->buf;
	if (in->len < sizeof(*in->eh) || memcmp(in->eh->e_ident, ELFMAG, SELFMAG) ||
	    in->eh->e_shoff + (unsigned long long)in->eh->e_shnum * sizeof(Elf64_Shdr) > in->len) {
		fprintf(stderr, "fuzz: %s: not a well-formed ELF64 seed\n", path);
		exit(2);
	}
	in->sh = (const Elf64_Shdr *)(in->buf + in->eh->e_shoff);
	in->shnum = in->eh->e_shnum;
	for (i = 1; i < in->shnum; i++) {
		if (in->sh[i].sh_offset + in->sh[i].sh_size > in->len &&
		    in->sh[i].sh_type != SHT_NOBITS) {
			fprintf(stderr, "fuzz: %s: section %u outside the file\n", path, i);
			exit(2);
		}
	}
	for (i = 1; i < in->shnum; i++) {
		if (in->sh[i].sh_type == SHT_SYMTAB)
			in->symtab = &in->sh[i];
		if (in->eh->e_shstrndx < in->shnum &&
		    is_named(in, &in->sh[in->eh->e_shstrndx], in->sh[i].sh_name, ".modinfo"))
			in->modinfo = i;
		if (in->sh[i].sh_type == SHT_RELA && in->nr_relas < 64)
			in->relas[in->nr_relas++] = &in->sh[i];
	}
}

/* Values that sit on the edges readers get wrong. */
static unsigned long long interesting(const struct input *in, unsigned int nr_entries)
{
	static const unsigned long long fixed[] = {
		0, 1, 2, 7, 8, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff,
		SHN_LORESERVE, SHN_LIVEPATCH, SHN_ABS, SHN_COMMON, SHN_XINDEX,
		0x10000, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ULL,
		0x7fffffffffffffffULL, 0x8000000000000000ULL, ~0ULL, ~0ULL - 7,
	};
	unsigned int pick = below(ARRAY_LEN(fixed) + 6);

	if (pick < ARRAY_LEN(fixed))
		return fixed[pick];
	switch (pick - ARRAY_LEN(fixed)) {
	case 0:
		return in->len;
	case 1:
		return in->len - 1 - below(16);
	case 2:
		return in->shnum - below(2);
	case 3:
		return nr_entries - below(2);
	case 4:
		return nr_entries + 1;
	default:
		return rnd() >> below(64);
	}
}

static void put(unsigned char *buf, size_t len, unsigned long long off, unsigned int size,
		unsigned long long v)
{
	if (off > len || len - off < size)
		return;
	memcpy(buf + off, &v, size);	/* little-endian host, as the files */
}

/* One field of a table entry: offset and size within the entry. */
struct field {
	unsigned char off, size;
};

static const struct field shdr_fields[] = {
	{ 0, 4 }, { 4, 4 }, { 8, 8 }, { 16, 8 }, { 24, 8 }, { 32, 8 },
	{ 40, 4 }, { 44, 4 }, { 48, 8 }, { 56, 8 },
};

static const struct field ehdr_fields[] = {
	{ 4, 1 }, { 5, 1 }, { 16, 2 }, { 18, 2 }, { 40, 8 }, { 58, 2 },
	{ 60, 2 }, { 62, 2 },
};

static const struct field sym_fields[] = {
	{ 0, 4 }, { 4, 1 }, { 5, 1 }, { 6, 2 }, { 8, 8 }, { 16, 8 },
};

static const struct field rela_fields[] = {
	{ 0, 8 }, { 8, 4 }, { 12, 4 }, { 16, 8 },
};

static void set_entry(const struct input *in, unsigned char *buf, size_t len,
		      const Elf64_Shdr *table, size_t entsize,
		      const struct field *fields, unsigned int nr_fields)
{
	unsigned int n = table->sh_size / entsize;
	const struct field *f = &fields[below(nr_fields)];

	if (!n)
		return;
	put(buf, len, table->sh_offset + (unsigned long long)below(n) * entsize + f->off,
	    f->size, interesting(in, n));
}

/* Bytes a name parser should meet: prefixes, separators, numbers. */
static const char * const fragments[] = {
	".klp.rela.", ".klp.sym.", "vmlinux.", ".text", ",", ",0", ",65536",
	",-1", ",99999999999", "..", "livepatch=Y", "name=", "tmod.",
};

static void break_strings(const struct input *in, unsigned char *buf, size_t len)
{
	const Elf64_Shdr *sh = NULL;
	unsigned int i, tries;
	unsigned long long off;

	for (tries = 0; tries < 8 && !sh; tries++) {
		i = 1 + below(in->shnum - 1);
		if (in->sh[i].sh_type == SHT_STRTAB || (in->sh[i].sh_flags & SHF_STRINGS) ||
		    i == in->modinfo)
			sh = &in->sh[i];
	}
	if (!sh || !sh->sh_size)
		return;
	switch (below(4)) {
	case 0:		/* the last NUL goes: strings run off the end */
		put(buf, len, sh->sh_offset + sh->sh_size - 1, 1, 'A');
		break;
	case 1:
		put(buf, len, sh->sh_offset + below(sh->sh_size), 1,
		    below(2) ? 0 : rnd() & 0xff);
		break;
	default: {
		const char *s = fragments[below(ARRAY_LEN(fragments))];

		off = sh->sh_offset + below(sh->sh_size);
		if (off + strlen(s) <= sh->sh_offset + sh->sh_size && off + strlen(s) <= len)
			memcpy(buf + off, s, strlen(s));
	}
	}
}

static const char * const kinds[] = {
	"shdr", "shdr", "ehdr", "sym", "sym", "rela", "rela", "str", "flip", "truncate",
};

/* Break @buf, a copy of @in, in place; returns what was done. */
static const char *mutate(const struct input *in, unsigned char *buf, size_t *len)
{
	static char what[128];
	const Elf64_Shdr *shtab = &(Elf64_Shdr){
		.sh_offset = in->eh->e_shoff,
		.sh_size = (unsigned long long)in->shnum * sizeof(Elf64_Shdr),
	};
	const Elf64_Shdr *ehtab = &(Elf64_Shdr){ .sh_size = sizeof(Elf64_Ehdr) };
	unsigned int i, n = 1 + below(4), kind;
	size_t w = 0;

	what[0] = '\0';
	for (i = 0; i < n; i++) {
		kind = below(ARRAY_LEN(kinds));
		switch (kind) {
		case 0:
		case 1:
			set_entry(in, buf, *len, shtab, sizeof(Elf64_Shdr), shdr_fields,
				  ARRAY_LEN(shdr_fields));
			break;
		case 2:
			set_entry(in, buf, *len, ehtab, sizeof(Elf64_Ehdr), ehdr_fields,
				  ARRAY_LEN(ehdr_fields));
			break;
		case 3:
		case 4:
			if (in->symtab)
				set_entry(in, buf, *len, in->symtab, sizeof(Elf64_Sym),
					  sym_fields, ARRAY_LEN(sym_fields));
			break;
		case 5:
		case 6:
			if (in->nr_relas)
				set_entry(in, buf, *len, in->relas[below(in->nr_relas)],
					  sizeof(Elf64_Rela), rela_fields,
					  ARRAY_LEN(rela_fields));
			break;
		case 7:
			break_strings(in, buf, *len);
			break;
		case 8: {
			unsigned int k, flips = 1 + below(16);

			for (k = 0; k < flips; k++)
				buf[below(*len)] ^= 1 << below(8);
			break;
		}
		default:
			*len = below(*len);
			break;
		}
		w += snprintf(what + w, sizeof(what) - w, "%s%s", i ? "," : "",
			      kinds[kind]);
		if (!strcmp(kinds[kind], "truncate"))
			break;
	}
	return what;
}

static void write_file(const char *path, const unsigned char *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || write(fd, buf, len) != (ssize_t)len || close(fd))
		die(path);
}

/* Run the tool; returns its wait status. */
static int run(char **argv, const char *log)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (!pid) {
		int null = open("/dev/null", O_WRONLY);
		int err = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (null < 0 || err < 0)
			_exit(127);
		dup2(null, 1);
		dup2(err, 2);
		alarm(TIMEOUT);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	return status;
}

static bool exists(const char *path)
{
	return !access(path, F_OK);
}

/* Why wait status @st fails the round, or NULL if it passes. */
static const char *verdict(int st, int max, bool check_output, const char *out,
			   const char *tmp)
{
	static char reason[64];

	if (WIFSIGNALED(st)) {
		snprintf(reason, sizeof(reason), "killed by signal %d%s", WTERMSIG(st),
			 WTERMSIG(st) == SIGALRM ? " (timeout)" : "");
		return reason;
	}
	if (WEXITSTATUS(st) > max) {
		snprintf(reason, sizeof(reason), "exit status %d", WEXITSTATUS(st));
		return reason;
	}
	if (check_output && (WEXITSTATUS(st) == 0) != exists(out))
		return WEXITSTATUS(st) ? "output written despite failure" :
					 "exit 0 without output";
	if (check_output && exists(tmp))
		return "temporary output left behind";
	return NULL;
}

/* Round @r's mutant: the same bytes whether written or run. */
static const char *round_mutant(unsigned long long seed, unsigned long r,
				const struct input **in, unsigned char **buf,
				size_t *len)
{
	*in = &inputs[r % nr_inputs];
	*buf = malloc((*in)->len);
	if (!*buf)
		die("malloc");
	*len = (*in)->len;
	rng = seed * 0x100000001b3ULL ^ r;
	memcpy(*buf, (*in)->buf, *len);
	return mutate(*in, *buf, len);
}

static int write_mutants(const char *dir, unsigned long long seed,
			 unsigned long first, unsigned long count)
{
	char path[4200];
	unsigned long r;

	for (r = first; r < first + count; r++) {
		const struct input *in;
		unsigned char *buf;
		const char *what;
		size_t len;

		what = round_mutant(seed, r, &in, &buf, &len);
		snprintf(path, sizeof(path), "%s/m-%06lu.ko", dir, r);
		write_file(path, buf, len);
		printf("%lu %s %s\n", r, strrchr(in->path, '/') ?
		       strrchr(in->path, '/') + 1 : in->path, what);
		free(buf);
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long count = 1000, first = 0, r, failed = 0, status[3] = { 0 };
	unsigned long long seed = 1;
	const char *dir = ".";
	bool check_output = false, write_only = false;
	char in_path[4096], out_path[4096], tmp_path[4200], log_path[4096];
	char **cmd;
	int c, i, ncmd, max = 2;

	while ((c = getopt(argc, argv, "+n:s:r:d:m:ow")) != -1) {
		switch (c) {
		case 'n':
			count = strtoul(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'r':
			first = strtoul(optarg, NULL, 0);
			break;
		case 'd':
			dir = optarg;
			break;
		case 'm':
			max = atoi(optarg);
			break;
		case 'o':
			check_output = true;
			break;
		case 'w':
			write_only = true;
			break;
		default:
			return 2;
		}
	}
	for (; optind < argc && strcmp(argv[optind], "--"); optind++) {
		if (nr_inputs == MAX_INPUTS)
			return 2;
		load(&inputs[nr_inputs++], argv[optind]);
	}
	if (!nr_inputs || (!write_only && optind + 1 >= argc)) {
		fputs("usage: fuzz [-n N] [-s SEED] [-r FIRST] [-d DIR] [-m MAX] [-o]\n"
		      "            INPUT... -- TOOL [ARG]...\n"
		      "       fuzz -w [-n N] [-s SEED] [-r FIRST] [-d DIR] INPUT...\n",
		      stderr);
		return 2;
	}
	if (write_only)
		return write_mutants(dir, seed, first, count);
	snprintf(in_path, sizeof(in_path), "%s/in", dir);
	snprintf(out_path, sizeof(out_path), "%s/out", dir);
	snprintf(tmp_path, sizeof(tmp_path), "%s.klp-tmp", out_path);
	snprintf(log_path, sizeof(log_path), "%s/stderr", dir);
	ncmd = argc - optind - 1;
	cmd = calloc(ncmd + 1, sizeof(*cmd));
	if (!cmd)
		die("calloc");
	for (i = 0; i < ncmd; i++) {
		char *a = argv[optind + 1 + i];

		cmd[i] = !strcmp(a, "@in") ? in_path : !strcmp(a, "@out") ? out_path : a;
	}
	setenv("ASAN_OPTIONS", "exitcode=99:detect_leaks=0:abort_on_error=0", 0);
	setenv("UBSAN_OPTIONS", "exitcode=99:halt_on_error=1:print_stacktrace=1", 0);

	for (r = first; r < first + count; r++) {
		const struct input *in;
		unsigned char *buf;
		size_t len;
		const char *what, *why;
		int st;

		what = round_mutant(seed, r, &in, &buf, &len);
		write_file(in_path, buf, len);
		unlink(out_path);
		st = run(cmd, log_path);
		why = verdict(st, max, check_output, out_path, tmp_path);
		if (!why && WEXITSTATUS(st) <= 2)
			status[WEXITSTATUS(st)]++;
		if (why) {
			char keep[4200];

			failed++;
			printf("# round %lu (%s, %s): %s\n", r, in->path, what, why);
			snprintf(keep, sizeof(keep), "%s/fail-%lu.ko", dir, r);
			rename(in_path, keep);
			snprintf(keep, sizeof(keep), "%s/fail-%lu.log", dir, r);
			rename(log_path, keep);
		}
		unlink(tmp_path);
		free(buf);
	}
	printf("# %lu rounds: %lu exited 0, %lu exited 1, %lu exited 2, %lu failed\n",
	       count, status[0], status[1], status[2], failed);
	return failed ? 1 : 0;
}
