"""Workers for blocking work (a camera capture, a long file write) off the flight loop.

The flight loop never blocks: an app submits a job, a worker thread runs it, and the result
comes back as a `WorkResult` message on the software bus, published by the loop's own thread
when it next collects. The number of jobs in flight is bounded; a full pool refuses new jobs.
"""

import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from flight.core.bus import WORK_RESULT_MID, SoftwareBus
from flight.core.errors import WorkerBusyError

__all__ = ["WorkResult", "Workers"]


@dataclass(frozen=True, slots=True)
class WorkResult:
    """The outcome of one job.

    Attributes:
        job: the number `Workers.submit` returned.
        value: what the job returned (None when it raised).
        error: the exception the job raised, or None.
    """

    job: int
    value: object
    error: BaseException | None


class Workers:
    """A bounded pool of worker threads whose results return through the bus.

    Args:
        bus: where results are published.
        threads: worker threads.
        max_pending: jobs queued or running at most.
        wake: called from a worker thread when a result is ready, to wake the loop.
    """

    def __init__(
        self,
        bus: SoftwareBus,
        *,
        threads: int = 2,
        max_pending: int = 16,
        wake: Callable[[], None] | None = None,
    ) -> None:
        self._bus = bus
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="starling-worker")
        self._max_pending = max_pending
        self._wake = wake
        self._lock = threading.Lock()
        self._done: deque[tuple[int, str, int, Future[object]]] = deque()
        self._pending = 0
        self._next_job = 0
        self.completed = 0
        self.refused = 0

    @property
    def pending(self) -> int:
        """Jobs queued or running."""
        return self._pending

    def set_wake(self, wake: Callable[[], None]) -> None:
        """Set what wakes the loop when a result is ready."""
        self._wake = wake

    def submit(
        self, fn: Callable[[], object], *, source: str, reply_mid: int = WORK_RESULT_MID
    ) -> int:
        """Run `fn` on a worker; its `WorkResult` is published on `reply_mid`. Return the job.

        Raises:
            WorkerBusyError: `max_pending` jobs are already in flight.
        """
        if self._pending >= self._max_pending:
            self.refused += 1
            raise WorkerBusyError(f"{self._pending} jobs in flight, refusing {source}'s job")
        self._next_job += 1
        job = self._next_job
        self._pending += 1
        future = self._pool.submit(fn)
        future.add_done_callback(lambda f: self._finished(job, source, reply_mid, f))
        return job

    def _finished(self, job: int, source: str, reply_mid: int, future: Future[object]) -> None:
        with self._lock:
            self._done.append((job, source, reply_mid, future))
        if self._wake is not None:
            self._wake()

    def collect(self) -> int:
        """Publish the results of finished jobs on the bus (loop thread only); return how many."""
        if not self._done:
            return 0
        with self._lock:
            done = list(self._done)
            self._done.clear()
        for job, source, reply_mid, future in done:
            error = future.exception()
            value = None if error is not None else future.result()
            self._bus.publish(reply_mid, WorkResult(job, value, error), source)
        self._pending -= len(done)
        self.completed += len(done)
        return len(done)

    def shutdown(self) -> None:
        """Wait for running jobs and stop the threads."""
        self._pool.shutdown(wait=True, cancel_futures=True)
