"""The plugin host process: activates plugins on request, mirrors the editor's open buffers
from batched edit frames, runs plugin commands and event handlers, and sends what plugins
produce (status items, notifications, diagnostics, decorations) back in one frame per
handled message.

Run as ``python -m kiro_proto.plugin_host``; msgpack-RPC frames on stdin/stdout. Plugin code
runs here, never in the editor: a plugin that hangs or crashes costs the host, not the UI.
Plugins' own ``print`` goes to stderr (the editor sends that to a log file), so nothing a
plugin writes can corrupt the channel.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import time
import traceback
from typing import Any, BinaryIO

from .. import plugin_api
from ..engine._frames import NOTIFY, REQUEST, RESPONSE, FrameError, pack_frame, read_frame

__all__ = ["Host", "main", "HOST_MAX_FRAME"]

HOST_MAX_FRAME = 256 * 1024 * 1024  # a whole document arrives when a buffer is opened


class _Plugin:
    __slots__ = ("name", "module", "ctx")

    def __init__(self, name: str, module: Any, ctx: plugin_api.Context) -> None:
        self.name = name
        self.module = module
        self.ctx = ctx


class Host:
    def __init__(self, stdin: BinaryIO, stdout: BinaryIO, *,
                 max_frame: int = HOST_MAX_FRAME) -> None:
        self.stdin = stdin
        self.stdout = stdout
        self.max_frame = max_frame
        self.buffers: dict[int, plugin_api.Buffer] = {}
        self._arriving: dict[int, tuple] = {}  # documents whose text is still arriving
        self.plugins: dict[str, _Plugin] = {}
        self.workspace: str | None = None
        self._out: list[list] = []  # [plugin, kind, payload] waiting for the next flush

    # -- output -----------------------------------------------------------------------------
    def _write(self, message: list) -> None:
        self.stdout.write(pack_frame(message))

    def flush(self) -> None:
        if self._out:
            out, self._out = self._out, []
            self._write([NOTIFY, "batch", out])
        self.stdout.flush()

    def _emitter(self, plugin: str):
        def emit(kind: str, payload: Any) -> None:
            self._out.append([plugin, kind, payload])
        return emit

    # -- activation -------------------------------------------------------------------------
    def activate(self, name: str, folder: str, entry: str) -> dict:
        if name in self.plugins:
            return self._describe(self.plugins[name])
        t0 = time.perf_counter()
        path = os.path.join(folder, entry + ".py")
        locations = None
        if not os.path.isfile(path):
            path = os.path.join(folder, entry, "__init__.py")
            locations = [os.path.join(folder, entry)]
        module_name = f"kiro_plugin_{name.replace('-', '_')}"
        spec = importlib.util.spec_from_file_location(module_name, path,
                                                      submodule_search_locations=locations)
        if spec is None or spec.loader is None:
            raise RuntimeError(f"cannot load {path}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
        ctx = plugin_api.Context(name, folder, self.workspace, self.buffers, self._emitter(name))
        activate = getattr(module, "activate", None)
        if activate is not None:
            activate(ctx)
        plugin = _Plugin(name, module, ctx)
        self.plugins[name] = plugin
        # A plugin activated after buffers were opened still hears about them.
        for buf in list(self.buffers.values()):
            self._call(plugin, "opened", buf)
        info = self._describe(plugin)
        info["seconds"] = time.perf_counter() - t0
        return info

    @staticmethod
    def _describe(plugin: _Plugin) -> dict:
        return {"commands": sorted(plugin.ctx.commands),
                "events": sorted(e for e, hs in plugin.ctx.handlers.items() if hs)}

    def _call(self, plugin: _Plugin, event: str, buf: plugin_api.Buffer) -> None:
        for handler in plugin.ctx.handlers[event]:
            try:
                handler(plugin.ctx, buf)
            except Exception:  # noqa: BLE001 - one plugin's bug is its own notice
                self._out.append([plugin.name, "error", _short_traceback()])

    def _dispatch(self, event: str, buf: plugin_api.Buffer) -> None:
        for plugin in list(self.plugins.values()):
            self._call(plugin, event, buf)

    # -- the batch of buffer events ---------------------------------------------------------
    def _opened_if_complete(self, doc_id: int) -> None:
        data, language, revision, path, size = self._arriving[doc_id]
        if len(data) >= size:
            del self._arriving[doc_id]
            buf = plugin_api.Buffer(doc_id, data, language, revision, path)
            self.buffers[doc_id] = buf
            self._dispatch("opened", buf)

    def apply_batch(self, items: list) -> None:
        """``items``: ``["open", id, first_piece, language, revision, path, size]`` then
        ``["append", id, piece]`` until ``size`` bytes are in (plugins hear "opened" then),
        ``["edit", id, revision, start, old_end, new_bytes]``, ``["close", id]``,
        ``["saved", id, path]``, ``["workspace", path]``. Edits are applied in order; each
        buffer hears one ``changed`` per batch however many edits it got."""
        changed: dict[int, None] = {}
        for item in items:
            kind = item[0]
            if kind == "edit":
                _, doc_id, revision, start, old_end, new = item
                buf = self.buffers.get(doc_id)
                if buf is not None and revision > buf.revision:  # else already in its text
                    buf._data[start:old_end] = new
                    buf.revision = revision
                    changed[doc_id] = None
            elif kind == "open":  # the first piece of the text; "append"s bring the rest
                _, doc_id, data, language, revision, path, size = item
                self.buffers.pop(doc_id, None)
                self._arriving[doc_id] = (bytearray(data), language, revision, path, size)
                changed.pop(doc_id, None)
                self._opened_if_complete(doc_id)
            elif kind == "append":
                arriving = self._arriving.get(item[1])
                if arriving is not None:
                    arriving[0].extend(item[2])
                    self._opened_if_complete(item[1])
            elif kind == "close":
                buf = self.buffers.pop(item[1], None)
                changed.pop(item[1], None)
                if buf is not None:
                    self._dispatch("closed", buf)
            elif kind == "saved":
                buf = self.buffers.get(item[1])
                if buf is not None:
                    buf.path = item[2]
                    if item[1] in changed:  # edits before the save are seen first
                        del changed[item[1]]
                        self._dispatch("changed", buf)
                    self._dispatch("saved", buf)
            elif kind == "workspace":
                self.workspace = item[1]
                for plugin in self.plugins.values():
                    plugin.ctx.workspace = item[1]
        for doc_id in changed:
            buf = self.buffers.get(doc_id)
            if buf is not None:
                self._dispatch("changed", buf)

    # -- requests ---------------------------------------------------------------------------
    def handle(self, message: list) -> None:
        kind = message[0]
        if kind == NOTIFY and message[1] == "batch":
            self.apply_batch(message[2])
            return
        if kind != REQUEST:
            return
        _, msg_id, method, params = message
        try:
            result = self.request(method, params)
        except Exception as err:  # noqa: BLE001 - the editor gets the reason
            self._write([RESPONSE, msg_id, f"{type(err).__name__}: {err}\n"
                         + _short_traceback(), None])
        else:
            self._write([RESPONSE, msg_id, None, result])

    def request(self, method: str, params: list) -> Any:
        if method == "ping":
            return os.getpid()
        if method == "activate":
            name, folder, entry = params
            return self.activate(name, folder, entry)
        if method == "command":
            plugin_name, command, args = params
            plugin = self.plugins.get(plugin_name)
            if plugin is None:
                raise RuntimeError(f"plugin {plugin_name} is not active")
            handler = plugin.ctx.commands.get(command)
            if handler is None:
                raise RuntimeError(f"plugin {plugin_name} has no command {command}")
            return handler(plugin.ctx, args)
        raise RuntimeError(f"unknown method {method}")

    def serve(self) -> None:
        while True:
            message = read_frame(self.stdin, max_frame=self.max_frame)
            if message is None:
                return
            if isinstance(message, list) and message:
                self.handle(message)
            self.flush()


def _short_traceback(limit: int = 2000) -> str:
    return traceback.format_exc()[-limit:]


def main() -> int:
    # The channel is the original stdout; fd 1 becomes stderr, so a plugin's print (or a C
    # library writing to fd 1) cannot corrupt a frame.
    channel = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    host = Host(sys.stdin.buffer, channel)
    try:
        host.serve()
    except (FrameError, BrokenPipeError, KeyboardInterrupt):
        return 1
    return 0
