// SPDX-License-Identifier: GPL-2.0-only
/*
 * x86-64 writer for livepatch relocations.
 *
 * Unlike the module loader's apply_relocate_add(), which finds an overflow
 * only after the bytes are in place (and never for PC32), every value here
 * is computed and range-checked before the first byte of an object is
 * written, so that a refusal leaves the patch module untouched.  Writes go
 * through text_poke() once the patch module runs: its text is read-only by
 * then.  Clearing, when a patched module goes, is the same write of zeroes.
 *
 * module_finalize() then rewrites the code at each site that the patch
 * module's own lists name (retpolines, return thunks, alternatives, ...),
 * trusting the addresses its relocations put there; those are checked
 * first too.
 */

#include <linux/elf.h>
#include <linux/klp_compat.h>
#include <linux/klp_reloc_arch.h>
#include <linux/klp_rules.h>
#include <linux/memory.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <linux/ftrace.h>
#include <linux/jump_label.h>
#include <asm/alternative.h>
#include <asm/ibt.h>
#include <asm/insn.h>
#include <asm/nospec-branch.h>
#if KLP_X86_PARAINSTRUCTIONS || defined(CONFIG_PARAVIRT)
#include <asm/paravirt_types.h>
#endif
#include <asm/text-patching.h>
#include <kunit/visibility.h>

/**
 * arch_klp_rela_width() - how many bytes a relocation type writes
 * @type: ELF relocation type
 *
 * The table is the one klp-check uses too (<linux/klp_rules.h>).
 *
 * Return: the width (0 for R_X86_64_NONE), or -EINVAL for a type that a
 * livepatch relocation may not use.
 */
int arch_klp_rela_width(unsigned int type)
{
	return klp_x86_64_rela_width(type);
}
EXPORT_SYMBOL_IF_KUNIT(arch_klp_rela_width);

/**
 * arch_klp_rela_value() - the value a relocation writes, range-checked
 * @type: ELF relocation type, one arch_klp_rela_width() accepts
 * @sa: symbol value plus addend
 * @loc: address the value will be written to
 * @val: the value, of which the low arch_klp_rela_width() bytes are written
 *
 * Return: 0, -ERANGE if the value does not fit the type's field, or
 * -EINVAL for an unsupported type.
 */
int arch_klp_rela_value(unsigned int type, u64 sa, unsigned long loc,
			u64 *val)
{
	switch (type) {
	case R_X86_64_NONE:
		*val = 0;
		return 0;
	case R_X86_64_64:
		*val = sa;
		return 0;
	case R_X86_64_32:
		*val = sa;
		return sa == (u32)sa ? 0 : -ERANGE;
	case R_X86_64_32S:
		*val = sa;
		return (s64)sa == (s32)sa ? 0 : -ERANGE;
	case R_X86_64_PC32:
	case R_X86_64_PLT32:
		*val = sa - loc;
		return (s64)*val == (s32)*val ? 0 : -ERANGE;
	case R_X86_64_PC64:
		*val = sa - loc;
		return 0;
	}
	return -EINVAL;
}
EXPORT_SYMBOL_IF_KUNIT(arch_klp_rela_value);

/*
 * A patch module still being loaded is private memory: plain stores do.
 * So does a test image in kernel memory (no module).
 */
static bool klp_write_early(struct module *pmod)
{
	return !pmod || pmod->state == MODULE_STATE_UNFORMED;
}

/*
 * A text_poke() costs a temporary mapping and a TLB flush, whatever its
 * length: tens of microseconds under TCG, for four bytes.  So the writes
 * that fall in one page of a running patch module's read-only memory are
 * gathered here and poked as one span.  The bytes of the span between them
 * are read first and written back unchanged; under text_mutex nothing else
 * writes read-only module memory, so none of them changes meanwhile.
 * Writable memory is stored to directly, never gathered: the module's
 * code may store there at any time.  Guarded by text_mutex.
 */
