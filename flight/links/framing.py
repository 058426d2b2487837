"""A framed link's options: ``URL?framing=cop1&scid=..&vcid=..&frame=..&...``.

Both ends of a link read the same options (`FramingConfig`); `split_framing` takes them off a
link URL, leaving the transport's URL. No I/O, nothing of the frame codec: a URL can be
checked without loading it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl

from flight.core.errors import LinkError

__all__ = ["FramingConfig", "split_framing"]


def _int(text: str) -> int:
    return int(text, 0)


@dataclass(frozen=True)
class FramingConfig:
    """The managed parameters of one framed link (both ends read the same URL options).

    Attributes:
        scid: spacecraft identifier (10 bits, in TC and TM frames alike).
        vcid: the virtual channel for TC frames and TM frames.
        frame_length: TM transfer frame length in octets (fixed per mission).
        farm_window: FARM-1 sliding window width W (even, 2..254).
        idle_s: the longest time without a TM frame (an idle frame then goes out).
        fop_window: FOP-1 sliding window K (ground): frames unacknowledged at once.
        t1: FOP-1 timer T1 in seconds (ground).
        limit: FOP-1 transmission limit per frame (ground).
    """

    scid: int = 0x1AB
    vcid: int = 0
    frame_length: int = 256
    farm_window: int = 20
    idle_s: float = 1.0
    fop_window: int = 8
    t1: float = 0.5
    limit: int = 10

    def __post_init__(self) -> None:
        checks = (
            ("scid", self.scid, 0, 0x3FF),
            ("vcid", self.vcid, 0, 7),  # TM frames carry 3 bits of VCID
            ("frame", self.frame_length, 64, 2048),
            ("window", self.farm_window, 2, 254),
            ("fop_window", self.fop_window, 1, 127),
            ("limit", self.limit, 1, 255),
        )
        for name, value, low, high in checks:
            if not low <= value <= high:
                raise LinkError(f"framing option {name}={value} is outside {low}..{high}")
        if self.farm_window % 2:
            raise LinkError(f"framing option window={self.farm_window} must be even")
        if self.fop_window >= self.farm_window // 2 + 1:
            raise LinkError("framing option fop_window must stay inside the FARM's half window")
        if not (0.01 <= self.idle_s <= 3600 and 0.01 <= self.t1 <= 3600):
            raise LinkError("framing options idle and t1 must be in 0.01..3600 s")

    @property
    def query(self) -> str:
        """The options both ends must agree on, as a link URL carries them.

        >>> FramingConfig(scid=0x1AB, vcid=1).query
        'framing=cop1&scid=0x1ab&vcid=1&frame=256'
        """
        return f"framing=cop1&scid={self.scid:#x}&vcid={self.vcid}&frame={self.frame_length}"

    @classmethod
    def from_query(cls, query: str) -> "FramingConfig":
        """Read ``framing=cop1&scid=..&vcid=..&frame=..&window=..&idle=..&t1=..&limit=..``.

        >>> FramingConfig.from_query("framing=cop1&scid=0x1AB&vcid=1").vcid
        1

        Raises:
            LinkError: an unknown option or framing, or a value out of range.
        """
        known: dict[str, tuple[str, Callable[[str], object]]] = {
            "scid": ("scid", _int),
            "vcid": ("vcid", _int),
            "frame": ("frame_length", _int),
            "window": ("farm_window", _int),
            "idle": ("idle_s", float),
            "fop_window": ("fop_window", _int),
            "t1": ("t1", float),
            "limit": ("limit", _int),
        }
        values: dict[str, object] = {}
        framing = None
        for key, text in parse_qsl(query, keep_blank_values=True, strict_parsing=True):
            if key == "framing":
                framing = text
                continue
            if key not in known:
                raise LinkError(
                    f"unknown framing option {key!r} (known: framing, {', '.join(known)})"
                )
            name, parse = known[key]
            try:
                values[name] = parse(text)
            except ValueError as exc:
                raise LinkError(f"framing option {key}={text!r} is not a number") from exc
        if framing != "cop1":
            raise LinkError(f"unsupported framing {framing!r} (supported: framing=cop1)")
        return cls(**values)  # type: ignore[arg-type]


def split_framing(url: str) -> tuple[str, FramingConfig | None]:
    """Split ``URL?options`` into the transport URL and its framing (None: packets as they are).

    >>> split_framing("udp:127.0.0.1:10030?framing=cop1&scid=0x1AB")[0]
    'udp:127.0.0.1:10030'
    >>> split_framing("udp:127.0.0.1:10015")
    ('udp:127.0.0.1:10015', None)

    Raises:
        LinkError: malformed options.
    """
    base, mark, query = url.partition("?")
    if not mark:
        return url, None
    try:
        return base, FramingConfig.from_query(query)
    except ValueError as exc:  # parse_qsl's strict parsing
        raise LinkError(f"malformed link options in {url!r}: {exc}") from exc
