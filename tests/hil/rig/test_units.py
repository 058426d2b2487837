"""`--dut` values and inventories: what is accepted, and what is refused with a reason."""

from pathlib import Path

import pytest

from hil.rig import DutSpecError, FaultSpec, load_inventory, parse_dut


def test_dut_values() -> None:
    assert parse_dut("sim").simulated
    assert parse_dut("pty").kind == "pty"
    bench = parse_dut("udp:10.0.0.7:10015", serial="SN-7")
    assert (bench.kind, bench.url, bench.serial, bench.simulated) == (
        "udp",
        "udp:10.0.0.7:10015",
        "SN-7",
        False,
    )
    assert parse_dut("serial:/dev/ttyUSB0@115200").kind == "serial"


def test_a_framed_unit_keeps_its_link_options() -> None:
    radio = parse_dut("udp:10.0.0.7:10030?framing=cop1&scid=0x1AB&vcid=0")
    assert (radio.kind, radio.url) == ("udp", "udp:10.0.0.7:10030?framing=cop1&scid=0x1AB&vcid=0")
    assert parse_dut("serial:/dev/ttyUSB0?framing=cop1&scid=7").kind == "serial"
    with pytest.raises(DutSpecError, match="framing"):
        parse_dut("udp:10.0.0.7:10030?framing=cop1&vcid=99")


@pytest.mark.parametrize("text", ["", "simulator", "udp:host", "udp:h:99999", "serial:", "tcp:x:1"])
def test_bad_dut_values_are_refused(text: str) -> None:
    with pytest.raises(DutSpecError, match="expected"):
        parse_dut(text)


def test_faults_only_on_simulated_units() -> None:
    with pytest.raises(DutSpecError, match="simulated"):
        parse_dut("udp:1.2.3.4:5", faults=(FaultSpec("tmp117", "nack"),))


def test_inventory(tmp_path: Path) -> None:
    path = tmp_path / "units.toml"
    path.write_text(
        '[[unit]]\nserial = "A"\ndut = "sim"\nmission = "m.toml"\nkeys = "keys/A"\n'
        '[[unit.faults]]\nmodel = "tmp117"\nfault = "nack"\ncount = 2\n'
        '[[unit]]\nserial = "B"\ndut = "udp:10.0.0.2:10015"\n'
    )
    first, second = load_inventory(path)
    assert first.mission == str(tmp_path / "m.toml")
    assert first.keys == tmp_path / "keys/A"
    assert first.faults == (FaultSpec("tmp117", "nack", {"count": 2}),)
    assert (second.serial, second.url, second.mission) == ("B", "udp:10.0.0.2:10015", "demo")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no \\[\\[unit\\]\\]"),
        ('[[unit]]\ndut = "sim"\n', "needs serial"),
        ('[[unit]]\nserial = "A"\ndut = "sim"\n[[unit]]\nserial = "A"\ndut = "sim"\n', "twice"),
        ('[[unit]]\nserial = "A"\ndut = "sim"\ncolour = "red"\n', "unknown key colour"),
        ("[[unit]\n", "cannot read"),
    ],
)
def test_bad_inventories_say_why(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "units.toml"
    path.write_text(text)
    with pytest.raises(DutSpecError, match=message):
        load_inventory(path)
