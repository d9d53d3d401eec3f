"""Tests for the benchmark tools (generator always; tmux run if available)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import gen  # noqa: E402
import typometer  # noqa: E402


@pytest.mark.parametrize("n", [0, 1, 10, 299, 300, 301, 303, 1000, 4321, 100_000])
def test_exact_size(n):
    assert len(gen.generate_python(n)) == n


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_valid_python_and_marker(seed):
    data = gen.generate_python(300_000, seed)
    compile(data, "generated.py", "exec")
    assert data.startswith(gen.MARKER.encode() + b"\n")


def test_deterministic_and_seeded():
    assert gen.generate_python(50_000) == gen.generate_python(50_000)
    assert gen.generate_python(50_000, 1) != gen.generate_python(50_000, 0)
    # a bigger file starts like the smaller one (same pool, same order)
    small = gen.generate_python(20_000)
    assert gen.generate_python(40_000)[:10_000] == small[:10_000]


def test_large_is_valid_and_varied():
    data = gen.generate_python(2_000_000)
    compile(data, "generated.py", "exec")
    assert b"_1(" in data or b"_1 " in data  # second cycle renames identifiers


def test_parse_size():
    assert gen.parse_size("100KB") == 100_000
    assert gen.parse_size("1MB") == 1_000_000
    assert gen.parse_size("1.5MiB") == 1_572_864
    assert gen.parse_size("123") == 123
    assert gen.format_size(10_000_000) == "10MB"
    with pytest.raises(ValueError):
        gen.parse_size("12XB")


def test_cli(tmp_path):
    out = tmp_path / "f.py"
    assert gen.main(["--size", "12KB", str(out)]) == 0
    assert out.read_bytes() == gen.generate_python(12_000)


def test_percentile():
    assert typometer.percentile([5.0], 99) == 5.0
    assert typometer.percentile([1, 2, 3, 4], 50) == 2.5
    assert typometer.percentile(list(range(101)), 95) == 95


def test_peer_available():
    assert typometer.peer_available("sh -c true") is None
    assert "not installed" in typometer.peer_available("no-such-program-xyz {file}")


@pytest.mark.skipif(not (shutil.which("tmux") and shutil.which("vim")), reason="needs tmux and vim")
def test_run_vim_end_to_end(tmp_path):
    out = tmp_path / "r.json"
    p = subprocess.run(
        [sys.executable, str(BENCH / "typometer.py"), "--sizes", "20KB", "--peers", "vim,missing",
         "--peer-cmd", "missing=no-such-program-xyz {file}", "--keys", "3",
         "--workdir", str(tmp_path), "--json", str(out)],
        capture_output=True, text=True, timeout=120,
    )
    assert p.returncode == 0, p.stderr
    doc = json.loads(out.read_text())
    by_peer = {r["peer"]: r for r in doc["results"]}
    assert by_peer["vim"]["status"] == "ok"
    assert len(by_peer["vim"]["latencies_ms"]) == 3
    assert by_peer["vim"]["first_paint_s"] > 0
    assert by_peer["vim"]["rss_mb"] > 0
    assert by_peer["missing"]["status"] == "skipped"
    assert doc["machine"]["cpu_count"]
    names = subprocess.run(["tmux", "-L", typometer.SOCKET, "ls", "-F", "#{session_name}"],
                           capture_output=True, text=True).stdout
    assert not any(n.startswith("tm-") and "-vim-20KB" in n for n in names.splitlines())


def test_compile_checkouts_compiles_the_package_each_peer_runs(tmp_path):
    checkout = tmp_path / "other"
    (checkout / "kiro_proto").mkdir(parents=True)
    (checkout / "kiro_proto" / "mod.py").write_text("X = 1\n")
    (checkout / "kiro_proto" / "sample" / "src").mkdir(parents=True)
    (checkout / "kiro_proto" / "sample" / "src" / "app.py").write_text("Y = 2\n")
    templates = {"other": f"env -C {checkout} {{python}} -m kiro_proto {{file}}",
                 "vim": "vim {file}"}
    done = typometer.compile_checkouts(templates, ["other", "vim"])
    assert str(checkout / "kiro_proto") in done
    assert list((checkout / "kiro_proto" / "__pycache__").glob("mod.*.pyc"))
    assert not (checkout / "kiro_proto" / "sample" / "src" / "__pycache__").exists()
