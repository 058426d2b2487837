"""`starling dict export` writes JSON, XTCE and Markdown for a mission, and fails cleanly."""

import json
from pathlib import Path

import pytest

from flight.dictionary import from_json
from tools.starling import dict as dict_command


@pytest.mark.parametrize(
    ("fmt", "marker"),
    [
        ("json", '"format": "starling-dictionary"'),
        ("xtce", "<xtce:SpaceSystem"),
        ("md", "# Mission dictionary: open-bench"),
    ],
)
def test_export_each_format(tmp_path: Path, fmt: str, marker: str) -> None:
    out = tmp_path / f"dict.{fmt}"
    assert (
        dict_command.main(["export", "--format", fmt, "-o", str(out), "--mission", "open-bench"])
        == 0
    )
    assert marker in out.read_text()


def test_default_mission_is_demo_and_json_reads_back(capsys: pytest.CaptureFixture[str]) -> None:
    assert dict_command.main(["export", "--format", "json", "-o", "-"]) == 0
    text = capsys.readouterr().out
    assert json.loads(text)["mission"] == "demo"
    assert from_json(text).app("sample") is not None


def test_mission_file_and_bad_mission(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mission = tmp_path / "m.toml"
    mission.write_text(
        '[mission]\nname = "m"\nboard = "sim"\ndata_dir = "/tmp/m"\nauthentication = false\n'
        '[[apps]]\nname = "core"\nkind = "core"\napid = 200\nrate_hz = 10\n'
        '[[apps]]\nname = "cam"\nkind = "nosuchkind"\napid = 201\nrate_hz = 10\n'
    )
    assert (
        dict_command.main(["export", "--format", "md", "-o", "-", "--mission", str(mission)]) == 2
    )
    assert "unknown app kind 'nosuchkind'" in capsys.readouterr().err
    assert dict_command.main(["export", "--format", "md", "-o", "-", "--mission", "nope"]) == 2
