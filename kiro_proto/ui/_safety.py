"""The safety net: the recovery journal of every modified buffer, recovery on start,
changes made to open files on disk, and a clean exit on SIGTERM and SIGHUP.

It is an invisible widget mounted by the app, so its timers live and die with the app. The
app calls :meth:`SafetyNet.confirm_save` before and :meth:`SafetyNet.saved` after a save;
the editor view reports edits through its ``edit_listeners``.
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.widget import Widget
from textual.widgets import DirectoryTree

from ..core import (DiskStamp, Document, Edit, EditorState, FileProblem, Finder, Pos, Selection,
                    decode, hash_document, hash_file, load_file, sanitize, stat_stamp)
from ..engine.journal import (Journal, JournalFile, Replayed, journal_directory, replay,
                              scan_journals, warm_up)
from ._safety_dialogs import ConfirmOverwriteScreen, DiffScreen, RecoveryScreen, unified_diff

if TYPE_CHECKING:
    from ._app import KiroApp, OpenBuffer

__all__ = ["SafetyNet", "SafeDirectoryTree"]

FLUSH_INTERVAL = 0.5  # seconds: an edit reaches the disk (fsynced) within this plus one flush
DISK_POLL_INTERVAL = 1.0


class SafeDirectoryTree(DirectoryTree):
    """A DirectoryTree whose file names go through the same sanitiser as file contents (a
    name may hold ESC or C1 bytes, which Rich would pass to the terminal)."""

    def process_label(self, label) -> Text:
        plain = label if isinstance(label, str) else label.plain
        return super().process_label(Text(sanitize(plain)))

    def _on_resize(self, event: events.Resize) -> None:
        """Textual's ``Tree`` drops every cached row and asks for a layout of the screen on
        each resize (24-37 ms for 38 rows here, once just after the first paint, when the
        tree's own Resize arrives). Its rows are cached by width already, so growing the
        cache and repainting is enough; the base handler is skipped."""
        self._line_cache.grow(event.size.height)
        self.refresh()
        event.prevent_default()


class SafetyNet(Widget):
    DEFAULT_CSS = "SafetyNet { display: none; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.directory = journal_directory()
        self.journals: dict[OpenBuffer, Journal] = {}
        self.stamps: dict[OpenBuffer, DiskStamp | None] = {}
        self.changed_on_disk: set[OpenBuffer] = set()  # modified buffers whose file changed
        self._confirmed: set[OpenBuffer] = set()
        self._previous_handlers: dict[int, object] = {}
        self._flush_in_flight = False  # a periodic flush is running on a worker thread

    @property
    def kiro(self) -> "KiroApp":
        return self.app  # type: ignore[return-value]

    # -- life cycle -------------------------------------------------------------------------
    def on_mount(self) -> None:
        for buf in self.kiro.buffers:
            self.track(buf)
        self._install_signal_handlers()
        self.set_interval(FLUSH_INTERVAL, self._flush_tick)
        self.set_interval(DISK_POLL_INTERVAL, self.poll_disk)
        # The editor sits deeper in the tree and mounts after this widget.
        self.call_after_refresh(self._watch_editor)

    def _flush_tick(self) -> None:
        """The periodic flush: decisions here, the writes and fsyncs on a worker thread
        (they release the GIL), so typing never waits for the disk."""
        if self._flush_in_flight:
            return
        journals = self.flush_journals(write=False)
        if not journals:
            return
        self._flush_in_flight = True
        loop = asyncio.get_running_loop()

        def write_all() -> list[tuple[Journal, OSError]]:
            failures = []
            for journal in journals:
                try:
                    journal.flush()
                except OSError as err:
                    failures.append((journal, err))
            return failures

        def done(future) -> None:
            self._flush_in_flight = False
            for journal, err in future.result():
                self._report_flush_error(journal, err)

        loop.run_in_executor(None, write_all).add_done_callback(
            lambda f: loop.call_soon_threadsafe(done, f))

    def _watch_editor(self) -> None:
        self.kiro.editor.edit_listeners.append(self._on_edits)
        self.offer_recovery()

    def on_unmount(self) -> None:
        self.shutdown()

    def shutdown(self) -> None:
        """Keep the journals of modified buffers (flushed); drop the rest."""
        self.flush_journals()
        for buf, journal in list(self.journals.items()):
            if buf.state.modified and not buf.binary:
                journal.close()
            else:
                journal.remove()
        self.journals.clear()
        for signum, handler in self._previous_handlers.items():
            signal.signal(signum, handler)
        self._previous_handlers.clear()

    def _install_signal_handlers(self) -> None:
        """SIGTERM and SIGHUP: fsync every journal at once, then exit cleanly (Textual
        installs no handler for either; without one the process dies on the spot)."""
        loop = asyncio.get_running_loop()

        def handler(signum, frame) -> None:
            self.flush_journals(catch_up=False)
            if signum == signal.SIGHUP:
                # The terminal is gone: there is nothing to restore or draw, and a clean
                # shutdown would block writing to it. The journals are on disk; leave now.
                os._exit(128 + signum)
            loop.call_soon_threadsafe(self.kiro.exit)
            # A shutdown that hangs must not keep the process alive after SIGTERM.
            timer = threading.Timer(5.0, os._exit, (128 + signum,))
            timer.daemon = True
            timer.start()

        for signum in (signal.SIGTERM, signal.SIGHUP):
            try:
                self._previous_handlers[signum] = signal.signal(signum, handler)
            except ValueError:  # not the main thread (some test runners)
                pass

    def warm_up(self) -> None:
        """Called once the engine has started: what the first journal needs (this
        process's start time, read from /proc) is found now, not on the first keystroke."""
        warm_up()

    # -- buffers ----------------------------------------------------------------------------
    def track(self, buf: "OpenBuffer") -> None:
        """Remember what ``buf``'s file looks like on disk now (it was just loaded or saved)."""
        if buf in self.stamps or buf.path is None:
            return
        stamp = stat_stamp(buf.path)
        if stamp is not None and not buf.state.modified:
            stamp = DiskStamp(stamp.inode, stamp.size, stamp.mtime_ns,
                              hash_document(buf.state.document))
        self.stamps[buf] = stamp

    def _buffer_of(self, state: EditorState) -> "OpenBuffer | None":
        for buf in self.kiro.buffers:
            if buf.state is state:
                return buf
        return None

    def _journal(self, buf: "OpenBuffer") -> Journal:
        journal = self.journals.get(buf)
        if journal is None:
            self.track(buf)
            journal = Journal(self.directory, buf.path, self.stamps.get(buf))
            self.journals[buf] = journal
        return journal

    def _on_edits(self, state: EditorState, edits: list[Edit]) -> None:
        buf = self._buffer_of(state)
        if buf is not None and not buf.binary:
            self._journal(buf).record(state.document, edits)

    def flush_journals(self, catch_up: bool = True, write: bool = True) -> list[Journal]:
        """Write and fsync every journal with pending records; start a journal for a
        modified buffer that has none, drop the journal of a buffer that became clean.
        With ``write=False`` only decide, and return the journals that need writing."""
        to_write: list[Journal] = []
        for buf in list(self.kiro.buffers):
            journal = self.journals.get(buf)
            modified = buf.state.modified and not buf.binary
            if catch_up and modified:
                journal = self._journal(buf)
                if not journal.started:
                    journal.snapshot(buf.state.document)
                else:
                    journal.catch_up(buf.state.document)
            elif catch_up and journal is not None and not modified:
                journal.remove()
                del self.journals[buf]
                continue
            if journal is not None and journal.dirty:
                if not write:
                    to_write.append(journal)
                    continue
                try:
                    journal.flush()
                except OSError as err:
                    self._report_flush_error(journal, err)
        return to_write

    def _report_flush_error(self, journal: Journal, err: OSError) -> None:
        self.kiro.notify(sanitize(f"Cannot write the recovery journal "
                                  f"{journal.file}: {err.strerror}"),
                         severity="error", markup=False, timeout=10)

    # -- saving -----------------------------------------------------------------------------
    def confirm_save(self, buf: "OpenBuffer", target: str) -> bool:
        """True when saving ``buf`` to ``target`` may go ahead now. When the file changed
        on disk since it was loaded, asks first and saves again if the user agrees."""
        if buf in self._confirmed:
            self._confirmed.discard(buf)
            return True
        if buf.path is None or os.path.realpath(target) != os.path.realpath(buf.path):
            return True
        if not self._disk_changed(buf):
            return True

        def done(overwrite: bool | None) -> None:
            if overwrite:
                self._confirmed.add(buf)
                self.kiro.save_buffer(buf)

        self.kiro.push_screen(ConfirmOverwriteScreen(buf.name), done)
        return False

    def saved(self, buf: "OpenBuffer") -> None:
        self.stamps.pop(buf, None)
        self.changed_on_disk.discard(buf)
        self.track(buf)
        journal = self.journals.pop(buf, None)
        if journal is not None:
            journal.remove()

    def discard_all(self) -> None:
        """Quit without saving: the user chose to lose the changes."""
        for journal in self.journals.values():
            journal.remove()
        self.journals.clear()

    # -- changes on disk --------------------------------------------------------------------
    def _disk_changed(self, buf: "OpenBuffer") -> bool:
        """Compare inode, size and mtime_ns; only when those differ, the content hash."""
        old = self.stamps.get(buf)
        now = stat_stamp(buf.path) if buf.path else None
        if now is None:
            return False  # deleted or unreadable: a save recreates it
        if old is None or now.same_identity(old):
            return False
        digest = hash_file(buf.path)
        if old.sha256 is not None and digest == old.sha256:
            self.stamps[buf] = DiskStamp(now.inode, now.size, now.mtime_ns, digest)
            return False
        return True

    def poll_disk(self) -> None:
        for buf in list(self.kiro.buffers):
            if buf.path is None or buf in self.changed_on_disk or not self._disk_changed(buf):
                continue
            if buf.state.modified:
                self.changed_on_disk.add(buf)
                self.kiro.notify(sanitize(f"{buf.path} changed on disk. Your changes are kept; "
                                          "saving will ask before overwriting it."),
                                 severity="warning", markup=False, timeout=10)
            else:
                self.reload(buf)

    def reload(self, buf: "OpenBuffer") -> None:
        """Load a clean buffer's file again, keeping the cursor (clamped) and the scroll."""
        try:
            loaded = load_file(buf.path)
        except FileProblem as err:
            self.kiro.notify(sanitize(str(err)), severity="error", markup=False)
            return
        state = buf.state
        cursor = state.cursor
        state.document = loaded.document
        state.history.clear()
        state.mark_saved()
        state.selection = Selection.at(loaded.document.clamp(cursor))
        buf.finder = Finder(loaded.document)
        self.stamps.pop(buf, None)
        self.track(buf)
        journal = self.journals.pop(buf, None)
        if journal is not None:
            journal.remove()
        if buf is self.kiro.current:
            view = self.kiro.editor
            view.refresh()
            view._update_virtual_size()
            view.scroll_cursor_visible()
            view.post_message(view.StateChanged(view, False))
        self.kiro.notify(sanitize(f"Reloaded {buf.name}: it changed on disk."), markup=False,
                         timeout=4)

    # -- recovery ---------------------------------------------------------------------------
    def offer_recovery(self) -> None:
        """Journals whose owner is gone are offered one by one; one owned by a running
        editor that has the same file open gives a warning."""
        mine = {journal.file for journal in self.journals.values()}
        open_paths = {os.path.realpath(b.path) for b in self.kiro.buffers if b.path}
        orphans: list[JournalFile] = []
        for found in scan_journals(self.directory):
            if found.file in mine:
                continue
            if found.header is not None and found.alive:
                if found.path and os.path.realpath(found.path) in open_paths:
                    self.kiro.notify(sanitize(
                        f"{found.path} is also being edited by kiro-proto (pid "
                        f"{found.header.get('pid')}); its unsaved changes are not shown here."),
                        severity="warning", markup=False, timeout=10)
                continue
            orphans.append(found)
        self._offer_next(orphans)

    def _offer_next(self, orphans: list[JournalFile]) -> None:
        if not orphans:
            return
        found = orphans.pop(0)
        result = replay(found.file)
        if result.data is None:
            self.kiro.notify(sanitize(f"A recovery journal could not be read ({result.lost}); "
                                      f"it is kept at {found.file}."),
                             severity="error", markup=False, timeout=10)
            self._offer_next(orphans)
            return
        if result.original is not None and result.data == result.original:
            os.unlink(found.file)  # nothing to recover: the file already holds this text
            self._offer_next(orphans)
            return
        name = (result.header or {}).get("path") or "an untitled buffer"
        header = result.header or {}
        parts = [f"Unsaved changes to {name} were left by kiro-proto (pid {header.get('pid')}, "
                 f"host {header.get('host')}), which is no longer running."]
        if result.original_changed and header.get("path"):
            parts.append("The file changed on disk since then: recovering opens a new buffer.")
        if result.lost:
            parts.append(f"Part of the journal was damaged and is lost: {result.lost}.")
        message = " ".join(parts)

        def chosen(choice: str | None) -> None:
            if choice == "diff":
                lines = unified_diff(result.original or b"", result.data or b"",
                                     os.path.basename(name))
                self.kiro.push_screen(DiffScreen(lines),
                                      lambda _: self.kiro.push_screen(RecoveryScreen(message), chosen))
                return
            if choice == "recover":
                self.recover(result, found.file)
            elif choice == "discard":
                try:
                    os.unlink(found.file)
                except OSError:
                    pass
            self._offer_next(orphans)

        self.kiro.push_screen(RecoveryScreen(message), chosen)

    def recover(self, result: Replayed, journal_file: str) -> None:
        """Put the recovered text into the file's buffer (opening it if needed), or into a
        new untitled buffer when the file changed on disk since the journal began."""
        from ._app import OpenBuffer

        app = self.kiro
        path = (result.header or {}).get("path")
        buf = None
        if path and not result.original_changed:
            app.open_path(path)
            real = os.path.realpath(path)
            buf = next((b for b in app.buffers if b.path and os.path.realpath(b.path) == real), None)
        if buf is None:
            buf = OpenBuffer(EditorState(Document(b"")), None)
            app.buffers.append(buf)
            where = "a new untitled buffer (save it with alt+s)"
        else:
            where = buf.name
        app._switch_to(buf)
        recovered = Document(result.data or b"")
        state = buf.state
        state.document.bom = recovered.bom
        view = app.editor
        state.select_all()
        view._run(state.insert_text, decode(recovered.buffer.to_bytes()), kind="other")
        view.go_to(Pos(0, 0))
        self.flush_journals()  # the new journal is on disk before the old one goes
        try:
            os.unlink(journal_file)
        except OSError:
            pass
        app.notify(sanitize(f"Recovered {result.edits} edits into {where}."), markup=False,
                   timeout=6)