static struct {
	unsigned long page;	/* 0: nothing gathered */
	unsigned long region;	/* klp_mod_ro_base() of what is */
	unsigned int lo, hi;	/* the span, as offsets into the page */
	u8 buf[PAGE_SIZE];
} klp_poke;

static void klp_poke_flush(void)
{
	if (klp_poke.page)
		text_poke((void *)klp_poke.page + klp_poke.lo,
			  klp_poke.buf + klp_poke.lo, klp_poke.hi - klp_poke.lo);
	klp_poke.page = 0;
}

/* Take @len bytes of @src for @addr into the span; false if they don't fit. */
static bool klp_poke_gather(struct module *pmod, unsigned long addr,
			    const void *src, size_t len)
{
	unsigned long page = addr & PAGE_MASK;
	unsigned int lo = offset_in_page(addr), hi = lo + len;
	unsigned long region = klp_mod_ro_base(pmod, addr, len);

	if (!region || hi > PAGE_SIZE)
		return false;
	if (page != klp_poke.page || region != klp_poke.region) {
		klp_poke_flush();
		klp_poke.page = page;
		klp_poke.region = region;
		klp_poke.lo = lo;
		klp_poke.hi = hi;
	}
	if (lo > klp_poke.hi)
		memcpy(klp_poke.buf + klp_poke.hi, (void *)page + klp_poke.hi,
		       lo - klp_poke.hi);
	if (hi < klp_poke.lo)
		memcpy(klp_poke.buf + hi, (void *)page + hi, klp_poke.lo - hi);
	memcpy(klp_poke.buf + lo, src, len);
	klp_poke.lo = min(klp_poke.lo, lo);
	klp_poke.hi = max(klp_poke.hi, hi);
	return true;
}

/**
 * arch_klp_write_begin() - start a batch of arch_klp_write() calls
 * @pmod: the patch module written into
 *
 * Takes text_mutex unless @pmod is still being loaded.
 */
void arch_klp_write_begin(struct module *pmod)
{
	if (!klp_write_early(pmod))
		mutex_lock(&text_mutex);
}
EXPORT_SYMBOL_IF_KUNIT(arch_klp_write_begin);

/**
 * arch_klp_write() - store bytes into a patch module
 * @pmod: the patch module
 * @loc: destination inside @pmod
 * @src: bytes to store
 * @len: how many
 *
 * Writable memory is stored to directly.  Once @pmod runs, its read-only
 * memory is written through text_poke(), and the bytes may reach it only
 * at arch_klp_write_end(): writes into one page of it are poked together.
 *
 * Context: between arch_klp_write_begin() and arch_klp_write_end().
 */
void arch_klp_write(struct module *pmod, void *loc, const void *src,
		    size_t len)
{
	if (klp_write_early(pmod) ||
	    klp_mod_data_has(pmod, (unsigned long)loc, len)) {
		memcpy(loc, src, len);
	} else if (!klp_poke_gather(pmod, (unsigned long)loc, src, len)) {
		klp_poke_flush();
		text_poke(loc, src, len);
	}
}
EXPORT_SYMBOL_IF_KUNIT(arch_klp_write);

/**
 * arch_klp_write_end() - finish a batch of arch_klp_write() calls
 * @pmod: the patch module written into
 *
 * Writes what is gathered and makes the new bytes visible to every CPU
 * before text_mutex is dropped.
 */
void arch_klp_write_end(struct module *pmod)
{
	if (klp_write_early(pmod))
		return;
	klp_poke_flush();
	text_poke_sync();
	mutex_unlock(&text_mutex);
}
EXPORT_SYMBOL_IF_KUNIT(arch_klp_write_end);

/**
 * arch_klp_ftrace_site() - is this the call that ftrace turns into a NOP?
 * @ip: an ftrace call site of a patch module, relocated, inside its text
 *
 * ftrace_module_init() expects a "call __fentry__" at each site; finding
 * anything else, it disables ftrace, and with it every livepatch, until
 * the next boot.
 *
 * Return: true if the five bytes at @ip call __fentry__.
 */
