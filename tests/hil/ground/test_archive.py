"""The SQLite archive: store, select by APID/service/time, series per item, CSV, PNG."""

import csv
import io
from pathlib import Path

import pytest

from flight.ccsds import CucTime, PusTm
from flight.core import CCSDS_EPOCH_OFFSET, load_mission
from flight.dictionary import build_dictionary
from hil.ground import Archive, ArchiveError, Selection, decode_tm, plot_series

DICTIONARY = build_dictionary(load_mission("open-bench"))


def _hk(level: int, unix: float) -> PusTm:
    items = bytes.fromhex("00000000010384") + level.to_bytes(2, "big") + bytes(4)
    return PusTm(
        apid=101,
        service=3,
        subtype=25,
        source_data=b"\x00\x01" + items,
        time=CucTime.from_seconds(unix + CCSDS_EPOCH_OFFSET),
    )


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    store = Archive(tmp_path / "deep" / "a.sqlite")
    for index in range(5):
        tm = _hk(100 * index, 1_000.0 + index)
        store.add_tm(decode_tm(DICTIONARY, tm), tm.pack())
    ping = PusTm(
        apid=100, service=17, subtype=2, time=CucTime.from_seconds(CCSDS_EPOCH_OFFSET + 1002.5)
    )
    store.add_tm(decode_tm(DICTIONARY, ping), ping.pack())
    return store


def test_selects_by_apid_service_and_time(archive: Archive) -> None:
    assert len(archive.query(Selection())) == 6
    assert [r.service for r in archive.query(Selection(apid=100))] == [17]
    rows = archive.query(Selection(service=3, since=1001.0, until=1003.0))
    assert [r.time for r in rows] == [1001.0, 1002.0, 1003.0]
    assert len(archive.query(Selection(limit=2))) == 2


def test_series_and_csv(archive: Archive) -> None:
    assert archive.series("sample", "level", Selection(since=1003)) == [
        (1003.0, 300.0),
        (1004.0, 400.0),
    ]
    out = io.StringIO()
    assert archive.export_csv(out, Selection(apid=101)) == 5
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["time_utc"] == "1970-01-01T00:16:40.000Z"
    assert rows[0]["kind"] == "housekeeping"
    assert bytes.fromhex(rows[0]["packet_hex"]) == _hk(0, 1000.0).pack()
    assert ("sample", "level") in archive.parameters()


def test_plot_writes_a_png(archive: Archive, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    path = tmp_path / "level.png"
    plot_series(archive.series("sample", "level", Selection()), "sample.level", path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(ArchiveError, match="no archived values"):
        plot_series([], "sample.nothing", path)


def test_not_an_archive(tmp_path: Path) -> None:
    path = tmp_path / "junk.sqlite"
    path.write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(ArchiveError, match="cannot open archive"):
        Archive(path)
