"""The real kiro-proto in a real terminal (tmux): type, save, quit, and check the bytes;
open hostile files and check what the terminal shows."""

from __future__ import annotations

import pytest

from .tmux import TmuxPane, editor_command, have_tmux

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not have_tmux(), reason="tmux is not installed")]

EVIL = (b"plain line\n"
        b"title \x1b]0;PWNED-TITLE\x07 end\n"
        b"clip \x1b]52;c;aGVsbG8=\x07 end\n"
        b"clear \x1b[2J end\n"
        b"c1 \xc2\x9b31m end\n"
        b"bidi \xe2\x80\xae end\n")


def test_open_type_save_quit_writes_the_bytes(tmp_path):
    path = tmp_path / "note.txt"
    path.write_bytes(b"first\r\nsecond\r\n")
    with TmuxPane(editor_command(str(path)), cwd=str(tmp_path)) as pane:
        pane.wait_text("second")
        pane.send("End")
        pane.type(" line")
        pane.send("Enter")
        pane.type("added")
        pane.wait_text("added")
        pane.send("C-s")
        pane.wait_text("saved")
        pane.send("C-q")
        pane.wait_for(lambda s: "added" not in s, what="the editor to exit")
    assert path.read_bytes() == b"first line\r\nadded\r\nsecond\r\n"


def test_quit_with_unsaved_changes_asks_first(tmp_path):
    path = tmp_path / "keep.txt"
    path.write_bytes(b"keep me\n")
    with TmuxPane(editor_command(str(path)), cwd=str(tmp_path)) as pane:
        pane.wait_text("keep me")
        pane.type("zz")
        pane.send("C-q")
        pane.wait_text("before quitting?")
        pane.send("d")
        pane.wait_for(lambda s: "keep me" not in s, what="the editor to exit")
    assert path.read_bytes() == b"keep me\n"


def test_escape_sequences_are_shown_escaped_and_title_is_unchanged(tmp_path):
    path = tmp_path / "evil.txt"
    path.write_bytes(EVIL)
    # The wrapper gives the pane a known title first; the editor must not change it.
    set_title = "printf '\\033]2;kiro-e2e-title\\033\\\\'"
    with TmuxPane(f"{set_title}; {editor_command(str(path))}", cwd=str(tmp_path)) as pane:
        screen = pane.wait_text("plain line")
        screen = pane.wait_text("bidi")
        assert "^[]0;PWNED-TITLE^G" in screen
        assert "^[]52;c;aGVsbG8=^G" in screen
        assert "^[[2J end" in screen
        assert "<9b>31m end" in screen
        assert "<U+202E> end" in screen
        assert pane.title() == "kiro-e2e-title"
        pane.send("C-q")


def test_the_title_check_can_fail(tmp_path):
    """Control for the test above: the same bytes sent raw do change the pane title."""
    path = tmp_path / "evil.txt"
    path.write_bytes(EVIL)
    set_title = "printf '\\033]2;kiro-e2e-title\\033\\\\'"
    with TmuxPane(f"{set_title}; cat {path}", cwd=str(tmp_path)) as pane:
        pane.wait_for(lambda s: "bidi" in s, what="cat output")
        pane.wait_for(lambda s: pane.title() == "PWNED-TITLE", what="the title to change")


ROUND_TRIP = {
    "invalid-utf8": b"ok \xff\xfe\xc3( end\n",
    "nul": b"a\x00b\x00\n",
    "crlf": b"one\r\ntwo\r\n",
    "lone-cr": b"one\rtwo\rthree\n",
    "mixed": b"a\r\nb\nc\rd\r\n",
    "bom": b"\xef\xbb\xbfhello\n",
    "no-final-newline": b"last line",
    "escapes": EVIL,
}


@pytest.mark.parametrize("name", sorted(ROUND_TRIP))
def test_save_without_edit_is_byte_exact(tmp_path, name):
    data = ROUND_TRIP[name]
    path = tmp_path / f"{name}.txt"
    path.write_bytes(data)
    with TmuxPane(editor_command(str(path)), cwd=str(tmp_path)) as pane:
        pane.wait_text(f"{name}.txt")
        pane.send("C-s")
        if b"\x00" in data:  # binary: read-only, saving is refused
            pane.wait_text("read-only")
        else:
            pane.wait_text("saved")
        pane.send("C-q")
        pane.wait_for(lambda s: f"{name}.txt" not in s, what="the editor to exit")
    assert path.read_bytes() == data


def test_closing_the_terminal_ends_the_editor(tmp_path):
    """A closed terminal (SIGHUP) must not leave an orphan editor spinning on a dead tty."""
    import os
    import time

    path = tmp_path / "hup.txt"
    path.write_bytes(b"hang up\n")
    pane = TmuxPane(editor_command(str(path)), cwd=str(tmp_path))
    try:
        pane.wait_text("hang up")
        pane.type("x")  # modified: the journal must survive the hang-up
        pane.wait_text("xhang up")
        pid = int(pane._tmux("display", "-p", "-t", pane.name, "#{pane_pid}").strip())
        children = [p for p in os.listdir("/proc") if p.isdigit()
                    and open(f"/proc/{p}/stat").read().split()[3] == str(pid)]
    finally:
        pane.close()  # kills the tmux server: the pane's processes get SIGHUP
    deadline = time.monotonic() + 10
    alive = [int(c) for c in children]
    while alive and time.monotonic() < deadline:
        alive = [c for c in alive if os.path.exists(f"/proc/{c}")
                 and open(f"/proc/{c}/stat").read().split()[2] != "Z"]
        time.sleep(0.1)
    assert not alive, f"editor processes still running after the terminal closed: {alive}"


def test_a_20_mb_line_opens_scrolls_and_takes_typing_at_column_ten_million(tmp_path):
    """Minified JavaScript: one 20 MB line. Latency is measured by the typometer, not here."""
    path = tmp_path / "min.js"
    chunk = b"var a=function(b){return b+1};"  # 30 bytes
    body = chunk * (20_000_000 // len(chunk))
    path.write_bytes(b"/*HEAD*/" + body + b"/*TAIL*/\n")
    with TmuxPane(editor_command(str(path)), cwd=str(tmp_path)) as pane:
        pane.wait_text("/*HEAD*/", timeout=30)
        pane.send("End")
        pane.wait_text("/*TAIL*/", timeout=30)
        pane.send("C-g")
        pane.wait_text("Go to line")
        pane.type("1:10000001")
        pane.send("Enter")
        pane.wait_text("Col 10000001", timeout=30)
        pane.type("QQQ")
        pane.wait_text("QQQ", timeout=30)
        pane.send("C-s")
        pane.wait_text("saved", timeout=60)
        pane.send("C-q")
    data = path.read_bytes()
    assert data[10_000_000:10_000_003] == b"QQQ"  # column 10,000,001 counted from 1
    assert len(data) == 8 + len(body) + 8 + 1 + 3