bool arch_klp_ftrace_site(unsigned long ip)
{
#ifdef CONFIG_FUNCTION_TRACER
	u8 insn[MCOUNT_INSN_SIZE];
	s32 rel;

	memcpy(insn, (void *)ip, sizeof(insn));
	memcpy(&rel, insn + 1, sizeof(rel));
	return insn[0] == CALL_INSN_OPCODE &&
	       ip + MCOUNT_INSN_SIZE + rel == MCOUNT_ADDR;
#else
	return true;
#endif
}

static_assert((NCAPINTS + NBUGINTS) * 32 == KLP_X86_FEATURE_BITS);
static_assert(sizeof(struct alt_instr) == KLP_X86_ALT_SIZE);
#if KLP_LINE_6_12
static_assert(ALT_FLAG_DIRECT_CALL == KLP_X86_ALT_FLAG_DIRECT_CALL);
#else
static_assert(ALTINSTR_FLAG_INV == KLP_X86_ALT_FLAG_INV);
#endif

/* Entry @i of a list of s32s, each to a site of an instruction. */
static int klp_check_site(const struct module *mod, const char *name,
			  const void *list, unsigned int i, unsigned int n)
{
	const s32 *e = (const s32 *)list + i;

	/* The decoder may read a whole instruction at the site. */
	if (klp_mod_text_has(mod, (unsigned long)e + *e, 1, MAX_INSN_SIZE))
		return 0;
	pr_err("%s: section %s, entry %u: the site is not in the module's text\n",
	       mod->name, name, i);
	return -ENOEXEC;
}

/*
 * The instruction at a site, decoded as module_finalize() decodes it, whole
 * in the module's text (the site itself is checked first).
 */
static int klp_decode_site(const struct module *mod, const char *name,
			   const void *list, unsigned int i,
			   unsigned int n, struct insn *insn)
{
	const s32 *e = (const s32 *)list + i;
	unsigned long addr = (unsigned long)e + *e;
	int err = klp_check_site(mod, name, list, i, n);

	if (err)
		return err;
	if (insn_decode_kernel(insn, (void *)addr) >= 0 &&
	    klp_mod_text_has(mod, addr, insn->length, insn->length))
		return 0;
	pr_err("%s: section %s, entry %u: the site is not a whole instruction in the module's text\n",
	       mod->name, name, i);
	return -ENOEXEC;
}

#if KLP_LINE_6_12
/* A call site that call depth tracking decodes, and WARNs if it cannot. */
static int klp_check_call_site(const struct module *mod, const char *name,
			       const void *list, unsigned int i,
			       unsigned int n)
{
	struct insn insn;

	return klp_decode_site(mod, name, list, i, n, &insn);
}
#endif

/* Where a decoded relative call or jump at @e's site goes. */
static unsigned long klp_insn_dest(const s32 *e, const struct insn *insn)
{
	return (unsigned long)e + *e + insn->length + insn->immediate.value;
}

/*
 * apply_retpolines() takes a call, jump or conditional jump to a register's
 * retpoline thunk, and WARNs on anything else; on the thunk of %rsp it
 * BUG()s.
 */
static int klp_check_retpoline(const struct module *mod, const char *name,
			       const void *list, unsigned int i,
			       unsigned int n)
{
	unsigned long dest, thunks = (unsigned long)__x86_indirect_thunk_array;
	struct insn insn;
	u8 op1, op2;
	int err;

	if (!KLP_RETPOLINE || !IS_ENABLED(CONFIG_OBJTOOL))
		return klp_check_site(mod, name, list, i, n);
	err = klp_decode_site(mod, name, list, i, n, &insn);
	if (err)
		return err;
	op1 = insn.opcode.bytes[0];
	op2 = insn.opcode.bytes[1];
	dest = klp_insn_dest((const s32 *)list + i, &insn);
	if ((op1 == CALL_INSN_OPCODE || op1 == JMP32_INSN_OPCODE ||
	     (op1 == 0x0f && op2 >= 0x80 && op2 <= 0x8f)) &&
	    dest >= thunks && dest < thunks + 16 * RETPOLINE_THUNK_SIZE &&
	    (dest - thunks) / RETPOLINE_THUNK_SIZE != 4)
		return 0;
	pr_err("%s: section %s, entry %u: the site is not a call or jump to a register's retpoline thunk\n",
	       mod->name, name, i);
	return -ENOEXEC;
}

