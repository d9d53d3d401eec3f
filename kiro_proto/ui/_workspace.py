"""The workspace on the UI side: the quick-open index fed by ``IndexGrew`` events, project
search, the session (open files, cursors, scroll) and the highlight-span cache, all kept
across runs in the persistent cache (``engine/_cachefile.py``), plus ``cache_statistics``
for the benchmark mode.

Session: restored when kiro-proto is started on a workspace folder with no file names (the
same folder opened again); saved on exit. Highlight spans: on exit, the tree-sitter spans
seen for each unmodified file of at least ``SPAN_CACHE_MIN_BYTES`` are stored under the
blake2b hash of its bytes; a file with the same bytes opens with them at the first paint.
"""

from __future__ import annotations

import hashlib
import os
from typing import TYPE_CHECKING

from .. import switches
from ..core import LRU, FuzzyIndex, Pos, Selection
from ..engine import (CancelSearch, HighlightsReady, IndexGrew, Message, ScanWorkspace,
                      SearchFound, SearchWorkspace)

if TYPE_CHECKING:
    from ._app import KiroApp, OpenBuffer

__all__ = ["WorkspaceUI", "cache_statistics", "restore_paths", "session_paths"]

SESSION, SPANS = 10, 20  # cache entry types
SPAN_CACHE_MIN_BYTES = 16 * 1024  # smaller files are lexed fast enough at open
SPAN_CACHE_FILES = 32  # span files kept in the cache directory (oldest removed first)
SPAN_ROWS = 3000  # rows of spans kept per file


def _cache(name: str, kinds: frozenset[int]):
    from ..engine._cachefile import CacheFile, cache_directory

    return CacheFile(os.path.join(cache_directory(), name), kinds)


def _session_file(workspace: str):
    from ..engine._workspace import workspace_key

    return _cache(f"session-{workspace_key(workspace)}.kc", frozenset({SESSION}))


def session_paths(workspace: str) -> tuple[list[str], dict, list[str]]:
    """The files of the last session on ``workspace`` that still exist, the session
    record, and warnings (a bad session file is ignored)."""
    cache = _session_file(workspace)
    result = cache.read()
    warnings = [result.warning] if result.warning else []
    for entry in result.entries:
        record = entry.payload
        if (isinstance(record, dict) and record.get("workspace") == os.path.realpath(workspace)
                and isinstance(record.get("files"), list)):
            paths = [f["path"] for f in record["files"]
                     if isinstance(f, dict) and isinstance(f.get("path"), str)
                     and os.path.isfile(f["path"])]
            return paths, record, warnings
    return [], {}, warnings


def content_hash(buf: "OpenBuffer") -> str:
    """blake2b of the bytes a save would write (BOM included): cheap, and collisions would
    only mis-colour a file until tree-sitter's spans arrive."""
    doc = buf.state.document
    digest = hashlib.blake2b(doc.bom, digest_size=16)
    for block in doc.buffer.blocks():
        digest.update(block)
    return digest.hexdigest()


