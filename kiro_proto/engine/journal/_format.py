"""The journal's on-disk framing: a magic string, then records of
``4-byte length | 4-byte crc32 | msgpack payload`` (big-endian), so a torn or damaged tail
is recognised and everything before it is still read."""

from __future__ import annotations

import struct
import zlib

from .. import _msgpack as msgpack  # C extension, or msgpack.fallback with native off

__all__ = ["MAGIC", "encode_record", "encode_snapshot", "decode_records"]

MAGIC = b"KIROJNL1"
_FRAME = struct.Struct(">II")
MAX_RECORD = 1 << 31  # a length above this is damage, not data


def encode_record(record: dict) -> bytes:
    payload = msgpack.packb(record, use_bin_type=True)
    return _FRAME.pack(len(payload), zlib.crc32(payload)) + payload


def encode_snapshot(revision: int, pieces: list[bytes]) -> list[bytes]:
    """The record ``{"t": "snap", "rev": revision, "data": b"".join(pieces)}``, framed, as a
    list of byte strings to write one after another: the document's blocks are never joined
    into one copy, and msgpack never copies them (the ``bin 32`` header is written by hand),
    so a 10 MB snapshot costs its writes and a CRC, not two 10 MB copies."""
    size = sum(len(p) for p in pieces)
    head = msgpack.packb({"t": "snap", "rev": revision, "data": b""}, use_bin_type=True)
    assert head.endswith(b"\xc4\x00")  # "data" last, as an empty bin 8
    head = head[:-2] + b"\xc6" + struct.pack(">I", size)  # the same field as bin 32
    crc = zlib.crc32(head)
    for piece in pieces:
        crc = zlib.crc32(piece, crc)
    return [_FRAME.pack(len(head) + size, crc), head, *pieces]


def decode_records(data: bytes) -> tuple[list[dict], int, str | None]:
    """Records of a journal's bytes, up to the first damaged one.

    Returns ``(records, valid_bytes, problem)``: ``valid_bytes`` is the length of the prefix
    that decoded cleanly; ``problem`` says why reading stopped early (None when the whole
    input was read).
    """
    if not data.startswith(MAGIC):
        return [], 0, "not a kiro-proto journal (bad magic)" if data else "empty journal"
    records: list[dict] = []
    pos = len(MAGIC)
    end = len(data)
    while pos < end:
        if end - pos < _FRAME.size:
            return records, pos, f"truncated record header at byte {pos}"
        length, crc = _FRAME.unpack_from(data, pos)
        body = pos + _FRAME.size
        if length > MAX_RECORD or body + length > end:
            return records, pos, f"truncated record at byte {pos}"
        payload = data[body:body + length]
        if zlib.crc32(payload) != crc:
            return records, pos, f"checksum mismatch in the record at byte {pos}"
        try:
            record = msgpack.unpackb(payload, raw=False)
        except Exception as err:  # msgpack raises several types for malformed input
            return records, pos, f"undecodable record at byte {pos}: {err}"
        if not isinstance(record, dict) or not isinstance(record.get("t"), str):
            return records, pos, f"malformed record at byte {pos}"
        records.append(record)
        pos = body + length
    return records, pos, None
