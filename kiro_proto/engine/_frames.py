"""Length-prefixed msgpack frames over pipes, with explicit size limits.

A frame is a 4-byte big-endian length followed by that many bytes of msgpack. Lengths over
``max_frame`` are refused before anything is read or allocated; decoding uses msgpack's own
limits (string, binary, array and map sizes), so a hostile or broken peer costs bounded
memory. Messages follow msgpack-RPC: ``[0, id, method, params]`` requests,
``[1, id, error, result]`` responses, ``[2, method, params]`` notifications.
"""

from __future__ import annotations

import struct
from typing import Any, BinaryIO

from . import _msgpack as msgpack  # C extension, or msgpack.fallback with native off

__all__ = ["FrameError", "pack_frame", "unpack_payload", "read_frame", "MAX_FRAME",
           "REQUEST", "RESPONSE", "NOTIFY", "serve_worker"]

REQUEST, RESPONSE, NOTIFY = 0, 1, 2
MAX_FRAME = 256 * 1024 * 1024  # a whole document is sent when a worker opens it
_HEADER = struct.Struct(">I")


class FrameError(Exception):
    """A frame that is truncated, too large or not valid msgpack: close the channel."""


def pack_frame(message: Any) -> bytes:
    payload = msgpack.packb(message, use_bin_type=True)
    return _HEADER.pack(len(payload)) + payload


def unpack_payload(payload: bytes, *, max_frame: int = MAX_FRAME) -> Any:
    try:
        return msgpack.unpackb(
            payload, raw=False, strict_map_key=False, use_list=True,
            max_bin_len=max_frame, max_str_len=max_frame,
            max_array_len=1_000_000, max_map_len=100_000,
        )
    except (ValueError, TypeError, msgpack.ExtraData, msgpack.FormatError,
            msgpack.StackError) as err:
        raise FrameError(f"invalid msgpack frame: {err}") from None


def frame_length(header: bytes, *, max_frame: int = MAX_FRAME) -> int:
    (length,) = _HEADER.unpack(header)
    if length > max_frame:
        raise FrameError(f"frame of {length} bytes is over the limit of {max_frame}")
    return length


def read_frame(stream: BinaryIO, *, max_frame: int = MAX_FRAME) -> Any | None:
    """Blocking read of one frame (worker side). None at a clean end of stream."""
    header = stream.read(4)
    if not header:
        return None
    if len(header) < 4:
        raise FrameError("truncated frame header")
    length = frame_length(header, max_frame=max_frame)
    payload = stream.read(length)
    if len(payload) < length:
        raise FrameError(f"truncated frame: {len(payload)} of {length} bytes")
    return unpack_payload(payload, max_frame=max_frame)


WORKER_NICENESS = 10


def serve_worker(worker_class) -> int:
    """The ``main()`` of a worker process: serve frames on stdin/stdout until the editor
    closes the pipe. Background work yields the CPU to the editor: on a machine with few
    cores the UI process must win when both want to run (a keystroke beats a reparse)."""
    import os
    import sys

    try:
        os.nice(WORKER_NICENESS)
    except OSError:
        pass
    worker = worker_class(sys.stdin.buffer, sys.stdout.buffer)
    try:
        worker.serve()
    except (FrameError, BrokenPipeError, KeyboardInterrupt):
        return 1
    return 0
