"""Kill the real editor and get the work back: SIGKILL loses at most the last second,
SIGTERM loses nothing (the way Vim's and Neovim's swap-file tests kill a real process)."""

from __future__ import annotations

import os
import signal
import time

import psutil
import pytest

from .tmux import TmuxPane, editor_command, have_tmux

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not have_tmux(), reason="tmux is not installed")]

ORIGINAL = b"first line\nsecond line\n"


def editor_process(pane: TmuxPane) -> psutil.Process:
    shell = psutil.Process(int(pane._tmux("display", "-p", "-t", pane.name, "#{pane_pid}")))
    for child in shell.children(recursive=True):
        if "kiro_proto" in " ".join(child.cmdline()):
            return child
    raise AssertionError("the editor process was not found")


def recover_and_save(path, state, tmp_path) -> bytes:
    """Start the editor again, accept the recovery offer, save, quit; the file's bytes."""
    with TmuxPane(editor_command(str(path)), cwd=str(tmp_path),
                  env={"KIRO_STATE_DIR": str(state)}) as pane:
        pane.wait_text("Recover (r)")
        pane.send("r")
        pane.wait_for(lambda s: "Recover (r)" not in s, what="the recovery to finish")
        before = path.read_bytes()
        pane.send("C-s")
        deadline = time.monotonic() + 10
        while path.read_bytes() == before and time.monotonic() < deadline:
            time.sleep(0.05)
        pane.send("C-q")
    assert not os.listdir(state / "journal"), "the journal is removed after the save"
    return path.read_bytes()


def type_then_kill(tmp_path, sig: int, *, settle: float, late: str) -> tuple[bytes, str]:
    path = tmp_path / "work.txt"
    path.write_bytes(ORIGINAL)
    state = tmp_path / "state"
    with TmuxPane(editor_command(str(path)), cwd=str(tmp_path),
                  env={"KIRO_STATE_DIR": str(state)}) as pane:
        pane.wait_text("second line")
        pane.type("kept ")
        pane.send("Enter")
        pane.type("typed before")
        pane.wait_text("typed before")
        time.sleep(settle)
        pane.type(late)
        if sig == signal.SIGTERM:
            pane.wait_text(late)
        proc = editor_process(pane)
        proc.send_signal(sig)
        proc.wait(10)
    assert path.read_bytes() == ORIGINAL  # nothing was saved
    return recover_and_save(path, state, tmp_path), late


def test_sigkill_loses_at_most_the_last_second(tmp_path):
    recovered, late = type_then_kill(tmp_path, signal.SIGKILL, settle=1.5, late=" LATE")
    sure = b"kept \ntyped beforefirst line\nsecond line\n"
    possible = {b"kept \ntyped before" + late[:i].encode() + b"first line\nsecond line\n"
                for i in range(len(late) + 1)}
    assert recovered in possible, recovered
    assert recovered.startswith(sure[:len(b"kept \ntyped before")])


def test_sigterm_loses_nothing(tmp_path):
    recovered, late = type_then_kill(tmp_path, signal.SIGTERM, settle=0.0, late=" and after")
    assert recovered == b"kept \ntyped before and afterfirst line\nsecond line\n"
