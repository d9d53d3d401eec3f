"""Which language a file is in, from its name alone (no I/O, no imports of lexers)."""

from __future__ import annotations

import os

__all__ = ["language_for_path"]

_BY_EXTENSION = {
    ".py": "Python", ".pyi": "Python", ".pyw": "Python",
    ".js": "JavaScript", ".mjs": "JavaScript", ".cjs": "JavaScript", ".jsx": "JavaScript",
    ".ts": "TypeScript", ".tsx": "TypeScript", ".mts": "TypeScript",
    ".rs": "Rust", ".go": "Go", ".c": "C", ".h": "C",
    ".cc": "C++", ".cpp": "C++", ".hpp": "C++", ".cxx": "C++",
    ".json": "JSON", ".toml": "TOML", ".yaml": "YAML", ".yml": "YAML",
    ".md": "Markdown", ".markdown": "Markdown",
    ".sh": "Bash", ".bash": "Bash", ".zsh": "Bash",
    ".html": "HTML", ".htm": "HTML", ".css": "CSS",
    ".java": "Java", ".rb": "Ruby", ".lua": "Lua", ".sql": "SQL", ".xml": "XML",
    ".txt": "Plain text", ".ini": "INI", ".cfg": "INI",
}
_BY_NAME = {"Makefile": "Makefile", "makefile": "Makefile", "Dockerfile": "Docker",
            "CMakeLists.txt": "CMake"}


def language_for_path(path: str | None) -> str:
    if not path:
        return "Plain text"
    name = os.path.basename(path)
    if name in _BY_NAME:
        return _BY_NAME[name]
    return _BY_EXTENSION.get(os.path.splitext(name)[1].lower(), "Plain text")
