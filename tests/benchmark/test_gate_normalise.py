"""The regression gate with and without normalisation (the ``normalise`` switch)."""

from __future__ import annotations

from kiro_proto import switches
from kiro_proto.benchmark._gate import compare


def run(calibration: float, **figures: float) -> dict:
    return {"calibration_s": calibration,
            "workloads": {"typing": {"metrics": dict(figures)}}}


BASE = run(0.020, key_latency_p50_s=0.030, key_latency_max_s=0.050, find_s=0.004)


def names(regressions) -> list[str]:
    return [r.figure for r in regressions]


def test_same_calibration_gives_the_same_answers_raw_and_normalised() -> None:
    for current in (run(0.020, key_latency_p50_s=0.031, find_s=0.004),
                    run(0.020, key_latency_p50_s=0.095, find_s=0.013),
                    run(0.020, key_latency_p50_s=0.061, find_s=0.009)):
        normalised, n1 = compare(BASE, current, normalise=True)
        raw, n2 = compare(BASE, current, normalise=False)
        assert names(normalised) == names(raw) and n1 == n2 == 2


def test_a_slower_machine_fails_only_the_raw_gate() -> None:
    # Everything 2.5x slower, the calibration included: no code got slower.
    slow = run(0.050, key_latency_p50_s=0.075, find_s=0.010)
    assert compare(BASE, slow, normalise=True)[0] == []
    raw, _ = compare(BASE, slow, normalise=False)
    assert names(raw) == ["typing.key_latency_p50_s"]  # find_s: 6 ms over, under the floor
    assert "raw seconds" in raw[0].describe()


def test_a_real_regression_fails_both_and_tails_and_small_figures_are_not_gated() -> None:
    worse = run(0.020, key_latency_p50_s=0.090, key_latency_max_s=0.500, find_s=0.009)
    for normalise in (True, False):
        regressions, compared = compare(BASE, worse, normalise=normalise)
        assert names(regressions) == ["typing.key_latency_p50_s"]
        assert compared == 2  # the max is reported, not gated


def test_a_regression_hidden_by_a_faster_calibration_is_caught_only_normalised() -> None:
    # The machine got 2x faster but the figure stayed: relative to the machine it doubled.
    fast = run(0.010, key_latency_p50_s=0.040)
    assert names(compare(BASE, fast, normalise=True)[0]) == ["typing.key_latency_p50_s"]
    assert compare(BASE, fast, normalise=False)[0] == []


def test_the_switch_is_the_default() -> None:
    slow = run(0.050, key_latency_p50_s=0.075)
    saved = switches.SWITCHES
    try:
        switches.configure(switches.Switches.from_spec("normalise"))
        assert names(compare(BASE, slow)[0]) == ["typing.key_latency_p50_s"]
        switches.configure(switches.Switches())
        assert compare(BASE, slow)[0] == []
    finally:
        switches.configure(saved)
