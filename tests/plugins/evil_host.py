"""A plugin host that breaks the protocol on purpose: after the first request it writes the
frame named by ``KIRO_EVIL`` (oversized, nested, garbage, truncated) and keeps running."""

import os
import struct
import sys
import time

from kiro_proto.engine._frames import pack_frame, read_frame


def main() -> None:
    out = sys.stdout.buffer
    kind = os.environ.get("KIRO_EVIL", "garbage")
    while True:
        message = read_frame(sys.stdin.buffer)
        if message is None:
            return
        if message[0] != 0:
            continue
        if message[2] == "ping":
            out.write(pack_frame([1, message[1], None, os.getpid()]))
        elif kind == "oversized":
            out.write(struct.pack(">I", 2**31))  # claims 2 GiB; nothing follows
        elif kind == "nested":
            payload = b"\x91" * 100_000 + b"\xc0"
            out.write(struct.pack(">I", len(payload)) + payload)
        elif kind == "truncated":
            out.write(struct.pack(">I", 1000) + b"\x93\x01")
            out.flush()
            os.close(1)
            time.sleep(30)
        else:
            out.write(struct.pack(">I", 3) + b"\xc1\xc1\xc1")
        out.flush()


if __name__ == "__main__":
    main()
