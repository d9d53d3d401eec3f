#!/usr/bin/env python3
"""Generate a large, deterministic workspace for the workspace benchmarks.

    python bench/genworkspace.py /tmp/ws100k              # 100,000 files
    python bench/genworkspace.py --files 20000 /tmp/ws20k

Folders nest up to four levels with project-like names; files are small (one line each) so
generation is fast. A .gitignore ignores ``build/`` and ``*.log`` and the generator also
writes ignored files (they must not reach the index), plus a ``.git`` folder.
"""

from __future__ import annotations

import argparse
import os
import random

WORDS = ["src", "lib", "core", "util", "test", "engine", "ui", "widget", "parser",
         "render", "model", "view", "docs", "api", "data", "io", "net", "http", "cache",
         "index", "config", "plugin", "theme", "syntax", "buffer", "search"]
EXTS = [".py", ".py", ".py", ".md", ".js", ".ts", ".json", ".txt", ".toml", ".rs"]


def generate(root: str, files: int, seed: int = 0) -> int:
    rng = random.Random(seed)
    os.makedirs(root, exist_ok=True)
    with open(os.path.join(root, ".gitignore"), "w") as f:
        f.write("build/\n*.log\n")
    os.makedirs(os.path.join(root, ".git"), exist_ok=True)
    with open(os.path.join(root, ".git", "HEAD"), "w") as f:
        f.write("ref: refs/heads/main\n")
    folders = [""]
    while len(folders) < max(1, files // 20):
        parent = rng.choice(folders)
        if parent.count("/") >= 3:
            continue
        name = f"{rng.choice(WORDS)}_{len(folders)}"
        folders.append(f"{parent}/{name}" if parent else name)
    for folder in folders:
        os.makedirs(os.path.join(root, folder), exist_ok=True)
    written = 0
    for i in range(files):
        folder = folders[i % len(folders)]
        name = f"{rng.choice(WORDS)}_{rng.choice(WORDS)}_{i}{rng.choice(EXTS)}"
        with open(os.path.join(root, folder, name), "w") as f:
            f.write(f"# {name}: generated file {i}\n")
        written += 1
    build = os.path.join(root, "build")
    os.makedirs(build, exist_ok=True)
    for i in range(200):  # ignored: never indexed
        with open(os.path.join(build, f"out_{i}.js"), "w") as f:
            f.write("x\n")
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root")
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    n = generate(args.root, args.files, args.seed)
    print(f"{n} files under {args.root}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