class WorkspaceUI:
    """Owned by the app; ``handle`` sees every engine event first."""

    def __init__(self, app: "KiroApp", session: dict | None = None) -> None:
        self.app = app
        self.index = FuzzyIndex()
        self.index_done = False
        self.index_seconds = 0.0  # when the last walk finished, from its start
        self.index_first_batch = 0.0  # seconds from the scan request to the first paths
        self.index_complete = 0.0  # seconds from the scan request to the end of the walk
        self.index_cached = False  # the first batch came from the persistent index
        self.index_warning = ""
        self.quick_open_screen = None
        self.search_panel = None
        self._search_ids = 0
        self._session = session or {}
        self._goto: tuple[str, int, int, int] | None = None  # a match to show once opened
        # doc_id -> (revision, {row: spans}): tree-sitter spans seen, for the span cache
        self._spans: dict[int, tuple[int, dict]] = {}
        self.span_cache = LRU(SPAN_CACHE_FILES, "highlight spans (disk)")
        self.warnings: list[str] = []
        self._scan_started = 0.0
        self._tops: dict[int, int] = {}  # doc_id -> top row shown (the editor is gone on exit)

    # -- engine events ----------------------------------------------------------------------
    def engine_started(self) -> None:
        if self.app.workspace:
            import time

            self._scan_started = time.perf_counter()
            # caches off: the persistent index is neither read nor written
            self.app._send(ScanWorkspace(os.path.abspath(self.app.workspace),
                                         cache=switches.SWITCHES.caches))

    def handle(self, event: Message) -> bool:
        """True when the event was the workspace's own (the app stops there)."""
        if isinstance(event, IndexGrew):
            self._index_grew(event)
            return True
        if isinstance(event, SearchFound):
            if self.search_panel is not None:
                self.search_panel.found(event)
            return True
        if isinstance(event, HighlightsReady):
            self._note_spans(event)
        return False

    def _index_grew(self, event: IndexGrew) -> None:
        if event.warning:
            self.index_warning = event.warning
            self.app.notify(f"Workspace cache: {event.warning}", severity="warning",
                            markup=False, timeout=6)
        if event.added or event.removed:
            if not len(self.index):
                import time

                self.index_first_batch = time.perf_counter() - self._scan_started
                self.index_cached = event.cached
            self.index.add(event.added)
            self.index.remove(event.removed)
            self.index.prepare()  # lower-cased columns now, a batch at a time
        if event.done:
            import time

            self.index_done = True
            self.index_seconds = event.seconds
            self.index_complete = time.perf_counter() - self._scan_started
        if self.quick_open_screen is not None:
            self.quick_open_screen.index_grew()

    # -- quick open and search --------------------------------------------------------------
    def quick_open(self) -> None:
        from ._quickopen import QuickOpenScreen

        if not self.app.workspace:
            self.app.notify("No folder is open: start kiro-proto with a folder to find files.")
            return
        screen = QuickOpenScreen(self)
        self.quick_open_screen = screen
        # Its keys are a query for the index walk's results: the walk does not wait for
        # them to pause (engine/_pacing.py).
        self.app.input_gate.set_urgent(True)

        def done(rel: str | None) -> None:
            self.app.input_gate.set_urgent(False)
            self.quick_open_screen = None
            if rel:
                self.app.open_path(os.path.join(self.app.workspace, rel))

        self.app.push_screen(screen, done)

    def project_search(self) -> None:
        from ._quickopen import SearchPanel

        if not self.app.workspace:
            self.app.notify("No folder is open: start kiro-proto with a folder to search it.")
            return
        panel = SearchPanel(self, self.app.current.state.selected_text()[:200])
        self.search_panel = panel

        def done(match) -> None:
            self.search_panel = None
            if match:
                self.open_match(*match)

        self.app.push_screen(panel, done)

    def start_search(self, pattern: str, regex: bool, case: bool) -> int:
        self._search_ids += 1
        self.app._send(SearchWorkspace(self._search_ids, os.path.abspath(self.app.workspace),
                                       pattern, regex, case))
        return self._search_ids

    def cancel_search(self, search_id: int) -> None:
        self.app._send(CancelSearch(search_id))

    def open_match(self, rel: str, row: int, start: int, end: int) -> None:
        path = os.path.join(self.app.workspace, rel)
        self._goto = (os.path.realpath(path), row, start, end)
        self.app.open_path(path)
        self.buffer_shown()

    def buffer_shown(self) -> None:
        """Show a pending match if its file is now the current buffer (a large file opens
        asynchronously: the app calls this again when it arrives)."""
        goto, buf = self._goto, self.app.current
        if goto is None or not buf.path or os.path.realpath(buf.path) != goto[0]:
            return
        self._goto = None
        doc = buf.state.document
        a = doc.clamp(Pos(goto[1], goto[2]))
        b = doc.clamp(Pos(goto[1], goto[3]))
        self.app.editor.go_to(a, select_to=b)

    # -- session ----------------------------------------------------------------------------
    def restore_positions(self) -> None:
        """Put cursors and the scroll position back as the last session left them."""
        files = {f.get("path"): f for f in self._session.get("files", ()) if isinstance(f, dict)}
        for buf in self.app.buffers:
            record = files.get(buf.path)
            if record is None:
                continue
            try:
                pos = buf.state.document.clamp(Pos(int(record["row"]), int(record["col"])))
            except (KeyError, TypeError, ValueError):
                continue
            buf.state.selection = Selection.at(pos)
        current = self._session.get("current")
        for buf in self.app.buffers:
            if buf.path == current and buf is not self.app.current:
                self.app._switch_to(buf)
        editor = self.app.editor
        self.app.watch(editor, "scroll_y", self._scrolled, init=False)
        record = files.get(self.app.current.path)
        if record is not None:
            top = record.get("top", 0)
            editor.scroll_to(0, top if isinstance(top, int) else 0, animate=False, force=True)
            editor.refresh()

    def _scrolled(self, value: float) -> None:
        self._tops[self.app.current.doc_id] = int(value)

    def save_session(self) -> bool:
        if not self.app.workspace:
            return False
        files = []
        for buf in self.app.buffers:
            if not buf.path:
                continue
            cur = buf.state.cursor
            top = self._tops.get(buf.doc_id, max(0, cur.row - 5))
            files.append({"path": os.path.abspath(buf.path), "row": cur.row, "col": cur.col,
                          "top": top})
        record = {"workspace": os.path.realpath(self.app.workspace), "files": files,
                  "current": os.path.abspath(self.app.current.path)
                  if self.app.current.path else None}
        cache = _session_file(self.app.workspace)
        cache.read()  # a foreign file at the path is left alone
        ok = cache.write([(SESSION, record)])
        self.warnings.extend(cache.warnings)
        return ok

    # -- highlight-span cache ---------------------------------------------------------------
    def _eligible(self, buf: "OpenBuffer") -> bool:
        from ..engine import MAX_TREE_SITTER_BYTES

        size = len(buf.state.document)
        return (buf.path is not None and not buf.binary
                and SPAN_CACHE_MIN_BYTES <= size <= MAX_TREE_SITTER_BYTES)

    def prime_highlights(self, buf: "OpenBuffer") -> bool:
        """Before a buffer's first paint: take cached tree-sitter spans for its bytes
        (caches off: the span files are not read; the look-up counts as a miss)."""
        if not self._eligible(buf) or buf.highlights.rows:
            return False
        if not switches.SWITCHES.caches:
            self.span_cache.misses += 1
            return False
        key = content_hash(buf)
        cache = _cache(f"spans-{key}.kc", frozenset({SPANS}))
        result = cache.read()
        if result.warning:
            self.warnings.append(result.warning)
        for entry in result.entries:
            payload = entry.payload
            if not (isinstance(payload, dict) and payload.get("hash") == key):
                continue
            try:
                rows = {int(r): tuple((int(a), int(b), str(t)) for a, b, t in spans)
                        for r, spans in payload["rows"]}
            except (KeyError, TypeError, ValueError):
                break
            buf.highlights.rows.update(rows)
            self.span_cache.put(key, len(rows))
            self.span_cache.hits += 1
            try:
                os.utime(cache.path)  # most recently used: pruned last
            except OSError:
                pass
            return True
        self.span_cache.misses += 1
        return False

    def _note_spans(self, event: HighlightsReady) -> None:
        for buf in self.app.buffers:
            if buf.doc_id == event.doc_id:
                break
        else:
            return
        if event.revision != buf.state.document.revision or not self._eligible(buf):
            return
        revision, rows = self._spans.get(buf.doc_id, (event.revision, {}))
        if revision != event.revision:
            rows = {}
        for i, spans in enumerate(event.rows):
            if len(rows) >= SPAN_ROWS:
                break
            rows[event.first_row + i] = spans
        self._spans[buf.doc_id] = (event.revision, rows)

    def save_spans(self) -> int:
        """Store the spans of unmodified files; returns how many files were written (none
        with the caches switch off)."""
        written = 0
        if not switches.SWITCHES.caches:
            return 0
        for buf in self.app.buffers:
            seen = self._spans.get(buf.doc_id)
            if (seen is None or buf.state.modified
                    or seen[0] != buf.state.document.revision or not seen[1]):
                continue
            key = content_hash(buf)
            cache = _cache(f"spans-{key}.kc", frozenset({SPANS}))
            cache.read()
            rows = [[r, [list(s) for s in spans]] for r, spans in sorted(seen[1].items())]
            if cache.write([(SPANS, {"hash": key, "language": buf.language, "rows": rows})]):
                written += 1
            self.warnings.extend(cache.warnings)
        if written:
            self._prune_spans()
        return written

    def _prune_spans(self) -> None:
        from ..engine._cachefile import cache_directory

        folder = cache_directory()
        try:
            names = [n for n in os.listdir(folder) if n.startswith("spans-") and n.endswith(".kc")]
            paths = sorted((os.path.join(folder, n) for n in names), key=os.path.getmtime)
            for path in paths[:-SPAN_CACHE_FILES]:
                os.unlink(path)
        except OSError:
            pass

    def shutdown(self) -> None:
        """On exit: save the session and the highlight spans (errors only warn)."""
        try:
            self.save_session()
            self.save_spans()
        except Exception as err:  # noqa: BLE001 - a cache must never stop the editor exiting
            self.warnings.append(f"cache not saved: {err}")


