"""The HIL rig: one acceptance suite for a simulated board, a bench board or a factory line.

A pytest plugin (`hil.rig.plugin`: ``--dut sim|pty|udp:HOST:PORT|serial:DEV[@BAUD]``, a real
unit's URL with its ``?framing=cop1&...`` options when it flies transfer frames) hands
tests the unit (`Dut`), the ground vocabulary (`RigGround`: ``send_and_assert_command``,
``await_tlm``, ``assert_event_count``), the simulated board's stimulus (`Stimulus`, over the
sim control channel into the flight process) and a fault-injecting proxy on the link
(`LinkProxy`). `hil.rig.factory` runs the suite against many units in parallel and writes
JUnit XML and a summary; `hil.rig.replay` replays a recorded session against the simulator.
"""

from hil.rig.dut import BenchDut, Dut, Identity, SimDut, make_dut
from hil.rig.errors import (
    DutSpecError,
    DutStartError,
    ReplayError,
    RigError,
    StimulusError,
    UnsupportedError,
)
from hil.rig.generate import BadCase, GoodCase, bad_cases, good_cases, is_test_only
from hil.rig.ground import RigGround, Seen
from hil.rig.notify import Notification, NotifyListener
from hil.rig.predicates import (
    Check,
    Predicate,
    at_least,
    at_most,
    between,
    event,
    hk,
    near,
    packet,
    verification,
)
from hil.rig.proxy import DirectionCounters, Faults, FaultyLink, LinkProxy
from hil.rig.rig import Rig, signer_for
from hil.rig.stimulus import Stimulus
from hil.rig.units import DEFAULT_MISSION, DutSpec, FaultSpec, load_inventory, parse_dut

__all__ = [
    "DEFAULT_MISSION",
    "BadCase",
    "BenchDut",
    "Check",
    "DirectionCounters",
    "Dut",
    "DutSpec",
    "DutSpecError",
    "DutStartError",
    "FaultSpec",
    "Faults",
    "FaultyLink",
    "GoodCase",
    "Identity",
    "LinkProxy",
    "Notification",
    "NotifyListener",
    "Predicate",
    "ReplayError",
    "Rig",
    "RigError",
    "RigGround",
    "Seen",
    "SimDut",
    "Stimulus",
    "StimulusError",
    "UnsupportedError",
    "at_least",
    "at_most",
    "bad_cases",
    "between",
    "event",
    "good_cases",
    "hk",
    "is_test_only",
    "load_inventory",
    "make_dut",
    "near",
    "packet",
    "parse_dut",
    "signer_for",
    "verification",
]
