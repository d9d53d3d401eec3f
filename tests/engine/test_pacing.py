"""InputGate (engine/_pacing.py): background steps wait for input to pause, one step per
input while input keeps coming, back to back after ``quiet`` seconds without input. Checked
on the decision itself (a hand-driven clock), then on ``wait`` under trio's virtual clock
with keys arriving at a typist's and a typometer's pace, then on the real index walk."""

from __future__ import annotations

import trio
import trio.testing
from hypothesis import given, settings
from hypothesis import strategies as st

from kiro_proto.engine import Engine, IndexGrew, InputGate, ScanWorkspace

from .test_workspace import collect, index_of, scan_done, workspace  # noqa: F401 (fixture)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_steps_run_at_once_without_input_and_one_per_input_while_typing():
    clock = Clock()
    gate = InputGate(gap=0.02, quiet=0.2, clock=clock)
    assert gate.delay(clock.now) == 0  # nobody typed yet
    gate.grant()
    assert gate.delay(clock.now) == 0  # still nobody: back to back

    gate.touch()  # a key at t
    clock.now += 0.005
    assert abs(gate.delay(clock.now) - 0.015) < 1e-9  # its frame first
    clock.now += 0.015
    assert gate.delay(clock.now) == 0
    gate.grant()
    clock.now += 0.01
    assert gate.waits_for_input()  # this key has had its step: the next key, or quiet
    assert abs(gate.delay(clock.now) - 0.17) < 1e-9  # quiet comes 0.2 s after the key
    clock.now += 0.04
    gate.touch()  # the next key lets the next step through, gap after it
    assert gate.delay(clock.now) > 0
    clock.now += 0.02
    assert gate.delay(clock.now) == 0
    gate.grant()
    clock.now += 0.2  # a pause: quiet, back to back again
    assert gate.delay(clock.now) == 0
    gate.grant()
    assert gate.delay(clock.now) == 0


def simulate(key_times, step, gap=0.02, quiet=0.2, end=None, max_wait=0.5):
    """Run a background loop (``wait``, then ``step`` seconds of work) under trio's virtual
    clock while another task touches the gate at ``key_times``: the steps' start times."""
    starts = []
    end = end if end is not None else key_times[-1] + 0.5

    async def main():
        gate = InputGate(gap=gap, quiet=quiet, max_wait=max_wait, clock=trio.current_time)

        async def typist():
            for t in key_times:
                await trio.sleep_until(t)
                gate.touch()

        async def background():
            while trio.current_time() < end:
                await gate.wait()
                starts.append(trio.current_time())
                await trio.sleep(step)

        async with trio.open_nursery() as nursery:
            nursery.start_soon(typist)
            nursery.start_soon(background)
        return gate.statistics()

    stats = trio.run(main, clock=trio.testing.MockClock(autojump_threshold=0))
    return starts, stats


def overlapping(starts, step, key_times):
    """Keys that arrive while a step runs."""
    return [k for k in key_times if any(s <= k < s + step for s in starts)]


def test_at_a_typometers_pace_every_key_lets_one_step_through_and_none_runs_into_a_key():
    keys = [0.5 + i * 0.065 for i in range(60)]  # 65 ms apart: no pause for four seconds
    starts, stats = simulate(keys, step=0.006)
    typing = [s for s in starts if keys[0] <= s < keys[-1]]
    assert len(typing) == len(keys) - 1  # progress: one step per key, never starved
    # The first key of a burst can land in a step begun in quiet time (at most one step's
    # worth); no later key does.
    assert overlapping(starts, 0.006, keys[1:]) == []
    for s in typing:  # each one gap after the key before it
        before = max(k for k in keys if k <= s)
        assert 0.02 - 1e-9 <= s - before < 0.04
    assert stats.deferred >= len(keys) - 1
    free_before = [s for s in starts if s < keys[0]]
    assert len(free_before) > 50  # before the first key: back to back (0.5 s / 6 ms)


def test_after_a_pause_steps_run_back_to_back_again():
    keys = [0.1, 0.2, 0.3]
    starts, _ = simulate(keys, step=0.006, end=1.0)
    after = [s for s in starts if s >= 0.3 + 0.2]
    assert len(after) > 60  # 0.5 s of back-to-back 6 ms steps
    during = [s for s in starts if 0.1 <= s < 0.5]
    assert len(during) == 3  # one per key until the quiet moment


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(min_value=0.0, max_value=0.5), min_size=1, max_size=25))
def test_no_step_starts_within_gap_of_an_input_while_typing(gaps):
    keys = []
    t = 0.05
    for g in gaps:
        t += 0.001 + g
        keys.append(round(t, 6))
    starts, _ = simulate(keys, step=0.004)
    for before, s in zip([float("-inf")] + starts, starts):
        previous = [k for k in keys if k <= s]
        starved = s - before >= 0.5 - 1e-9  # the bound on waiting lets a step through
        if previous and s - previous[-1] < 0.2 and not starved:
            assert s - previous[-1] >= 0.02 - 1e-9  # typing: a step comes gap after a key
    # and one key never lets two steps through before the quiet moment (unless starved)
    for a, b in zip(keys, keys[1:] + [keys[-1] + 0.2]):
        window = [s for s in starts if a <= s < min(b, a + 0.2 - 1e-5)]
        assert len(window) <= 1 or window[1] - window[0] >= 0.5 - 1e-9


