"""Telemetry predicates that say what they expected: the words of a failed `await_tlm`.

A `Predicate` is a test on a decoded packet with a description; combine them with ``&``.
Item conditions are exact values or `Check` objects (`at_least`, `at_most`, `between`,
`near`), each describing itself too::

    hk("sample", "SAMPLE_HK", gain=3, level=at_least(10))
    # -> "sample.SAMPLE_HK housekeeping with gain == 3, level >= 10"
"""

from collections.abc import Callable
from dataclasses import dataclass

from hil.ground import Decoded

__all__ = [
    "Check",
    "Predicate",
    "at_least",
    "at_most",
    "between",
    "event",
    "hk",
    "near",
    "packet",
    "verification",
]

Item = int | float | bool | str


@dataclass(frozen=True)
class Check:
    """A condition on one item value, with its description (``>= 10``)."""

    test: Callable[[Item], bool]
    text: str

    def __call__(self, value: Item) -> bool:
        """Whether `value` passes (a string never passes a numeric check)."""
        try:
            return bool(self.test(value))
        except TypeError:
            return False


def at_least(low: float) -> Check:
    """``value >= low``."""
    return Check(lambda v: float(v) >= low, f">= {low:g}")


def at_most(high: float) -> Check:
    """``value <= high``."""
    return Check(lambda v: float(v) <= high, f"<= {high:g}")


def between(low: float, high: float) -> Check:
    """``low <= value <= high``."""
    return Check(lambda v: low <= float(v) <= high, f"in [{low:g}, {high:g}]")


def near(target: float, tolerance: float) -> Check:
    """``|value - target| <= tolerance``."""
    return Check(lambda v: abs(float(v) - target) <= tolerance, f"== {target:g} ± {tolerance:g}")


@dataclass(frozen=True)
class Predicate:
    """A test on decoded telemetry, and what it expects in words."""

    test: Callable[[Decoded], bool]
    description: str

    def __call__(self, decoded: Decoded) -> bool:
        """Whether `decoded` matches."""
        return self.test(decoded)

    def __and__(self, other: "Predicate") -> "Predicate":
        return Predicate(lambda d: self(d) and other(d), f"{self.description} and {other}")

    def __str__(self) -> str:
        return self.description


def _matches(values: dict[str, Item], conditions: dict[str, Item | Check]) -> bool:
    for name, wanted in conditions.items():
        if name not in values:
            return False
        value = values[name]
        if isinstance(wanted, Check):
            if not wanted(value):
                return False
        elif value != wanted:
            return False
    return True


def _words(conditions: dict[str, Item | Check]) -> str:
    parts = [
        f"{name} {wanted.text}" if isinstance(wanted, Check) else f"{name} == {wanted!r}"
        for name, wanted in conditions.items()
    ]
    return f" with {', '.join(parts)}" if parts else ""


def hk(app: str, structure: str, **conditions: Item | Check) -> Predicate:
    """A housekeeping report of `app`'s `structure` whose items meet `conditions`."""
    return Predicate(
        lambda d: (
            d.kind == "housekeeping"
            and d.app == app
            and d.name == structure
            and _matches(d.values, conditions)
        ),
        f"{app}.{structure} housekeeping{_words(conditions)}",
    )


def event(app: str, name: str, *, aux: str | None = None) -> Predicate:
    """Event `name` from `app` (with auxiliary data `aux` in hex, when given)."""
    extra = f" with aux {aux}" if aux is not None else ""
    return Predicate(
        lambda d: (
            d.kind == "event"
            and d.app == app
            and d.name == name
            and (aux is None or d.values.get("aux") == aux)
        ),
        f"event {app}.{name}{extra}",
    )


def verification(
    request_id: bytes | None = None, *, stage: str | None = None, ok: bool | None = None
) -> Predicate:
    """A service 1 report (of `request_id`, at `stage`, success or failure)."""
    conditions: dict[str, Item | Check] = {}
    if request_id is not None:
        conditions["request_id"] = request_id.hex()
    if stage is not None:
        conditions["stage"] = stage
    if ok is not None:
        conditions["ok"] = ok
    return Predicate(
        lambda d: d.kind == "verification" and _matches(d.values, conditions),
        f"verification report{_words(conditions)}",
    )


def packet(service: int, subtype: int, *, apid: int | None = None) -> Predicate:
    """Any packet of type (`service`, `subtype`) (from `apid`, when given)."""
    where = f" from APID {apid}" if apid is not None else ""
    return Predicate(
        lambda d: (
            (d.tm.service, d.tm.subtype) == (service, subtype)
            and (apid is None or d.tm.apid == apid)
        ),
        f"packet {service},{subtype}{where}",
    )
