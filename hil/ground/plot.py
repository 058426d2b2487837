"""A housekeeping item over time, plotted to PNG with matplotlib's Agg backend (no display)."""

import datetime
from pathlib import Path

from hil.ground.errors import ArchiveError

__all__ = ["plot_series"]


def plot_series(
    series: list[tuple[float, float]], title: str, output: Path, *, unit: str = ""
) -> None:
    """Write a PNG of (Unix time, value) points to `output`.

    Raises:
        ArchiveError: no points, matplotlib missing, or the file cannot be written.
    """
    if not series:
        raise ArchiveError(f"no archived values of {title} in the selection")
    try:
        import matplotlib  # noqa: PLC0415 -- optional, heavy: only `archive plot` needs it

        matplotlib.use("Agg")
        from matplotlib import pyplot  # noqa: PLC0415
    except ImportError as exc:
        raise ArchiveError("plotting needs matplotlib (pip install matplotlib)") from exc
    times = [datetime.datetime.fromtimestamp(t, tz=datetime.UTC) for t, _ in series]
    figure, axes = pyplot.subplots(figsize=(9, 4), dpi=100)
    try:
        axes.plot(
            times,  # type: ignore[arg-type]  # matplotlib takes datetimes
            [v for _, v in series],
            marker=".",
            linewidth=1,
        )
        axes.set_title(title)
        axes.set_xlabel("packet time (UTC)")
        axes.set_ylabel(f"{title} [{unit}]" if unit else title)
        axes.grid(visible=True, alpha=0.3)
        figure.autofmt_xdate()
        figure.tight_layout()
        figure.savefig(output, format="png")
    except OSError as exc:
        raise ArchiveError(f"cannot write {output}: {exc}") from exc
    finally:
        pyplot.close(figure)
