#!/usr/bin/env python3
"""Deterministic generator of realistic-looking Python source files.

    python bench/gen.py --size 1MB OUT.py
    python bench/gen.py --size 100MB --seed 3 OUT.py

Importable:

    from bench.gen import generate_python
    data = generate_python(1_000_000, seed=0)   # exactly 1_000_000 bytes

How it works: a seeded ``random.Random`` builds a pool of a few hundred
varied top-level blocks (classes, functions, constants, comments,
docstrings, strings, numbers, nested indentation).  The file is then
filled by cycling through the pool; each repetition gets a distinct
numeric suffix on its identifiers, so names do not repeat.  The output
is valid Python, is exactly ``n_bytes`` long (padded with comment lines)
and is byte-for-byte identical for the same ``(n_bytes, seed)``.

The first line of every file is ``MARKER`` (a comment) so that tools can
detect when the file's content has been painted on screen.
"""

from __future__ import annotations

import argparse
import random
import sys
import time

MARKER = "# TYPOMETER-MARKER kiro-proto benchmark file"

# Token in templates that is replaced by a per-repetition suffix.
_SUFFIX = "\x00"

_UNITS = {
    "": 1,
    "B": 1,
    "KB": 1000,
    "MB": 1000**2,
    "GB": 1000**3,
    "K": 1000,
    "M": 1000**2,
    "G": 1000**3,
    "KIB": 1024,
    "MIB": 1024**2,
    "GIB": 1024**3,
}


def parse_size(text: str) -> int:
    """Parse '100KB', '1MB', '2.5MiB', '12345' into a byte count (KB=1000)."""
    s = text.strip().upper().replace("_", "")
    i = len(s)
    while i > 0 and s[i - 1].isalpha():
        i -= 1
    number, unit = s[:i], s[i:]
    if unit not in _UNITS or not number:
        raise ValueError(f"bad size: {text!r} (use e.g. 100KB, 1MB, 1.5MiB)")
    return int(float(number) * _UNITS[unit])


def format_size(n: int) -> str:
    """Inverse of parse_size for round numbers: 1000000 -> '1MB'."""
    for unit in ("GB", "MB", "KB"):
        factor = _UNITS[unit]
        if n >= factor and n % factor == 0:
            return f"{n // factor}{unit}"
    return f"{n}B"


_WORDS = (
    "buffer cursor line column token range span node tree parse render paint "
    "frame cache index offset delta edit undo redo history selection anchor "
    "viewport scroll width height style theme color syntax query capture "
    "event message queue worker task timer clock budget sample metric report "
    "config option value default limit count total size length chunk block "
    "piece table rope leaf branch weight balance split merge insert delete "
    "search match pattern result score rank filter sort group batch stream "
    "reader writer encoder decoder codec path file folder project session"
).split()

_TYPES = ("int", "str", "float", "bool", "bytes", "list[int]", "dict[str, int]",
          "tuple[int, int]", "Optional[str]", "Sequence[str]", "Node", "Span")

_SENTENCES = (
    "Return the number of items that match the given predicate.",
    "Compute the visible range for the current viewport.",
    "Split the chunk at the given offset and rebalance the tree.",
    "This is a slow path; callers should cache the result.",
    "Apply the edit and record it in the undo history.",
    "Translate a byte offset into a (line, column) pair.",
    "Yield every node whose span overlaps the query range.",
    "Raise ValueError when the input is not well formed.",
    "The result is memoised per generation of the buffer.",
    "Merge adjacent pieces that share the same source buffer.",
    "Called from the render loop; must not block on I/O.",
    "See the design notes for the invariants kept here.",
)

_COMMENTS = (
    "TODO: handle the empty case without allocating",
    "NOTE: this mirrors the behaviour of the reference implementation",
    "FIXME: quadratic in the worst case",
    "keep this in sync with the schema version",
    "fast path: nothing changed since the last frame",
    "the cache is invalidated on every edit",
    "offsets are in bytes, columns are in cells",
    "see issue 1234 for the background",
)


