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
 */

#include <linux/elf.h>
#include <linux/klp_reloc_arch.h>
#include <linux/klp_rules.h>
#include <linux/memory.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <linux/ftrace.h>
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

/**
 * arch_klp_write() - store bytes into a patch module
 * @pmod: the patch module
 * @loc: destination inside @pmod
 * @src: bytes to store
 * @len: how many
 *
 * Context: between arch_klp_write_begin() and arch_klp_write_end().
 */
void arch_klp_write(struct module *pmod, void *loc, const void *src,
		    size_t len)
{
	if (klp_write_early(pmod))
		memcpy(loc, src, len);
	else
		text_poke(loc, src, len);
}

/**
 * arch_klp_write_end() - finish a batch of arch_klp_write() calls
 * @pmod: the patch module written into
 *
 * Makes the new bytes visible to every CPU before text_mutex is dropped.
 */
void arch_klp_write_end(struct module *pmod)
{
	if (klp_write_early(pmod))
		return;
	text_poke_sync();
	mutex_unlock(&text_mutex);
}

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
