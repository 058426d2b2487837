"""The mission's board as drivers: the sim board with its control API, Pi boards by URL."""

import os

import pytest

from flight.apps.hardware import FlightSimClock, Hardware, Wiring
from flight.core import SimulatedClock
from hal.backends.sim.urls import get_board
from hal.errors import ConfigError, HalError, NackError
from hal.health import LinuxHealth, SimHealth


@pytest.fixture
def sim() -> Hardware:
    hardware = Hardware.for_board("sim", clock=SimulatedClock())
    yield hardware  # type: ignore[misc]
    hardware.close()


def test_sim_board_exposes_its_control_api(sim: Hardware) -> None:
    assert sim.sim is not None
    assert isinstance(sim.health, SimHealth)
    assert sim.sim_health is sim.health
    assert set(sim.sim.models()) >= {"bme280", "tmp117", "ina219", "lsm6dsox", "mcp3008", "gnss"}
    assert get_board(sim.unit or "") is sim.sim  # reachable as sim:UNIT/... by URL


def test_drivers_read_the_stimulus_through_the_hal(sim: Hardware) -> None:
    assert sim.sim is not None
    sim.sim.model("tmp117").set(temperature_c=21.25)
    sim.sim.model("bme280").set(pressure_pa=90_000.0)
    assert sim.tmp117().temperature_c() == pytest.approx(21.25, abs=0.008)
    assert sim.bme280().measure().pressure_pa == pytest.approx(90_000.0, abs=2.0)
    assert sim.ina219().read().bus_voltage_v == pytest.approx(5.0)  # the nominal rail
    assert sim.mcp3008().volts(1) == pytest.approx(0.25, abs=0.004)


def test_injected_faults_reach_the_drivers_as_typed_errors(sim: Hardware) -> None:
    assert sim.sim is not None
    sim.sim.inject("tmp117", "disappear")
    with pytest.raises(NackError):
        sim.tmp117()


def test_units_do_not_share_chips() -> None:
    clock = SimulatedClock()
    one = Hardware.for_board("sim", clock=clock)
    two = Hardware.for_board("sim", clock=clock)
    try:
        assert one.unit != two.unit
        assert one.sim is not None
        one.sim.model("tmp117").set(temperature_c=70.0)
        assert two.tmp117().temperature_c() == pytest.approx(25.0, abs=0.008)
        assert one.tmp117().temperature_c() == pytest.approx(70.0, abs=0.008)
    finally:
        one.close()
        two.close()


def test_closing_releases_the_units_name(sim: Hardware) -> None:
    unit = sim.unit
    sim.close()
    with pytest.raises(ConfigError):
        get_board(unit or "")


def test_sim_time_follows_the_flight_clock() -> None:
    flight = SimulatedClock(start=100.0)
    clock = FlightSimClock(flight)
    assert clock.now() == pytest.approx(100.0)
    flight.advance(2.5)
    assert clock.now() == pytest.approx(102.5)
    clock.sleep(0.125)  # a driver waiting for a conversion runs ahead of the flight ...
    assert clock.now() == pytest.approx(102.625)
    flight.advance(0.1)  # ... until the flight clock passes it
    assert clock.now() == pytest.approx(102.625)
    flight.advance(0.1)
    assert clock.now() == pytest.approx(102.7)


def test_gnss_epochs_follow_the_flight_clock(sim: Hardware) -> None:
    gnss = sim.gnss()
    assert sim.sim is not None
    clock = sim.sim.clock
    assert isinstance(clock, FlightSimClock)
    flight = clock.flight
    assert isinstance(flight, SimulatedClock)
    flight.advance(3.0)
    fix = gnss.read_fix(0.01)
    assert fix.lat_deg == pytest.approx(47.285233, abs=1e-5)
    assert sim.sim.model("gnss").epochs == 3  # type: ignore[attr-defined]


@pytest.mark.parametrize("board", ["rpi4", "rpi5", "rpi-zero-2w", "cm4"])
def test_pi_boards_open_linux_buses(board: str) -> None:
    hardware = Hardware.for_board(board, clock=SimulatedClock())
    assert hardware.sim is None
    assert isinstance(hardware.health, LinuxHealth)
    assert hardware.url(hardware.board.i2c[hardware.wiring.i2c]) == "linux:/dev/i2c-1"
    assert hardware.url(hardware.board.spi[hardware.wiring.spi]) == "linux:/dev/spidev0.0"
    assert hardware.url(hardware.board.uart[hardware.wiring.uart]) == "linux:/dev/serial0"
    with pytest.raises(TypeError):
        hardware.sim_health  # noqa: B018 - the property raises on real boards


def test_beaglebone_wiring_uses_its_own_buses() -> None:
    hardware = Hardware.for_board("beaglebone-black", clock=SimulatedClock())
    assert hardware.wiring == Wiring(i2c="i2c2", uart="uart1")
    assert hardware.board.i2c[hardware.wiring.i2c] == "linux:/dev/i2c-2"


@pytest.mark.skipif(os.path.exists("/dev/i2c-1"), reason="a real I2C bus is present")
def test_a_missing_device_node_is_a_hal_error() -> None:
    hardware = Hardware.for_board("rpi4", clock=SimulatedClock())
    with pytest.raises(HalError):
        hardware.bme280()


def test_an_unknown_board_is_refused() -> None:
    with pytest.raises(ConfigError, match="unknown board"):
        Hardware.for_board("rpi9", clock=SimulatedClock())