def cache_statistics(app: "KiroApp") -> dict:
    """Hits, misses and sizes of the editor's caches, for the benchmark mode's report:
    ``{name: {"size", "capacity", "hits", "misses", "hit_rate"}}`` plus the workspace index
    (``"workspace index"``: paths, whether it came from the persistent cache, timings)."""

    def row(size, capacity, hits, misses) -> dict:
        total = hits + misses
        return {"size": size, "capacity": capacity, "hits": hits, "misses": misses,
                "hit_rate": round(hits / total, 4) if total else 0.0}

    out: dict = {}
    try:
        renderer = app.editor.renderer
        for name, cache in (("rendered rows", renderer.cache), ("line layouts", renderer._layouts)):
            out[name] = row(len(cache), cache.maxsize, cache.hits, cache.misses)
    except Exception:  # noqa: BLE001 - not mounted
        pass
    hits = misses = size = cap = 0
    for buf in app.buffers:
        s = buf.state.document.buffer.newline_cache_statistics()
        hits, misses, size, cap = hits + s.hits, misses + s.misses, size + s.size, cap + s.capacity
    out["newline offsets"] = row(size, cap, hits, misses)
    ws = getattr(app, "workspace_ui", None)
    if ws is not None:
        s = ws.span_cache.statistics()
        out["highlight spans (disk)"] = row(s.size, s.capacity, s.hits, s.misses)
        s = ws.index.query_cache_statistics()
        out["quick-open queries"] = row(s.size, s.capacity, s.hits, s.misses)
        out["workspace index"] = {
            "paths": len(ws.index), "done": ws.index_done, "from_cache": ws.index_cached,
            "first_batch_s": round(ws.index_first_batch, 4),
            "walk_s": round(ws.index_seconds, 4),
            "narrowed_queries": ws.index.narrowed, "full_scans": ws.index.full_scans}
    return out


def restore_paths(workspace: str | None, paths) -> tuple[list[str], dict]:
    """The files to open when a session may be restored: the last session's on this
    workspace if there is one, else ``paths``; and the session record."""
    if not workspace:
        return list(paths), {}
    restored, record, _warnings = session_paths(workspace)
    return (restored, record) if restored else (list(paths), {})
