"""Quick open (ctrl+p) and project search (alt+shift+f) in the real editor in a real terminal:
type, see the result, Enter opens the file (at the match, for a search)."""

from __future__ import annotations

import re

import pytest

from .tmux import TmuxPane, editor_command, have_tmux

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not have_tmux(), reason="tmux is not installed")]

FILES = {
    "README.md": "# workspace readme marker\n",
    "src/app.py": "import os\n\n\ndef main():\n    return 'needle_of_app'\n",
    "src/util/strings.py": "STRINGS_MARKER = 1\n",
    "docs/guide.md": "a guide\n",
    "ignored/secret.py": "needle_of_app = 'ignored'\n",
}


@pytest.fixture
def workspace(tmp_path):
    root = tmp_path / "ws"
    for rel, text in FILES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (root / ".gitignore").write_text("ignored/\n")
    return root


def first_result(screen: str, status: str) -> str:
    """The row under the dialog's status line (``status`` matches it), borders stripped."""
    lines = [ln.strip(" │▊▎") for ln in screen.splitlines()]
    for i, line in enumerate(lines):
        if re.search(status, line):
            rows = [ln for ln in lines[i + 1:] if ln]
            return rows[0] if rows else ""
    return ""


def status_bar(screen: str) -> str:
    return next((ln for ln in screen.splitlines() if "Ln " in ln and "Col " in ln), "")


def test_quick_open_and_project_search_open_files(workspace, tmp_path):
    env = {"KIRO_CACHE_DIR": str(tmp_path / "cache"), "KIRO_STATE_DIR": str(tmp_path / "state")}
    with TmuxPane(editor_command(str(workspace)), cwd=str(workspace), env=env) as pane:
        pane.wait_text("workspace readme marker")

        pane.send("C-p")
        pane.wait_for(lambda s: re.search(r"\d+ of 5 files", s) and "indexing" not in s,
                      what="quick open with the whole index")
        pane.type("strpy")
        pane.wait_for(lambda s: first_result(s, r"of 5 files") == "src/util/strings.py",
                      what="strings.py as the first result")
        pane.send("Enter")
        screen = pane.wait_text("STRINGS_MARKER")
        assert "strings.py" in status_bar(screen)

        pane.send("M-F")  # alt+shift+f: a terminal sends alt+f as ESC f, read as ctrl+right
        pane.wait_text("regex off")
        pane.type("needle_of")
        pane.send("Enter")
        screen = pane.wait_for(lambda s: "1 matches in 1 files, done" in s,
                               what="the search to finish")
        assert first_result(screen, r"matches in").startswith("src/app.py:5:")
        assert "secret.py" not in screen  # .gitignore'd
        pane.send("Down")
        pane.send("Enter")
        screen = pane.wait_for(lambda s: "app.py" in status_bar(s), what="app.py opened")
        # the match is selected: the cursor is on row 5, at its start or its end
        assert re.search(r"Ln 5, Col (13|22)\b", status_bar(screen)), status_bar(screen)
        pane.send("C-q")
