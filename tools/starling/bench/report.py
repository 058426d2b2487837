"""Turn codec bench timings into results, a table for people and JSON for machines."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tools.starling.bench.case import Case
from tools.starling.bench.timing import Timing

__all__ = ["Result", "render", "result_of", "to_json"]

KEYS = ("api", "c", "pure", "peer")


@dataclass(slots=True)
class Result:
    """A measurement's medians (seconds for the whole workload) and its verdict."""

    case: Case
    seconds: dict[str, float | None]
    labels: dict[str, str]
    scaled: dict[str, float]
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def figure(self) -> float | None:
        """What the target is about: the API's speed-up over the peer, or its GB/s."""
        api, peer = self.seconds.get("api"), self.seconds.get("peer")
        if api is None:
            return None
        if self.case.target_unit == "GB/s":
            return self.case.octets / api / 1e9
        return None if peer is None else peer / api

    @property
    def status(self) -> str:
        """PASS or MISS against the target; ERROR when the API could not be measured."""
        figure = self.figure
        if figure is None:
            return "ERROR"
        return "PASS" if figure >= self.case.target else "MISS"


def result_of(case: Case, timings: Sequence[Timing]) -> Result:
    """Collect one measurement's timings."""
    result = Result(case, dict.fromkeys(KEYS), {}, {})
    for timing in timings:
        contender = timing.contender
        result.seconds[contender.key] = timing.median
        result.labels[contender.key] = contender.label
        if contender.scale != 1.0:
            result.scaled[contender.key] = contender.scale
        if timing.error is not None:
            result.errors[contender.key] = timing.error
    return result


def _duration(seconds: float | None, scaled: bool = False) -> str:
    if seconds is None:
        return "-"
    mark = "*" if scaled else ""
    for unit, size in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6)):
        if seconds >= size:
            return f"{seconds / size:.3g} {unit}{mark}"
    return f"{seconds / 1e-9:.3g} ns{mark}"


def _figure(result: Result) -> str:
    figure = result.figure
    if figure is None:
        return "-"
    if result.case.target_unit == "GB/s":
        return f"{figure:.2f} GB/s"
    return f"{figure:.1f}x"


def _target(case: Case) -> str:
    return f">= {case.target:g} GB/s" if case.target_unit == "GB/s" else f">= {case.target:g}x"


def _per_item(seconds: float | None, case: Case) -> str:
    if seconds is None:
        return "-"
    return _duration(seconds / case.items)


def render(results: Sequence[Result], *, api_backend: str, c_note: str | None) -> str:
    """The report as a table, with notes on scaling, errors and where the API's time goes."""
    head = ("workload", f"API ({api_backend})", "C", "pure twin", "peer", "vs", "ratio")
    rows: list[tuple[str, ...]] = [(*head, "target", "status")]
    for r in results:
        cells = [_duration(r.seconds[key], key in r.scaled) for key in KEYS]
        status = r.status
        rows.append((r.case.title, *cells, r.case.peer_name, _figure(r), _target(r.case), status))
    widths = [max(len(row[i]) for row in rows) for i in range(len(head) + 2)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    lines.append("")
    lines.append(
        f"API = the flight.ccsds API on its chosen backend ({api_backend}); C and pure twin = "
        "the backend modules called directly."
    )
    if c_note:
        lines.append(f"C backend: {c_note}")
    if any(r.scaled for r in results):
        lines.append("* the pure twin did a subset of the workload; its time is scaled linearly.")
    lines.append("")
    lines.append(
        f"Per item: the API ({api_backend}) vs its backend called directly; the rest of the "
        "API's time is the Python around the codec"
    )
    direct = "c" if api_backend == "c" else "pure"
    for r in results:
        api, low = r.seconds["api"], r.seconds[direct]
        share = f"= {low / api:.0%} of the API's time" if api and low else ""
        lines.append(
            f"  {r.case.title:<24} {_per_item(api, r.case):>9} / {r.case.item_unit} API, "
            f"{_per_item(low, r.case):>9} {r.labels.get(direct, direct)}  {share}"
        )
    errors = [(r.case.title, key, error) for r in results for key, error in r.errors.items()]
    if errors:
        lines.append("")
        lines.append("Not measured:")
        lines.extend(f"  {title} [{key}]: {error}" for title, key, error in errors)
    return "\n".join(lines)


def to_json(results: Sequence[Result], **header: Any) -> dict[str, Any]:
    """The figures as a JSON-ready dict: `header` fields, then one entry per workload."""
    workloads = {}
    for r in results:
        workloads[r.case.key] = {
            "title": r.case.title,
            "items": r.case.items,
            "item_unit": r.case.item_unit,
            "octets": r.case.octets or None,
            "seconds": r.seconds,
            "labels": r.labels,
            "scaled": r.scaled,
            "peer": r.case.peer_name,
            "figure": r.figure,
            "figure_unit": r.case.target_unit,
            "target": r.case.target,
            "status": r.status,
            "errors": r.errors,
        }
    return {**header, "workloads": workloads}
