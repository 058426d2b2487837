"""Bundles: built from the source tree with pip, signed, checked file by file."""

import hashlib
import io
import json
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from hil.deploy import (
    BundleError,
    SignatureError,
    generate_keypair,
    read_manifest,
    verify_bundle,
)
from hil.deploy.signing import load_private_key, sign
from tests.hil.deploy.conftest import ROOT, Bundles


def keydir(tmp_path: Path, *public_keys: Path) -> Path:
    directory = tmp_path / "trusted"
    directory.mkdir(exist_ok=True)
    for index, key in enumerate(public_keys):
        (directory / f"{index}.pub").write_bytes(key.read_bytes())
    return directory


def test_bundle_lists_and_signs_every_file(
    bundles: Bundles, signing_key: Path, tmp_path: Path
) -> None:
    manifest = verify_bundle(bundles.v1, keydir(tmp_path, Path(f"{signing_key}.pub")))
    with tarfile.open(bundles.v1) as tar:
        names = {m.name for m in tar.getmembers()} - {"manifest.json", "manifest.sig"}
    assert names == set(manifest["files"])
    wheels = {n.split("/")[1].split("-")[0] for n in names if n.startswith("wheels/")}
    assert {"starling", "cffi", "construct", "pyserial"} <= wheels
    assert {"launcher.py", "systemd/starling.service.in", "mission/open-bench.toml"} <= names
    assert manifest["version"] == "1.0.0"


def test_other_key_is_refused(bundles: Bundles, tmp_path: Path) -> None:
    other = generate_keypair(tmp_path / "other.key")
    with pytest.raises(SignatureError):
        verify_bundle(bundles.v1, keydir(tmp_path, other))


def _rewrite(source: Path, target: Path, extra: tuple[str, bytes], key: Path) -> None:
    """Copy a bundle adding one member that the re-signed manifest also lists."""
    manifest = read_manifest(source)
    name, data = extra
    manifest["files"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    text = json.dumps(manifest).encode()
    with tarfile.open(source) as old, tarfile.open(target, "w") as new:
        for member in old.getmembers():
            if member.name == "manifest.json":
                member.size = len(text)
                new.addfile(member, io.BytesIO(text))
            elif member.name == "manifest.sig":
                signature = sign(load_private_key(key), text)
                new.addfile(member, io.BytesIO(signature))
            else:
                new.addfile(member, old.extractfile(member))
        info = tarfile.TarInfo(name)
        info.size = len(data)
        new.addfile(info, io.BytesIO(data))


def test_unsafe_member_names_are_refused_even_when_signed(
    bundles: Bundles, signing_key: Path, tmp_path: Path
) -> None:
    evil = tmp_path / "evil.tar"
    _rewrite(bundles.v1, evil, ("../../etc/cron.d/x", b"* * * * * root sh\n"), signing_key)
    with pytest.raises(BundleError, match="unsafe-path"):
        verify_bundle(evil, keydir(tmp_path, Path(f"{signing_key}.pub")))


def test_cli_keygen_build_verify(bundles: Bundles, tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tools.starling.deploy", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    key = tmp_path / "k.key"
    assert run("keygen", "-o", str(key)).returncode == 0
    mission = tmp_path / "m.toml"
    mission.write_text("")
    built = run(
        "build",
        "--key",
        str(key),
        "--mission",
        str(mission),
        "--version",
        "3.1",
        "--wheel",
        str(bundles.wheelhouse),
        "--dictionary",
        str(mission),
        "-o",
        str(tmp_path / "dist"),
    )
    assert built.returncode == 0, built.stderr
    bundle = Path(built.stdout.strip())
    assert bundle.name == "starling-3.1-m.tar"
    checked = run("verify", str(bundle), "--trusted-key", f"{key}.pub")
    assert checked.returncode == 0
    assert "OK" in checked.stdout
    key.chmod(0o644)
    refused = run(
        "build",
        "--key",
        str(key),
        "--mission",
        str(mission),
        "--wheel",
        str(bundles.wheelhouse),
        "-o",
        str(tmp_path / "dist"),
    )
    assert refused.returncode == 2
    assert "0644" in refused.stderr
