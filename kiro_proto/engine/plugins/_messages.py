"""Messages between the UI and the plugin service: requests imperative, events past tense
(as in ``engine/_messages.py``). Standard library only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .._messages import Message

__all__ = ["LoadPlugins", "RunPluginCommand", "DocumentSaved", "PluginActivated",
           "PluginCommandDone", "PluginOutputs", "PluginStateChanged", "PluginHostDown",
           "PluginChannelClosed", "PLUGIN_REQUESTS"]


# -- requests (UI -> engine) -----------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class LoadPlugins(Message):
    """The manifests found (``plugin_host.Manifest`` values; nothing imported yet) and the
    workspace folder. Plugins activated by ``onStartupFinished`` start now."""

    manifests: tuple
    workspace: str | None = None


@dataclass(frozen=True, slots=True)
class RunPluginCommand(Message):
    """Activate ``plugin`` if needed (``onCommand``), then run ``command``. ``args``: the
    current buffer's ``doc_id``, ``row``, ``col`` (0-based, characters) and ``path``."""

    request_id: int
    plugin: str
    command: str
    args: dict


@dataclass(frozen=True, slots=True)
class DocumentSaved(Message):
    doc_id: int
    path: str


# -- events (engine -> UI) -------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class PluginActivated(Message):
    """``seconds``: from the triggering event to the host's answer; ``cold``: the host
    process was started for it (its start-up is included)."""

    plugin: str
    seconds: float
    cold: bool
    commands: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PluginCommandDone(Message):
    request_id: int
    plugin: str
    command: str
    result: Any
    error: str | None
    seconds: float


@dataclass(frozen=True, slots=True)
class PluginOutputs(Message):
    """What plugins produced while the host handled one message, in one frame:
    ``(plugin, kind, payload)`` with kind ``status``, ``notify``, ``diagnostics``,
    ``decorations`` or ``error``. Unchecked text: the UI sanitizes it."""

    items: tuple


@dataclass(frozen=True, slots=True)
class PluginStateChanged(Message):
    """``state``: ``active``, ``unresponsive`` (no answer before the deadline) or
    ``failed`` (activation raised)."""

    plugin: str
    state: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class PluginHostDown(Message):
    """The host crashed more often than the restart policy allows and stays down."""

    plugins: tuple[str, ...]
    reason: str


@dataclass(frozen=True, slots=True)
class PluginChannelClosed(Message):
    """The host sent a frame that broke the protocol; the channel was closed (logged) and
    the host restarted."""

    reason: str


PLUGIN_REQUESTS = (LoadPlugins, RunPluginCommand, DocumentSaved)
