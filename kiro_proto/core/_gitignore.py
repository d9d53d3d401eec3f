"""A .gitignore matcher for the syntax people write: globs (``*``, ``?``, ``[...]``),
``**`` in any position, patterns anchored by a ``/``, a trailing ``/`` for folders only and
``!`` negation (the last matching rule wins). Standard library only.

Not supported (rare in practice): ``core.excludesFile``, ``.git/info/exclude`` and escaped
trailing spaces. Paths are ``/``-separated and relative to the folder whose rules apply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["IgnoreRules", "glob_to_regex"]


def _class(glob: str, i: int) -> tuple[str, int]:
    """Translate a ``[...]`` class starting at ``glob[i] == '['``; returns (regex, next i)."""
    j = i + 1
    if j < len(glob) and glob[j] in "!^":
        j += 1
    if j < len(glob) and glob[j] == "]":
        j += 1
    while j < len(glob) and glob[j] != "]":
        j += 1
    if j >= len(glob):
        return re.escape("["), i + 1  # no closing bracket: a literal '['
    body = glob[i + 1 : j]
    negate = body[:1] in ("!", "^")
    if negate:
        body = body[1:]
    body = body.replace("\\", "\\\\")
    return ("[^/" + body + "]" if negate else "[" + body + "]"), j + 1


def glob_to_regex(glob: str) -> str:
    """The regex source for one gitignore glob (without anchoring)."""
    out = []
    i, n = 0, len(glob)
    while i < n:
        c = glob[i]
        if c == "*":
            if glob.startswith("**", i):
                at_start = i == 0 or glob[i - 1] == "/"
                j = i + 2
                if at_start and (j == n or glob[j] == "/"):
                    if j == n:
                        out.append(".*")  # "a/**": everything inside
                        i = j
                    else:
                        out.append("(?:.*/)?")  # "**/b" and "a/**/b": zero or more folders
                        i = j + 1
                    continue
                out.append("[^/]*")  # "a**b" is the same as "a*b"
                i = j
                continue
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            piece, i = _class(glob, i)
            out.append(piece)
            continue
        elif c == "\\" and i + 1 < n:
            i += 1
            out.append(re.escape(glob[i]))
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)


@dataclass(frozen=True, slots=True)
class _Rule:
    regex: re.Pattern[str]
    negate: bool
    dir_only: bool


def _parse(text: str) -> list[_Rule]:
    rules = []
    for line in text.splitlines():
        line = line.rstrip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        if negate:
            line = line[1:]
        elif line.startswith("\\"):
            line = line[1:] if line[1:2] in ("#", "!") else line
        dir_only = line.endswith("/")
        line = line.rstrip("/")
        if not line:
            continue
        anchored = "/" in line  # a slash at the start or in the middle anchors the pattern
        line = line.lstrip("/")
        source = glob_to_regex(line)
        if not anchored:
            source = "(?:.*/)?" + source
        try:
            rules.append(_Rule(re.compile(source + r"\Z", re.DOTALL), negate, dir_only))
        except re.error:
            continue  # git ignores a pattern it cannot parse; so do we
    return rules


class IgnoreRules:
    """The rules of the .gitignore files from a workspace's root down to one folder.

    ``child(base, text)`` returns new rules with one more file's rules (the file in folder
    ``base``, relative to the root) added: a walk keeps one IgnoreRules per folder depth.
    """

    __slots__ = ("_sets",)

    def __init__(self, sets: tuple = ()) -> None:
        # (base prefix ending in "/" or "", rules, combined regex for a quick reject)
        self._sets = sets

    @classmethod
    def from_text(cls, text: str, base: str = "") -> "IgnoreRules":
        return cls().child(base, text)

    def child(self, base: str, text: str) -> "IgnoreRules":
        rules = _parse(text)
        if not rules:
            return self
        prefix = base.strip("/") + "/" if base.strip("/") else ""
        quick = re.compile("|".join(f"(?:{r.regex.pattern})" for r in rules), re.DOTALL)
        return IgnoreRules(self._sets + ((prefix, tuple(rules), quick),))

    def __bool__(self) -> bool:
        return bool(self._sets)

    def ignored(self, path: str, is_dir: bool) -> bool:
        """Whether ``path`` (relative to the root, ``/``-separated) is ignored."""
        verdict = False
        for prefix, rules, quick in self._sets:
            if prefix:
                if not path.startswith(prefix):
                    continue
                rel = path[len(prefix):]
            else:
                rel = path
            if quick.match(rel) is None:
                continue
            for rule in reversed(rules):
                if rule.dir_only and not is_dir:
                    continue
                if rule.regex.match(rel):
                    verdict = not rule.negate
                    break
        return verdict
