"""Link noise: the unit survives it, and its counters account for every damaged unit.

The link (a UDP proxy, or the rig's end of a serial pty) flips one bit in some telecommands
and drops, duplicates and reorders others; a flipped telecommand must be refused (CRC-16
catches every single-bit error), by the framing or at acceptance, and counted. The unit's
CORE_HK counters are compared with what the link says it did, exactly.

On a framed link (COP-1) the same noise must cost nothing: BCH corrects a flipped bit in a
CLTU, FOP-1 retransmits what was lost, FARM-1 discards duplicates and frames out of order,
so every command runs exactly once; FRAME_HK accounts for every CLTU the link delivered.
"""

import time

from hil.ground import FramedGroundLink
from hil.rig import Faults, FaultyLink, Rig, RigGround

COMMANDS = 40
_FARM_OUTCOMES = (
    "frames_foreign",
    "unauthenticated",
    "farm_accepted",
    "farm_bypass",
    "farm_control",
    "farm_duplicates",
    "farm_ahead",
    "farm_lockouts",
    "farm_no_buffer",
)


def test_link_noise_no_crash_and_honest_counters(
    rig: Rig, ground: RigGround, link: FaultyLink
) -> None:
    if isinstance(ground.link, FramedGroundLink):
        _framed_link_noise(ground, ground.link, link)
        return
    before = ground.housekeeping("core", "CORE_HK")
    proxy_before = link.snapshot()["uplink"]
    undecodable_before = ground.client.undecodable
    link.configure(
        # an authenticating unit refuses an intact duplicate as a replay: none of those here
        uplink=Faults(
            drop=0.1, flip=0.3, duplicate=0.0 if rig.mission.authentication else 0.1, reorder=0.1
        ),
        downlink=Faults(flip=0.05, duplicate=0.05, delay=0.01, jitter=0.02),
    )
    noop = ground.request("core.NOOP")
    for _ in range(COMMANDS):
        ground.client.send_packet(ground.client.pack(noop), noop.label)
        ground.client.collect(0.01)
    link.clear()
    link.settle()
    ground.drain(0.5)
    after = ground.housekeeping("core", "CORE_HK")
    proxy = {k: v - proxy_before[k] for k, v in link.snapshot()["uplink"].items()}
    delta = {k: int(after[k]) - int(before[k]) for k in before if isinstance(before[k], int)}
    what = f"proxy uplink {proxy}, unit counters {delta}"
    assert proxy["flipped"] > 0, f"the seed flipped nothing: {what}"
    assert proxy["dropped"] > 0, f"the seed dropped nothing: {what}"
    # every datagram the proxy delivered was counted by the link, the report request too
    assert delta["link_in"] == proxy["delivered"], what
    # each one was either refused by the framing or handed to the router
    assert delta["tc_received"] + delta["link_rejected"] == delta["link_in"], what
    # every damaged one was refused somewhere, and nothing else was
    assert delta["link_rejected"] + delta["tc_rejected"] == proxy["flipped"], what
    assert delta["tc_failed"] == 0, what
    downlink = link.snapshot()["downlink"]
    assert ground.client.undecodable - undecodable_before <= downlink["flipped"], downlink
    ground.ping()


def _framed_link_noise(ground: RigGround, framed: FramedGroundLink, link: FaultyLink) -> None:
    frames_before = ground.housekeeping("core", "FRAME_HK")
    before = ground.housekeeping("core", "CORE_HK")
    proxy_before = link.snapshot()["uplink"]
    link.configure(
        uplink=Faults(drop=0.1, flip=0.3, duplicate=0.1, reorder=0.1),
        # a frame channel keeps the order of its frames: FOP-1 takes CLCWs as they come
        downlink=Faults(drop=0.05, flip=0.05, duplicate=0.05),
    )
    noop = ground.request("core.NOOP")
    for _ in range(COMMANDS):
        ground.client.send_packet(ground.client.pack(noop), noop.label)
        ground.client.collect(0.01)
    assert framed.flush(time.monotonic() + 30), f"FOP-1 still waits: {framed.counters}"
    link.clear()
    link.settle()
    ground.drain(0.5)
    after = ground.housekeeping("core", "CORE_HK")
    frames_after = ground.housekeeping("core", "FRAME_HK")
    proxy = {k: v - proxy_before[k] for k, v in link.snapshot()["uplink"].items()}
    delta = {k: int(after[k]) - int(before[k]) for k in before if isinstance(before[k], int)}
    frames = {k: int(v) - int(frames_before[k]) for k, v in frames_after.items()}
    what = f"proxy uplink {proxy}, FOP-1 {framed.counters}, unit {delta}, frames {frames}"
    assert proxy["flipped"] > 0, f"the seed flipped nothing: {what}"
    assert proxy["dropped"] > 0, f"the seed dropped nothing: {what}"
    # every command ran once (the report request that reads the counter counts itself too)
    assert delta["tc_received"] == COMMANDS + 1, what
    assert delta["tc_rejected"] == delta["tc_failed"] == 0, what
    assert frames["farm_accepted"] == COMMANDS + 3, what  # and the other three requests
    # every CLTU the link delivered (and the CORE_HK request before it counted) was decoded or
    # refused, and every decoded frame got one FARM-1 outcome
    assert frames["frames_in"] + frames["frames_bad"] == proxy["delivered"] + 1, what
    assert sum(frames[k] for k in _FARM_OUTCOMES) == frames["frames_in"], what
    # a unit the proxy held back for reordering and let go only at the end arrives far behind
    # V(R): FARM-1 locks out (as it must) and the ground initiates again; no other alert
    assert framed.counters.alerts <= framed.counters.lockouts_seen, what
    ground.ping()
