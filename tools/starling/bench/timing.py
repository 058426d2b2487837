"""Interleaved, repeated timing of contenders that do the same work.

The machine is shared and noisy, so contenders are timed in rounds, each round running every
contender once (in a rotating order, so that none always runs first or last), and each
contender's median is quoted. Ratios between medians of one run are what the bench compares.
"""

import gc
import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

__all__ = ["Contender", "Timing", "measure"]

MAX_LOOPS = 100_000


@dataclass(frozen=True, slots=True)
class Contender:
    """One way of doing a measurement's work.

    Attributes:
        key: short name used in reports and JSON ("api", "c", "pure", "peer").
        label: what runs, for the reader.
        run: does the work once and returns something `check` can judge.
        check: says whether `run`'s result is right; the bench refuses to time wrong work.
        scale: factor from the work done to the work reported, when a slow contender does
            a subset of it.
    """

    key: str
    label: str
    run: Callable[[], object]
    check: Callable[[object], bool] = field(default=lambda _result: True)
    scale: float = 1.0


@dataclass(slots=True)
class Timing:
    """A contender's outcome: seconds per reported unit of work per round, or an error."""

    contender: Contender
    samples: list[float] = field(default_factory=list)
    loops: int = 0
    error: str | None = None

    @property
    def median(self) -> float | None:
        """Median seconds over the rounds, or None when the contender failed."""
        if self.error is not None or not self.samples:
            return None
        return statistics.median(self.samples)


def _clock(run: Callable[[], object], loops: int) -> float:
    """Seconds for `loops` calls of `run`, with the garbage collector held off."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        for _ in range(loops):
            run()
        return time.perf_counter() - start
    finally:
        gc.enable()


def _warm_up(contender: Contender, min_sample: float) -> Timing:
    """Run once to check the result and to choose how many calls make one sample."""
    timing = Timing(contender)
    try:
        # the first call may also prepare the contender's input, so a second one calibrates
        if not contender.check(contender.run()):
            timing.error = "wrong result: the bench refuses to time it"
            return timing
        elapsed = _clock(contender.run, 1)
    except Exception as exc:  # any failure is reported with the other figures, not raised
        timing.error = f"{type(exc).__name__}: {exc}"
        return timing
    timing.loops = max(1, min(MAX_LOOPS, math.ceil(min_sample / max(elapsed, 1e-9))))
    return timing


def measure(contenders: Sequence[Contender], *, rounds: int, min_sample: float) -> list[Timing]:
    """Time each contender over `rounds` interleaved rounds.

    Args:
        contenders: the ways of doing the same work.
        rounds: how many samples each contender gets.
        min_sample: shortest sample in seconds; quick calls repeat until they reach it.

    Returns:
        One `Timing` per contender, in the order given.
    """
    timings = [_warm_up(contender, min_sample) for contender in contenders]
    live = [timing for timing in timings if timing.error is None]
    for round_no in range(rounds):
        shift = round_no % len(live) if live else 0
        for timing in live[shift:] + live[:shift]:
            elapsed = _clock(timing.contender.run, timing.loops)
            timing.samples.append(elapsed / timing.loops * timing.contender.scale)
    return timings
