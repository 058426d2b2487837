"""Time-tagged telecommands (PUS 11) execute within 50 ms of their release time."""

from flight.services import request_id
from hil.ground import schedule_insert_request
from hil.rig import RigGround, verification

ON_TIME_S = 0.050
LEAD_S = 1.0


def test_time_tagged_command_executes_within_50_ms_of_its_time(ground: RigGround) -> None:
    inner = ground.client.pack(ground.request("sample.NOOP"))  # its own sequence count
    release = ground.mission_time() + LEAD_S
    start = ground.mark()
    ground.send_and_assert_command(schedule_insert_request(ground.core_apid, release, inner))
    done = ground.await_tlm(
        verification(request_id(inner), stage="completion", ok=True),
        start=start,
        timeout=LEAD_S + 3,
    )
    late = done.unix_time - release
    assert 0 <= late <= ON_TIME_S, (
        f"expected completion within {ON_TIME_S * 1000:.0f} ms after release {release:.3f},"
        f" got {late * 1000:+.1f} ms"
    )
