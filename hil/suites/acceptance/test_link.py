"""Link noise: the unit survives it, and its counters account for every damaged unit.

The link (a UDP proxy, or the rig's end of a serial pty) flips one bit in some telecommands
and drops, duplicates and reorders others; a flipped telecommand must be refused (CRC-16
catches every single-bit error), by the framing or at acceptance, and counted. The unit's
CORE_HK counters are compared with what the link says it did, exactly.
"""

from hil.rig import Faults, FaultyLink, Rig, RigGround

COMMANDS = 40


def test_link_noise_no_crash_and_honest_counters(
    rig: Rig, ground: RigGround, link: FaultyLink
) -> None:
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