def test_input_faster_than_the_gap_still_lets_a_step_through_every_max_wait():
    keys = [0.1 + i * 0.005 for i in range(400)]  # a held key at 200 a second, for 2 s
    starts, stats = simulate(keys, step=0.004, max_wait=0.25)
    held = [s for s in starts if keys[0] + 0.01 <= s < keys[-1]]
    assert 6 <= len(held) <= 9  # 2 s / 0.25 s
    assert all(b - a >= 0.25 - 1e-9 for a, b in zip(held, held[1:]))


def scan_with(root, gate, touch_every=None):
    """Scan ``root`` on an engine whose walk takes one folder per step, while a task touches
    ``gate`` every ``touch_every`` seconds (never when None): the events."""
    events = []

    async def main():
        engine = Engine(events.append, syntax_mode="sliced", input_gate=gate)
        engine.workspace.step = 1e-9  # the budget runs out after each folder
        async with trio.open_nursery() as nursery:
            await nursery.start(engine.run)

            async def typist():
                while True:
                    gate.touch()
                    await trio.sleep(touch_every)

            if touch_every is not None:
                nursery.start_soon(typist)
                await trio.sleep(0.05)
            engine.submit(ScanWorkspace(str(root)))
            with trio.fail_after(20):
                while not scan_done(events):
                    await trio.sleep(0.01)
            engine.stop()
            nursery.cancel_scope.cancel()

    trio.run(main)
    return events


def test_the_index_walk_finishes_while_keys_keep_coming_and_waits_for_them(workspace):  # noqa: F811
    gate = InputGate(max_wait=0.25)
    events = scan_with(workspace, gate, touch_every=0.005)  # faster than the gap
    assert len(index_of(events)) == 6
    stats = gate.statistics()
    assert stats.steps >= 4  # one step per folder
    assert stats.deferred >= 2  # the quick steps after the worker's start waited for input
    assert stats.waited_seconds >= 0.1 * stats.deferred


def test_without_input_the_walk_never_waits(workspace):  # noqa: F811
    gate = InputGate(max_wait=0.25)
    events = scan_with(workspace, gate)
    assert len(index_of(events)) == 6
    stats = gate.statistics()
    assert stats.steps >= 4 and stats.deferred == 0 and stats.waited_seconds == 0


def test_a_warm_start_offers_every_stored_path_at_once_while_keys_keep_coming(tmp_path):
    """Only walking yields to typing: the paths stored by the last scan are sent without
    waiting, so quick open is complete however fast the user types."""
    root = tmp_path / "many"
    for d in range(5):
        (root / f"d{d}").mkdir(parents=True)
        for f in range(500):
            (root / f"d{d}" / f"f{f}.txt").write_text("")
    scan_with(root, InputGate())  # the cold scan writes the persistent index
    gate = InputGate(max_wait=2.0)
    events = scan_with(root, gate, touch_every=0.005)
    stored = [e for e in events if isinstance(e, IndexGrew) and e.cached]
    assert len(stored) >= 3  # 2,500 paths in batches of 1,000
    assert sum(len(e.added) for e in stored) == 2500
    # Gated, each batch after the first would have waited max_wait (2 s) for a pause.
    assert stored[-1].seconds - stored[0].seconds < 1.0
    assert len(index_of(events)) == 2500
    assert gate.statistics().deferred >= 1  # the check walk after them did wait


def test_work_the_user_waits_for_never_waits_for_a_pause():
    keys = [0.1 + i * 0.065 for i in range(20)]
    starts, stats = simulate(keys, step=0.006, end=keys[-1])
    assert len(starts) < 40  # typing holds the walk to about one step per key
    starts_urgent = []

    async def main():
        gate = InputGate(clock=trio.current_time)
        gate.set_urgent(True)

        async def typist():
            for t in keys:
                await trio.sleep_until(t)
                gate.touch()

        async def background():
            while trio.current_time() < keys[-1]:
                await gate.wait()
                starts_urgent.append(trio.current_time())
                await trio.sleep(0.006)

        async with trio.open_nursery() as nursery:
            nursery.start_soon(typist)
            nursery.start_soon(background)
        assert gate.statistics().deferred == 0

    trio.run(main, clock=trio.testing.MockClock(autojump_threshold=0))
    assert len(starts_urgent) > 200  # back to back: 1.3 s / 6 ms


def test_becoming_urgent_wakes_a_step_that_waits_for_the_next_key():
    woke = []

    async def main():
        gate = InputGate(quiet=10.0, max_wait=10.0, clock=trio.current_time)
        gate.touch()
        await gate.wait()  # no step yet since that key: gap after it
        assert gate.waits_for_input()

        async def background():
            await gate.wait()  # would wait 10 s for quiet
            woke.append(trio.current_time())

        async with trio.open_nursery() as nursery:
            nursery.start_soon(background)
            await trio.sleep(1.0)
            gate.set_urgent(True)

    trio.run(main, clock=trio.testing.MockClock(autojump_threshold=0))
    assert len(woke) == 1 and woke[0] < 1.1
