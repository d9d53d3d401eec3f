"""Every demo runs, prints both measurements of every comparison, names its page, exits 0."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kiro_proto.demos import DEMOS

ROOT = Path(__file__).resolve().parents[2]
NUMBER = r"\d+(\.\d+)?\s*\S+"


def run_demo(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kiro_proto", "demo", *args],
                          capture_output=True, text=True, timeout=300, cwd=ROOT,
                          env=dict(os.environ, KIRO_ABLATE=""))


def test_demo_lists_every_demo_with_its_page() -> None:
    proc = run_demo()
    assert proc.returncode == 0, proc.stderr
    for demo in DEMOS.values():
        assert re.search(rf"^\s+{demo.name}\s", proc.stdout, re.M), demo.name
        assert demo.page in proc.stdout


def test_unknown_demo_is_a_clear_error() -> None:
    proc = run_demo("no-such-demo")
    assert proc.returncode == 2
    assert "no demo 'no-such-demo'" in proc.stderr


def test_every_demo_has_a_page_and_a_real_switch() -> None:
    from kiro_proto.switches import Switches

    for demo in DEMOS.values():
        assert (ROOT / "docs" / "patterns" / demo.page).is_file(), demo.page
        assert demo.switch in Switches.names(), demo.switch


@pytest.mark.parametrize("name", list(DEMOS))
def test_demo_runs_and_prints_both_measurements(name: str) -> None:
    proc = run_demo(name, "--quick")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    ons = re.findall(rf"^  on .*?{NUMBER}", out, re.M)
    offs = re.findall(rf"^  off .*?{NUMBER}", out, re.M)
    assert ons and len(ons) == len(offs), out
    assert f"Read next: docs/patterns/{DEMOS[name].page}" in out