/* apply_returns() takes a jump to the return thunk, and WARNs on others. */
static int klp_check_return(const struct module *mod, const char *name,
			    const void *list, unsigned int i,
			    unsigned int n)
{
	struct insn insn;
	int err;

	if (!KLP_RETHUNK)
		return klp_check_site(mod, name, list, i, n);
	err = klp_decode_site(mod, name, list, i, n, &insn);
	if (err)
		return err;
	if (insn.opcode.bytes[0] == JMP32_INSN_OPCODE &&
	    klp_insn_dest((const s32 *)list + i, &insn) ==
	    (unsigned long)&__x86_return_thunk)
		return 0;
	pr_err("%s: section %s, entry %u: the site is not a jump to the return thunk\n",
	       mod->name, name, i);
	return -ENOEXEC;
}

/* apply_ibt_endbr() seals an ENDBR64, and WARNs on anything else. */
static int klp_check_endbr(const struct module *mod, const char *name,
			   const void *list, unsigned int i,
			   unsigned int n)
{
	const s32 *e = (const s32 *)list + i;
	int err = klp_check_site(mod, name, list, i, n);
	u32 endbr;

	if (err || !IS_ENABLED(CONFIG_X86_KERNEL_IBT))
		return err;
	memcpy(&endbr, (const void *)((unsigned long)e + *e), sizeof(endbr));
	if (klp_mod_text_has(mod, (unsigned long)e + *e, sizeof(endbr),
			     sizeof(endbr)) && is_endbr(endbr))
		return 0;
	pr_err("%s: section %s, entry %u: the site is not an ENDBR64 instruction\n",
	       mod->name, name, i);
	return -ENOEXEC;
}

static unsigned long klp_alt_instr(const struct alt_instr *a)
{
	return (unsigned long)&a->instr_offset + a->instr_offset;
}

/*
 * The length apply_alternatives() takes for entry @i: 6.12 pads every
 * entry of one site (consecutive entries) to the longest of them.
 */
static unsigned int klp_alt_len(const struct alt_instr *list, unsigned int i,
				unsigned int n)
{
	unsigned int len = list[i].instrlen, j;

	if (!KLP_LINE_6_12)
		return len;
	for (j = i; j > 0 && klp_alt_instr(&list[j - 1]) == klp_alt_instr(&list[i]); j--)
		len = max_t(unsigned int, len, list[j - 1].instrlen);
	for (j = i + 1; j < n && klp_alt_instr(&list[j]) == klp_alt_instr(&list[i]); j++)
		len = max_t(unsigned int, len, list[j].instrlen);
	return len;
}

/*
 * 6.12's direct call (paravirt): alt_replace_call() BUG()s unless the
 * replacement is a 5-byte call and the original a 6-byte "call
 * *disp(%rip)"; it reads the call's target through that pointer, which
 * must lie in pv_ops or in the module.
 */
static int klp_check_alt_call(const struct module *mod, const char *name,
			      unsigned int i, const struct alt_instr *a,
			      unsigned int len)
{
#ifdef CONFIG_PARAVIRT
	u8 *instr = (u8 *)klp_alt_instr(a);
	const u8 *repl = (const u8 *)&a->repl_offset + a->repl_offset;
	unsigned long ptr, ops = (unsigned long)&pv_ops;
	s32 disp;

	if (!klp_alt_direct_call(a))
		return 0;
	if (a->replacementlen != CALL_INSN_SIZE || repl[0] != CALL_INSN_OPCODE ||
	    len != 6 || instr[0] != 0xff || instr[1] != 0x15) {
		pr_err("%s: section %s, entry %u: a direct call, but not a call replacing \"call *disp(%%rip)\"\n",
		       mod->name, name, i);
		return -ENOEXEC;
	}
	memcpy(&disp, instr + 2, sizeof(disp));
	ptr = (unsigned long)instr + len + disp;
	if ((ptr >= ops && ptr - ops <= sizeof(pv_ops) - sizeof(void *)) ||
	    klp_mod_has(mod, ptr, sizeof(void *)))
		return 0;
	pr_err("%s: section %s, entry %u: a direct call through a pointer neither in pv_ops nor in the module\n",
	       mod->name, name, i);
	return -ENOEXEC;
#else
	return 0;
#endif
}

