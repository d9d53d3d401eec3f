"""TODO/FIXME finder: walks the workspace (skipping VCS folders, binary and large files),
caches each file's notes by (size, mtime), lists them for go-to, and marks the notes of
open buffers as decorations and information diagnostics."""

from __future__ import annotations

import os
import re

from kiro_proto import plugin_api as kp

NOTE = re.compile(r"\b(TODO|FIXME|XXX|HACK)\b[:\s]?(.*)")
SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox"}
MAX_FILE = 2 * 1024 * 1024
MAX_FILES = 20_000
MAX_RESULTS = 2000

_cache: dict[str, tuple[tuple[int, float], list[tuple[int, int, int, str]]]] = {}


def notes_in(text: str) -> list[tuple[int, int, int, str]]:
    """(row, col, end_col, line) of every note's keyword, 0-based, columns in characters."""
    found = []
    for row, line in enumerate(text.split("\n")):
        m = NOTE.search(line)
        if m:
            found.append((row, m.start(1), m.end(1), line.strip()[:200]))
    return found


def _file_notes(path: str) -> list[tuple[int, int, int, str]]:
    try:
        st = os.stat(path)
    except OSError:
        return []
    key = (st.st_size, st.st_mtime)
    cached = _cache.get(path)
    if cached is not None and cached[0] == key:
        return cached[1]
    notes: list[tuple[int, int, int, str]] = []
    if st.st_size <= MAX_FILE:
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            data = b""
        if b"\0" not in data[:8192]:
            notes = notes_in(data.decode("utf-8", "replace"))
    _cache[path] = (key, notes)
    return notes


def scan(root: str) -> list[tuple[str, int, int, str]]:
    """(path, row, col, line) for the workspace under ``root``."""
    results = []
    seen = 0
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        for name in sorted(files):
            seen += 1
            if seen > MAX_FILES or len(results) >= MAX_RESULTS:
                return results
            path = os.path.join(folder, name)
            results.extend((path, r, c, line) for r, c, _end, line in _file_notes(path))
    return results


def _mark(ctx: kp.Context, buf: kp.Buffer) -> None:
    notes = notes_in(buf.text())
    ctx.set_decorations(buf.doc_id, [kp.Decoration(r, c, end, "Generic.Strong")
                                     for r, c, end, _ in notes])
    ctx.set_diagnostics(buf.doc_id, [kp.Diagnostic(r, c, end, text, "information")
                                     for r, c, end, text in notes])


def activate(ctx: kp.Context) -> None:
    @ctx.command("todo.find")
    def find(ctx: kp.Context, args: dict) -> dict:
        root = ctx.workspace or (os.path.dirname(args["path"]) if args.get("path") else None)
        items = []
        buf = ctx.buffer(args.get("doc_id", -1))
        if root:
            for path, row, col, line in scan(root):
                items.append((f"{os.path.relpath(path, root)}:{row + 1}  {line}", path, row, col))
        elif buf is not None:
            items = [(f"{row + 1}  {line}", None, row, col)
                     for row, col, _end, line in notes_in(buf.text())]
        if not items:
            return kp.message("No TODO or FIXME notes found.")
        return kp.pick(f"{len(items)} notes", items)

    ctx.on("opened", _mark)
    ctx.on("changed", _mark)
