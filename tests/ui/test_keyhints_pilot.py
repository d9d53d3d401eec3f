"""The key-hints line (ui/_keyhints.py) in the running editor: it shows what Textual's Footer
showed, follows the focus, presses a hint's key when clicked, and repaints only when the
hints change. Also: the engine starts with the first frame even when a dialog is opened at
once (it used to wait until the main screen was on top again)."""

from __future__ import annotations

from kiro_proto.ui import KiroApp
from kiro_proto.ui._keyhints import KeyHints
from kiro_proto.ui._quickopen import SearchPanel

from .test_workspace_pilot import SIZE, wait_for, workspace  # noqa: F401 (fixture)

WIDE = (140, 30)  # every hint fits


def hints_text(app: KiroApp) -> str:
    hints = app.main_query(KeyHints)
    strip = hints.render_line(0)
    return "".join(segment.text for segment in strip)


async def test_the_hints_follow_the_focus_and_a_click_presses_the_key(workspace):  # noqa: F811
    app = KiroApp([str(workspace / "README.md")], workspace=str(workspace))
    async with app.run_test(size=WIDE) as pilot:
        hints = app.main_query(KeyHints)
        await wait_for(pilot, lambda: "Quit" in hints_text(app))
        line = hints_text(app)
        assert len(line) == WIDE[0]
        for shown in ("^q Quit", "^s Save", "^b Files", "^p Quick open"):
            assert shown in line, line
        assert line.rstrip().endswith("f1 palette")
        assert "Close find" not in line
        assert not hints.children  # one Strip, no widget per key

        # The find bar takes the focus: its keys are shown first.
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: "Close find" in hints_text(app))
        assert hints_text(app).index("Close find") < hints_text(app).index("Quit")
        await pilot.press("escape")
        await wait_for(pilot, lambda: "Close find" not in hints_text(app))

        # A bindings change that alters nothing shown builds no new Strip.
        hints_text(app)
        before = hints.rebuilds
        app.screen.refresh_bindings()
        await pilot.pause()
        hints_text(app)
        assert hints.rebuilds == before

        # Clicking "^b Files" presses ctrl+b: the sidebar is hidden, then shown again.
        sidebar = app.main_query("#sidebar")
        assert sidebar.has_class("-visible")
        x = hints_text(app).index("^b Files") + 1
        await pilot.click(KeyHints, offset=(x, 0))
        await wait_for(pilot, lambda: not sidebar.has_class("-visible"))
        await pilot.click(KeyHints, offset=(x, 0))
        await wait_for(pilot, lambda: sidebar.has_class("-visible"))


async def test_a_narrow_screen_cuts_the_hints_and_keeps_the_palette_key(workspace):  # noqa: F811
    app = KiroApp([str(workspace / "README.md")])
    async with app.run_test(size=(40, 12)) as pilot:
        await wait_for(pilot, lambda: "Quit" in hints_text(app))
        line = hints_text(app)
        assert len(line) == 40
        assert line.rstrip().endswith("f1 palette")
        assert "Go to line" not in line


async def test_the_engine_starts_while_a_dialog_opened_at_once_covers_the_editor(
        workspace, monkeypatch):  # noqa: F811
    # The dialog is pushed from on_mount itself, so the main screen is covered before it
    # was ever idle (a user's ctrl+p racing the first paint; by hand the race is lost or
    # won by timing).
    mount = KiroApp.on_mount

    def mount_then_search(self) -> None:
        mount(self)
        self.call_later(self.action_project_search)  # after the start-up callbacks

    monkeypatch.setattr(KiroApp, "on_mount", mount_then_search)
    app = KiroApp([str(workspace / "README.md")], workspace=str(workspace))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SearchPanel))
        panel = app.screen
        await wait_for(pilot, lambda: app.bridge is not None)
        # ... and so the search runs while the panel stays open.
        await pilot.press(*"needle", "enter")
        await wait_for(pilot, lambda: panel.search_id is not None and not panel.running)
        assert panel.matches == [("src/app.py", 3, 12, 18)]