/*
 * 6.12 decodes the bytes it writes (the replacement, padded with NOPs to
 * @len) and moves each relative jump or call whose target is outside the
 * replacement by the distance from replacement to original: it WARNs on
 * bytes that do not decode and BUG()s on a moved rel8 or rel16 that no
 * longer fits.
 */
static int klp_check_alt_moves(const struct module *mod, const char *name,
			       unsigned int i, const struct alt_instr *a,
			       unsigned int len)
{
	const u8 *repl = (const u8 *)&a->repl_offset + a->repl_offset;
	long moved = (long)repl - (long)klp_alt_instr(a), v;
	u8 buf[KLP_X86_MAX_PATCH_LEN + MAX_INSN_SIZE];
	unsigned int at, next;
	struct insn insn;
	u8 op;

	if (!KLP_LINE_6_12 || klp_alt_direct_call(a))
		return 0;
	memset(buf, BYTES_NOP1, sizeof(buf));
	memcpy(buf, repl, a->replacementlen);
	for (at = 0; at < len; at = next) {
		if (insn_decode_kernel(&insn, buf + at) < 0) {
			pr_err("%s: section %s, entry %u: its replacement does not decode at byte %u\n",
			       mod->name, name, i, at);
			return -ENOEXEC;
		}
		next = at + insn.length;
		op = insn.opcode.bytes[0];
		if (!(op == JMP8_INSN_OPCODE || (op >= 0x70 && op <= 0x7f) ||
		      op == JMP32_INSN_OPCODE || op == CALL_INSN_OPCODE ||
		      (op == 0x0f && insn.opcode.bytes[1] >= 0x80 &&
		       insn.opcode.bytes[1] <= 0x8f)) ||
		    insn.immediate.nbytes == 4)
			continue;
		v = next + insn.immediate.value;
		if (v >= 0 && v <= a->replacementlen)
			continue;
		/* Added as apply_reloc() adds, in 32 bits. */
		v = (s32)(insn.immediate.value + moved);
		if (v == (insn.immediate.nbytes == 1 ? (s8)v : (s16)v))
			continue;
		pr_err("%s: section %s, entry %u: a jump at byte %u of its replacement no longer reaches once moved\n",
		       mod->name, name, i, at);
		return -ENOEXEC;
	}
	return 0;
}

static int klp_check_alternative(const struct module *mod, const char *name,
				 const void *list, unsigned int i,
				 unsigned int n)
{
	const struct alt_instr *a = (const struct alt_instr *)list + i;
	unsigned long instr = klp_alt_instr(a);
	unsigned long repl = (unsigned long)&a->repl_offset + a->repl_offset;
	unsigned int len = klp_alt_len(list, i, n);
	int err;

	if (klp_alt_feature(a) >= KLP_X86_FEATURE_BITS) {
		pr_err("%s: section %s, entry %u: feature %u is not one this kernel knows\n",
		       mod->name, name, i, klp_alt_feature(a));
		return -ENOEXEC;
	}
	/*
	 * The replacement is written over the original, which the
	 * assembler pads to be at least as long; the original's
	 * instructions are decoded, the last one whole (6.1 decodes them
	 * in place, 6.12 in a copy).
	 */
	if (len > KLP_X86_MAX_PATCH_LEN || a->replacementlen > len) {
		pr_err("%s: section %s, entry %u: lengths %u and %u: the replacement is longer than the original, or that above %u\n",
		       mod->name, name, i, len, a->replacementlen,
		       KLP_X86_MAX_PATCH_LEN);
		return -ENOEXEC;
	}
	if (!klp_mod_text_has(mod, instr, len,
			      len + (KLP_LINE_6_12 ? 0 : MAX_INSN_SIZE))) {
		pr_err("%s: section %s, entry %u: the %u bytes it replaces are not in the module's text\n",
		       mod->name, name, i, len);
		return -ENOEXEC;
	}
	if (!klp_mod_has(mod, repl, a->replacementlen)) {
		pr_err("%s: section %s, entry %u: its %u replacement bytes are not in the module\n",
		       mod->name, name, i, a->replacementlen);
		return -ENOEXEC;
	}
	err = klp_check_alt_call(mod, name, i, a, len);
	if (!err)
		err = klp_check_alt_moves(mod, name, i, a, len);
	return err;
}

