"""Mission configs: the shipped ones load; inconsistent ones fail before anything starts."""

from pathlib import Path

import pytest

from flight.core import ConfigError, load_mission, shipped_missions

GOOD = """
[mission]
name = "lab"
board = "sim"
data_dir = "/tmp/lab"
authentication = false
[executive]
rates_hz = [1, 10]
[[links]]
url = "udp:127.0.0.1:10099"
[[apps]]
name = "core"
kind = "core"
apid = 100
rate_hz = 10
"""


def test_shipped_missions_load() -> None:
    assert set(shipped_missions()) >= {"demo", "open-bench"}
    bench = load_mission("open-bench")
    assert bench.links == ("udp:127.0.0.1:10015",)
    assert not bench.authentication
    assert {app.name: app.apid for app in bench.apps}["core"] == 100
    assert load_mission("demo").authentication


def test_mission_file_by_path(tmp_path: Path) -> None:
    path = tmp_path / "lab.toml"
    path.write_text(GOOD)
    mission = load_mission(str(path))
    assert (mission.name, mission.rates_hz, mission.source) == ("lab", (1, 10), str(path))
    assert not mission.hardware_watchdog  # systemd owns /dev/watchdog unless the mission says
    path.write_text(GOOD.replace("[executive]", "[health]\nhardware_watchdog = true\n[executive]"))
    assert load_mission(str(path)).hardware_watchdog


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("apid = 100", "apid = 4000"), "APID 4000"),
        (("rate_hz = 10", "rate_hz = 50"), "no 50 Hz"),
        (('url = "udp:127.0.0.1:10099"', 'url = "carrier-pigeon"'), "bad link URL"),
        (("authentication = false", 'authentication = "no"'), "wrong type"),
        (('board = "sim"', ""), "missing key"),
        (
            ("[[apps]]", "[[apps]]\nname='core'\nkind='core'\napid=100\nrate_hz=1\n[[apps]]"),
            "collides",
        ),
        (("[mission]", "[mission"), "not valid TOML"),
        (("[executive]", '[health]\nhardware_watchdog = "yes"\n[executive]'), "wrong type"),
    ],
)
def test_inconsistent_configs_are_refused(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(GOOD.replace(*change, 1))
    with pytest.raises(ConfigError, match=message):
        load_mission(str(path))


def test_unknown_mission_name() -> None:
    with pytest.raises(ConfigError, match="no shipped mission 'mars'"):
        load_mission("mars")
