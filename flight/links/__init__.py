"""Links between the flight software and the ground, chosen by URL; and their security layer.

``udp:HOST:PORT`` (one packet per datagram), ``tcp:HOST:PORT`` (a stream of packets; the board
listens, the ground connects) and ``serial:DEVICE[@BAUD]`` (COBS frames through pyserial).
``udp:HOST:PORT?framing=cop1&scid=..&vcid=..`` carries CCSDS TC frames (CLTUs) under FARM-1
up and TM frames with the CLCW down (`flight.links.framed`); so does
``serial:DEVICE[@BAUD]?framing=cop1&...`` (CLTUs and ASM-prefixed TM frames on the line).
`open_link` builds the board's end, `open_link(..., ground=True)` the ground's. Telecommands
are authenticated between the link and the router (`CommandGuard`), and signed on the ground
(`Signer`), per SDLS (CCSDS 355.0-B) authentication.
"""

import importlib
from typing import TYPE_CHECKING, Any

from flight.core.errors import LinkError
from flight.links.base import (
    HEADER_LENGTH,
    Deliver,
    FramedLink,
    Link,
    LinkCounters,
    OutputQueue,
    PollSet,
    is_one_packet,
    pump,
)
from flight.links.events import LINK_EVENTS, REJECTION_EVENTS
from flight.links.security import (
    FRAME_HEADER_LENGTH,
    FRAME_SECURITY_OVERHEAD,
    MAC_LENGTH,
    MAX_SEQUENCE,
    MAX_WINDOW,
    SECURED_APID,
    SECURITY_HEADER_LENGTH,
    SECURITY_OVERHEAD,
    Rejection,
    ReplayWindow,
    Signer,
    Unsealed,
    compute_mac,
    seal,
    seal_frame,
    unseal,
    unseal_frame,
)
from flight.links.security_guard import AuthCounters, CommandGuard, EventSink
from flight.links.security_keys import (
    DEV_SPI,
    KEY_LENGTH,
    KeyFileError,
    ensure_dev_key,
    load_key,
    load_keyring,
    signer_for_mission,
    write_key,
)
from flight.links.udp import MAX_DATAGRAM, UdpLink

if TYPE_CHECKING:
    from flight.links.framed import FrameAuthenticator, FramedCounters, FramedEndpoint
    from flight.links.framed_serial import FramedSerialLink
    from flight.links.framed_udp import FramedUdpLink
    from flight.links.framing import FramingConfig, split_framing
    from flight.links.serial import DEFAULT_BAUD, CobsDeframer, SerialLink, cobs_frame
    from flight.links.tcp import TX_LIMIT, TcpClientLink, TcpServerLink

__all__ = [
    "DEFAULT_BAUD",
    "DEV_SPI",
    "FRAME_HEADER_LENGTH",
    "FRAME_SECURITY_OVERHEAD",
    "HEADER_LENGTH",
    "KEY_LENGTH",
    "LINK_EVENTS",
    "MAC_LENGTH",
    "MAX_DATAGRAM",
    "MAX_SEQUENCE",
    "MAX_WINDOW",
    "REJECTION_EVENTS",
    "SECURED_APID",
    "SECURITY_HEADER_LENGTH",
    "SECURITY_OVERHEAD",
    "TX_LIMIT",
    "AuthCounters",
    "CobsDeframer",
    "CommandGuard",
    "Deliver",
    "EventSink",
    "FrameAuthenticator",
    "FramedCounters",
    "FramedEndpoint",
    "FramedLink",
    "FramedSerialLink",
    "FramedUdpLink",
    "FramingConfig",
    "KeyFileError",
    "Link",
    "LinkCounters",
    "OutputQueue",
    "PollSet",
    "Rejection",
    "ReplayWindow",
    "SerialLink",
    "Signer",
    "TcpClientLink",
    "TcpServerLink",
    "UdpLink",
    "Unsealed",
    "cobs_frame",
    "compute_mac",
    "ensure_dev_key",
    "is_framed",
    "is_one_packet",
    "load_key",
    "load_keyring",
    "open_link",
    "parse_link_url",
    "pump",
    "seal",
    "seal_frame",
    "signer_for_mission",
    "split_framing",
    "unseal",
    "unseal_frame",
    "write_key",
]

# Transports and the framing layer are imported on first use, not with the package: pyserial,
# COP-1 and the frame codecs cost start-up time that a flight on plain UDP never needs back.
_LAZY = {
    "DEFAULT_BAUD": "flight.links.serial",
    "CobsDeframer": "flight.links.serial",
    "SerialLink": "flight.links.serial",
    "cobs_frame": "flight.links.serial",
    "TX_LIMIT": "flight.links.tcp",
    "TcpClientLink": "flight.links.tcp",
    "TcpServerLink": "flight.links.tcp",
    "FrameAuthenticator": "flight.links.framed",
    "FramedCounters": "flight.links.framed",
    "FramedEndpoint": "flight.links.framed",
    "FramingConfig": "flight.links.framing",
    "split_framing": "flight.links.framing",
    "FramedSerialLink": "flight.links.framed_serial",
    "FramedUdpLink": "flight.links.framed_udp",
}


