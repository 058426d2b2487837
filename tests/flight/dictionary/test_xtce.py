"""The XTCE validates against the XTCE 1.2 XSD, and space_packet_parser decodes our packets with
it to the values our own decoder gives."""

import warnings
from pathlib import Path

import pytest

from flight.apps.core.messages import CORE_HK
from flight.apps.sample.messages import SAMPLE_HK
from flight.ccsds import CucTime, PusTm
from flight.core import Housekeeping, load_mission
from flight.dictionary import build_dictionary, hk_parameter_name, to_xtce

xmlschema = pytest.importorskip("xmlschema")
spp = pytest.importorskip("space_packet_parser")

XSD = Path(spp.__file__).parent / "xtce" / "schemas" / "SpaceSystem.xsd"


@pytest.fixture(scope="module")
def xtce_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("xtce") / "open-bench.xml"
    path.write_text(to_xtce(build_dictionary(load_mission("open-bench"))), encoding="utf-8")
    return path


def test_validates_against_the_xtce_1_2_schema_offline(xtce_file: Path) -> None:
    schema = xmlschema.XMLSchema(str(XSD), allow="local")  # no network: local files only
    errors = [f"{e.path}: {e.reason}" for e in schema.iter_errors(str(xtce_file))]
    assert errors == []


def test_has_the_metadata_sets(xtce_file: Path) -> None:
    text = xtce_file.read_text()
    for tag in (
        "TelemetryMetaData",
        "ParameterTypeSet",
        "ParameterSet",
        "ContainerSet",
        "CommandMetaData",
        "ArgumentTypeSet",
        "MetaCommandSet",
        "RestrictionCriteria",
    ):
        assert f"<xtce:{tag}" in text
    assert 'name="sample_SET_GAIN"' in text
    assert 'minInclusive="1" maxInclusive="16"' in text


def _hk_packet(apid: int, sid: int, payload: bytes) -> bytes:
    return PusTm(
        apid=apid,
        service=3,
        subtype=25,
        source_data=sid.to_bytes(2, "big") + payload,
        seq_count=7,
        msg_counter=3,
        time=CucTime(2_000_000_000, 0x8000),
    ).pack()


@pytest.mark.parametrize(
    ("app", "apid", "structure", "values"),
    [
        (
            "sample",
            101,
            SAMPLE_HK,
            {
                "cmd_count": 3,
                "err_count": 1,
                "gain": 7,
                "threshold": 900,
                "level": 512,
                "samples": 123456,
            },
        ),
        (
            "core",
            100,
            CORE_HK,
            {a.name: (1000 + i) % (1 << 8 * a.size) for i, a in enumerate(CORE_HK.fields)},
        ),
    ],
)
def test_space_packet_parser_decodes_housekeeping_like_we_do(
    xtce_file: Path, app: str, apid: int, structure: Housekeeping, values: dict[str, int]
) -> None:
    packet = _hk_packet(apid, 1, structure.pack(values))
    ours = build_dictionary(load_mission("open-bench")).app(app)
    assert ours is not None
    struct = ours.structure(1)
    assert struct is not None
    our_values = struct.unpack(PusTm.unpack(packet).source_data[2:])
    definition = spp.load_xtce(xtce_file)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a length mismatch warns: fail on it
        theirs = definition.parse_bytes(packet)
    assert theirs["CCSDS_APID"] == apid
    assert (theirs["PUS_SERVICE"], theirs["PUS_SUBTYPE"], theirs["HK_SID"]) == (3, 25, 1)
    assert theirs["PUS_TIME_COARSE"] == 2_000_000_000
    for name, value in our_values.items():
        assert theirs[hk_parameter_name(app, struct.name, name)] == value == values[name]


def test_space_packet_parser_decodes_a_failure_report(xtce_file: Path) -> None:
    packet = PusTm(
        apid=101, service=1, subtype=2, source_data=bytes.fromhex("1865dfd8") + b"\x00\x06"
    ).pack()
    definition = spp.load_xtce(xtce_file)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the CRC after the code is not described: it warns
        theirs = definition.parse_bytes(packet)
    assert theirs["VERIFICATION_FAILURE_CODE"] == "ARGUMENT_OUT_OF_RANGE"
