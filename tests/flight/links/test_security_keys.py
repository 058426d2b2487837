"""Keys come from files with checked permissions; the demo makes a development key once."""

import os
import stat
from pathlib import Path

import pytest

from flight.core import ConfigError, load_mission
from flight.core.mission import _SECURED_APID
from flight.links import (
    SECURED_APID,
    KeyFileError,
    ensure_dev_key,
    load_key,
    load_keyring,
    signer_for_mission,
    unseal,
    write_key,
)

KEY = bytes(range(32))


def _key_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "keys"
    directory.mkdir(mode=0o700)
    return directory


def test_a_private_key_file_loads(tmp_path: Path) -> None:
    directory = _key_dir(tmp_path)
    write_key(directory / "1.key", KEY)
    write_key(directory / "7.key")
    assert stat.S_IMODE((directory / "7.key").stat().st_mode) == 0o600
    (directory / "README").write_text("not a key")
    keys = load_keyring(directory)
    assert sorted(keys) == [1, 7]
    assert keys[1] == KEY
    assert len(keys[7]) == 32


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o644, 0o620, 0o602, 0o660])
def test_key_files_open_to_group_or_other_are_refused(tmp_path: Path, mode: int) -> None:
    path = _key_dir(tmp_path) / "1.key"
    write_key(path, KEY)
    path.chmod(mode)
    with pytest.raises(KeyFileError, match="chmod 600"):
        load_key(path)
    with pytest.raises(KeyFileError):
        load_keyring(path.parent)


def test_links_malformed_keys_and_loose_directories_are_refused(tmp_path: Path) -> None:
    directory = _key_dir(tmp_path)
    real = tmp_path / "real.key"
    write_key(real, KEY)
    (directory / "1.key").symlink_to(real)
    with pytest.raises(KeyFileError, match="cannot open"):
        load_key(directory / "1.key")
    (directory / "1.key").unlink()
    for content in (b"tooshort\n", b"zz" * 32, b"00" * 33, b"\xff" * 64):
        path = directory / "2.key"
        path.unlink(missing_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
        os.write(fd, content)
        os.close(fd)
        with pytest.raises(KeyFileError, match="hex digits"):
            load_key(path)
    path.unlink()
    with pytest.raises(KeyFileError, match=r"no <SPI>\.key"):
        load_keyring(directory)
    with pytest.raises(KeyFileError, match="no key directory"):
        load_keyring(tmp_path / "missing")
    write_key(directory / "1.key", KEY)
    directory.chmod(0o770)
    with pytest.raises(KeyFileError, match="writable by group"):
        load_keyring(directory)
    with pytest.raises(KeyFileError, match=r"exists|cannot write"):
        write_key(directory / "1.key", KEY)


def test_development_key_is_made_once_private(tmp_path: Path) -> None:
    directory = tmp_path / "data" / "keys"
    created = ensure_dev_key(directory)
    assert created == directory / "1.key"
    assert stat.S_IMODE(created.stat().st_mode) == 0o600
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    key = load_key(created)
    assert ensure_dev_key(directory) is None
    assert load_key(created) == key


def test_missions_carry_security_settings() -> None:
    demo = load_mission("demo")
    assert demo.authentication is True
    assert demo.security.dev_key is True
    assert (demo.security.window, demo.security.spi, demo.security.key_dir) == (64, 1, "keys")
    assert load_mission("open-bench").authentication is False
    assert _SECURED_APID == SECURED_APID


def _mission(tmp_path: Path, extra: str, board: str = "sim", apid: int = 100) -> str:
    path = tmp_path / "m.toml"
    path.write_text(
        f'[mission]\nname = "m"\nboard = "{board}"\ndata_dir = "{tmp_path}"\n'
        f"authentication = true\n{extra}\n"
        f'[[apps]]\nname = "core"\nkind = "core"\napid = {apid}\nrate_hz = 10\n'
    )
    return str(path)


def test_bad_security_settings_are_config_errors(tmp_path: Path) -> None:
    for extra, where in [
        ("[security]\nwindow = 0", "security.window"),
        ("[security]\nwindow = 65", "security.window"),
        ("[security]\nspi = 0", "security.spi"),
        ('[security]\nspi = "1"', "security.spi"),
        ("[security]\nkeys = 3", "security.keys"),
        ("[security]\ndev_key = 1", "security.dev_key"),
    ]:
        with pytest.raises(ConfigError, match=where.replace(".", r"\.")):
            load_mission(_mission(tmp_path, extra))
    with pytest.raises(ConfigError, match="simulated board"):
        load_mission(_mission(tmp_path, "[security]\ndev_key = true", board="pi4"))
    with pytest.raises(ConfigError, match="reserved for secured packets"):
        load_mission(_mission(tmp_path, "", apid=SECURED_APID))


def test_ground_signer_for_a_mission_uses_its_key_file(tmp_path: Path) -> None:
    mission = load_mission(_mission(tmp_path, '[security]\nkey_dir = "k"\nspi = 3'))
    with pytest.raises(KeyFileError):
        signer_for_mission(mission)
    write_key(tmp_path / "k" / "3.key", KEY)
    signer = signer_for_mission(mission)
    unit = signer.encode(bytes.fromhex("1864c00000062f110100000000"))
    opened = unseal(unit, {3: KEY})
    assert not isinstance(opened, int)
    assert (opened.spi, opened.sequence) == (3, 1)
    assert signer_for_mission(mission).next_sequence > 1  # persisted under data_dir/ground
    assert (tmp_path / "ground").is_dir()
