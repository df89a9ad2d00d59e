#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Spoil one field of a livepatch module, for test-klp-reloc.sh.

usage: klp-edit.py IN.ko OUT.ko EDIT [ARGS...]

  rela-offset SEC IDX VAL  set r_offset of entry IDX of section SEC
  rela-offset-end SEC IDX N  set r_offset of entry IDX to N bytes before the
                           end of the section it writes into
  rela-sym SEC IDX VAL     set the symbol index of entry IDX
  rela-sym-name SEC IDX NAME  point entry IDX at the symbol named NAME
  rela-to SEC IDX NAME     point entry IDX at the symbol named NAME, addend 0
  rela-type SEC IDX VAL    set the relocation type of entry IDX
  rela-addend SEC IDX VAL  add VAL to the addend of entry IDX
  rela-shift SEC IDX VAL   add VAL to r_offset of entry IDX
  rela-overlap SEC [DELTA] make SEC's last entry write over its first one,
                           DELTA bytes after it (default 0)
  rela-onto-plain SEC IDX  make entry IDX write where the first entry of the
                           ordinary relocation section of its target writes
  sh-link SEC VAL          set SEC's sh_link (VAL may be 'self')
  sh-size SEC VAL          set SEC's sh_size
  rename OLD NEW           replace OLD by NEW, of the same length, in every
                           section and symbol name
  sh-type SEC VAL          set SEC's sh_type
  sh-clear-flags SEC VAL   clear bits VAL in SEC's sh_flags
  sh-addralign SEC VAL     set SEC's sh_addralign
  sym-st-name NAME VAL     set st_name of the symbol named NAME
  sec-byte SEC OFF VAL     set the byte at offset OFF of SEC's contents
  no-livepatch-modinfo     hide the livepatch=Y modinfo
  livepatch-modinfo C      make the livepatch=Y modinfo livepatch=C

