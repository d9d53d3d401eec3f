"""Word completion: candidates are the words of the open buffers (counted once per buffer
revision) and of the workspace (read once, on the first completion, then cached per file
by (size, mtime)). Ranked by how often a word occurs, then alphabetically."""

from __future__ import annotations

import os
import re
from collections import Counter

from kiro_proto import plugin_api as kp

WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]{2,}")
TEXT_SUFFIXES = {".py", ".js", ".ts", ".rs", ".go", ".c", ".h", ".md", ".txt", ".toml",
                 ".json", ".yaml", ".yml", ".sh", ".html", ".css", ".rst"}
SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox"}
MAX_FILE = 1024 * 1024
MAX_FILES = 5000
MAX_CHOICES = 20

_buffer_words: dict[int, tuple[int, Counter]] = {}  # doc_id -> (revision, words)
_file_words: dict[str, tuple[tuple[int, float], Counter]] = {}  # path -> (stamp, words)
_workspace_built: set[str] = set()


def words_of(text: str) -> Counter:
    return Counter(WORD.findall(text))


def _buffer(buf: kp.Buffer) -> Counter:
    cached = _buffer_words.get(buf.doc_id)
    if cached is None or cached[0] != buf.revision:
        cached = (buf.revision, words_of(buf.text()))
        _buffer_words[buf.doc_id] = cached
    return cached[1]


def _workspace(root: str) -> Counter:
    total: Counter = Counter()
    seen = 0
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not d.startswith(".")]
        for name in files:
            if os.path.splitext(name)[1] not in TEXT_SUFFIXES:
                continue
            seen += 1
            if seen > MAX_FILES:
                return total
            path = os.path.join(folder, name)
            try:
                st = os.stat(path)
            except OSError:
                continue
            stamp = (st.st_size, st.st_mtime)
            cached = _file_words.get(path)
            if cached is None or cached[0] != stamp:
                if st.st_size > MAX_FILE:
                    continue
                try:
                    with open(path, "rb") as f:
                        text = f.read().decode("utf-8", "replace")
                except OSError:
                    continue
                cached = (stamp, words_of(text))
                _file_words[path] = cached
            total.update(cached[1])
    return total


def prefix_at(line: str, col: int) -> str:
    m = re.search(r"[A-Za-z0-9_]*$", line[:col])
    return m.group(0) if m else ""


def candidates(prefix: str, pools: list[Counter], limit: int = MAX_CHOICES) -> list[str]:
    scores: Counter = Counter()
    for pool in pools:
        for word, n in pool.items():
            if word.startswith(prefix) and word != prefix:
                scores[word] += n
    return [w for w, _ in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]


def activate(ctx: kp.Context) -> None:
    workspace_words: dict[str, Counter] = {}

    @ctx.command("complete.word")
    def complete(ctx: kp.Context, args: dict) -> dict:
        buf = ctx.buffer(args.get("doc_id", -1))
        if buf is None:
            return kp.message("No buffer.")
        lines = buf.lines()
        row = min(int(args.get("row", 0)), len(lines) - 1)
        prefix = prefix_at(lines[row], int(args.get("col", 0)))
        if not prefix:
            return kp.message("Type the start of a word first.")
        pools = [_buffer(b) for b in ctx.buffers()]
        if ctx.workspace:
            if ctx.workspace not in workspace_words:  # built lazily, once
                workspace_words[ctx.workspace] = _workspace(ctx.workspace)
            pools.append(workspace_words[ctx.workspace])
        choices = candidates(prefix, pools)
        if not choices:
            return kp.message(f"No words start with {prefix!r}.")
        return kp.insert(choices, prefix)

    ctx.on("closed", lambda ctx, buf: _buffer_words.pop(buf.doc_id, None))
