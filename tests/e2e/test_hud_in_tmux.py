"""The performance panel in a real terminal: F12 shows it beside the text, keys typed
while it updates land in the file in order, and its key-to-frame figure counts them."""

from __future__ import annotations

import re
import time

import pytest

from .tmux import TmuxPane, editor_command, have_tmux

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not have_tmux(), reason="tmux is not installed")]


def test_f12_shows_live_figures_and_typing_is_undisturbed(tmp_path):
    path = tmp_path / "demo.py"
    path.write_text("def main():\n    return 1\n" * 50)
    with TmuxPane(editor_command(str(path)), cwd=str(tmp_path), height=40) as pane:
        pane.wait_text("return 1")
        pane.send("F12")
        screen = pane.wait_text("keystroke -> frame")
        assert "F12 hides" in screen
        assert "def main():" in screen  # the text is still there, beside the panel
        pane.send("End")
        for ch in "typed":
            pane.type(ch)
            time.sleep(0.1)  # the panel's timer runs between these keys
        screen = pane.wait_for(lambda s: re.search(r"\((\d+) keys\)", s)
                               and int(re.search(r"\((\d+) keys\)", s).group(1)) >= 6,
                               what="the panel to count the keys")
        assert re.search(r"p50\s+\d+\.\d\s+p95\s+\d+\.\d ms", screen)
        assert re.search(r"UI \d+ MiB", screen), screen
        pane.send("F12")
        pane.wait_for(lambda s: "keystroke -> frame" not in s, what="the panel to hide")
        pane.send("C-s")
        pane.wait_text("saved")
        pane.send("C-q")
        pane.wait_for(lambda s: "return 1" not in s, what="the editor to exit")
    assert path.read_text().startswith("def main():typed\n")