A NAME that ends in '*' is the first symbol whose name begins so.
IDX may also be @SYM+OFF: the entry of SEC that writes at symbol SYM's
value plus OFF (say @funcs+8, a klp_func's new_func); =SYM: the first
entry of SEC whose symbol is SYM; %TYPE: the first entry of that type.
Only x86-64 little-endian ELF is handled; values may be given in hex.
"""
import struct
import sys

SHDR = struct.Struct('<IIQQQQIIQQ')
RELA = struct.Struct('<QQq')


class Elf:
    def __init__(self, data):
        self.data = bytearray(data)
        shoff, = struct.unpack_from('<Q', self.data, 0x28)
        shnum, shstrndx = struct.unpack_from('<HH', self.data, 0x3c)
        self.shoff, self.shnum = shoff, shnum
        strsec = self.shdr(shstrndx)
        self.shstr = bytes(self.data[strsec[4]:strsec[4] + strsec[5]])

    def shdr(self, i):
        return list(SHDR.unpack_from(self.data, self.shoff + i * SHDR.size))

    def set_shdr(self, i, hdr):
        SHDR.pack_into(self.data, self.shoff + i * SHDR.size, *hdr)

    def name(self, hdr):
        end = self.shstr.index(b'\0', hdr[0])
        return self.shstr[hdr[0]:end].decode()

    def find(self, name):
        for i in range(self.shnum):
            if self.name(self.shdr(i)) == name:
                return i
        sys.exit('klp-edit: no section ' + name)

    def symbol_entry(self, name):
        """The file offset of the symbol named NAME."""
        for i in range(self.shnum):
            hdr = self.shdr(i)
            if hdr[1] == 2:		# SHT_SYMTAB
                return hdr[4] + self.symbol(name) * 24
        sys.exit('klp-edit: no symbol table')

    def symbol(self, name):
        for i in range(self.shnum):
            hdr = self.shdr(i)
            if hdr[1] != 2:		# SHT_SYMTAB
                continue
            strs = self.shdr(hdr[6])
            for n in range(hdr[5] // 24):
                st_name, = struct.unpack_from('<I', self.data, hdr[4] + n * 24)
                start = strs[4] + st_name
                end = self.data.index(b'\0', start)
                found = self.data[start:end].decode()
                if found == name or (name.endswith('*') and
                                     found.startswith(name[:-1])):
                    return n
        sys.exit('klp-edit: no symbol ' + name)

    def rela_at(self, sec, where):
        """The index of the entry of SEC writing at @SYM+OFF."""
        name, _, off = where[1:].partition('+')
        sym = self.symbol_entry(name)
        at = struct.unpack_from('<Q', self.data, sym + 8)[0] + int(off or '0', 0)
        hdr = self.shdr(sec)
        for idx in range(hdr[5] // RELA.size):
            if self.rela(sec, idx)[1][0] == at:
                return idx
        sys.exit('klp-edit: no entry of that section writes at ' + where)

    def rela_first(self, sec, what):
        """The index of the first entry of SEC to =SYM, or of type %TYPE."""
        hdr = self.shdr(sec)
        for idx in range(hdr[5] // RELA.size):
            info = self.rela(sec, idx)[1][1]
            if what[0] == '=' and info >> 32 == self.symbol(what[1:]):
                return idx
            if what[0] == '%' and info & 0xffffffff == int(what[1:], 0):
                return idx
        sys.exit('klp-edit: no entry of that section is ' + what)

    def plain_rela_of(self, target):
        for i in range(self.shnum):
            hdr = self.shdr(i)
            if hdr[1] == 4 and not hdr[2] & 0x100000 and hdr[7] == target:
                return i
        sys.exit('klp-edit: no ordinary relocation section for the target')

    def rela(self, sec, idx):
        hdr = self.shdr(sec)
        if idx < 0:
            idx += hdr[5] // RELA.size
        off = hdr[4] + idx * RELA.size
        return off, list(RELA.unpack_from(self.data, off))


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    elf = Elf(open(argv[1], 'rb').read())
    edit, args = argv[3], argv[4:]
    if edit.startswith('rela-') and edit != 'rela-overlap' and \
            args[1:2] and args[1].startswith('@'):
        args[1] = str(elf.rela_at(elf.find(args[0]), args[1]))
    if edit.startswith('rela-') and args[1:2] and args[1][:1] in '=%':
        args[1] = str(elf.rela_first(elf.find(args[0]), args[1]))
    if edit in ('rela-sym-name', 'rela-to'):
        if edit == 'rela-to':
            off, r = elf.rela(elf.find(args[0]), int(args[1], 0))
            r[2] = 0
            RELA.pack_into(elf.data, off, *r)
        edit, args = 'rela-sym', args[:2] + [str(elf.symbol(args[2]))]
    if edit == 'sh-link' and args[1:] == ['self']:
        args = [args[0], str(elf.find(args[0]))]
    if edit == 'rename':
        old, new = args[0].encode(), args[1].encode()
        if len(old) != len(new):
            sys.exit('klp-edit: rename needs names of one length')
        found = 0
        for i in range(elf.shnum):
            hdr = elf.shdr(i)
            if hdr[1] != 3:		# SHT_STRTAB
                continue
            tab = bytes(elf.data[hdr[4]:hdr[4] + hdr[5]])
            found += tab.count(old)
            elf.data[hdr[4]:hdr[4] + hdr[5]] = tab.replace(old, new)
        if not found:
            sys.exit('klp-edit: no name contains ' + args[0])
        open(argv[2], 'wb').write(elf.data)
        return
    num = [int(a, 0) for a in args[1:]]
    if edit == 'rela-onto-plain':
        sec = elf.find(args[0])
        _, plain = elf.rela(elf.plain_rela_of(elf.shdr(sec)[7]), 0)
        edit, num = 'rela-offset', [num[0], plain[0]]
    if edit.startswith('rela-') and edit != 'rela-overlap':
        off, r = elf.rela(elf.find(args[0]), num[0])
        sym, typ = r[1] >> 32, r[1] & 0xffffffff
        if edit == 'rela-offset':
            r[0] = num[1]
        elif edit == 'rela-offset-end':
            r[0] = elf.shdr(elf.shdr(elf.find(args[0]))[7])[5] - num[1]
        elif edit == 'rela-sym':
            sym = num[1]
        elif edit == 'rela-type':
            typ = num[1]
        elif edit == 'rela-addend':
            r[2] += num[1]
        elif edit == 'rela-shift':
            r[0] = (r[0] + num[1]) % (1 << 64)
        r[1] = (sym << 32) | typ
        RELA.pack_into(elf.data, off, *r)
    elif edit == 'rela-overlap':
        sec = elf.find(args[0])
        off0, first = elf.rela(sec, 0)
        off, last = elf.rela(sec, -1)
        last[0] = first[0] + (num[0] if num else 0)
        last[1] = (last[1] & ~0xffffffff) | (first[1] & 0xffffffff)
        RELA.pack_into(elf.data, off, *last)
    elif edit == 'sh-type':
        sec = elf.find(args[0])
        hdr = elf.shdr(sec)
        hdr[1] = num[0]
        elf.set_shdr(sec, hdr)
    elif edit in ('sh-link', 'sh-size'):
        sec = elf.find(args[0])
        hdr = elf.shdr(sec)
        hdr[6 if edit == 'sh-link' else 5] = num[0]
        elf.set_shdr(sec, hdr)
    elif edit == 'sh-addralign':
        sec = elf.find(args[0])
        hdr = elf.shdr(sec)
        hdr[8] = num[0]
        elf.set_shdr(sec, hdr)
    elif edit == 'sec-byte':
        hdr = elf.shdr(elf.find(args[0]))
        if not 0 <= num[0] < hdr[5]:
            sys.exit('klp-edit: offset %d is outside %s' % (num[0], args[0]))
        elf.data[hdr[4] + num[0]] = num[1] & 0xff
    elif edit == 'sym-st-name':
        struct.pack_into('<I', elf.data, elf.symbol_entry(args[0]), num[0])
    elif edit == 'sh-clear-flags':
        sec = elf.find(args[0])
        hdr = elf.shdr(sec)
        hdr[2] &= ~num[0]
        elf.set_shdr(sec, hdr)
    elif edit == 'no-livepatch-modinfo':
        pos = elf.data.find(b'\0livepatch=Y\0')
        if pos < 0:
            sys.exit('klp-edit: no livepatch modinfo')
        elf.data[pos + 1:pos + 2] = b'X'
    elif edit == 'livepatch-modinfo':
        pos = elf.data.find(b'\0livepatch=Y\0')
        if pos < 0 or len(args[0].encode()) != 1:
            sys.exit('klp-edit: no livepatch modinfo, or not one character')
        elf.data[pos + 11:pos + 12] = args[0].encode()
    else:
        sys.exit('klp-edit: unknown edit ' + edit)
    open(argv[2], 'wb').write(elf.data)


if __name__ == '__main__':
    main(sys.argv)
