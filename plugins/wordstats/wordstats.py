"""Word and line statistics: a command that counts, then a status-bar item kept up to date
as the buffer changes (one count per batch of edits, not per keystroke)."""

from __future__ import annotations

import re

from kiro_proto import plugin_api as kp

WORD = re.compile(r"\w+")


def count(text: str) -> tuple[int, int, int]:
    """(words, lines, characters); a trailing newline does not start a new line."""
    lines = text.count("\n") + (1 if text and not text.endswith("\n") else 0)
    return len(WORD.findall(text)), lines, len(text)


def _show(ctx: kp.Context, buf: kp.Buffer) -> None:
    words, lines, chars = count(buf.text())
    ctx.set_status(f"{words} words, {lines} lines")


def activate(ctx: kp.Context) -> None:
    @ctx.command("wordstats.count")
    def count_command(ctx: kp.Context, args: dict) -> dict:
        buf = ctx.buffer(args.get("doc_id", -1))
        if buf is None:
            return kp.message("No buffer to count.")
        words, lines, chars = count(buf.text())
        _show(ctx, buf)
        return kp.message(f"{words} words, {lines} lines, {chars} characters")

    ctx.on("changed", _show)
    ctx.on("saved", _show)
