"""A ground session for one mission: its dictionary, its link, its archive, one client.

`open_session` is what every `starling ground` command that talks to the flight calls: it
loads the mission, builds the dictionary from the mission's apps, opens the link (the
mission's first, or an override) through the mission's telecommand encoder, and attaches the
archive. `parse_time` reads the times operators type.
"""

import datetime
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flight.core import ConfigError, Mission, load_mission
from flight.dictionary import DictionaryError, MissionDictionary, build_dictionary
from flight.links.errors import KeyFileError
from flight.links.security_keys import signer_for_mission
from hil.ground.archive import Archive
from hil.ground.client import GroundClient
from hil.ground.errors import GroundError, GroundLinkError
from hil.ground.link import GroundLink, PlainTcEncoder, TcEncoder, open_ground_link

__all__ = ["EncoderFactory", "Session", "load_dictionary", "open_session", "parse_time"]

EncoderFactory = Callable[[Mission], TcEncoder]
_RELATIVE = re.compile(r"^([+-])(\d+(?:\.\d+)?)([smhd]?)$")
_UNIT_SECONDS = {"": 1.0, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def load_dictionary(mission_name: str) -> tuple[Mission, MissionDictionary]:
    """The mission and its dictionary.

    Raises:
        GroundError: the mission cannot be loaded or its dictionary built.
    """
    try:
        mission = load_mission(mission_name)
        return mission, build_dictionary(mission)
    except (ConfigError, DictionaryError) as exc:
        raise GroundError(str(exc)) from exc


def parse_time(text: str, now: float | None = None) -> float:
    """Unix seconds from ``now``, ``+30s``/``-10m``/``-2h`` (relative), Unix seconds or ISO 8601.

    An ISO time without a zone is UTC.

    Raises:
        GroundError: none of those.
    """
    now = time.time() if now is None else now
    stripped = text.strip()
    if stripped == "now":
        return now
    relative = _RELATIVE.match(stripped)
    if relative:
        sign = -1.0 if relative.group(1) == "-" else 1.0
        return now + sign * float(relative.group(2)) * _UNIT_SECONDS[relative.group(3)]
    try:
        return float(stripped)
    except ValueError:
        pass
    try:
        moment = datetime.datetime.fromisoformat(stripped.replace("Z", "+00:00"))
    except ValueError as exc:
        raise GroundError(
            f"cannot read time {text!r}: use now, +30s, -10m, Unix seconds or ISO 8601"
        ) from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.timestamp()


@dataclass
class Session:
    """An open ground session."""

    mission: Mission
    dictionary: MissionDictionary
    link: GroundLink
    archive: Archive | None
    client: GroundClient

    @property
    def core_apid(self) -> int:
        """The APID of the mission's core app (services 9 and 11 act there)."""
        core = next((a for a in self.dictionary.apps if a.kind == "core"), None)
        return core.apid if core else self.dictionary.apps[0].apid

    def close(self) -> None:
        """Close the link and the archive."""
        self.link.close()
        if self.archive is not None:
            self.archive.close()


def open_session(
    mission_name: str,
    *,
    link_url: str | None = None,
    archive_path: Path | None = None,
    encoder_factory: EncoderFactory | None = None,
    data_dir: Path | None = None,
) -> Session:
    """Open a session with the flight of `mission_name`.

    Args:
        mission_name: a shipped mission's name or a mission file.
        link_url: overrides the mission's first link.
        archive_path: the archive file, or None for no archive.
        encoder_factory: builds the telecommand encoder for the mission (the security layer
            seam); None signs with the mission's key when it authenticates, and sends packets
            as they are when it does not.
        data_dir: where the mission's keys and the ground's sequence number live (default:
            the mission's data directory).

    Raises:
        GroundError: no mission, no link, or the link or archive cannot be opened.
    """
    mission, dictionary = load_dictionary(mission_name)
    url = link_url or (mission.links[0] if mission.links else None)
    if url is None:
        raise GroundLinkError(f"mission {mission.name} has no link; give --link URL")
    encoder: TcEncoder
    if encoder_factory is not None:
        encoder = encoder_factory(mission)
    elif mission.authentication:
        try:
            encoder = signer_for_mission(mission, data_dir=data_dir)
        except KeyFileError as exc:
            raise GroundError(
                f"mission {mission.name} authenticates telecommands and its key is not usable: "
                f"{exc} (give the flight's --data-dir)"
            ) from exc
    else:
        encoder = PlainTcEncoder()
    link = open_ground_link(url, encoder)
    try:
        archive = Archive(archive_path) if archive_path is not None else None
    except GroundError:
        link.close()
        raise
    client = GroundClient(dictionary, link, archive)
    return Session(mission, dictionary, link, archive, client)
