"""Every board's data is self-consistent and every URL opens with the right backend kind."""

import importlib

import pytest

from hal.boards import BOARD_NAMES, load_board
from hal.errors import ConfigError
from hal.open import parse_url

REAL = [name for name in BOARD_NAMES if name != "sim"]


def test_expected_boards_exist() -> None:
    assert set(BOARD_NAMES) == {"rpi4", "rpi5", "rpi-zero-2w", "cm4", "beaglebone-black", "sim"}


def test_unknown_board_is_config_error() -> None:
    with pytest.raises(ConfigError, match="known boards"):
        load_board("rpi3")


@pytest.mark.parametrize("name", BOARD_NAMES)
def test_references_are_consistent(name: str) -> None:
    board = load_board(name)
    scheme = "sim" if name == "sim" else "linux"
    urls = [
        *board.i2c.values(),
        *board.spi.values(),
        *board.uart.values(),
        *board.pwm.values(),
        board.watchdog,
        *(chip for chip, _ in board.gpio.values()),
    ]
    for url in urls:
        assert parse_url(url).scheme == scheme, url
    lines = set()
    for pin, (chip, offset) in board.pins.items():
        assert chip in board.gpio, pin
        assert 0 <= offset < board.gpio[chip][1], pin
        assert (chip, offset) not in lines, f"{pin} shares a line"
        lines.add((chip, offset))
        parse_url(board.gpio_url(pin)).split_index()
    for url in board.pwm.values():
        parse_url(url).split_index()
    for path in board.leds.values():
        assert path.startswith("/sys/class/leds/")
    assert board.watchdog_max_timeout_s >= 1
    with pytest.raises(ConfigError):
        board.gpio_url("no_such_pin")


def test_pi5_finds_rp1_by_label() -> None:
    assert load_board("rpi5").gpio_url("gnss_pps") == "linux:pinctrl-rp1:4"


def test_sim_board_spec_matches_its_urls() -> None:
    board = load_board("sim")
    assert board.sim is not None
    spec = board.sim
    for url in board.i2c.values():
        assert parse_url(url).target in spec["i2c"]
    for url in board.spi.values():
        assert parse_url(url).target.rsplit(".", 1)[0] in spec["spi"]
    for url in board.uart.values():
        assert parse_url(url).target in spec["uart"]
    names = [m["name"] for m in spec["models"]]
    assert len(names) == len(set(names))
    addresses = [(m["bus"], m.get("address", m.get("cs"))) for m in spec["models"]]
    assert len(addresses) == len(set(addresses))
    for model in spec["models"]:
        assert model["bus"] in spec[model["kind"]]
        module, _, cls = model["class"].rpartition(".")
        # a chip's helper ports (e.g. "fram-id", the FRAM's Device ID address) live with it
        chip = model["name"].split("-")[0]
        assert module == "hal.backends.sim.models." + chip
        assert cls.endswith(("Model", "Port"))


def test_sim_board_builds_when_all_models_exist() -> None:
    from hal.backends.sim.board import SimBoard  # noqa: PLC0415

    spec = load_board("sim").sim
    assert spec is not None
    missing = []
    for model in spec["models"]:
        try:
            importlib.import_module(model["class"].rpartition(".")[0])
        except ImportError:
            missing.append(model["name"])
    if missing:
        pytest.skip(f"chip models not written yet: {', '.join(missing)}")
    board = SimBoard(spec)
    assert board.models() == sorted(m["name"] for m in spec["models"])
