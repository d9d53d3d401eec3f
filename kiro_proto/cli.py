"""Command line: decide what to open, then import the UI (and nothing else) to open it.

Argument parsing needs only the standard library, so ``--help`` and bad arguments answer
without paying for Textual's import.
"""

from __future__ import annotations

import argparse
import os
import sys
from importlib import resources

__all__ = ["main", "sample_workspace"]


def sample_workspace() -> str:
    """The bundled sample workspace, opened when no path is given."""
    return str(resources.files("kiro_proto") / "sample")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiro-proto",
        description="A terminal code editor. With no PATH, opens the bundled sample workspace.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="files to open, or one folder to browse in the sidebar")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    parser.add_argument("--style", default=None, metavar="NAME",
                        help="Pygments colour style (default: one-dark; try monokai, "
                             "gruvbox-dark, solarized-light...)")
    parser.add_argument("--syntax-mode", choices=("sliced", "process"), default=None,
                        help="where tree-sitter parses: in 3 ms slices on the editor's loop, "
                             "or in a worker process (default: process; see docs/patterns/incremental-parsing.md)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.version:
        from . import __version__

        print(f"kiro-proto {__version__}")
        return 0
    paths = list(args.paths) or [sample_workspace()]
    folders = [p for p in paths if os.path.isdir(p)]
    if len(folders) > 1:
        print("kiro-proto: give at most one folder", file=sys.stderr)
        return 2
    workspace = folders[0] if folders else None
    files = [p for p in paths if p not in folders]
    if workspace and not files:
        readme = os.path.join(workspace, "README.md")
        if os.path.isfile(readme):
            files = [readme]
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        print("kiro-proto: needs a terminal (stdin and stdout must be a TTY)", file=sys.stderr)
        return 2

    from .ui import KiroApp

    if args.style:
        from pygments.styles import get_all_styles

        if args.style not in set(get_all_styles()):
            print(f"kiro-proto: unknown style {args.style!r}; known: "
                  + ", ".join(sorted(get_all_styles())), file=sys.stderr)
            return 2
    options = {"syntax_mode": args.syntax_mode}
    if args.style:
        options["style"] = args.style
    app = KiroApp(files, workspace=workspace, **options)
    app.run()
    return int(app.return_code or 0)