def __getattr__(name: str) -> Any:
    """Import a transport's public name when it is first asked for (PEP 562)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


_SCHEMES = "udp:HOST:PORT, tcp:HOST:PORT, serial:DEVICE[@BAUD]"


def parse_link_url(url: str) -> tuple[str, str, int]:
    """Split a link URL into (scheme, host or device, port or baud rate).

    >>> parse_link_url("udp:127.0.0.1:10015")
    ('udp', '127.0.0.1', 10015)
    >>> parse_link_url("serial:/dev/ttyUSB0@115200")
    ('serial', '/dev/ttyUSB0', 115200)
    >>> parse_link_url("serial:/dev/ttyAMA0")
    ('serial', '/dev/ttyAMA0', 115200)

    Raises:
        LinkError: the URL is malformed or the scheme unsupported.
    """
    scheme, _, rest = url.partition(":")
    if scheme == "serial":
        device, at, baud_text = rest.rpartition("@")
        if not at:
            from flight.links.serial import DEFAULT_BAUD  # noqa: PLC0415 - see _LAZY

            device, baud_text = rest, str(DEFAULT_BAUD)
        if not device or not baud_text.isdigit() or not 50 <= int(baud_text) <= 16_000_000:
            raise LinkError(f"malformed link URL {url!r}; expected serial:DEVICE[@BAUD]")
        return scheme, device, int(baud_text)
    if scheme not in {"udp", "tcp"}:
        raise LinkError(f"unsupported link {url!r} (supported: {_SCHEMES})")
    host, _, port_text = rest.rpartition(":")
    if not host or not port_text.isdigit() or int(port_text) > 0xFFFF:
        raise LinkError(f"malformed link URL {url!r}; expected {scheme}:HOST:PORT")
    return scheme, host, int(port_text)


def is_framed(url: str) -> bool:
    """Whether the link URL `url` asks for transfer frames (``?framing=cop1``).

    Raises:
        LinkError: malformed link options.
    """
    if "?" not in url:
        return False
    from flight.links.framing import split_framing  # noqa: PLC0415 - see _LAZY

    return split_framing(url)[1] is not None


def _open_framed(
    url: str,
    deliver: Deliver,
    framing: "FramingConfig",
    *,
    ground: bool,
    authenticator: "FrameAuthenticator | None",
) -> Link:
    if ground:
        raise LinkError(
            f"the ground's end of {url!r} runs FOP-1: open it with hil.ground.open_ground_link"
        )
    scheme, where, number = parse_link_url(url)
    if scheme == "serial":
        from flight.links.framed_serial import FramedSerialLink  # noqa: PLC0415 - see _LAZY

        return FramedSerialLink(where, number, deliver, framing, authenticator=authenticator)
    if scheme != "udp":
        raise LinkError(f"framing=cop1 is offered on serial and udp links, not {url!r}")
    from flight.links.framed_udp import FramedUdpLink  # noqa: PLC0415 - see _LAZY

    return FramedUdpLink(where, number, deliver, framing, authenticator=authenticator)


def open_link(
    url: str,
    deliver: Deliver,
    *,
    ground: bool = False,
    authenticator: "FrameAuthenticator | None" = None,
) -> Link:
    """Open the link `url`, delivering each received packet to `deliver`.

    Args:
        url: the link URL.
        deliver: called with each well-framed packet; returns whether it was accepted.
        ground: open the ground's end (UDP sends to the address, TCP connects, a serial
            device must exist now) instead of the board's (UDP binds, TCP listens, a missing
            serial device is retried).
        authenticator: on a framed link, authenticates every frame before FARM-1 sees it
            (the mission's `CommandGuard`); `deliver` then gets plain packets. None takes
            frames as they come. Packet links ignore it (their `deliver` authenticates).

    Raises:
        LinkError: malformed, unsupported, unbindable or (ground) unreachable.
    """
    # Only URLs with options can carry framing (`split_framing` passes the others through).
    framing: FramingConfig | None = None
    if "?" in url:
        from flight.links.framing import split_framing  # noqa: PLC0415 - see _LAZY

        url, framing = split_framing(url)
    if framing is not None:
        return _open_framed(url, deliver, framing, ground=ground, authenticator=authenticator)
    scheme, where, number = parse_link_url(url)
    if scheme == "serial":
        from flight.links.serial import SerialLink  # noqa: PLC0415 - see _LAZY

        return SerialLink(where, number, deliver, required=ground)
    if scheme == "tcp":
        from flight.links.tcp import TcpClientLink, TcpServerLink  # noqa: PLC0415 - see _LAZY

        if ground:
            return TcpClientLink(where, number, deliver)
        return TcpServerLink(where, number, deliver)
    if ground:
        return UdpLink.connect(where, number, deliver)
    return UdpLink(where, number, deliver)
