"""The optional compiled core: ``make native`` compiles the modules of kiro_proto.core that
mypyc accepts into ``build/native/`` (outside the source tree, ignored by git); ``activate``
decides, once, when kiro_proto.core is imported, whether those or the ``.py`` files load.

The build records a SHA-256 of every source it compiled. A build whose sources have changed
since (or made for another Python) is never used: the ``.py`` files load instead and a note
goes to stderr (and to ``kiro-proto --modules``). This module itself is never compiled: it
runs before the choice is made. Standard library only; ``build`` imports mypyc when called.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import sysconfig
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["BUILD_DIR", "EXCLUDED", "NativeStatus", "activate", "build", "compiled_modules"]

CORE_DIR = Path(__file__).resolve().parent
# Where `make native` writes and where the loader looks; KIRO_NATIVE_DIR moves it.
BUILD_DIR = Path(os.environ.get("KIRO_NATIVE_DIR") or CORE_DIR.parents[1] / "build" / "native")
MANIFEST = "manifest.json"
# Modules of kiro_proto.core that are left interpreted, with the reason (docs/patterns/01).
EXCLUDED: dict[str, str] = {
    "_native": "it chooses between the builds, so it runs before either is loaded",
    "_files": "load and save wait on the disk, not on Python; compiled, it breaks two ways: "
              "the fault-injection tests replace names in its globals (open), which compiled "
              "code has already bound, and save_file's error path raises "
              "TypeError('None object expected; got str') where its finally block reads "
              "`tmp`, a local narrowed to None inside the try",
}


@dataclass(frozen=True, slots=True)
class NativeStatus:
    """Which build of kiro_proto.core this process loaded.

    ``state``: ``compiled`` (the mypyc build), ``off`` (``KIRO_ABLATE=native``), ``absent``
    (no build), ``stale`` (a source changed after the build) or ``foreign`` (built for
    another Python). ``modules``: the compiled modules loaded (empty unless compiled)."""

    state: str
    modules: tuple[str, ...] = ()
    note: str = ""

    @property
    def compiled(self) -> bool:
        return self.state == "compiled"

    def describe(self) -> str:
        if self.compiled:
            return f"compiled core: {len(self.modules)} modules from {BUILD_DIR} (mypyc)"
        return f"interpreted core: {self.note}"


def compiled_modules() -> list[str]:
    """The modules ``make native`` compiles: every module of the package but the excluded."""
    return sorted(p.stem for p in CORE_DIR.glob("_*.py")
                  if p.stem != "__init__" and p.stem not in EXCLUDED)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _python_tag() -> str:
    return f"{sys.implementation.cache_tag}{sysconfig.get_config_var('EXT_SUFFIX')}"


def activate(package_path: list[str], build_dir: Path | None = None) -> NativeStatus:
    """Put the compiled modules first on ``package_path`` (kiro_proto.core's ``__path__``)
    when the ``native`` switch is on and a build matching the sources exists."""
    from .. import switches

    build_dir = BUILD_DIR if build_dir is None else build_dir
    if not switches.SWITCHES.native:
        return NativeStatus("off", note="KIRO_ABLATE=native: the .py modules")
    try:
        manifest = json.loads((build_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return NativeStatus("absent", note="no build (`make native` makes one)")
    if manifest.get("python") != _python_tag():
        return _ignored("foreign", f"the build in {build_dir} is for {manifest.get('python')}, "
                                   f"this is {_python_tag()}: the .py modules load instead")
    modules: dict[str, str] = manifest.get("modules", {})
    changed = []
    for name, digest in sorted(modules.items()):
        source = CORE_DIR / f"{name}.py"
        if not source.exists() or _digest(source) != digest:
            changed.append(name)
    if changed:
        return _ignored("stale", f"the build in {build_dir} is stale ({', '.join(changed)} "
                                 f"changed since): the .py modules load instead; run "
                                 f"`make native` again")
    package_path.insert(0, str(build_dir / "kiro_proto" / "core"))
    if str(build_dir) not in sys.path:
        sys.path.append(str(build_dir))  # mypyc's shared runtime library lives at the top
    return NativeStatus("compiled", tuple(sorted(modules)))


def _ignored(state: str, note: str) -> NativeStatus:
    print(f"kiro-proto: {note}", file=sys.stderr)
    return NativeStatus(state, note=note)


_MYPY_FLAGS = ["--follow-imports=silent"]  # a module left out is not type-checked either


def _rejected(names: list[str]) -> dict[str, str]:
    """Modules mypy (mypyc's front end) rejects, with their first error: mypyc compiles only
    code that type-checks."""
    from mypy import api

    out, _err, _status = api.run([*_MYPY_FLAGS, *(str(CORE_DIR / f"{n}.py") for n in names)])
    rejected: dict[str, str] = {}
    for line in out.splitlines():
        path, sep, rest = line.partition(".py:")
        if sep and ": error:" in rest and Path(path).name in names:
            rejected.setdefault(Path(path).name, "mypy: " + rest.split(": error:", 1)[1].strip())
    return rejected


def build(build_dir: Path | None = None) -> int:
    """Compile the modules mypyc accepts (``compiled_modules()`` less those that do not
    type-check) into ``build_dir``: a fresh folder swapped in at the end, so a running
    editor's loaded modules are never overwritten in place."""
    from mypyc.build import mypycify  # the `native` extra: pip install -e '.[native]'
    from setuptools import setup  # type: ignore[import-untyped]

    build_dir = BUILD_DIR if build_dir is None else build_dir
    build_dir.parent.mkdir(parents=True, exist_ok=True)
    root = CORE_DIR.parents[1]
    names = compiled_modules()
    left_out: dict[str, str] = dict(EXCLUDED)
    while names:  # leaving one out can reveal another (its callers lose their types)
        rejected = _rejected(names)
        if not rejected:
            break
        for name, why in sorted(rejected.items()):
            print(f"left interpreted: {name} ({why})")
        left_out.update(rejected)
        names = [n for n in names if n not in rejected]
    sources = [str((CORE_DIR / f"{n}.py").relative_to(root)) for n in names]
    digests = {n: _digest(CORE_DIR / f"{n}.py") for n in names}
    fresh = Path(tempfile.mkdtemp(prefix="native.", dir=build_dir.parent))
    work = fresh / "work"
    started = time.perf_counter()
    cwd = os.getcwd()
    os.chdir(root)  # mypyc names modules by their path from here: kiro_proto/core/_x.py
    try:
        setup(name="kiro-proto-native",
              ext_modules=mypycify([*_MYPY_FLAGS, *sources], target_dir=str(work / "c")),
              script_args=["build_ext", "--build-lib", str(fresh), "--build-temp",
                           str(work / "o")])
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)  # the previous build, if any, stays
        raise
    finally:
        os.chdir(cwd)
    shutil.rmtree(work, ignore_errors=True)
    from importlib.metadata import version

    manifest = {"python": _python_tag(), "mypy": version("mypy"), "modules": digests,
                "excluded": left_out, "seconds": round(time.perf_counter() - started, 1)}
    (fresh / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    shutil.rmtree(build_dir, ignore_errors=True)  # unlinking a loaded .so is safe
    fresh.rename(build_dir)
    print(f"compiled {len(names)} modules of kiro_proto.core into {build_dir} "
          f"in {manifest['seconds']} s; left interpreted: {', '.join(sorted(left_out))}")
    return 0
