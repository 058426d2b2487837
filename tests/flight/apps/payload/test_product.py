"""The science product: packets that split cleanly, CRCs, sequence counts, content, numbering."""

import struct
from pathlib import Path

import pytest

from flight.apps.payload import ProductHeader, decode_product
from flight.apps.payload.messages import (
    PAYLOAD_HK,
    FlushProduct,
    PowerOn,
    StartScience,
    StopScience,
)
from flight.apps.payload.product import Spectrum
from flight.apps.science import SCIENCE_MID, SciencePackets, ScienceRelay
from flight.ccsds import SequenceFlags, SpacePacketHeader, crc16, split_packets
from flight.core import SoftwareBus
from tests.flight.apps.payload.rig import PAYLOAD, SCIENCE_APID, Rig, events, flying, verification

PRODUCT_READY = 17
PRODUCT_SAMPLES, SPECTRUM_BITS = 2, 3
PULSE_VOLTS = 1.2
PULSE_CODE = int(1024 * PULSE_VOLTS / 3.3)  # what the MCP3008 converts it to


def _reassemble(stream: bytes) -> list[bytes]:
    """Join segmented packets back into products (first .. last, or unsegmented)."""
    products: list[bytes] = []
    part = b""
    for packet in split_packets(stream, check_crc=True):
        header = SpacePacketHeader.unpack(bytes(packet[:6]))
        data = bytes(packet[6:-2])
        if header.seq_flags in (SequenceFlags.FIRST, SequenceFlags.UNSEGMENTED):
            part = b""
        part += data
        if header.seq_flags in (SequenceFlags.LAST, SequenceFlags.UNSEGMENTED):
            products.append(part)
    return products


def _science(rig: Rig, *, samples: int, bits: int) -> None:
    rig.hardware.sim.model("mcp3008").set(channel_volts={0: PULSE_VOLTS, 1: 0.3, 2: 0.55})
    assert verification(rig.set_parameter(PAYLOAD, PRODUCT_SAMPLES, struct.pack(">H", samples)))
    rig.set_parameter(PAYLOAD, SPECTRUM_BITS, bytes((bits,)))
    for command in (PowerOn, StartScience):
        assert verification(rig.command(PAYLOAD, command.CODE))[-1] == (7, None)


def test_products_are_clean_packet_streams_with_running_sequence_counts(rig: Rig) -> None:
    _science(rig, samples=5, bits=10)  # 1024 bins: 2091 octets, three packets each
    tms = rig.run(16.0)
    ready = [struct.unpack(">IH", aux) for eid, aux in events(tms, PAYLOAD) if eid == PRODUCT_READY]
    assert ready == [(1, 3), (2, 3), (3, 3)]
    stream = b"".join(rig.science)
    batch = split_packets(stream, check_crc=True)
    assert (batch.count, batch.consumed, batch.skipped) == (9, len(stream), 0)
    assert set(batch.apids) == {SCIENCE_APID}
    assert list(batch.seq_counts) == list(range(9))
    assert all(crc16(packet) == 0 for packet in batch)
    last = ProductHeader.SIZE + 2048 - 2 * 1017
    assert [len(p) for p in rig.science] == [6 + 1017 + 2, 6 + 1017 + 2, 6 + last + 2] * 3
    assert (rig.relay.products, rig.relay.packets, rig.relay.rejected) == (3, 9, 0)


def test_a_product_carries_its_spectrum_and_tags(rig: Rig) -> None:
    _science(rig, samples=4, bits=8)
    rig.run(2.0)  # the GNSS fix arrives on the first epoch
    rig.run(4.0)
    products = [decode_product(p) for p in _reassemble(b"".join(rig.science))]
    assert len(products) >= 1
    header, bins = products[0]
    assert (header.number, header.boot, header.samples, header.spectrum_bits) == (1, 1, 4, 8)
    assert len(bins) == 256
    assert bins[PULSE_CODE >> 2] == 4 * 16  # every pulse of every sample, in its bin
    assert sum(bins) == 4 * 16
    assert header.count_rate_cps == pytest.approx(300.0, abs=3.3)
    assert header.dose_gy == pytest.approx(5.0, abs=0.33)
    assert header.duration_ms == pytest.approx(4000, abs=150)
    assert header.gnss_fix
    assert (header.latitude_deg, header.longitude_deg) == pytest.approx((47.285233, 8.565265))


def test_stop_science_and_flush_send_the_partial_product(rig: Rig) -> None:
    _science(rig, samples=100, bits=4)
    rig.run(3.0)
    tms = rig.command(PAYLOAD, FlushProduct.CODE)
    assert verification(tms)[-1] == (7, None)
    rig.run(2.0)
    rig.command(PAYLOAD, StopScience.CODE)
    first, second = (decode_product(p)[0] for p in _reassemble(b"".join(rig.science)))
    assert (first.number, second.number) == (1, 2)
    assert first.samples + second.samples == rig.hk(PAYLOAD, PAYLOAD_HK)["samples"] - 1


def test_product_numbers_go_on_across_a_reboot(rig: Rig, tmp_path: Path) -> None:
    _science(rig, samples=1, bits=4)
    rig.run(2.5)
    numbers = [decode_product(p)[0].number for p in _reassemble(b"".join(rig.science))]
    assert numbers == [1, 2]
    rig.close()  # the power cut
    (tmp_path / "reboot").mkdir()
    with flying(tmp_path / "reboot", hardware=rig.hardware) as second:
        _science(second, samples=1, bits=4)
        second.run(2.5)
        again = [decode_product(p)[0] for p in _reassemble(b"".join(second.science))]
        assert [(h.number, h.boot) for h in again] == [(3, 2), (4, 2)]
        assert split_packets(second.science[0]).seq_counts[0] == 0  # counts restart per boot


def test_the_relay_refuses_a_stream_that_is_not_clean() -> None:
    bus = SoftwareBus()
    relay = ScienceRelay(bus)
    sent: list[bytes] = []
    relay.add_sink(sent.append)
    good = bytes.fromhex("0466c00000030102") + crc16(bytes.fromhex("0466c00000030102")).to_bytes(
        2, "big"
    )
    bad = bytearray(good)
    bad[7] ^= 0xFF
    bus.publish(SCIENCE_MID, SciencePackets(0x466, 1, good + bytes(bad)), "test")
    bus.publish(SCIENCE_MID, SciencePackets(0x466, 2, good), "test")
    relay.step()
    assert sent == [good]
    assert (relay.products, relay.rejected) == (1, 1)


def test_header_round_trip_and_saturating_bins() -> None:
    spectrum = Spectrum(bits=4, start=2_000_000_000.5)
    for _ in range(70_000):
        spectrum.add_pulse(1023)
    spectrum.add_sample(250.0, 1.5)
    header = ProductHeader(
        number=7,
        boot=3,
        start=spectrum.start,
        duration_ms=1000,
        samples=spectrum.samples,
        spectrum_bits=4,
        gnss_fix=False,
        latitude_deg=0.0,
        longitude_deg=0.0,
        altitude_m=0.0,
        count_rate_cps=spectrum.mean_count_rate_cps,
        dose_gy=spectrum.dose_gy,
    )
    decoded, bins = decode_product(spectrum.encode(header))
    assert decoded == header
    assert bins == [0] * 15 + [0xFFFF]
    with pytest.raises(ValueError, match="octets"):
        decode_product(spectrum.encode(header)[:-1])
