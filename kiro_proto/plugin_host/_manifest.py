"""Plugin manifests: find plugin folders and read their ``plugin.toml`` without importing
any plugin code, so contributed commands are known (and shown) before activation.

Standard library only (tomllib). Sources, in order (a later plugin with the same name is
ignored): ``plugins/`` next to the package in a source checkout, the user folder
(``$XDG_DATA_HOME/kiro-proto/plugins``, else ``~/.local/share/kiro-proto/plugins``), folders
in ``$KIRO_PLUGIN_PATH`` (``os.pathsep``-separated), and installed packages declaring an
entry point in the ``kiro_proto.plugins`` group (its module's folder holds the manifest).

plugin.toml::

    name = "wordstats"
    version = "1.0"
    entry = "wordstats"          # module (file or package) in the folder
    description = "..."
    activation = ["onCommand:wordstats.count", "onSave", "onLanguage:python",
                  "onStartupFinished"]
    [[commands]]
    name = "wordstats.count"
    title = "Word count"
    description = "..."
"""

from __future__ import annotations

import json
import os
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Manifest", "CommandInfo", "ManifestProblem", "Discovery", "discover", "read_manifest",
           "plugin_folders", "manifest_cache_path", "ENTRY_POINT_GROUP", "ACTIVATION_KINDS"]

ENTRY_POINT_GROUP = "kiro_proto.plugins"
ACTIVATION_KINDS = ("onLanguage", "onCommand", "onSave", "onStartupFinished")
MAX_MANIFEST = 64 * 1024  # bytes: a larger plugin.toml is refused unread


class ManifestProblem(Exception):
    pass


@dataclass(frozen=True, slots=True)
class CommandInfo:
    name: str
    title: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Manifest:
    name: str
    version: str
    entry: str
    folder: str
    activation: tuple[str, ...]
    commands: tuple[CommandInfo, ...]
    description: str = ""
    source: str = "repository"  # "repository", "user", "path", "entry point"

    def activates_on(self, event: str) -> bool:
        """``event``: ``onCommand:NAME``, ``onLanguage:python``, ``onSave``,
        ``onStartupFinished``. Language names compare case-insensitively."""
        if event.startswith("onLanguage:"):
            return event.lower() in {a.lower() for a in self.activation}
        if event.startswith("onCommand:") and event[len("onCommand:"):] in {
                c.name for c in self.commands}:
            return True  # running a contributed command always activates its plugin
        return event in self.activation

    def to_wire(self) -> list:
        return [self.name, self.folder, self.entry]


def _text(table: dict, key: str, default: str | None = None) -> str:
    value = table.get(key, default)
    if not isinstance(value, str) or (default is None and not value):
        raise ManifestProblem(f"{key!r} must be a non-empty string")
    return value


def _parse(data: dict, folder: str, source: str) -> Manifest:
    activation = data.get("activation", [])
    if not isinstance(activation, list) or not all(isinstance(a, str) for a in activation):
        raise ManifestProblem("'activation' must be a list of strings")
    for event in activation:
        if event.split(":", 1)[0] not in ACTIVATION_KINDS:
            raise ManifestProblem(f"unknown activation event {event!r}")
    commands = []
    for c in data.get("commands", []):
        if not isinstance(c, dict):
            raise ManifestProblem("each [[commands]] entry must be a table")
        commands.append(CommandInfo(_text(c, "name"), _text(c, "title", c.get("name")),
                                    _text(c, "description", "")))
    return Manifest(_text(data, "name"), _text(data, "version", "0"), _text(data, "entry"),
                    os.path.abspath(folder), tuple(activation), tuple(commands),
                    _text(data, "description", ""), source)


def _load_toml(folder: str) -> dict:
    path = os.path.join(folder, "plugin.toml")
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_MANIFEST + 1)
    except OSError as err:
        raise ManifestProblem(f"{path}: {err.strerror or err}") from None
    if len(raw) > MAX_MANIFEST:
        raise ManifestProblem(f"{path}: larger than {MAX_MANIFEST} bytes")
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ManifestProblem(f"{path}: {err}") from None


