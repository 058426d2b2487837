"""The payload app: an environment and radiation monitor on the board's sensors.

Every sample cycle (the `sample_period_ms` parameter) in STANDBY, SCIENCE and SAFE it reads
the BME280 (bay air), TMP117 (detector temperature), INA219 (payload rail), LSM6DSOX (body
rates) and the MCP3008's ratemeter and dosimeter channels, and checks the limits; in SCIENCE
it also reads pulse heights into a spectrum, and every `product_samples` cycles downlinks the
spectrum as a science product (see `product`; `downlink` publishes it), numbered by a FRAM
counter that survives reboots. The GNSS receiver is drained every step to tag products with the
last valid fix (see `gnss`).

Modes and the commanded transitions are in `modes`. A sensor that keeps failing (a HAL error
`fault_persistence` reads in a row) raises `SENSOR_FAILED` and, from STANDBY or SCIENCE,
takes the payload to SAFE; so does a safety limit. HAL errors never leave `step`.
"""

import struct
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flight.apps.hardware import Hardware, HardwareApp
from flight.apps.payload import events
from flight.apps.payload.downlink import ScienceDownlink
from flight.apps.payload.gnss import FixTracker
from flight.apps.payload.limits import LimitMonitor
from flight.apps.payload.messages import (
    COMMANDS,
    PAYLOAD_HK,
    EnterSafe,
    ExitSafe,
    FlushProduct,
    Noop,
    PowerOff,
    PowerOn,
    ResetCounters,
    StartScience,
    StopScience,
)
from flight.apps.payload.modes import Cause, Mode, next_mode
from flight.apps.payload.params import (
    FAULT_PERSISTENCE,
    PARAMETERS,
    PRODUCT_SAMPLES,
    SAMPLE_PERIOD,
    SPECTRUM_BITS,
)
from flight.apps.payload.product import Spectrum
from flight.apps.payload.sensors import (
    Counters,
    ErrorKind,
    Outcome,
    Readings,
    Sensor,
    SensorId,
    error_kind,
    forget_readings,
    read_bme280,
    read_detector,
    read_ina219,
    read_lsm6dsox,
    read_tmp117,
)
from flight.core import (
    AppContext,
    Command,
    CommandRejectedError,
    ConfigError,
    FailureCode,
    Value,
    handles,
)
from hal.errors import HalError
from hal.interfaces import GpioLine

if TYPE_CHECKING:
    from hal.chips import Tmp117

__all__ = ["PayloadApp"]

_ACTIVE = (Mode.STANDBY, Mode.SCIENCE)


