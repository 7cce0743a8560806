#!/usr/bin/env python3
"""Writes src/Gatehouse.Core/Users/Nfkc.txt: the Unicode data IdentifierNormalizer needs, because .NET runs with
InvariantGlobalization (no ICU), where string.Normalize does nothing. Regenerate with a newer Python for a newer
Unicode version: scripts/unicode/nfkc-table.py > src/Gatehouse.Core/Users/Nfkc.txt

Lines: "M cp mapping..." (NFKC of that single code point, when it differs) and "C first second composed" (the
canonical pairs NFC composes). Hex code points."""
import sys
import unicodedata

out = sys.stdout
out.write(f"# Unicode {unicodedata.unidata_version} NFKC data for IdentifierNormalizer, written by scripts/unicode/nfkc-table.py\n")
for cp in range(0x110000):
    if 0xD800 <= cp <= 0xDFFF:
        continue
    ch = chr(cp)
    nfkc = unicodedata.normalize("NFKC", ch)
    if nfkc != ch:
        out.write("M %X %s\n" % (cp, " ".join("%X" % ord(c) for c in nfkc)))
for cp in range(0x110000):
    if 0xD800 <= cp <= 0xDFFF:
        continue
    ch = chr(cp)
    d = unicodedata.decomposition(ch)
    if d and not d.startswith("<"):
        parts = d.split()
        if len(parts) == 2:
            pair = chr(int(parts[0], 16)) + chr(int(parts[1], 16))
            if unicodedata.normalize("NFC", pair) == ch:
                out.write("C %s %s %X\n" % (parts[0], parts[1], cp))
