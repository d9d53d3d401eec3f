"""The recovery journal: records round-trip, damage at any byte recovers a valid earlier
state, edits replay onto the original only when it is unchanged."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from kiro_proto.core import DiskStamp, Document, EditorState, Pos, hash_document, stat_stamp
from kiro_proto.engine.journal import (Journal, decode_records, journal_directory, owner_alive,
                                       replay, scan_journals)


def stamp_of(path) -> DiskStamp:
    s = stat_stamp(str(path))
    return DiskStamp(s.inode, s.size, s.mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest())


def typed_journal(tmp_path, original: bytes, texts, *, snapshot_limit=1 << 24):
    """A file, its EditorState, and a journal fed every edit; returns the states after
    each flush (the only states a reader may ever see)."""
    path = tmp_path / "f.txt"
    path.write_bytes(original)
    state = EditorState(Document(original))
    journal = Journal(str(tmp_path / "j"), str(path), stamp_of(path), snapshot_limit=snapshot_limit)
    states = []
    for i, text in enumerate(texts):
        journal.record(state.document, state.insert_text(text, now=float(i)))
        if i % 2:
            journal.record(state.document, state.undo())
        journal.flush()
        states.append(state.document.to_bytes())
    return path, state, journal, states


def test_replay_gives_the_last_flushed_state(tmp_path):
    _, state, journal, _ = typed_journal(tmp_path, b"hello\r\nworld\n", ["a", "b\n", "c\xe9", "d"])
    result = replay(journal.file)
    assert result.lost is None
    assert result.data == state.document.to_bytes()
    assert not result.original_changed
    assert result.header["pid"] == os.getpid()


def test_records_are_buffered_until_flush(tmp_path):
    path = tmp_path / "f.txt"
    path.write_bytes(b"x")
    state = EditorState(Document(b"x"))
    journal = Journal(str(tmp_path / "j"), str(path), stamp_of(path))
    for ch in "typing":
        journal.record(state.document, state.insert_text(ch))
    stats = journal.statistics()
    assert stats.flushes == 0 and stats.pending == stats.records == 2 + 5  # header, snap, edits
    assert not os.path.exists(journal.file)
    journal.flush()
    assert journal.statistics().flushes == 1


def test_an_edit_that_bypassed_the_journal_becomes_a_snapshot(tmp_path):
    _, state, journal, _ = typed_journal(tmp_path, b"abc\n", ["x"])
    state.document.insert(Pos(0, 0), "unseen ")
    journal.catch_up(state.document)
    journal.record(state.document, state.insert_text("y"))
    journal.flush()
    assert replay(journal.file).data == state.document.to_bytes()
    assert journal.statistics().snapshots == 2


def test_a_big_buffer_replays_onto_the_original_file(tmp_path):
    path, state, journal, _ = typed_journal(tmp_path, b"\xef\xbb\xbfbig file\n" * 10, ["q", "r"],
                                            snapshot_limit=10)
    assert journal.statistics().snapshots == 0
    result = replay(journal.file)
    assert result.data == state.document.to_bytes()
    path.write_bytes(b"changed on disk\n")
    changed = replay(journal.file)
    assert changed.original_changed and changed.data is None
    assert "changed" in changed.lost


def intermediate_states(original: bytes, texts) -> set[bytes]:
    """Every state the buffer passed through, edit by edit (a cut may land between two
    edits written by one flush)."""
    state = EditorState(Document(original))
    seen = {original}
    for i, text in enumerate(texts):
        state.insert_text(text, now=float(i))
        seen.add(state.document.to_bytes())
        if i % 2:
            state.undo()
            seen.add(state.document.to_bytes())
    return seen


TEXTS = ["a", "b", "c\n", "d\xe9", "e"]


def test_every_truncation_recovers_an_earlier_state(tmp_path):
    _, _, journal, states = typed_journal(tmp_path, b"one\ntwo\n", TEXTS)
    raw = open(journal.file, "rb").read()
    damaged = tmp_path / "cut.kjournal"
    valid = intermediate_states(b"one\ntwo\n", TEXTS)
    assert replay(journal.file).data == states[-1]
    for cut in range(len(raw)):
        damaged.write_bytes(raw[:cut])
        result = replay(str(damaged))
        assert result.data is None or result.data in valid, cut
        if result.valid_bytes < cut:
            assert result.lost, cut


_FLIP_DIR = tempfile.mkdtemp(prefix="kiro-journal-flip-")
_FLIP_RAW = open(typed_journal(Path(_FLIP_DIR), b"base\n", TEXTS)[2].file, "rb").read()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(_FLIP_RAW) - 1), st.integers(1, 255)),
                min_size=1, max_size=3))
def test_flipped_bytes_never_crash_and_never_invent_text(flips):
    raw = bytearray(_FLIP_RAW)
    for i, x in flips:
        raw[i] ^= x
    damaged = Path(_FLIP_DIR) / "flip.kjournal"
    damaged.write_bytes(bytes(raw))
    result = replay(str(damaged))  # must not raise
    # A checksum guards every record: what replays is a state the buffer really had.
    assert result.data is None or result.data in intermediate_states(b"base\n", TEXTS)
    if result.valid_bytes < len(raw):
        assert result.lost


def test_garbage_and_empty_files_are_reported_not_raised(tmp_path):
    for content in (b"", b"not a journal", b"KIROJNL1", b"KIROJNL1\x00\x00\x00\x05\x00\x00\x00\x00abc"):
        p = tmp_path / "g.kjournal"
        p.write_bytes(content)
        result = replay(str(p))
        assert result.data is None and result.lost


def test_owner_liveness_uses_pid_and_start_time(tmp_path):
    _, _, journal, _ = typed_journal(tmp_path, b"a", ["b"])
    found = scan_journals(str(tmp_path / "j"))
    assert [j.file for j in found] == [journal.file]
    assert found[0].alive
    header = dict(found[0].header)
    assert not owner_alive({**header, "started": header["started"] - 1000})  # pid reused
    assert not owner_alive({**header, "pid": 2 ** 22 + 17})


def test_remove_deletes_the_file(tmp_path):
    _, _, journal, _ = typed_journal(tmp_path, b"a", ["b"])
    journal.remove()
    assert not os.path.exists(journal.file)
    assert scan_journals(str(tmp_path / "j")) == []


def test_state_dir_override(monkeypatch, tmp_path):
    monkeypatch.setenv("KIRO_STATE_DIR", str(tmp_path))
    assert journal_directory() == str(tmp_path / "journal")
    monkeypatch.delenv("KIRO_STATE_DIR")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    assert journal_directory().startswith(str(tmp_path / "xdg"))


def test_hash_document_matches_the_file_bytes():
    doc = Document(b"\xef\xbb\xbfabc\r\n")
    assert hash_document(doc) == hashlib.sha256(b"\xef\xbb\xbfabc\r\n").hexdigest()


def test_the_owner_is_found_once_per_process_and_again_in_a_forked_child():
    from kiro_proto.engine.journal import Owner, warm_up

    warm_up()
    owner = Owner.current()
    assert owner is Owner.current() and owner.pid == os.getpid()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: another process, another owner
        child = Owner.current()
        os.write(write, b"ok" if child.pid == os.getpid() != owner.pid else b"no")
        os._exit(0)
    os.waitpid(pid, 0)
    assert os.read(read, 2) == b"ok"
    os.close(read)
    os.close(write)
