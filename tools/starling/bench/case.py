"""What a codec bench measurement is, and the helpers its contenders share.

Each measurement has up to four contenders: `api` is the public `flight.ccsds` API on whichever
backend it chose (`flight.ccsds.backend`); `c` and `pure` call the backend modules directly,
which shows how much of the API's time is the codec and how much the Python around it; `peer`
is spacepackets or a plain `struct`/`binascii` baseline. Where the pure twin is slow it does a
subset of the work and its time is scaled up to the whole workload.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import TypeVar, cast

from tools.starling.bench.timing import Contender

__all__ = ["Backend", "Case", "equal", "prepared", "scaled_backends"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True, kw_only=True)
class Case:
    """One measurement: what it does, its target, and its contenders.

    `target_unit` is "x" when the target is our API's speed-up over the peer, or "GB/s" when
    it is the API's own throughput over `octets`.
    """

    key: str
    title: str
    peer_name: str
    target: float
    target_unit: str
    items: int
    item_unit: str
    contenders: tuple[Contender, ...]
    octets: int = 0


@dataclass(frozen=True, slots=True)
class Backend:
    """A backend module called directly, with the share of the workload it is given."""

    key: str
    module: ModuleType
    share: int  # how many of the workload's items it does
    scale: float  # factor from its share up to the whole workload

    def name(self, function: str) -> str:
        """`function`'s name as the report shows it, e.g. "pure.split"."""
        return f"{self.key}.{function}"


def scaled_backends(
    c: ModuleType | None, pure: ModuleType, *, items: int, pure_items: int
) -> Iterator[Backend]:
    """The C backend on the whole workload (when it is built), the twin on a capped subset."""
    if c is not None:
        yield Backend("c", c, items, 1.0)
    share = min(items, pure_items)
    yield Backend("pure", pure, share, items / share)


def equal(expected: object) -> Callable[[object], bool]:
    """A check that a result equals `expected`, comparing sequences item by item.

    Backends may return array-likes of their own (arrays, memoryviews, cffi buffers), so a
    sequence result is compared as a list; tuples are compared field by field.
    """

    def same(result: object) -> bool:
        if isinstance(expected, tuple) and isinstance(result, tuple | list):
            return len(result) == len(expected) and all(
                equal(want)(got) for got, want in zip(result, expected, strict=True)
            )
        if isinstance(expected, list):
            return list(cast("Iterable[object]", result)) == expected
        return result == expected

    return same


def prepared(make: Callable[[], T], use: Callable[[T], object]) -> Callable[[], object]:
    """A run that makes its input on the first call, so that a failure to make it (a backend
    still being written, say) is reported as that contender's error rather than stopping
    the bench."""
    made: list[T] = []

    def run() -> object:
        if not made:
            made.append(make())
        return use(made[0])

    return run
