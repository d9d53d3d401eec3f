"""The workspace service on real worker processes: the index streams in batches, respects
.gitignore, is stored in the persistent cache and checked incrementally on the next scan;
project search streams matches and can be cancelled."""

from __future__ import annotations

import os

import pytest
import trio

from kiro_proto.engine import (CancelSearch, Engine, IndexGrew, ScanWorkspace, SearchFound,
                               SearchWorkspace, index_cache_path)
from kiro_proto.engine._workspace_worker import IndexScan


@pytest.fixture(autouse=True)
def private_cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("KIRO_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def workspace(tmp_path):
    root = tmp_path / "ws"
    files = {
        "README.md": "hello world\n",
        "src/app.py": "import os\n\ndef main():\n    return 'hello'\n",
        "src/util/strings.py": "HELLO = 1\nx = 'héllo hello'\n",
        "build/out.js": "hello\n",
        "logs/run.log": "hello\n",
        "logs/keep.log": "keep\n",
        "node_modules/lib/index.js": "hello\n",
        ".git/HEAD": "ref: hello\n",
        "data.bin": "hello\0binary",
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (root / ".gitignore").write_text("build/\n*.log\n!keep.log\nnode_modules\n")
    return root


def collect(root, messages, until):
    """Run an engine, send ``messages``, collect events until ``until(events)``."""
    events = []

    async def main():
        engine = Engine(events.append, syntax_mode="sliced")
        async with trio.open_nursery() as nursery:
            await nursery.start(engine.run)
            for m in messages(events):
                if m is None:
                    continue
                engine.submit(m)
            with trio.fail_after(20):
                while not until(events):
                    await trio.sleep(0.01)
            engine.stop()

    trio.run(main)
    return events


def index_of(events):
    paths = set()
    for e in events:
        if isinstance(e, IndexGrew):
            paths |= set(e.added)
            paths -= set(e.removed)
    return paths


def scan_done(events):
    return any(isinstance(e, IndexGrew) and e.done for e in events)


EXPECTED = {".gitignore", "README.md", "src/app.py", "src/util/strings.py", "logs/keep.log",
            "data.bin"}


def test_index_respects_gitignore_and_is_cached_then_updated_incrementally(workspace):
    events = collect(workspace, lambda ev: [ScanWorkspace(str(workspace))], scan_done)
    assert index_of(events) == EXPECTED
    assert not any(e.cached for e in events if isinstance(e, IndexGrew))
    assert os.path.exists(index_cache_path(str(workspace)))

    (workspace / "src" / "new.py").write_text("x\n")
    os.remove(workspace / "README.md")
    events = collect(workspace, lambda ev: [ScanWorkspace(str(workspace))], scan_done)
    cached = [e for e in events if isinstance(e, IndexGrew) and e.cached]
    assert cached and set(cached[0].added) == EXPECTED  # offered before the walk
    walked = [e for e in events if isinstance(e, IndexGrew) and not e.cached]
    assert {p for e in walked for p in e.added} == {"src/new.py"}
    assert {p for e in walked for p in e.removed} == {"README.md"}
    assert index_of(events) == EXPECTED - {"README.md"} | {"src/new.py"}


def test_a_corrupt_index_cache_is_rebuilt_with_a_warning(workspace):
    path = index_cache_path(str(workspace))
    collect(workspace, lambda ev: [ScanWorkspace(str(workspace))], scan_done)
    data = open(path, "rb").read()
    open(path, "wb").write(data[: len(data) // 2])
    events = collect(workspace, lambda ev: [ScanWorkspace(str(workspace))], scan_done)
    assert any("truncated" in e.warning for e in events if isinstance(e, IndexGrew))
    assert index_of(events) == EXPECTED
    assert open(path, "rb").read() != data[: len(data) // 2]  # rewritten


def test_project_search_streams_matches_and_skips_ignored_and_binary_files(workspace):
    def done(events):
        return any(isinstance(e, SearchFound) and e.done for e in events)

    events = collect(workspace, lambda ev: [SearchWorkspace(1, str(workspace), "hello")], done)
    found = sorted((m[0], m[1], m[2], m[3]) for e in events if isinstance(e, SearchFound)
                   for m in e.matches)
    assert found == [("README.md", 0, 0, 5), ("src/app.py", 3, 12, 17),
                     ("src/util/strings.py", 0, 0, 5),  # case-insensitive by default
                     ("src/util/strings.py", 1, 11, 16)]
    events = collect(workspace, lambda ev: [SearchWorkspace(2, str(workspace), r"h.{1,2}llo\b",
                                                            regex=True, case=True)], done)
    rows = sorted((m[0], m[2]) for e in events if isinstance(e, SearchFound) for m in e.matches)
    assert ("src/util/strings.py", 5) in rows and ("src/util/strings.py", 11) in rows
    events = collect(workspace, lambda ev: [SearchWorkspace(3, str(workspace), "(", regex=True)],
                     done)
    assert [e.error for e in events if isinstance(e, SearchFound)][0]


def test_a_search_can_be_cancelled(tmp_path):
    root = tmp_path / "many"
    for i in range(300):
        d = root / f"d{i % 10}"
        d.mkdir(parents=True, exist_ok=True)
        (d / f"f{i}.txt").write_text("needle\n" * 50)

    def messages(events):
        yield SearchWorkspace(7, str(root), "needle")
        yield CancelSearch(7)

    def cancelled(events):
        return any(isinstance(e, SearchFound) and e.cancelled for e in events)

    events = collect(root, messages, cancelled)
    found = [e for e in events if isinstance(e, SearchFound)]
    assert found[-1].cancelled and found[-1].done
    assert sum(len(e.matches) for e in found) < 300 * 50


def test_index_scan_reuses_unchanged_folders(workspace):
    first = IndexScan(str(workspace))
    while not first.step(1.0)[2]:
        pass
    again = IndexScan(str(workspace), first.table)
    added, removed, done = again.step(1.0)
    assert (added, removed, done) == ([], [], True)
    assert again.listed == 0 and again.reused == len(first.table)