#if KLP_X86_PARAINSTRUCTIONS
static_assert(sizeof(struct paravirt_patch_site) == KLP_X86_PARA_SIZE);

static int klp_check_paravirt(const struct module *mod, const char *name,
			      const void *list, unsigned int i,
			      unsigned int n)
{
	const struct paravirt_patch_site *p =
		(const struct paravirt_patch_site *)list + i;

	/* paravirt_patch() reads the operation at slot @type of pv_ops. */
	if (p->type >= sizeof(pv_ops) / sizeof(void *)) {
		pr_err("%s: section %s, entry %u: type %u is not an operation of this kernel's pv_ops\n",
		       mod->name, name, i, p->type);
		return -ENOEXEC;
	}
	if (p->len <= KLP_X86_MAX_PATCH_LEN &&
	    klp_mod_text_has(mod, (unsigned long)p->instr, p->len, p->len))
		return 0;
	pr_err("%s: section %s, entry %u: the %u bytes it patches are not in the module's text\n",
	       mod->name, name, i, p->len);
	return -ENOEXEC;
}
#endif

/*
 * The lists module_finalize() reads, by name, each one's entry size, and
 * the check of its entry @i (one message, naming @name and @i).
 */
static const struct klp_site_list {
	const char *name;
	unsigned int entsize;
	int (*check)(const struct module *mod, const char *name,
		     const void *list, unsigned int i,
		     unsigned int n);
} klp_site_lists[] = {
	{ ".retpoline_sites", KLP_X86_SITE_SIZE, klp_check_retpoline },
	{ ".return_sites", KLP_X86_SITE_SIZE, klp_check_return },
	{ ".ibt_endbr_seal", KLP_X86_SITE_SIZE, klp_check_endbr },
	{ ".smp_locks", KLP_X86_SITE_SIZE, klp_check_site },
	{ ".altinstructions", KLP_X86_ALT_SIZE, klp_check_alternative },
#if KLP_X86_PARAINSTRUCTIONS
	{ ".parainstructions", KLP_X86_PARA_SIZE, klp_check_paravirt },
#endif
#if KLP_LINE_6_12
	/* Call depth tracking (6.2 on) decodes these (callthunks.c). */
	{ ".call_sites", KLP_X86_SITE_SIZE, klp_check_call_site },
#endif
};

/**
 * arch_klp_check_sites() - refuse a patch whose code-patching lists point out
 * @mod: a livepatch module, laid out and relocated, before module_finalize()
 * @hdr: its ELF header
 * @sechdrs: its section headers, sh_addr where each section is now
 * @secstrings: its section name string table
 *
 * module_finalize() rewrites the instructions at every site of the lists
 * below, as it finds them by name (the last section of each name), and
 * decodes or copies bytes at each: a site that a relocation put outside
 * the module's own text would be read where nothing is mapped, or written
 * into another's code.  Each site must be in the module's text, with a
 * whole instruction's room after it, and hold what the list's patcher
 * takes (a jump to the return thunk, a call or jump to a retpoline thunk,
 * ENDBR64; it WARNs, or BUG()s, on others); alternatives' replacements in
 * the module, no longer than what they replace; their lengths and feature
 * bits ones this kernel takes (it BUG()s on others); and each list a
 * section the loader keeps.
 *
 * Return: 0, or -ENOEXEC after one message naming the section and entry.
 */
