"""The workspace worker process: walks a workspace (respecting .gitignore) to build the
file index, checks a persistent index against the disk incrementally, and runs project
searches, so neither the directory walk nor the file reads ever take the UI's GIL.

Run as ``python -m kiro_proto.engine._workspace_worker``; speaks msgpack-RPC frames on
stdin/stdout (``_frames.py``). Work is pulled in bounded steps (``index_next``,
``search_next``: each runs for at most a given budget), so the owner sets the pace and
cancels by not asking for more.
"""

from __future__ import annotations

import os
import stat
import time
from typing import Iterator

from ..core import Finder, IgnoreRules, SearchError
from ._cachefile import CacheFile
from ._frames import REQUEST, RESPONSE, pack_frame, read_frame, serve_worker

__all__ = ["IndexScan", "FileSearch", "walk_files", "INDEX_HEADER", "INDEX_DIR"]

INDEX_HEADER, INDEX_DIR = 1, 2  # entry types of an index cache file
BATCH = 1_000  # paths per answer at most: the UI adds one to its index in about 1 ms
SKIP_DIRS = frozenset({".git", ".hg", ".svn"})
SEARCH_MAX_FILE = 16 * 1024 * 1024  # bytes: larger files are not searched
SNIFF = 8192  # a NUL in the first bytes marks a binary file (skipped by search)
MAX_LINE = 400  # characters of a matching line that are sent back


def _join(rel: str, name: str) -> str:
    return f"{rel}/{name}" if rel else name


def _gitignore(root: str, rel: str) -> tuple[int, str]:
    path = os.path.join(root, rel, ".gitignore")
    try:
        st = os.stat(path)
        with open(path, encoding="utf-8", errors="replace") as f:
            return st.st_mtime_ns, f.read(64 * 1024)
    except OSError:
        return 0, ""


def _list(root: str, rel: str, rules: IgnoreRules) -> tuple[list[str], list[str]]:
    """(files, folders) directly in ``rel``, names only, ignored ones left out."""
    files, dirs = [], []
    try:
        with os.scandir(os.path.join(root, rel) if rel else root) as it:
            for entry in it:
                name = entry.name
                try:
                    is_dir = entry.is_dir(follow_symlinks=False)  # no symlink loops
                except OSError:
                    continue
                if is_dir and name in SKIP_DIRS:
                    continue
                if rules and rules.ignored(_join(rel, name), is_dir):
                    continue
                (dirs if is_dir else files).append(name)
    except OSError:
        pass
    files.sort()
    dirs.sort()
    return files, dirs


