"""Background work yields to the user's input.

On this project's test machine, a 2-vCPU virtual machine, a process that keeps one CPU busy
makes Python on the *other* CPU about 1.45 times slower (a pure-Python loop pinned to CPU 0:
196 ms alone, 283 ms while CPU 1 spins at niceness 10), so niceness, ``SCHED_IDLE`` and CPU
pinning do not help: the two vCPUs behave as two threads of one physical core. vim's
keystroke hardly notices (0.1 ms of work); the editor's does (5-10 ms of Python per key).
The first index build of a 100,000-file workspace keeps a CPU busy for about 0.6 s, so
keys typed while it ran came back 3-6 ms slower at the median.

So the background walk does not run while the user types, the way Emacs's stealth
fontification (``jit-lock-stealth-time``) waits for idle time and stops when input arrives,
or a browser's ``requestIdleCallback`` runs between frames. ``InputGate`` holds the time of
the last key, mouse click or wheel step (the UI calls ``touch``, one float store); before
each bounded step of background work, a task awaits ``wait``:

* after ``quiet`` seconds without input, steps run back to back;
* while input keeps coming, each input lets one step through, ``gap`` seconds after it:
  by then the input's frame is drawn, and the next key is usually tens of milliseconds
  away. The work still progresses while someone types without a pause (one step per key);
* and it never starves: input faster than ``gap`` (a held key, a fast wheel) lets a step
  through when the last one began ``max_wait`` seconds ago;
* unless the user is waiting for that very work (``urgent``: quick open is open while the
  index grows, and its keys are a query for the walk's results): then steps run back to
  back, typing or not.

A waiting step sleeps until the moment the rules name; when it waits for the next input,
``touch`` wakes it (through the trio token: one call per key, and only while a step waits),
so nothing polls the clock while the user types. The clock is ``time.monotonic`` (the UI's
and trio's are the same one); tests pass their own. trio is imported by ``wait`` only: the
UI builds the gate before the engine starts.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

__all__ = ["InputGate", "InputGateStatistics"]

GAP = 0.02  # s after an input before one step may start: its frame first
QUIET = 0.2  # s without input after which steps run back to back
MAX_WAIT = 0.5  # s: the longest a step waits, however fast the input comes
EPSILON = 1e-6  # a wait shorter than this is none (the clock's rounding, not a delay)


@dataclass(frozen=True, slots=True)
class InputGateStatistics:
    inputs: int  # touch() calls
    steps: int  # steps let through
    deferred: int  # of those, steps that had to wait for input to pause
    waited_seconds: float  # time those steps waited, all together


class InputGate:
    def __init__(self, *, gap: float = GAP, quiet: float = QUIET, max_wait: float = MAX_WAIT,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.gap = gap
        self.quiet = quiet
        self.max_wait = max_wait
        self._wake: Callable[[], None] | None = None  # set while a step waits for an input
        self.urgent = False  # the user waits for the work itself: it never waits
        self._granted_at = float("-inf")
        self.clock = clock
        self.last_input = float("-inf")
        self._stepped_after = float("nan")  # last_input that a step was let through after
        self.inputs = 0
        self.steps = 0
        self.deferred = 0
        self.waited_seconds = 0.0

    def touch(self) -> None:
        """An input arrived (the UI's key and mouse handler: keep it this cheap)."""
        self.last_input = self.clock()
        self.inputs += 1
        wake = self._wake
        if wake is not None:
            self._wake = None
            wake()

    def delay(self, now: float) -> float:
        """Seconds until a step may start if no other input comes (0: now). A new input
        can bring the moment forward only when this one has had its step already
        (``waits_for_input``)."""
        since = now - self.last_input
        starved = self.max_wait - (now - self._granted_at)
        if self.urgent or since >= self.quiet - EPSILON or starved <= EPSILON:
            return 0.0
        if self.waits_for_input():  # this input has had its step: quiet, or the next one
            return min(self.quiet - since, starved)
        rest = min(self.gap - since, starved)
        return rest if rest > EPSILON else 0.0

    def set_urgent(self, urgent: bool) -> None:
        """The user starts (True) or stops waiting for the background work."""
        self.urgent = urgent
        wake = self._wake
        if urgent and wake is not None:
            self._wake = None
            wake()

    def waits_for_input(self) -> bool:
        return self._stepped_after == self.last_input

    def grant(self) -> None:
        """Note that a step starts now (``wait`` calls it)."""
        self._stepped_after = self.last_input
        self._granted_at = self.clock()
        self.steps += 1

    async def wait(self) -> None:
        """Return when one step of background work may run."""
        import trio

        start = self.clock()
        pause = self.delay(start)
        if pause > 0:
            while pause > 0:
                if self.waits_for_input():
                    arrived = trio.Event()
                    token = trio.lowlevel.current_trio_token()
                    self._wake = lambda: _call_soon(token, arrived.set)
                    with trio.move_on_after(pause):
                        await arrived.wait()
                    self._wake = None
                else:
                    await trio.sleep(pause)
                pause = self.delay(self.clock())
            self.deferred += 1
            self.waited_seconds += self.clock() - start
        self.grant()

    def statistics(self) -> InputGateStatistics:
        return InputGateStatistics(self.inputs, self.steps, self.deferred,
                                   self.waited_seconds)


def _call_soon(token, fn: Callable[[], None]) -> None:
    import trio

    try:
        token.run_sync_soon(fn)
    except trio.RunFinishedError:  # the engine has stopped: nothing waits any more
        pass
