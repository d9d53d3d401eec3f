"""The persistent cache's file format: what reads back, and every way a file can be bad (a
truncated file, random bytes, another program's file, another version). None of them
raises; a foreign file is never overwritten."""

from __future__ import annotations

import os
import random

import msgpack
import pytest

from kiro_proto.engine._cachefile import MAGIC, VERSION, CacheFile, decode, encode

KNOWN = frozenset({1, 2})
ENTRIES = [(1, {"root": "/w", "n": 3}), (2, ["a.py", 1, 2]), (77, "from a newer version"),
           (2, b"\x00\xff bytes")]


@pytest.fixture
def path(tmp_path):
    return str(tmp_path / "cache" / "x.kc")


def test_round_trip_skips_unknown_entry_types(path):
    cache = CacheFile(path, KNOWN)
    assert cache.read().status == "missing"
    assert cache.write(ENTRIES)
    result = CacheFile(path, KNOWN).read()
    assert result.status == "ok" and result.skipped == 1
    assert [(e.type, e.payload) for e in result.entries] == [
        (1, {"root": "/w", "n": 3}), (2, ["a.py", 1, 2]), (2, b"\x00\xff bytes")]
    assert not [n for n in os.listdir(os.path.dirname(path)) if n.startswith(".tmp-")]


def test_every_truncation_reads_as_corrupt(path):
    data = encode(ENTRIES)
    for cut in range(len(MAGIC), len(data)):
        result = decode(data[:cut], KNOWN)
        assert result.status == "corrupt" and not result.entries, cut
        assert "truncated" in result.warning or "corrupt" in result.warning


def test_a_truncated_file_is_ignored_and_rewritten(path):
    cache = CacheFile(path, KNOWN)
    cache.write(ENTRIES)
    data = open(path, "rb").read()
    open(path, "wb").write(data[:-5])
    cache = CacheFile(path, KNOWN)
    assert cache.read().status == "corrupt" and cache.warnings
    assert cache.write(ENTRIES[:1])  # ours, so it is rebuilt
    assert CacheFile(path, KNOWN).read().status == "ok"


def test_random_bytes_and_flipped_bytes_never_raise(path):
    rng = random.Random(7)
    os.makedirs(os.path.dirname(path))
    open(path, "wb").write(bytes(rng.randrange(256) for _ in range(4096)))
    cache = CacheFile(path, KNOWN)
    assert cache.read().status == "foreign"
    good = encode(ENTRIES)
    for _ in range(500):
        data = bytearray(good)
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(MAGIC), len(data))] = rng.randrange(256)
        result = decode(bytes(data), KNOWN)
        assert result.status in ("ok", "corrupt", "version")
    tail = decode(MAGIC + msgpack.packb(VERSION) + os.urandom(2000), KNOWN)
    assert tail.status == "corrupt"


def test_another_programs_file_is_never_overwritten(path):
    os.makedirs(os.path.dirname(path))
    theirs = b"# my notes, not a cache\n"
    open(path, "wb").write(theirs)
    cache = CacheFile(path, KNOWN)
    result = cache.read()
    assert result.status == "foreign" and "not a kiro-proto cache" in result.warning
    assert not cache.write(ENTRIES)
    assert not CacheFile(path, KNOWN).write(ENTRIES)  # even without reading first
    assert open(path, "rb").read() == theirs
    os.remove(path)
    os.makedirs(path)  # a folder where the file should be: also left alone
    assert not CacheFile(path, KNOWN).write(ENTRIES)


def test_a_version_mismatch_is_ignored_and_rebuilt(path):
    os.makedirs(os.path.dirname(path))
    open(path, "wb").write(encode(ENTRIES, version=VERSION + 1))
    cache = CacheFile(path, KNOWN)
    result = cache.read()
    assert result.status == "version" and not result.entries and "version" in result.warning
    assert cache.write(ENTRIES)  # it is ours: replaced by the current version
    assert CacheFile(path, KNOWN).read().status == "ok"


def test_the_bytes_are_the_documented_layout(monkeypatch):
    """MAGIC, the version, then per entry: type, time, body length, body; then the end entry
    (type 0) whose body is the entry count. Spelled out with msgpack.packb one value at a
    time, independently of the reused packer ``encode`` runs on."""
    monkeypatch.setattr("time.time", lambda: 1_800_000_000.5)
    now = 1_800_000_000
    expected = [MAGIC, msgpack.packb(VERSION)]
    for kind, payload in ENTRIES:
        body = msgpack.packb(payload, use_bin_type=True)
        expected += [msgpack.packb(kind), msgpack.packb(now), msgpack.packb(len(body)), body]
    count = msgpack.packb(len(ENTRIES))
    expected += [msgpack.packb(0), msgpack.packb(now), msgpack.packb(len(count)), count]
    assert encode(ENTRIES) == b"".join(expected)
