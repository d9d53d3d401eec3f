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
        epilog="kiro-proto demo [NAME] runs the performance-pattern demos (docs/README.md).",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="files to open, or one folder to browse in the sidebar")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    parser.add_argument("--modules", action="store_true",
                        help="list the lazy module registry (loaded at start? what each "
                             "load costs, measured by loading it now) and exit")
    parser.add_argument("--style", default=None, metavar="NAME",
                        help="Pygments colour style (default: one-dark; try monokai, "
                             "gruvbox-dark, solarized-light...)")
    parser.add_argument("--syntax-mode", choices=("sliced", "process"), default=None,
                        help="where tree-sitter parses: in 3 ms slices on the editor's loop, "
                             "or in a worker process (default: process; see docs/patterns/incremental-parsing.md)")
    bench = parser.add_argument_group(
        "benchmark mode", "run the real application headless through scripted workloads "
        "(docs/benchmarks.md)")
    bench.add_argument("--benchmark-mode", action="store_true",
                       help="run the workloads, print a table and exit")
    bench.add_argument("--size", default="small", choices=["tiny", "small", "medium", "large"],
                       help="file sizes: small up to 1 MB (what CI runs), medium 10 MB, "
                            "large 100 MB; tiny is for tests")
    bench.add_argument("--workload", metavar="NAMES",
                       help="comma-separated: startup, open, scroll, typing, find, plugins "
                            "(default: all)")
    bench.add_argument("--json", metavar="FILE", help="write the figures as JSON")
    bench.add_argument("--baseline", metavar="FILE",
                       help="compare with a stored --json run; exit 1 on a regression")
    bench.add_argument("--ablate", metavar="NAME",
                       help="switch names (kiro_proto/switches.py) or 'all': run with and "
                            "without each pattern, side by side")
    bench.add_argument("--profile", metavar="FILE", help="write a cProfile profile (.prof)")
    bench.add_argument("--trace", metavar="FILE",
                       help="write Chrome trace-event JSON (open in Perfetto)")
    bench.add_argument("--report", metavar="FILE", help="write a self-contained HTML report")
    bench.add_argument("--no-memory", action="store_true",
                       help="skip the tracemalloc pass (RSS is still reported)")
    bench.add_argument("--workdir", metavar="DIR",
                       help="keep the generated files here between runs")
    bench.add_argument("--quiet", action="store_true", help=argparse.SUPPRESS)
    return parser


def benchmark(args: argparse.Namespace) -> int:
    """Hand the benchmark options to kiro_proto.benchmark (imported only now)."""
    from . import benchmark as bm

    try:
        opts = bm.Options(size=args.size, workloads=bm.parse_workloads(args.workload),
                          json_path=args.json, baseline=args.baseline,
                          ablate=bm.parse_ablate(args.ablate), profile=args.profile,
                          trace=args.trace, report=args.report, memory=not args.no_memory,
                          workdir=args.workdir, quiet=args.quiet)
    except ValueError as err:
        print(f"kiro-proto: {err}", file=sys.stderr)
        return 2
    return bm.run(opts)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["demo"]:  # `kiro-proto demo [NAME]`; open a file named demo as ./demo
        from .demos import main as demo_main

        return demo_main(argv[1:])
    args = build_parser().parse_args(argv)
    if args.version:
        from . import __version__

        print(f"kiro-proto {__version__}")
        return 0
    if args.modules:
        from . import registry

        before = {i.name: i.loaded for i in registry.REGISTRY.statistics()}
        registry.REGISTRY.load_all()  # in registration order: shared imports count once
        print(registry.format_table(before=before))
        from .core import NATIVE  # which build of the core loaded (docs/patterns/01)

        print(f"\n{NATIVE.describe()}")
        return 0
    if args.benchmark_mode:
        return benchmark(args)
    paths = list(args.paths) or [sample_workspace()]
    folders = [p for p in paths if os.path.isdir(p)]
    if len(folders) > 1:
        print("kiro-proto: give at most one folder", file=sys.stderr)
        return 2
    workspace = folders[0] if folders else None
    files = [p for p in paths if p not in folders]
    restore = bool(workspace and not files)  # a folder alone: reopen its last session
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
    options = {"syntax_mode": args.syntax_mode, "restore_session": restore}
    if args.style:
        options["style"] = args.style
    app = KiroApp(files, workspace=workspace, **options)
    app.run()
    return int(app.return_code or 0)
