"""msgpack as the engine uses it (RPC frames, the persistent cache, the journal): msgpack's C
extension, or its pure-Python twin ``msgpack.fallback`` when the ``native`` switch is off
(``KIRO_ABLATE=native``), so the cost of leaving C can be measured. Same API, same bytes.

Modules import this as ``msgpack``; the switch is read at each call, so
``switches.configure`` applies at once. The exception classes are shared by both.
"""

from __future__ import annotations

from typing import Any

import msgpack as _c
from msgpack import ExtraData, FormatError, OutOfData, StackError
from msgpack import fallback as _py

from .. import switches

__all__ = ["ExtraData", "FormatError", "OutOfData", "Packer", "StackError", "Unpacker",
           "implementation", "packb", "unpackb"]


def _impl() -> Any:
    return _c if switches.SWITCHES.native else _py


def implementation() -> str:
    """``"C"`` or ``"Python"``: what msgpack calls run on now."""
    return "C" if _impl() is _c and _c.Packer is not _py.Packer else "Python"


def packb(obj: Any, **options: Any) -> bytes:
    return _impl().Packer(**options).pack(obj)


def unpackb(data: Any, **options: Any) -> Any:
    return _impl().unpackb(data, **options)


def Packer(**options: Any) -> Any:  # noqa: N802 - msgpack's class name
    """A packer to reuse for many objects: ``packb`` builds one per call, which costs more
    than packing a small object (20,000 small payloads: 35 ms through ``packb``, 11 ms
    through one packer)."""
    return _impl().Packer(**options)


def Unpacker(*args: Any, **options: Any) -> Any:  # noqa: N802 - msgpack's class name
    return _impl().Unpacker(*args, **options)
