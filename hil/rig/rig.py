"""One unit on the rig: the DUT, the link proxy in front of it, the ground, the stimulus.

`Rig` is what the pytest fixtures hand out piece by piece, and what `starling hil replay`
uses directly. Telecommands go ground -> proxy -> unit (UDP units; the proxy passes
everything until a test configures faults); ``pty`` units are reached through their serial
pair, serial and TCP bench units through the flight's own link stack. Authenticated missions
sign with the unit's key through the ground's `encoder_factory` seam.
"""

import contextlib
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from flight.core import ConfigError, Mission, Store, load_mission
from flight.links import KeyFileError, Signer, load_key, signer_for_mission
from hil.ground import (
    Archive,
    GroundLink,
    TcEncoder,
    load_dictionary,
    open_ground_link,
)
from hil.rig.dut import Dut, make_dut
from hil.rig.errors import DutStartError, RigError
from hil.rig.ground import RigGround
from hil.rig.links import RigEncoder
from hil.rig.proxy import LinkProxy
from hil.rig.stimulus import Stimulus
from hil.rig.units import DutSpec

__all__ = ["Rig", "signer_for"]

_FIRST_CONTACT_S = 10.0


def signer_for(mission: Mission, dut: Dut) -> TcEncoder | None:
    """The telecommand encoder `mission` needs for `dut` (None: unauthenticated).

    Signs with the unit's keys (inventory ``keys``) or the mission's key directory under the
    unit's data directory (a bench unit: the mission's); the sequence number is kept in the
    unit's rig directory.

    Raises:
        KeyFileError: the key file is missing or fails its checks.
    """
    if not mission.authentication:
        return None
    state = dut.workdir / "ground-signer"
    spi = mission.security.spi
    if dut.spec.keys is not None:
        key = load_key(dut.spec.keys / f"{spi}.key")
        return Signer(spi, key, Store(state, f"sequence-{spi}"))
    data_dir = dut.data_dir if dut.spec.simulated else None
    return signer_for_mission(mission, data_dir=data_dir, state_dir=state)


class Rig:
    """One unit under test with its ground.

    Args:
        spec: the unit.
        workdir: its directory (data, flight log, archive).
        seed: the link proxy's fault seed.
        archive: the archive file (default: ``workdir/archive.sqlite``).
    """

    def __init__(
        self, spec: DutSpec, workdir: Path, *, seed: int = 0, archive: Path | None = None
    ) -> None:
        self.spec = spec
        self.workdir = Path(workdir)
        self.seed = seed
        self.archive_path = archive or self.workdir / "archive.sqlite"
        try:
            self.mission = load_mission(spec.mission)
        except ConfigError as exc:
            raise DutStartError(f"{spec.serial}: {exc}") from exc
        self.dictionary = load_dictionary(spec.mission)[1]
        self.dut = make_dut(spec, self.workdir)
        self.proxy: LinkProxy | None = None
        self.stimulus: Stimulus | None = None
        self._ground: RigGround | None = None
        self.encoder = RigEncoder()
        self.disturbances: list[tuple[float, float]] = []

    @contextlib.contextmanager
    def disturbing(self) -> Iterator[None]:
        """Mark a span (monotonic) in which telemetry timing is disturbed on purpose.

        Link faults, a hung loop and power cycles go here, so timing checks (housekeeping
        rates) leave those spans out instead of blaming the unit for them.
        """
        start = time.monotonic()
        try:
            yield
        finally:
            self.disturbances.append((start, time.monotonic()))

    def undisturbed(self, at: float, margin: float = 1.0) -> bool:
        """Whether monotonic time `at` lies outside every disturbance (with `margin` s)."""
        return all(not start - margin <= at <= end + margin for start, end in self.disturbances)

    @property
    def ground(self) -> RigGround:
        """The ground (after `start`)."""
        if self._ground is None:
            raise RigError("the rig is not started")
        return self._ground

    def start(self) -> None:
        """Start the unit, apply its configured faults, open the ground and make contact.

        Raises:
            DutStartError: the unit did not start, a configured fault could not be applied,
                or it does not answer a ping.
        """
        self._provision_keys()
        self.dut.start()
        if self.dut.control is not None:
            self.stimulus = Stimulus(self.dut.control)
        self.apply_configured_faults()
        try:
            self.encoder = RigEncoder(signer_for(self.mission, self.dut))
        except KeyFileError as exc:
            raise DutStartError(f"{self.spec.serial}: no usable key: {exc}") from exc
        link = self._open_link(self.encoder)
        self._ground = RigGround(
            self.dictionary, link, Archive(self.archive_path), encoder=self.encoder
        )
        self.first_contact()

    def _provision_keys(self) -> None:
        keys = self.spec.keys
        if not (self.spec.simulated and self.mission.authentication and keys is not None):
            return
        target = self.mission.security.key_path(self.dut.data_dir)
        target.mkdir(parents=True, exist_ok=True, mode=0o700)
        for key in sorted(Path(keys).glob("*.key")):
            shutil.copy2(key, target / key.name)
            (target / key.name).chmod(0o600)

    def _open_link(self, encoder: TcEncoder) -> GroundLink:
        if self.dut.pty is not None:
            self.dut.pty.set_encoder(encoder)
            self.dut.pty.seed = self.seed
            return self.dut.pty
        if self.dut.url.startswith("udp:"):
            self.proxy = LinkProxy(self.dut.url, seed=self.seed)
            return open_ground_link(self.proxy.url, encoder)
        return open_ground_link(self.dut.url, encoder)

    def first_contact(self, timeout: float = _FIRST_CONTACT_S) -> None:
        """Ping the core app until it answers (a unit may still be booting).

        Raises:
            DutStartError: no answer within `timeout` seconds.
        """
        deadline = time.monotonic() + timeout
        last: Exception | None = None
        while time.monotonic() < deadline:
            if not self.dut.alive:
                break
            try:
                self.ground.ping("core", timeout=min(1.0, max(deadline - time.monotonic(), 0.1)))
            except (AssertionError, RigError, Exception) as exc:
                last = exc
                continue
            return
        raise DutStartError(
            f"{self.spec.serial} ({self.spec.text}) did not answer a ping within {timeout:g} s"
            f" (alive: {self.dut.alive}; last: {last})"
        )

    def power_cycle(self) -> None:
        """Cut the unit's power, restore it and make contact again (its faults stay)."""
        with self.disturbing():
            self.dut.power_cycle()
            self.apply_configured_faults()
            self.first_contact()

    def apply_configured_faults(self) -> None:
        """Inject the unit's inventory faults: they belong to the unit, like a bad part.

        Raises:
            DutStartError: a configured fault could not be applied.
        """
        for fault in self.spec.faults:
            if self.stimulus is None:
                raise DutStartError(f"{self.spec.serial}: faults need a simulated unit")
            try:
                self.stimulus.apply(fault)
            except RigError as exc:
                raise DutStartError(f"{self.spec.serial}: cannot apply {fault}: {exc}") from exc

    def close(self) -> None:
        """Stop everything (the archive is kept)."""
        if self._ground is not None:
            self._ground.close()
            self._ground = None
        if self.stimulus is not None:
            self.stimulus.close()
        if self.proxy is not None:
            self.proxy.close()
        self.dut.close()
