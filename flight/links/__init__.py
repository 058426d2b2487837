"""Links between the flight software and the ground; chosen by URL (`udp:HOST:PORT`).

Only UDP exists so far; `tcp:` and `serial:` URLs are recognised and refused with a
`LinkError` until their links land.
"""

from collections.abc import Callable

from flight.core.errors import LinkError
from flight.links.udp import MAX_DATAGRAM, UdpLink

__all__ = ["MAX_DATAGRAM", "UdpLink", "open_link", "parse_link_url"]


def parse_link_url(url: str) -> tuple[str, str, int]:
    """Split `udp:HOST:PORT` or `tcp:HOST:PORT` into (scheme, host, port).

    >>> parse_link_url("udp:127.0.0.1:10015")
    ('udp', '127.0.0.1', 10015)

    Raises:
        LinkError: the URL is malformed or the scheme unsupported.
    """
    scheme, _, rest = url.partition(":")
    if scheme not in {"udp", "tcp"}:
        raise LinkError(f"unsupported link {url!r} (supported: udp:HOST:PORT)")
    host, _, port_text = rest.rpartition(":")
    if not host or not port_text.isdigit() or int(port_text) > 0xFFFF:
        raise LinkError(f"malformed link URL {url!r}; expected {scheme}:HOST:PORT")
    return scheme, host, int(port_text)


def open_link(url: str, deliver: Callable[[bytes], None]) -> UdpLink:
    """Open the link `url`, delivering each received packet to `deliver`.

    Raises:
        LinkError: malformed, unsupported or unbindable.
    """
    scheme, host, port = parse_link_url(url)
    if scheme != "udp":
        raise LinkError(f"{scheme} links are not implemented yet ({url})")
    return UdpLink(host, port, deliver)
