"""Inventory files and command-line targets."""

from pathlib import Path

import pytest

from hil.deploy import InventoryError, Unit, load_inventory, parse_target

INVENTORY = """
[defaults]
ssh_key = "keys/factory"
prefix = "/srv/starling"

[[unit]]
serial = "SN0001"
host = "10.0.0.11"
spacecraft_id = 0x101
apids = [100, 101]
auth_key = "keys/SN0001.auth"

[[unit]]
serial = "SN0002"
host = "10.0.0.12"
port = 2222
prefix = "/opt/other"
link = "udp:0.0.0.0:10016"
"""


def test_units_take_defaults_and_resolve_paths(tmp_path: Path) -> None:
    (tmp_path / "units.toml").write_text(INVENTORY)
    first, second = load_inventory(tmp_path / "units.toml")
    assert first.ssh_key == tmp_path / "keys" / "factory"
    assert first.auth_key == tmp_path / "keys" / "SN0001.auth"
    assert (first.prefix, first.apids, first.spacecraft_id) == ("/srv/starling", (100, 101), 0x101)
    assert (second.port, second.prefix) == (2222, "/opt/other")
    assert second.ground_link() == ("10.0.0.12", 10016)
    assert [u.serial for u in load_inventory(tmp_path / "units.toml", ["SN0002"])] == ["SN0002"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[unit]]\nserial = "A"\nhost = "h"\n[[unit]]\nserial = "A"\nhost = "i"\n', "duplicate"),
        ('[[unit]]\nserial = "A"\nhost = "h"\ncolour = "red"\n', "unknown keys colour"),
        ('[[unit]]\nserial = "A"\n', "serial and a host"),
        ("", "no units"),
    ],
)
def test_bad_inventories_are_refused(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "units.toml").write_text(text)
    with pytest.raises(InventoryError, match=message):
        load_inventory(tmp_path / "units.toml")


def test_targets() -> None:
    unit = parse_target("pi@board7:2200", Unit(serial="", host="", prefix="/p"))
    assert (unit.serial, unit.user, unit.host, unit.port, unit.prefix) == (
        "pi@board7:2200",
        "pi",
        "board7",
        2200,
        "/p",
    )
    assert parse_target("board8").port == 22
    with pytest.raises(InventoryError):
        parse_target("board9:ssh")