class _Gen:
    def __init__(self, rng: random.Random) -> None:
        self.r = rng

    def name(self, parts: int = 2) -> str:
        r = self.r
        return "_".join(r.choice(_WORDS) for _ in range(parts)) + _SUFFIX

    def cls_name(self) -> str:
        r = self.r
        return "".join(r.choice(_WORDS).capitalize() for _ in range(r.randint(2, 3))) + _SUFFIX

    def literal(self) -> str:
        r = self.r
        k = r.randrange(9)
        if k == 0:
            return str(r.randint(0, 100000))
        if k == 1:
            return f"{r.uniform(0, 1000):.4f}"
        if k == 2:
            return hex(r.randrange(1 << 32))
        if k == 3:
            return repr(" ".join(r.choice(_WORDS) for _ in range(r.randint(1, 5))))
        if k == 4:
            return f'f"{{{r.choice(_WORDS)}!r}} at {{{r.randint(0, 99)}:>4}}"'
        if k == 5:
            return "[" + ", ".join(str(r.randint(0, 999)) for _ in range(r.randint(0, 8))) + "]"
        if k == 6:
            return r.choice(("None", "True", "False"))
        if k == 7:
            return f"b\"\\x{r.randrange(256):02x}{r.choice(_WORDS)}\""
        return "{" + ", ".join(f"{r.choice(_WORDS)!r}: {r.randint(0, 99)}" for _ in range(r.randint(1, 4))) + "}"

    def expr(self, names: list[str]) -> str:
        r = self.r
        a = r.choice(names)
        k = r.randrange(6)
        if k == 0:
            return f"{a} {r.choice('+-*%')} {r.randint(1, 64)}"
        if k == 1:
            return f"len({a}) > {r.randint(0, 16)}"
        if k == 2:
            return f"self.{r.choice(_WORDS)}({a}, {self.literal()})"
        if k == 3:
            return f"[x for x in {a} if x is not None]"
        if k == 4:
            return f"{a}.get({r.choice(_WORDS)!r}, {self.literal()})"
        return self.literal()

    def body(self, names: list[str], indent: str, depth: int) -> list[str]:
        r = self.r
        out: list[str] = []
        for _ in range(r.randint(2, 6)):
            k = r.randrange(10)
            if depth >= 3 and k in (4, 5, 6):
                k = 8
            if k < 3:
                var = r.choice(_WORDS)
                out.append(f"{indent}{var} = {self.expr(names)}")
                names.append(var)
            elif k == 3:
                out.append(f"{indent}# {r.choice(_COMMENTS)}")
                out.append(f"{indent}{r.choice(names)}.append({self.expr(names)})")
            elif k == 4 and depth < 3:
                out.append(f"{indent}if {self.expr(names)}:")
                out.extend(self.body(names, indent + "    ", depth + 1))
                if r.random() < 0.5:
                    out.append(f"{indent}else:")
                    out.extend(self.body(names, indent + "    ", depth + 1))
            elif k == 5 and depth < 3:
                var = r.choice(_WORDS)
                out.append(f"{indent}for {var} in range({r.randint(1, 100)}):")
                out.extend(self.body(names + [var], indent + "    ", depth + 1))
            elif k == 6 and depth < 3:
                out.append(f"{indent}try:")
                out.extend(self.body(names, indent + "    ", depth + 1))
                out.append(f"{indent}except (KeyError, ValueError) as exc:")
                out.append(f"{indent}    raise RuntimeError({r.choice(_SENTENCES)!r}) from exc")
            elif k == 7:
                out.append(f"{indent}assert {self.expr(names)}, {r.choice(_SENTENCES)!r}")
            else:
                out.append(f"{indent}{r.choice(names)}.append({self.expr(names)})")
        return out

    def docstring(self, indent: str) -> list[str]:
        r = self.r
        lines = [f'{indent}"""{r.choice(_SENTENCES)}']
        if r.random() < 0.6:
            lines.append("")
            for s in r.sample(_SENTENCES, r.randint(1, 3)):
                lines.append(f"{indent}{s}")
            lines.append("")
            lines.append(f"{indent}Args:")
            for _ in range(r.randint(1, 3)):
                lines.append(f"{indent}    {r.choice(_WORDS)}: {r.choice(_SENTENCES)}")
        lines.append(f'{indent}"""')
        return lines

    def function(self, indent: str = "", method: bool = False) -> list[str]:
        r = self.r
        pnames = list(dict.fromkeys(r.choice(_WORDS) for _ in range(r.randint(0, 4))))
        params = [f"{p}: {r.choice(_TYPES)}" for p in pnames]
        if r.random() < 0.3:
            params.append(f"{r.choice(_WORDS)}_default: int = {r.randint(0, 9)}")
        names = [p.split(":")[0] for p in params] or ["self" if method else "args"]
        if method:
            params.insert(0, "self")
        out = []
        if method and r.random() < 0.2:
            out.append(f"{indent}@property")
        elif r.random() < 0.15:
            out.append(f"{indent}@functools.lru_cache(maxsize={r.choice((None, 128, 1024))})")
        head = "async def" if r.random() < 0.1 else "def"
        out.append(f"{indent}{head} {self.name()}({', '.join(params)}) -> {r.choice(_TYPES)}:")
        if r.random() < 0.7:
            out.extend(self.docstring(indent + "    "))
        out.extend(self.body(list(names), indent + "    ", 1))
        out.append(f"{indent}    return {self.expr(names)}")
        return out

    def klass(self) -> list[str]:
        r = self.r
        out = []
        if r.random() < 0.3:
            out.append("@dataclasses.dataclass")
        base = r.choice(("", "(object)", "(Exception)", "(Base)", "(Generic[T])"))
        out.append(f"class {self.cls_name()}{base}:")
        out.extend(self.docstring("    "))
        for _ in range(r.randint(0, 3)):
            out.append(f"    {r.choice(_WORDS)}: {r.choice(_TYPES)} = {self.literal()}")
        for _ in range(r.randint(1, 5)):
            out.append("")
            out.extend(self.function("    ", method=True))
        return out

    def constants(self) -> list[str]:
        r = self.r
        out = [f"# --- {r.choice(_COMMENTS)} ---"]
        for _ in range(r.randint(2, 6)):
            out.append(f"{self.name().upper()} = {self.literal()}")
        if r.random() < 0.5:
            out.append(f"{self.name().upper()} = (")
            for _ in range(r.randint(2, 6)):
                out.append(f"    {self.literal()},")
            out.append(")")
        return out

    def block(self) -> str:
        k = self.r.randrange(10)
        if k < 4:
            lines = self.klass()
        elif k < 8:
            lines = self.function()
        else:
            lines = self.constants()
        return "\n".join(lines) + "\n\n\n"


