"""The workspace in the running editor (Pilot): the file tree lists only what is expanded,
quick open (ctrl+p) and project search (alt+f) open files, the session and the highlight
spans come back on the next start, and cache_statistics reports every cache."""

from __future__ import annotations

import asyncio
import os
import pathlib

import pytest

from kiro_proto.core import Pos
from kiro_proto.ui import KiroApp
from kiro_proto.ui._quickopen import QuickOpenScreen, SearchPanel
from kiro_proto.ui._workspace import cache_statistics

SIZE = (100, 30)


@pytest.fixture
def workspace(tmp_path):
    root = tmp_path / "ws"
    for rel, text in {
        "README.md": "# readme\n",
        "src/app.py": "import os\n\ndef main():\n    return 'needle'\n",
        "src/util/strings.py": "X = 1\n",
        "ignored/junk.py": "needle\n",
    }.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (root / ".gitignore").write_text("ignored/\n")
    return root


async def wait_for(pilot, condition, timeout=15.0):
    for _ in range(int(timeout / 0.02)):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("timed out")


async def test_the_file_tree_lists_only_the_root_at_start(tmp_path, monkeypatch):
    root = tmp_path / "big"
    for d in range(100):
        sub = root / f"dir{d:03}"
        sub.mkdir(parents=True)
        for f in range(20):
            (sub / f"f{f}.txt").touch()
    listed = []
    real_iterdir = pathlib.Path.iterdir

    def iterdir(self):
        listed.append(str(self))
        return real_iterdir(self)

    monkeypatch.setattr(pathlib.Path, "iterdir", iterdir)
    app = KiroApp([], workspace=str(root))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.3)
        assert listed == [str(root)]  # 100 folders, 2000 files: only the root was read


async def test_quick_open_finds_a_file_and_opens_it(workspace):
    app = KiroApp([str(workspace / "README.md")], workspace=str(workspace))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.workspace_ui.index_done)
        assert "ignored/junk.py" not in app.workspace_ui.index
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, QuickOpenScreen)
        await pilot.press(*"strpy")
        assert app.screen.results[0] == "src/util/strings.py"
        await pilot.press("enter")
        await pilot.pause()
        assert app.current.path.endswith(os.path.join("src", "util", "strings.py"))
        stats = cache_statistics(app)
        assert stats["workspace index"]["paths"] == 4
        assert {"rendered rows", "newline offsets", "highlight spans (disk)"} <= set(stats)


async def test_project_search_streams_and_opens_at_the_match(workspace):
    app = KiroApp([str(workspace / "README.md")], workspace=str(workspace))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("alt+f")
        panel = app.screen
        assert isinstance(panel, SearchPanel)
        await pilot.press(*"needle", "enter")
        await wait_for(pilot, lambda: panel.search_id is not None and not panel.running)
        assert panel.total == 1 and panel.matches == [("src/app.py", 3, 12, 18)]
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.current.path.endswith("app.py")
        assert app.current.state.selection.start == Pos(3, 12)
        assert app.current.state.selected_text() == "needle"


async def test_the_session_comes_back_on_the_same_workspace(workspace):
    a, b = str(workspace / "src" / "app.py"), str(workspace / "src" / "util" / "strings.py")
    app = KiroApp([a, b], workspace=str(workspace))
    async with app.run_test(size=SIZE) as pilot:
        app.editor.go_to(Pos(3, 4))
        await pilot.pause()
    again = KiroApp([str(workspace / "README.md")], workspace=str(workspace),
                    restore_session=True)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert [buf.path for buf in again.buffers] == [a, b]
        assert again.current.path == a and again.current.state.cursor == Pos(3, 4)


async def test_cached_tree_sitter_spans_are_there_at_the_first_paint(tmp_path):
    path = tmp_path / "big.py"
    path.write_text("".join(f"def f{i}(x):\n    return x + {i}  # c\n\n" for i in range(800)))
    app = KiroApp([str(path)])
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.current.highlights.accepted > 0)
    first = KiroApp([str(path)])
    seen_at_mount = {}

    async with first.run_test(size=SIZE) as pilot:
        seen_at_mount.update(first.current.highlights.rows)
        stats = cache_statistics(first)
        assert stats["highlight spans (disk)"]["hits"] == 1
    assert seen_at_mount.get(0) and ("Keyword" in {t for _, _, t in seen_at_mount[0]})


async def test_quick_open_rows_mark_the_query_move_and_open_on_click(workspace):
    from kiro_proto.ui._quickopen import ResultList

    app = KiroApp([str(workspace / "README.md")], workspace=str(workspace))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.workspace_ui.index_done)
        await pilot.press("ctrl+p")
        screen = app.screen
        assert isinstance(screen, QuickOpenScreen)
        await pilot.press(*"py")
        await wait_for(pilot, lambda: len(screen.results) == 2)
        rows = screen.query_one(ResultList)
        first = rows.render_line(0)
        text = "".join(s.text for s in first)
        assert text.startswith(screen.results[0]) and len(text) == rows.size.width
        marked = "".join(s.text for s in first if s.style and s.style.bold)
        assert marked == "py"  # the query's characters are marked
        assert not rows.children  # rows are drawn, not mounted
        built = rows.built
        rows.refresh()
        await pilot.pause()
        assert rows.built == built  # nothing changed: no row built again
        await pilot.press("down")
        assert rows.highlighted == 1
        await pilot.press("up", "up")
        assert rows.highlighted == 0
        await pilot.click(ResultList, offset=(2, 1))  # the second row
        await wait_for(pilot, lambda: not isinstance(app.screen, QuickOpenScreen))
        assert app.current.path.endswith(screen.results[1].replace("/", os.sep))