class IndexScan:
    """One walk of a workspace. ``old``: the directory table of the persistent index
    (``{rel: [mtime_ns, gitignore_mtime_ns, gitignore_text, files, dirs]}``). A folder
    whose mtime and .gitignore are unchanged (and whose ancestors' rules are unchanged) is
    not listed again: its cached entry is reused, only its sub-folders are visited.
    ``step(budget)`` returns ``(added, removed, done)`` relative to what the owner was given.
    """

    def __init__(self, root: str, old: dict | None = None) -> None:
        self.root = root
        self.old = old or {}
        self.table: dict[str, list] = {}
        self._stack: list[tuple[str, IgnoreRules, bool]] = [("", IgnoreRules(), False)]
        self.listed = self.reused = 0
        self.total = 0
        self.done = False

    def cached_paths(self) -> Iterator[str]:
        for rel, record in self.old.items():
            for name in record[3]:
                yield _join(rel, name)

    def _removed_subtree(self, rel: str) -> Iterator[str]:
        record = self.old.get(rel)
        if record is None:
            return
        for name in record[3]:
            yield _join(rel, name)
        for name in record[4]:
            yield from self._removed_subtree(_join(rel, name))

    def step(self, budget: float, limit: int = BATCH) -> tuple[list[str], list[str], bool]:
        deadline = time.perf_counter() + budget
        added: list[str] = []
        removed: list[str] = []
        stack = self._stack
        while stack and len(added) + len(removed) < limit:
            rel, rules, dirty = stack.pop()
            path = os.path.join(self.root, rel) if rel else self.root
            try:
                mtime = os.stat(path).st_mtime_ns
            except OSError:
                continue
            ign_mtime, ign_text = _gitignore(self.root, rel)
            old = self.old.get(rel)
            if old is not None and not dirty and old[0] == mtime and old[1] == ign_mtime:
                record = old
                self.reused += 1
            else:
                child = rules.child(rel, ign_text) if ign_text else rules
                files, dirs = _list(self.root, rel, child)
                record = [mtime, ign_mtime, ign_text, files, dirs]
                self.listed += 1
                dirty = dirty or old is None or old[1] != ign_mtime
                before_files = set(old[3]) if old else set()
                added.extend(_join(rel, n) for n in files if n not in before_files)
                if old:
                    now_files = set(files)
                    removed.extend(_join(rel, n) for n in old[3] if n not in now_files)
                    for gone in set(old[4]) - set(dirs):
                        removed.extend(self._removed_subtree(_join(rel, gone)))
            self.table[rel] = record
            self.total += len(record[3])
            child_rules = rules.child(rel, record[2]) if record[2] else rules
            for name in reversed(record[4]):
                stack.append((_join(rel, name), child_rules, dirty))
            if time.perf_counter() > deadline:
                break
        if not stack:
            self.done = True
        return added, removed, self.done

    def entries(self) -> list[tuple[int, object]]:
        """Cache entries for this walk's table (call when done)."""
        out: list[tuple[int, object]] = [(INDEX_HEADER, {"root": self.root, "files": self.total})]
        out.extend((INDEX_DIR, [rel, *record]) for rel, record in self.table.items())
        return out


def read_index(cache: CacheFile, root: str) -> tuple[dict, str]:
    """The directory table of a persistent index (empty when missing or unusable) and the
    warning, if any."""
    result = cache.read()
    table: dict[str, list] = {}
    if result.status != "ok":
        return table, result.warning
    header = [e.payload for e in result.entries if e.type == INDEX_HEADER]
    if not header or not isinstance(header[0], dict) or header[0].get("root") != root:
        return table, ""
    try:
        for entry in result.entries:
            if entry.type == INDEX_DIR:
                rel, mtime, ign_mtime, ign_text, files, dirs = entry.payload
                table[str(rel)] = [int(mtime), int(ign_mtime), str(ign_text),
                                   [str(f) for f in files], [str(d) for d in dirs]]
    except (TypeError, ValueError):
        return {}, f"{cache.path} holds a malformed index entry: rebuilding it"
    return table, ""


def walk_files(root: str) -> Iterator[str]:
    """Every indexed file under ``root`` (relative paths), walking as IndexScan does."""
    scan = IndexScan(root)
    while not scan.done:
        added, _, _ = scan.step(0.05)
        yield from added


class FileSearch:
    """One project search: files come from a fresh walk; each is searched with
    ``Finder.compile`` (the matcher of find in the current file)."""

    def __init__(self, root: str, pattern: str, regex: bool, case: bool,
                 max_results: int) -> None:
        self.root = root
        self.compiled = Finder.compile(pattern, regex=regex, case=case)  # may raise
        self.files = walk_files(root)
        self.max_results = max_results
        self.found = 0
        self.searched = 0
        self.done = False
        self.truncated = False

    def step(self, budget: float, limit: int = 2000) -> list[list]:
        deadline = time.perf_counter() + budget
        out: list[list] = []
        for rel in self.files:
            self.searched += 1
            out.extend(self._search_file(rel))
            if self.found >= self.max_results:
                self.truncated = True
                self.done = True
                return out
            if len(out) >= limit or time.perf_counter() > deadline:
                return out
        self.done = True
        return out

    def _search_file(self, rel: str) -> list[list]:
        path = os.path.join(self.root, rel)
        try:
            st = os.stat(path)
            if not stat.S_ISREG(st.st_mode) or st.st_size > SEARCH_MAX_FILE:
                return []
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            return []
        if b"\0" in data[:SNIFF]:
            return []
        out = []
        row, line_start = 0, 0
        for m in self.compiled.finditer(data):
            a, b = m.start(), m.end()
            if b == a:
                continue
            row += data.count(b"\n", line_start, a)
            line_start = data.rfind(b"\n", 0, a) + 1
            line_end = data.find(b"\n", a)
            if line_end < 0:
                line_end = len(data)
            prefix = data[line_start:a].decode("utf-8", "replace")
            text = data[line_start:line_end].decode("utf-8", "replace").rstrip("\r")
            width = len(data[a:min(b, line_end)].decode("utf-8", "replace"))
            out.append([rel, row, len(prefix), len(prefix) + max(width, 1), text[:MAX_LINE]])
            self.found += 1
            if self.found >= self.max_results:
                break
        return out