_HEADER = f'''{MARKER}
"""Generated module used to benchmark editors.

It looks like ordinary application code but does nothing useful.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Generic, Optional, Sequence, TypeVar

T = TypeVar("T")
Node = Span = object


class Base:
    """Common base class."""


'''


def _pool(seed: int, count: int = 256) -> list[str]:
    g = _Gen(random.Random(seed))
    return [g.block() for _ in range(count)]


def _pad(n: int) -> str:
    """Exactly n bytes of comment lines (valid Python)."""
    out = []
    while n > 2:
        if n <= 80:
            w = n
        elif n - 80 >= 3:
            w = 80
        else:
            w = n - 3
        out.append("#" + "." * (w - 2) + "\n")
        n -= w
    out.append("\n" * n)
    return "".join(out)


def generate_python(n_bytes: int, seed: int = 0) -> bytes:
    """Return exactly n_bytes of valid, realistic-looking Python source.

    The same (n_bytes, seed) always gives the same bytes.  The first line
    is MARKER (when n_bytes is large enough to hold it).
    """
    header = _HEADER.encode()
    if n_bytes <= len(header):
        return header[:n_bytes]
    pool = _pool(seed)
    parts = [header]
    total = len(header)
    rep = 0
    while True:
        sfx = "" if rep == 0 else f"_{rep}"
        done = False
        for blk in pool:
            b = blk.replace(_SUFFIX, sfx).encode()
            if total + len(b) > n_bytes:
                done = True
                break
            parts.append(b)
            total += len(b)
        if done:
            break
        rep += 1
    parts.append(_pad(n_bytes - total).encode())
    data = b"".join(parts)
    assert len(data) == n_bytes, (len(data), n_bytes)
    return data


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", required=True, help="e.g. 100KB, 1MB, 10MB, 100MB (KB=1000 B, KiB=1024 B)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("out", help="output file ('-' for stdout)")
    args = ap.parse_args(argv)
    n = parse_size(args.size)
    t0 = time.perf_counter()
    data = generate_python(n, args.seed)
    if args.out == "-":
        sys.stdout.buffer.write(data)
    else:
        with open(args.out, "wb") as f:
            f.write(data)
        print(f"wrote {len(data)} bytes to {args.out} in {time.perf_counter() - t0:.2f} s",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