int arch_klp_check_sites(const struct module *mod, const Elf_Ehdr *hdr,
			 const Elf_Shdr *sechdrs, const char *secstrings)
{
	const Elf_Shdr *found[ARRAY_SIZE(klp_site_lists)] = { };
	const struct klp_site_list *l;
	const Elf_Shdr *sec;
	unsigned int i, n;
	int err;

	for (i = 1; i < hdr->e_shnum; i++) {
		const char *name = secstrings + sechdrs[i].sh_name;

		/* Every list's name starts with '.' and is longer than one. */
		if (name[0] != '.' || !name[1])
			continue;
		for (n = 0; n < ARRAY_SIZE(klp_site_lists); n++)
			if (name[1] == klp_site_lists[n].name[1] &&
			    !strcmp(name, klp_site_lists[n].name))
				found[n] = &sechdrs[i];
	}
	for (n = 0; n < ARRAY_SIZE(klp_site_lists); n++) {
		l = &klp_site_lists[n];
		sec = found[n];
		/*
		 * One the loader does not keep is read from the load image,
		 * where a SHT_NOBITS one has no bytes at all.
		 */
		if (!sec || !sec->sh_size)
			continue;
		if (!(sec->sh_flags & SHF_ALLOC)) {
			pr_err("%s: section %s: not SHF_ALLOC, so not in the module\n",
			       mod->name, l->name);
			return -ENOEXEC;
		}
		if (sec->sh_size % l->entsize) {
			pr_err("%s: section %s: size %llu is not a whole number of entries\n",
			       mod->name, l->name,
			       (unsigned long long)sec->sh_size);
			return -ENOEXEC;
		}
		for (i = 0; i < sec->sh_size / l->entsize; i++) {
			err = l->check(mod, l->name, (const void *)sec->sh_addr,
				       i, sec->sh_size / l->entsize);
			if (err)
				return err;
		}
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(arch_klp_check_sites);

/*
 * The instruction a jump entry's code field points at: a 2- or 5-byte NOP,
 * or a jump of that size to the entry's target.  x86's jump label code
 * BUG()s on anything else when it patches the site.  Sets @nop.
 */
static bool klp_jump_insn(const struct jump_entry *e, bool *nop)
{
	const u8 *code = (const u8 *)jump_entry_code(e);
	unsigned long target = jump_entry_target(e);

	if (!memcmp(code, x86_nops[2], 2) || !memcmp(code, x86_nops[5], 5)) {
		*nop = true;
		return true;
	}
	*nop = false;
	if (code[0] == JMP8_INSN_OPCODE)
		return (unsigned long)code + 2 + (s8)code[1] == target;
	if (code[0] == JMP32_INSN_OPCODE)
		return (unsigned long)code + 5 + *(const s32 *)(code + 1) ==
		       target;
	return false;
}

/**
 * arch_klp_check_jump_entry() - check a deferred jump entry at load
 * @mod: the livepatch module, relocated but for its module objects' entries
 * @name: the table's section name, for messages
 * @table: the table
 * @i: the entry
 *
 * Return: 0, or -ENOEXEC after one message.
 */
int arch_klp_check_jump_entry(const struct module *mod, const char *name,
			      const void *table, unsigned long i)
{
	const struct jump_entry *e = (const struct jump_entry *)table + i;
	unsigned long code = jump_entry_code(e);
	bool nop;

	if (!within_module_core(code, mod) ||
	    !klp_mod_text_has(mod, code, 1, JMP32_INSN_SIZE) ||
	    !within_module_core(jump_entry_target(e), mod) ||
	    !klp_mod_text_has(mod, jump_entry_target(e), 1, 1)) {
		pr_err("%s: section %s, jump entry %lu: its code or target is not in the module's text after init\n",
		       mod->name, name, i);
		return -ENOEXEC;
	}
	if (!klp_jump_insn(e, &nop)) {
		pr_err("%s: section %s, jump entry %lu: the code is neither a NOP nor a jump to the entry's target\n",
		       mod->name, name, i);
		return -ENOEXEC;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(arch_klp_check_jump_entry);

/**
 * arch_klp_check_jump_state() - check a jump entry before it is linked
 * @pname: the patch module's name
 * @obj: the module object's name
 * @table: its table, the key fields written
 * @i: the entry
 *
 * The code must be in its initial state for the key, as the compiler
 * wrote it and klp_jump_unlink() leaves it: the jump label code patches it
 * from there.
 *
 * Return: 0, or -ENOEXEC after one message.
 */
int arch_klp_check_jump_state(const char *pname, const char *obj,
			      const void *table, unsigned long i)
{
	struct jump_entry *e = (struct jump_entry *)table + i;
	bool nop;

	if (klp_jump_insn(e, &nop) &&
	    nop == (jump_label_init_type(e) == JUMP_LABEL_NOP))
		return 0;
	pr_err("%s: section .klp.jump_table.%s, jump entry %lu: the code is not the key's initial %s\n",
	       pname, obj, i, nop ? "jump" : "NOP");
	return -ENOEXEC;
}

/* A static call site's instruction: a call, or a jump for a tail call. */
static bool klp_call_insn(const u8 *site, bool tail)
{
	return site[0] == (tail ? JMP32_INSN_OPCODE : CALL_INSN_OPCODE);
}

/**
 * arch_klp_check_call_site() - check a deferred static call site at load
 * @mod: the livepatch module, relocated but for its module objects' entries
 * @name: the table's section name, for messages
 * @table: the table
 * @i: the site
 * @tail: the key field's flags say it is a tail call
 *
 * Return: 0, or -ENOEXEC after one message.
 */
int arch_klp_check_call_site(const struct module *mod, const char *name,
			     const void *table, unsigned long i, bool tail)
{
	const s32 *f = (const s32 *)table + 2 * i;
	unsigned long site = (unsigned long)f + *f;

	if (!within_module_core(site, mod) ||
	    !klp_mod_text_has(mod, site, CALL_INSN_SIZE, CALL_INSN_SIZE)) {
		pr_err("%s: section %s, static call site %lu: not in the module's text after init\n",
		       mod->name, name, i);
		return -ENOEXEC;
	}
	if (!klp_call_insn((const u8 *)site, tail)) {
		pr_err("%s: section %s, static call site %lu: not a %s\n",
		       mod->name, name, i, tail ? "jump (tail call)" : "call");
		return -ENOEXEC;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(arch_klp_check_call_site);

/**
 * arch_klp_check_call_state() - check a static call site before it is linked
 * @pname: the patch module's name
 * @mod: the module object, whose static calls are set up
 * @table: its table, the key fields and calls written
 * @i: the site
 * @tramp: set to where the call goes: the trampoline it was relocated to
 *
 * Return: 0, or -ENOEXEC after one message.
 */
int arch_klp_check_call_state(const char *pname, const struct module *mod,
			      const void *table, unsigned long i, void **tramp)
{
	const s32 *f = (const s32 *)table + 2 * i;
	const u8 *site = (const u8 *)f + *f;
	bool tail = ((unsigned long)(f + 1) + f[1]) & 1;

	if (klp_call_insn(site, tail)) {
		*tramp = (void *)(site + CALL_INSN_SIZE + *(const s32 *)(site + 1));
		if (klp_mod_text_has(mod, (unsigned long)*tramp, 1, 1))
			return 0;
	}
	pr_err("%s: section .klp.static_call_sites.%s, static call site %lu: not a %s to module %s's text\n",
	       pname, mod->name, i, tail ? "jump" : "call", mod->name);
	return -ENOEXEC;
}
