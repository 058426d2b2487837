"""`starling bench codec` runs end to end and reports every workload; timings are not judged."""

import json
from pathlib import Path
from typing import Any

import pytest

from tools.starling import cli
from tools.starling.bench import codec

WORKLOADS = {"split", "iterate", "headers", "crc", "packetize", "tc_unpack", "tm_pack"}


def _run_quick(path: Path) -> tuple[int, dict[str, Any]]:
    status = cli.main(["bench", "codec", "--quick", "--repeat", "1", "--json", str(path)])
    return status, json.loads(path.read_text())


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, dict[str, Any]]:
    """One quick run shared by the tests: its exit status and its JSON figures."""
    return _run_quick(tmp_path_factory.mktemp("bench") / "codec.json")


def test_quick_run_exits_zero(quick_run: tuple[int, dict[str, Any]]) -> None:
    status, _ = quick_run
    assert status == 0


def test_json_has_every_workload_with_positive_figures(
    quick_run: tuple[int, dict[str, Any]],
) -> None:
    _, figures = quick_run
    workloads = figures["workloads"]
    assert set(workloads) == WORKLOADS
    c_built = figures["c_backend"]["available"]
    for name, entry in workloads.items():
        seconds = entry["seconds"]
        assert entry["errors"] == {}, name
        for key in ("api", "pure", "peer") + (("c",) if c_built else ()):
            assert seconds[key] > 0, (name, key)
        if not c_built:
            assert seconds["c"] is None, name
        assert entry["figure"] > 0, name
        assert entry["status"] in {"PASS", "MISS"}, name


def test_json_says_which_backend_the_api_used(
    quick_run: tuple[int, dict[str, Any]],
) -> None:
    _, figures = quick_run
    assert figures["api_backend"] in {"c", "python"}
    assert figures["quick"] is True
    assert figures["peer"] == {"spacepackets": "0.28.0"}


def test_help_explains_the_measurements(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["bench", "codec", "--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    for word in ("parse_space_packets", "binascii.crc_hqx", "--quick", "--repeat", "--json"):
        assert word in text


def test_repeat_must_be_positive(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["bench", "codec", "--repeat", "0"])
    assert exit_info.value.code == 2
    assert "at least 1" in capsys.readouterr().err


def test_runs_without_the_c_backend_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # a backend lacking a function the bench calls is treated as not built
    monkeypatch.setattr(codec, "C_FUNCTIONS", (*codec.C_FUNCTIONS, "not_written_yet"))
    status, figures = _run_quick(tmp_path / "codec.json")
    assert status == 0
    assert figures["c_backend"]["available"] is False
    assert "not_written_yet" in figures["c_backend"]["note"]
    for name, entry in figures["workloads"].items():
        assert entry["seconds"]["c"] is None, name
        assert entry["seconds"]["pure"] > 0, name
    assert "C column skipped" in capsys.readouterr().out
