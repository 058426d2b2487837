"""Science products onto the bus: tag a finished spectrum, cut it into packets, publish it.

The app decides when a spectrum is finished and numbers the product (from the FRAM counter);
`ScienceDownlink` builds the `ProductHeader` from the spectrum, the last GNSS fix and onboard
time, packetizes the product on the science APID and publishes the stream as `SciencePackets`
for the `ScienceRelay`.
"""

from flight.apps.payload.product import ProductHeader, Spectrum
from flight.apps.payload.sensors import GnssFix
from flight.apps.science import SCIENCE_MID, SciencePackets
from flight.ccsds import Packetizer
from flight.core import AppContext

__all__ = ["ScienceDownlink"]


class ScienceDownlink:
    """Publishes science products on one APID.

    Args:
        ctx: the app's context: its clock dates the end of a product, its bus carries the
            packets, its name is the publisher.
        apid: the science APID.
    """

    def __init__(self, ctx: AppContext, apid: int) -> None:
        self.ctx = ctx
        self.apid = apid
        self.packetizer = Packetizer()  # kept across app restarts: sequence counts run on

    def publish(self, spectrum: Spectrum, *, number: int, boot: int, fix: GnssFix | None) -> int:
        """Tag `spectrum` as product `number` of boot `boot` and publish it.

        Returns:
            How many Space Packets the product took.
        """
        header = ProductHeader(
            number=number,
            boot=boot,
            start=spectrum.start,
            duration_ms=round((self.ctx.clock.timestamp() - spectrum.start) * 1000),
            samples=spectrum.samples,
            spectrum_bits=spectrum.bits,
            gnss_fix=fix is not None,
            latitude_deg=fix.latitude_deg if fix else 0.0,
            longitude_deg=fix.longitude_deg if fix else 0.0,
            altitude_m=fix.altitude_m if fix else 0.0,
            count_rate_cps=spectrum.mean_count_rate_cps,
            dose_gy=spectrum.dose_gy,
        )
        payload = spectrum.encode(header)
        stream = bytes(self.packetizer.packetize(payload, apid=self.apid))
        packets = -(-len(payload) // self.packetizer.chunk)
        self.ctx.bus.publish(SCIENCE_MID, SciencePackets(self.apid, number, stream), self.ctx.name)
        return packets