class PayloadApp(HardwareApp):
    """Environment and radiation monitor with modes OFF, STANDBY, SCIENCE and SAFE.

    Args:
        ctx: what every app gets.
        hardware: the mission's board.
        science_apid: APID of the science packets (default: the app's + `SCIENCE_APID_OFFSET`,
            so they run their own sequence counts apart from the app's PUS reports).

    Raises:
        ConfigError: the science APID is outside 0..0x7FE.
    """

    COMMANDS = COMMANDS
    TELEMETRY = (PAYLOAD_HK,)
    EVENTS = events.ALL
    PARAMETERS = PARAMETERS
    SCIENCE_APID_OFFSET = 0x400  # science APID = app APID + this, unless given

    def __init__(
        self, ctx: AppContext, hardware: Hardware, *, science_apid: int | None = None
    ) -> None:
        super().__init__(ctx, hardware)
        apid = ctx.apid + self.SCIENCE_APID_OFFSET if science_apid is None else science_apid
        if not 0 <= apid <= 0x7FE:
            raise ConfigError(f"{self.name}: science APID {apid} outside 0..2046")
        self.science_apid = apid
        self.downlink = ScienceDownlink(ctx, apid)  # kept across restarts: sequence counts run on
        self.bme280 = Sensor(SensorId.BME280, hardware.bme280, critical=True)
        self.tmp117 = Sensor(SensorId.TMP117, self._open_tmp117, critical=True)
        self.ina219 = Sensor(SensorId.INA219, hardware.ina219, critical=True)
        self.lsm6dsox = Sensor(SensorId.LSM6DSOX, hardware.lsm6dsox, critical=True)
        self.mcp3008 = Sensor(SensorId.MCP3008, hardware.mcp3008, critical=True)
        self.gnss = Sensor(SensorId.GNSS, hardware.gnss, critical=False)
        self.fram = Sensor(SensorId.FRAM, lambda: Counters.open(hardware.fram()), critical=False)
        self._rail: GpioLine | None = None
        self.sensors: tuple[Sensor[Any], ...] = (
            self.bme280,
            self.tmp117,
            self.ina219,
            self.lsm6dsox,
            self.mcp3008,
            self.gnss,
            self.fram,
        )
        self.boots = 0
        self.products = 0
        self._booted = False
        self._reset()

    def _reset(self) -> None:
        """Volatile state as at power-on: OFF, nothing measured, no product under way."""
        self.mode = Mode.OFF
        self.readings = Readings()
        self.limits = LimitMonitor()
        self.position = FixTracker(self.ctx.clock.now, self._fix_changed)
        self.samples = 0
        self.spectrum: Spectrum | None = None
        self._next_sample = self.ctx.clock.now()

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> None:
        """Start OFF with the rail switched off (also after a restart), counting the boot once."""
        self._reset()
        self._switch_rail(on=False)
        for sensor in self.sensors:
            sensor.release()
        if not self._booted:
            self._booted = True
            self._read(self.fram, self._count_boot)
            self.emit(events.BOOTED, struct.pack(">I", self.boots))

    def stop(self) -> None:
        """Switch the rail off and release its line."""
        self._switch_rail(on=False)
        if self._rail is not None:
            self._rail.close()
            self._rail = None

    def step(self) -> None:
        """Drain the GNSS receiver (on the bus rail); run a sample cycle when one is due."""
        now = self.ctx.clock.now()
        self._read(self.gnss, self.position.drain)
        self.position.expire(now)
        if self.mode is Mode.OFF or now < self._next_sample:
            return
        period = int(self.param(SAMPLE_PERIOD.name)) / 1000.0
        self._next_sample += period
        if self._next_sample <= now:  # the loop stalled: skip the missed cycles, no burst
            self._next_sample = now + period
        self._sample()

    def on_parameter(self, name: str, value: Value) -> None:
        """A shorter sample period applies now, not after the cycle already scheduled."""
        if name == SAMPLE_PERIOD.name:
            self._next_sample = min(self._next_sample, self.ctx.clock.now() + int(value) / 1000)

    def hk_values(self, sid: int) -> dict[str, Value]:
        """Items of PAYLOAD_HK."""
        fix = self.position.fix
        values: dict[str, Value] = {
            "mode": int(self.mode),
            "sensors_ok": sum(1 << s.ident for s in self.sensors if not s.failed),
            "limits_violated": self.limits.flags,
            "gnss_fix": int(fix is not None),
            "latitude_deg": fix.latitude_deg if fix else 0.0,
            "longitude_deg": fix.longitude_deg if fix else 0.0,
            "altitude_m": fix.altitude_m if fix else 0.0,
            "samples": self.samples & 0xFFFFFFFF,
            "products": self.products & 0xFFFFFFFF,
            "boots": self.boots & 0xFFFFFFFF,
        }
        for sensor in self.sensors:
            values[f"{sensor.ident.name.lower()}_errors"] = min(sensor.errors, 0xFFFF)
        values["gnss_errors"] = min(self.gnss.errors + self.position.corrupt, 0xFFFF)
        values.update(vars(self.readings))
        return values

    # -- sampling --------------------------------------------------------------------------

    def _sample(self) -> None:
        self.samples += 1
        r = self.readings
        self._read(self.bme280, lambda bme: read_bme280(bme, r))
        self._read(self.tmp117, lambda tmp: read_tmp117(tmp, r))
        self._read(self.ina219, lambda ina: read_ina219(ina, r))
        self._read(self.lsm6dsox, lambda imu: read_lsm6dsox(imu, r))
        spectrum = self.spectrum if self.mode is Mode.SCIENCE else None
        self._read(self.mcp3008, lambda adc: read_detector(adc, r, spectrum))
        for limit, value, violated in self.limits.check(r, self.param):
            event = events.LIMIT_VIOLATED if violated else events.LIMIT_RECOVERED
            self.emit(event, struct.pack(">Bf", limit.ident, value))
            if violated and limit.safe and self.mode in _ACTIVE:
                self._set_mode(Mode.SAFE, Cause.LIMIT_VIOLATION)
        product_samples = int(self.param(PRODUCT_SAMPLES.name))
        if self.spectrum is not None and self.spectrum.samples >= product_samples:
            self._finish_product()
            self._new_spectrum()

    def _read(self, sensor: Sensor[Any], use: Callable[[Any], None]) -> Outcome:
        outcome = sensor.read(use, int(self.param(FAULT_PERSISTENCE.name)))
        if outcome is Outcome.FAILED:
            kind = error_kind(sensor.last_error) if sensor.last_error else ErrorKind.OTHER
            self.emit(events.SENSOR_FAILED, bytes((sensor.ident, kind)))
            forget_readings(self.readings, sensor.ident)
            if sensor.critical and self.mode in _ACTIVE:
                self._set_mode(Mode.SAFE, Cause.SENSOR_FAILURE)
        return outcome

    def _fix_changed(self, acquired: bool) -> None:
        self.emit(events.GNSS_FIX_ACQUIRED if acquired else events.GNSS_FIX_LOST)

    def _open_tmp117(self) -> "Tmp117":
        tmp = self.hardware.tmp117()
        # One-shot without averaging: the loop waits 15.5 ms for a result instead of 125 ms,
        # and the TMP117's single conversions are already good to 0.1 degC.
        tmp.configure(averages=1, continuous=False)
        return tmp

    # -- products and counters ---------------------------------------------------------------

    def _count_boot(self, counters: Counters) -> None:
        self.boots = counters.boots.increment()
        self.products = counters.products.value()

    def _count_product(self, counters: Counters) -> None:
        self.products = counters.products.increment()

    def _new_spectrum(self) -> None:
        bits = int(self.param(SPECTRUM_BITS.name))
        self.spectrum = Spectrum(bits=bits, start=self.ctx.clock.timestamp())

    def _finish_product(self) -> None:
        spectrum, self.spectrum = self.spectrum, None
        if spectrum is None or spectrum.samples == 0:
            return
        if self._read(self.fram, self._count_product) is not Outcome.OK:
            self.products += 1  # numbered from RAM while the FRAM is out
        packets = self.downlink.publish(
            spectrum, number=self.products, boot=self.boots, fix=self.position.fix
        )
        self.emit(events.PRODUCT_READY, struct.pack(">IH", self.products & 0xFFFFFFFF, packets))

    # -- modes -----------------------------------------------------------------------------

    def _set_mode(self, mode: Mode, cause: Cause) -> None:
        old = self.mode
        if old is Mode.SCIENCE:
            self._finish_product()  # whatever was gathered goes down, also on the way to SAFE
        self.mode = mode
        if mode is Mode.SCIENCE:
            self._new_spectrum()
        self.emit(events.MODE_CHANGED, bytes((old, mode, cause)))

    def _allowed(self, command: Command) -> Mode:
        target = next_mode(type(command), self.mode)
        if target is None:
            raise CommandRejectedError(
                FailureCode.REFUSED,
                f"{type(command).__name__} is not allowed in {self.mode.name}",
                data=bytes((self.mode,)),
            )
        return target

    def _switch_rail(self, *, on: bool) -> HalError | None:
        """Drive the payload enable line; the HAL's error if that failed."""
        try:
            if self._rail is None:
                self._rail = self.hardware.enable_line()
            self._rail.set(int(on))
        except HalError as exc:
            self._rail = None
            return exc
        return None

    def _power(self, command: Command, *, on: bool) -> None:
        target = self._allowed(command)
        error = self._switch_rail(on=on)
        if error is not None:
            raise CommandRejectedError(FailureCode.EXECUTION_FAILED, f"payload rail: {error}")
        for sensor in self.sensors:
            sensor.release()
            sensor.failed = False  # a power cycle gives every chip a fresh chance
        self.limits.clear()
        self.readings = Readings()
        self._next_sample = self.ctx.clock.now()
        self._set_mode(target, Cause.COMMAND)

    # -- commands --------------------------------------------------------------------------

    @handles(Noop)
    def noop(self, command: Noop) -> None:
        """Answer with the NOOP event."""
        self.emit(events.NOOP)

    @handles(ResetCounters)
    def reset(self, command: ResetCounters) -> None:
        """Zero the command, error and sensor error counters."""
        self.reset_counters()
        for sensor in self.sensors:
            sensor.reset_counters()
        self.position.corrupt = 0
        self.emit(events.COUNTERS_RESET)

    @handles(PowerOn)
    def power_on(self, command: PowerOn) -> None:
        """OFF -> STANDBY."""
        self._power(command, on=True)

    @handles(PowerOff)
    def power_off(self, command: PowerOff) -> None:
        """STANDBY or SAFE -> OFF."""
        self._power(command, on=False)

    @handles(StartScience)
    def start_science(self, command: StartScience) -> None:
        """STANDBY -> SCIENCE."""
        self._set_mode(self._allowed(command), Cause.COMMAND)

    @handles(StopScience)
    def stop_science(self, command: StopScience) -> None:
        """SCIENCE -> STANDBY (the partial product goes down)."""
        self._set_mode(self._allowed(command), Cause.COMMAND)

    @handles(EnterSafe)
    def enter_safe(self, command: EnterSafe) -> None:
        """STANDBY or SCIENCE -> SAFE."""
        self._set_mode(self._allowed(command), Cause.COMMAND)

    @handles(ExitSafe)
    def exit_safe(self, command: ExitSafe) -> None:
        """SAFE -> STANDBY once every sensor answers and no safety limit is violated."""
        target = self._allowed(command)
        for sensor in self.sensors:
            if sensor.failed and sensor.reprobe(lambda _driver: None):
                self.emit(events.SENSOR_RECOVERED, bytes((sensor.ident,)))
        still = [s.ident for s in self.sensors if s.failed and s.critical]
        if still:
            raise CommandRejectedError(
                FailureCode.REFUSED, f"sensors still failed: {still}", data=bytes(still)
            )
        if self.limits.safety_violated:
            raise CommandRejectedError(
                FailureCode.REFUSED, "a safety limit is still violated", data=b"\xff"
            )
        self._set_mode(target, Cause.COMMAND)

    @handles(FlushProduct)
    def flush(self, command: FlushProduct) -> None:
        """Downlink the spectrum so far and start a new one (SCIENCE only)."""
        if self.mode is not Mode.SCIENCE:
            raise CommandRejectedError(
                FailureCode.REFUSED, f"no product in {self.mode.name}", data=bytes((self.mode,))
            )
        self._finish_product()
        self._new_spectrum()
