"""The compiled core is chosen only when it matches the sources it was built from."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

from kiro_proto import switches
from kiro_proto.core import _native


def _manifest(build_dir: Path, modules: dict[str, str], python: str | None = None) -> None:
    build_dir.mkdir(parents=True, exist_ok=True)
    (build_dir / _native.MANIFEST).write_text(json.dumps(
        {"python": python or _native._python_tag(), "modules": modules}))


def _real_digest(name: str) -> str:
    return hashlib.sha256((_native.CORE_DIR / f"{name}.py").read_bytes()).hexdigest()


def test_no_build_loads_the_py_modules(tmp_path: Path) -> None:
    path: list[str] = ["core"]
    status = _native.activate(path, tmp_path / "none")
    assert status.state == "absent" and not status.compiled and path == ["core"]


def test_a_matching_build_goes_first_on_the_package_path(tmp_path: Path) -> None:
    _manifest(tmp_path, {"_fenwick": _real_digest("_fenwick"), "_lru": _real_digest("_lru")})
    path: list[str] = ["core"]
    try:
        status = _native.activate(path, tmp_path)
    finally:
        if str(tmp_path) in sys.path:
            sys.path.remove(str(tmp_path))
    assert status.compiled and status.modules == ("_fenwick", "_lru")
    assert path == [str(tmp_path / "kiro_proto" / "core"), "core"]


def test_a_stale_build_is_ignored_with_a_note(tmp_path: Path, capsys) -> None:
    _manifest(tmp_path, {"_fenwick": _real_digest("_fenwick"), "_lru": "0" * 64})
    path: list[str] = ["core"]
    status = _native.activate(path, tmp_path)
    assert status.state == "stale" and path == ["core"]
    assert "_lru" in status.note and "_fenwick" not in status.note
    assert "stale" in capsys.readouterr().err


def test_a_build_for_another_python_is_ignored(tmp_path: Path, capsys) -> None:
    _manifest(tmp_path, {"_lru": _real_digest("_lru")}, python="cpython-399.so")
    path: list[str] = ["core"]
    assert _native.activate(path, tmp_path).state == "foreign" and path == ["core"]
    assert "cpython-399" in capsys.readouterr().err


def test_the_switch_off_ignores_even_a_matching_build(tmp_path: Path) -> None:
    _manifest(tmp_path, {"_lru": _real_digest("_lru")})
    saved = switches.SWITCHES
    path: list[str] = ["core"]
    try:
        switches.configure(switches.Switches.from_spec("native"))
        status = _native.activate(path, tmp_path)
    finally:
        switches.configure(saved)
    assert status.state == "off" and path == ["core"]


def test_every_module_but_the_loader_is_offered_to_mypyc() -> None:
    names = _native.compiled_modules()
    assert "_buffer" in names and "_fenwick" in names
    assert "_native" not in names and "__init__" not in names


@pytest.mark.skipif(not _native.BUILD_DIR.joinpath(_native.MANIFEST).exists(),
                    reason="no compiled build (make native)")
def test_the_loaded_build_is_the_one_reported() -> None:
    from kiro_proto import core
    from kiro_proto.core import _buffer

    compiled = not _buffer.__file__.endswith(".py")
    assert compiled == core.NATIVE.compiled


def test_snapshot_and_fenwick_copy_are_independent_of_later_edits() -> None:
    # Both copy without calling __init__ interpreted; compiled by mypyc, __new__ runs
    # __init__, so they must not depend on skipping it.
    from kiro_proto.core import Fenwick, TextBuffer

    tree = Fenwick([1, 2, 3])
    twin = tree.copy()
    tree.add(0, 10)
    assert (twin.total(), tree.total()) == (6, 16)
    buf = TextBuffer.from_bytes(b"one\ntwo\nthree\n" * 3000)
    snap = buf.snapshot()
    buf.replace(0, 4, b"")
    assert snap.line_span(1) == (4, 7) and buf.line_span(0) == (0, 3)
    assert snap.to_bytes() == b"one\ntwo\nthree\n" * 3000 and snap.line_count == 9001
