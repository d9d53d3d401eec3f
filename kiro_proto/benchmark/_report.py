"""Presenting a run: the terminal table, the ablation table, and a self-contained HTML
page (inline SVG charts, no scripts, no external files)."""

from __future__ import annotations

import html
from typing import Any

__all__ = ["format_value", "print_ablations", "print_table", "write_report"]


def format_value(name: str, value: Any) -> str:
    if value is None:
        return "n/a"
    if name.endswith("_s"):
        return f"{value:.2f} s" if value >= 1 else f"{value * 1e3:.2f} ms"
    if name.endswith("_bytes"):
        return f"{value / 1e6:.1f} MB"
    return f"{value:g}" if isinstance(value, float) else str(value)


def rows(result: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """(workload, figure, value, normalised, note) for every figure of a run."""
    cal = result["calibration_s"]
    out = []
    for workload, data in result["workloads"].items():
        notes = data.get("notes", {})
        for name, value in data.get("metrics", {}).items():
            norm = f"{value / cal:.2f}" if name.endswith("_s") and value is not None else ""
            out.append((workload, name, format_value(name, value), norm, notes.get(name, "")))
        for name, value in data.get("memory", {}).items():
            out.append((workload, f"memory.{name}", format_value(name, value), "", ""))
    return out


def _table(header: tuple[str, ...], body: list[tuple[str, ...]]) -> str:
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
    line = lambda r: "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()  # noqa: E731
    return "\n".join([line(header), line(tuple("-" * w for w in widths)), *map(line, body)])


def print_table(result: dict[str, Any]) -> None:
    m = result["machine"]
    print(f"kiro-proto benchmark, size {result['size']}, {m.get('cpus')} CPUs, Python "
          f"{m.get('python')}, Textual {m.get('textual')}; calibration "
          f"{result['calibration_s'] * 1e3:.1f} ms; switched off: "
          f"{', '.join(result['switches_off']) or 'none'}")
    print(_table(("workload", "figure", "value", "norm", "note"), rows(result)))
    print("norm: seconds / calibration seconds (what the gate compares)")


def ablation_rows(ablations: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    on = ablations.get("on", {})
    out = []
    for arm, data in ablations.items():
        if arm == "on":
            continue
        error = data.get("error") or on.get("error")
        if error is not None or "workloads" not in on:
            last = (error or "").strip().splitlines()[-1:] or ["no output"]
            out.append((arm, "(arm failed)", "", "", last[0]))
            continue
        for workload, wdata in data["workloads"].items():
            base = on["workloads"].get(workload, {}).get("metrics", {})
            for name, value in wdata.get("metrics", {}).items():
                old = base.get(name)
                if not name.endswith("_s") or name.endswith(("_p99_s", "_max_s")):
                    continue
                ratio = f"{value / old:.2f}x" if value and old else ""
                out.append((arm, f"{workload}.{name}", format_value(name, old),
                            format_value(name, value), ratio))
    return out


def print_ablations(ablations: dict[str, Any]) -> None:
    print()
    print("ablations (each arm in its own interpreter; p99/max omitted):")
    print(_table(("switch off", "figure", "on", "off", "off/on"), ablation_rows(ablations)))


# -- HTML --------------------------------------------------------------------------------

_CSS = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; }
table { border-collapse: collapse; font-size: 13px; }
td, th { padding: 2px 10px; border-bottom: 1px solid #ddd; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.muted { color: #777; } svg text { font: 11px system-ui, sans-serif; fill: #333; }
"""


def _bars(items: list[tuple[str, float, str]], unit: str, colour: str = "#4a7bd0",
          width: int = 760) -> str:
    """Horizontal bar chart: (label, value, shown text)."""
    if not items:
        return "<p class=muted>no data</p>"
    top = max(v for _, v, _ in items) or 1.0
    bar_h, label_w = 18, 260
    h = len(items) * (bar_h + 4) + 20
    parts = [f'<svg width="{width}" height="{h}" role="img">']
    for i, (label, value, text) in enumerate(items):
        y = i * (bar_h + 4)
        w = max(1.0, (width - label_w - 90) * value / top)
        parts.append(f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">'
                     f'{html.escape(label)}</text>'
                     f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" '
                     f'fill="{colour}"/><text x="{label_w + w + 4:.1f}" y="{y + 13}">'
                     f'{html.escape(text)}</text>')
    parts.append(f'<text x="{label_w}" y="{h - 4}" class=muted>{html.escape(unit)}</text></svg>')
    return "".join(parts)


def _histogram(samples: list[float], colour: str = "#d07a4a", width: int = 760,
               height: int = 160, bins: int = 40) -> str:
    """Latency distribution (ms) with p50/p95/p99 marks."""
    if not samples:
        return "<p class=muted>no samples</p>"
    ms = sorted(s * 1e3 for s in samples)
    lo, hi = 0.0, ms[-1] * 1.05 or 1.0
    counts = [0] * bins
    for v in ms:
        counts[min(bins - 1, int((v - lo) / (hi - lo) * bins))] += 1
    peak = max(counts)
    plot_h = height - 30
    bw = (width - 40) / bins
    parts = [f'<svg width="{width}" height="{height}" role="img">']
    for i, c in enumerate(counts):
        h = plot_h * c / peak
        parts.append(f'<rect x="{30 + i * bw:.1f}" y="{plot_h - h:.1f}" width="{bw - 1:.1f}" '
                     f'height="{h:.1f}" fill="{colour}"/>')
    for q in (50, 95, 99):
        v = ms[max(0, min(len(ms) - 1, int(round(q / 100 * len(ms))) - 1))]
        x = 30 + (v - lo) / (hi - lo) * (width - 40)
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="0" y2="{plot_h}" stroke="#333" '
                     f'stroke-dasharray="3,2"/><text x="{x + 3:.1f}" y="12">p{q} {v:.1f} ms</text>')
    for i in range(5):
        v = lo + (hi - lo) * i / 4
        parts.append(f'<text x="{30 + (width - 40) * i / 4:.1f}" y="{height - 8}">'
                     f'{v:.1f} ms</text>')
    parts.append("</svg>")
    return "".join(parts)


def _phases(result: dict[str, Any]) -> str:
    """Stacked start-up phases, cold and warm."""
    metrics = result["workloads"].get("startup", {}).get("metrics", {})
    phases = ["interpreter", "imports", "constructed", "first_paint", "ready"]
    colours = ["#8da0cb", "#66c2a5", "#fc8d62", "#e78ac3", "#a6d854"]
    runs = [k for k in ("cold", "warm") if metrics.get(f"{k}.ready_s")]
    if not runs:
        return "<p class=muted>start-up workload not run</p>"
    width, label_w = 760, 60
    top = max(metrics[f"{k}.{p}_s"] or 0 for k in runs for p in phases)
    parts = [f'<svg width="{width}" height="{len(runs) * 30 + 40}" role="img">']
    for i, run in enumerate(runs):
        y, prev = i * 30, 0.0
        parts.append(f'<text x="0" y="{y + 15}">{run}</text>')
        for phase, colour in zip(phases, colours):
            end = metrics.get(f"{run}.{phase}_s")
            if end is None:
                continue
            seg = max(0.0, end - prev)
            x = label_w + (width - label_w - 20) * prev / top
            w = (width - label_w - 20) * seg / top
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{max(w, 0.5):.1f}" height="20" '
                         f'fill="{colour}"><title>{phase}: {seg * 1e3:.0f} ms</title></rect>')
            prev = max(prev, end)
    for j, (phase, colour) in enumerate(zip(phases, colours)):
        x = label_w + j * 140
        parts.append(f'<rect x="{x}" y="{len(runs) * 30 + 8}" width="10" height="10" '
                     f'fill="{colour}"/><text x="{x + 14}" y="{len(runs) * 30 + 17}">'
                     f'{phase}</text>')
    parts.append("</svg>")
    return "".join(parts)


def write_report(result: dict[str, Any], path: str) -> None:
    w = result["workloads"]
    m = result["machine"]
    out = [f"<!doctype html><html><head><meta charset=utf-8><title>kiro-proto benchmark"
           f"</title><style>{_CSS}</style></head><body>",
           f"<h1>kiro-proto benchmark: size {html.escape(result['size'])}</h1>",
           f"<p class=muted>{html.escape(result['date'])}; {html.escape(str(m.get('platform')))}"
           f", {m.get('cpus')} CPUs, Python {m.get('python')}, Textual {m.get('textual')}; "
           f"calibration {result['calibration_s'] * 1e3:.1f} ms</p>"]
    for name, key, title in (("typing", "key_latency_s", "Keystroke latency (key event to frame)"),
                             ("scroll", "page_latency_s", "Page-down latency (key to frame)"),
                             ("scroll", "frame_cost_s", "Frame cost while scrolling")):
        samples = w.get(name, {}).get("samples", {}).get(key)
        if samples is not None:
            out += [f"<h2>{title}</h2>", _histogram(samples)]
    out += ["<h2>Start-up phases (cumulative from spawning the interpreter)</h2>", _phases(result)]
    opens = [(k.split(".")[0] + " " + k.split(".", 1)[1].removesuffix("_s"), v,
              f"{v * 1e3:.0f} ms") for k, v in w.get("open", {}).get("metrics", {}).items() if v]
    out += ["<h2>Opening files</h2>", _bars(opens, "seconds from constructing the app")]
    mem = []
    for name, data in w.items():
        for key in ("tracemalloc_peak_bytes", "rss_total_bytes"):
            v = data.get("memory", {}).get(key)
            if v:
                mem.append((f"{name} {key.removesuffix('_bytes')}", v / 1e6, f"{v / 1e6:.1f} MB"))
    out += ["<h2>Memory</h2>", _bars(mem, "MB", "#5aa469")]
    if "ablations" in result:
        items = []
        for arm, figure, on, off, ratio in ablation_rows(result["ablations"]):
            if ratio:
                items.append((f"{arm}: {figure}", float(ratio[:-1]), f"{ratio} ({on} -> {off})"))
        out += ["<h2>Ablations (time with the pattern off / on)</h2>", _bars(items, "x slower")]
    out += ["<h2>All figures</h2><table><tr><th>workload</th><th>figure</th><th>value</th>"
            "<th>normalised</th><th>note</th></tr>"]
    for row in rows(result):
        out.append("<tr>" + "".join(
            f"<td{' class=num' if i in (2, 3) else ''}>{html.escape(c)}</td>"
            for i, c in enumerate(row)) + "</tr>")
    out.append("</table></body></html>")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(out))
