"""The editor with the ``caches`` switch off (Pilot): the persistent cache is neither read
nor written, and the index, quick open and the highlight spans are the same as with it on."""

from __future__ import annotations

import os

import pytest

from kiro_proto import switches
from kiro_proto.ui import KiroApp
from kiro_proto.ui._workspace import cache_statistics

from .test_workspace_pilot import wait_for

SIZE = (100, 30)


@pytest.fixture
def workspace(tmp_path):
    root = tmp_path / "ws"
    for i in range(60):
        path = root / f"pkg{i % 6}" / f"mod_{i}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"x = {i}\n")
    (root / "big.py").write_text("".join(f"def f{i}(x):\n    return x + {i}  # c\n\n"
                                         for i in range(800)))
    return root


async def run(root) -> dict:
    """One start on ``root`` with big.py open: the index, a quick-open answer, the spans
    of the first rows once tree-sitter's are in, and what the caches saw."""
    app = KiroApp([str(root / "big.py")], workspace=str(root))
    async with app.run_test(size=SIZE) as pilot:
        ws = app.workspace_ui
        hl = app.current.highlights
        await wait_for(pilot, lambda: ws.index_done and hl.accepted > 0)
        seen = -1
        while seen != hl.accepted:  # tree-sitter's spans for the window may come in parts
            seen = hl.accepted
            await pilot.pause(0.4)
        result = {
            "paths": sorted(ws.index.paths()),
            "found": [ws.index.search(q, 10) for q in ("m", "mo", "mod1", "mo", "m")],
            "spans": {r: hl.rows.get(r) for r in range(20)},
            "from_cache": ws.index_cached,
            "stats": cache_statistics(app),
        }
    return result


async def test_caches_off_reads_and_writes_nothing_and_answers_the_same(workspace, tmp_path,
                                                                        monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("KIRO_CACHE_DIR", str(cache))
    cold = await run(workspace)  # caches on: fills the cache folder
    written = sorted(os.listdir(cache))
    assert any(n.startswith("index-") for n in written)
    assert any(n.startswith("spans-") for n in written)
    warm = await run(workspace)
    assert warm["from_cache"] and warm["stats"]["highlight spans (disk)"]["hits"] == 1
    assert warm["stats"]["quick-open queries"]["hits"] == 2  # "mo" and "m" again

    saved = switches.SWITCHES
    switches.configure(switches.Switches.from_spec("caches"))
    try:
        before = {n: os.path.getmtime(cache / n) for n in os.listdir(cache)}
        off = await run(workspace)
        after = {n: os.path.getmtime(cache / n) for n in os.listdir(cache)}
    finally:
        switches.configure(saved)
    assert not off["from_cache"]  # the cache files were not read
    assert off["stats"]["highlight spans (disk)"]["misses"] == 1
    assert {n: t for n, t in after.items() if n.startswith(("index-", "spans-"))} == \
        {n: t for n, t in before.items() if n.startswith(("index-", "spans-"))}  # nor written
    assert off["stats"]["quick-open queries"]["hits"] == 0
    assert off["stats"]["highlight spans (disk)"]["hits"] == 0
    for key in ("paths", "found", "spans"):
        assert off[key] == cold[key] == warm[key], key
