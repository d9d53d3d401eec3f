"""Shared helpers for the core tests: a TextBuffer with tiny blocks, so that block
splitting, multi-block replaces, empty blocks and block edges are exercised by small inputs."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

from kiro_proto.core import TextBuffer

# Modest example counts and no deadline: the whole core suite stays fast on a small machine.
FAST = settings(max_examples=200, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


class SmallBuffer(TextBuffer):
    """TextBuffer with 8-byte target blocks (split above 16) and a 4-entry newline cache."""

    BLOCK = 8
    MAX_BLOCK = 16
    NL_CACHE = 4


class TinyBuffer(TextBuffer):
    """TextBuffer with 1-byte target blocks (split above 2): every byte is a block edge."""

    BLOCK = 1
    MAX_BLOCK = 2
    NL_CACHE = 2