def read_manifest(folder: str, source: str = "repository", *,
                  data: dict | None = None) -> Manifest:
    """Read and check ``folder/plugin.toml`` (``data``: its already parsed table)."""
    if data is None:
        data = _load_toml(folder)
    try:
        return _parse(data, folder, source)
    except ManifestProblem as err:
        raise ManifestProblem(f"{os.path.join(folder, 'plugin.toml')}: {err}") from None


def manifest_cache_path() -> str:
    """``$KIRO_CACHE_DIR/manifests.json``, else under ``$XDG_CACHE_HOME/kiro-proto``."""
    base = os.environ.get("KIRO_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "kiro-proto")
    return os.path.join(base, "manifests.json")


def _read_cache(path: str) -> dict:
    try:
        with open(path, "rb") as f:
            cache = json.loads(f.read(16 * 1024 * 1024))
        return cache if isinstance(cache, dict) and cache.get("version") == 1 else {}
    except (OSError, ValueError):
        return {}


def plugin_folders() -> list[tuple[str, str]]:
    """``(folder holding plugin folders, source)`` in discovery order."""
    roots = []
    checkout = Path(__file__).resolve().parent.parent.parent / "plugins"
    roots.append((str(checkout), "repository"))
    data_home = os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share")
    roots.append((os.path.join(data_home, "kiro-proto", "plugins"), "user"))
    for extra in os.environ.get("KIRO_PLUGIN_PATH", "").split(os.pathsep):
        if extra:
            roots.append((extra, "path"))
    return roots


def _entry_point_folders() -> list[str]:
    """Folders of installed packages that declare a ``kiro_proto.plugins`` entry point.
    ``find_spec`` locates a top-level module without running it."""
    from importlib.metadata import entry_points
    from importlib.util import find_spec

    folders = []
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            spec = find_spec(ep.module.split(".")[0])
        except (ImportError, ValueError):
            continue
        if spec is None:
            continue
        if spec.submodule_search_locations:
            folders.extend(spec.submodule_search_locations)
        elif spec.origin:
            folders.append(os.path.dirname(spec.origin))
    return folders


@dataclass(frozen=True, slots=True)
class Discovery:
    manifests: tuple[Manifest, ...]
    problems: tuple[str, ...]
    seconds: float


def discover(*, entry_points: bool = True, cache: bool = True) -> Discovery:
    """Read every manifest (nothing is imported). Broken manifests become problems, not
    exceptions; a duplicate name keeps the first one found. Parsed tables are cached by
    the manifest's (path, size, mtime) in ``manifest_cache_path()``: an unchanged plugin
    costs one ``stat``, not a TOML parse."""
    t0 = time.perf_counter()
    cache_path = manifest_cache_path()
    old = _read_cache(cache_path).get("manifests", {}) if cache else {}
    new: dict[str, list] = {}
    found: dict[str, Manifest] = {}
    problems = []
    candidates: list[tuple[str, str]] = []
    for root, source in plugin_folders():
        try:
            names = sorted(os.listdir(root))
        except OSError:
            continue
        candidates.extend((os.path.join(root, n), source) for n in names)
    if entry_points:
        candidates.extend((f, "entry point") for f in _entry_point_folders())
    for folder, source in candidates:
        toml = os.path.join(folder, "plugin.toml")
        try:
            st = os.stat(toml)
        except OSError:
            continue
        stamp = [st.st_size, st.st_mtime_ns]
        hit = old.get(toml)
        try:
            if hit is not None and hit[0] == stamp and isinstance(hit[1], dict):
                data = hit[1]
            else:
                data = _load_toml(folder)
            new[toml] = [stamp, data]
            manifest = read_manifest(folder, source, data=data)
        except ManifestProblem as err:
            problems.append(str(err))
            continue
        if manifest.name in found:
            continue
        found[manifest.name] = manifest
    if cache and new != old:
        try:
            os.makedirs(os.path.dirname(cache_path), exist_ok=True)
            tmp = f"{cache_path}.{os.getpid()}.tmp"
            with open(tmp, "w") as f:
                json.dump({"version": 1, "manifests": new}, f)
            os.replace(tmp, cache_path)
        except OSError:
            pass  # no cache this time
    return Discovery(tuple(found.values()), tuple(problems), time.perf_counter() - t0)