class Worker:
    def __init__(self, stdin, stdout) -> None:
        self.stdin = stdin
        self.stdout = stdout
        self.scan: IndexScan | None = None
        self.cache: CacheFile | None = None
        self.cached: list[str] = []
        self.sent = 0  # paths of ``cached`` already answered
        self.search: FileSearch | None = None
        self.search_id = -1

    def reply(self, msg_id: int, error, result) -> None:
        self.stdout.write(pack_frame([RESPONSE, msg_id, error, result]))
        self.stdout.flush()

    def handle(self, msg_id: int, method: str, params: list):
        if method == "ping":
            return os.getpid()
        if method == "index_start":
            root, cache_path = params
            warning = ""
            old: dict = {}
            self.cache = None
            if cache_path:
                self.cache = CacheFile(cache_path, frozenset({INDEX_HEADER, INDEX_DIR}))
                old, warning = read_index(self.cache, root)
            self.scan = IndexScan(root, old)
            self.cached = list(self.scan.cached_paths())
            self.sent = 0
            return [len(self.cached), warning]
        if method == "index_next":
            (budget,) = params
            scan = self.scan
            if scan is None:
                raise ValueError("no index_start")
            if self.sent < len(self.cached):  # the persistent index first, in batches
                batch = self.cached[self.sent:self.sent + BATCH]
                self.sent += len(batch)
                return [batch, [], False, True, scan.total, ""]
            added, removed, done = scan.step(budget)
            warning = ""
            if done and self.cache is not None:
                if not self.cache.write(scan.entries()):
                    warning = self.cache.warnings[-1] if self.cache.warnings else ""
                self.cache = None
            return [added, removed, done, False, scan.total, warning]
        if method == "search_start":
            search_id, root, pattern, regex, case, max_results = params
            self.search_id = search_id
            try:
                self.search = FileSearch(root, pattern, regex, case, max_results)
            except SearchError as err:
                self.search = None
                raise ValueError(str(err)) from None
            return True
        if method == "search_next":
            search_id, budget = params
            if self.search is None or search_id != self.search_id:
                raise ValueError("no such search")
            s = self.search
            matches = s.step(budget)
            return [matches, s.searched, s.done, s.truncated]
        if method == "sleep":  # for tests of deadlines
            time.sleep(float(params[0]))
            return True
        raise ValueError(f"unknown method {method}")

    def serve(self) -> None:
        while True:
            message = read_frame(self.stdin)
            if message is None:
                return
            if message[0] != REQUEST:
                continue
            _, msg_id, method, params = message
            try:
                result = self.handle(msg_id, method, params)
            except (ValueError, TypeError, OSError) as err:
                self.reply(msg_id, str(err), None)
            else:
                self.reply(msg_id, None, result)


NICENESS = 10  # below the editor: on a busy machine the UI gets the CPU first


def main() -> int:
    try:
        os.nice(NICENESS)  # a walk or a search is background work: it may take longer
    except (AttributeError, OSError):  # no nice() on this platform
        pass
    return serve_worker(Worker)


if __name__ == "__main__":
    raise SystemExit(main())
