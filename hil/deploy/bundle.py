"""Build signed deploy bundles, and verify them on the ground.

A bundle is an uncompressed tar (its wheels are already compressed) holding::

    manifest.json       name, version, mission, entry command, watchdog, SHA-256 + size per file
    manifest.sig        Ed25519 signature of manifest.json's exact bytes
    wheels/*.whl        the project's wheel (``pip wheel --no-deps``) and its runtime dependencies
    mission/NAME.toml   the mission configuration
    dictionary.json     the command/telemetry dictionary, when it could be exported
    launcher.py         the supervisor (see `hil.deploy.assets.launcher`)
    systemd/starling.service.in
    extra/...           files added with ``--include`` (e.g. a custom payload entry point)

Members are written in sorted order with fixed owners, modes and mtimes, so the same inputs give
the same bytes. Boards verify with `hil.deploy.assets.agent.open_bundle`; so does `verify_bundle`
here, so there is one verifier.
"""

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from flight.core.errors import ConfigError
from flight.core.mission import Mission, load_mission
from hil.deploy.assets import asset
from hil.deploy.assets.bundle_verify import AgentError, open_bundle
from hil.deploy.errors import BundleError, SignatureError
from hil.deploy.signing import key_id, sign

__all__ = [
    "DEFAULT_ENTRY",
    "BuildSpec",
    "build_bundle",
    "read_manifest",
    "read_mission",
    "verify_bundle",
]

FORMAT = 1
DEFAULT_ENTRY = (
    "{python}",
    "-m",
    "tools.starling.cli",
    "flight",
    "--mission",
    "{mission}",
    "--data-dir",
    "{data_dir}",
    "--link",
    "{link}",
)


@dataclass(frozen=True, kw_only=True)
class BuildSpec:
    """What goes into a bundle.

    Attributes:
        project: Source tree to build the wheel from (ignored when `wheels` is given).
        mission: Shipped mission name (``flight/missions/NAME.toml``) or a TOML file.
        version: Version label; default: the project wheel's version.
        wheels: Prebuilt wheels or directories of wheels; when given, nothing is built.
        with_deps: Also bundle wheels of the runtime dependencies, so boards install offline.
        dictionary: A dictionary JSON file; None tries ``starling dict export``.
        entry: The flight command as an argv template (placeholders in `DEFAULT_ENTRY`).
        include: Extra files, placed under ``extra/``.
        ready: ``"notify"`` (wait for the app's READY=1, which ``starling flight`` sends once
            its links are up) or ``"start"`` (ready once spawned, for an app that never says).
        watchdog_sec: Heartbeat period limit for the app: ``starling flight`` sends WATCHDOG=1
            at half of it while every app checks in (0: the app does not heartbeat, and the
            launcher heartbeats for it while it lives).
    """

    project: Path
    mission: str
    version: str | None = None
    wheels: Sequence[Path] = ()
    with_deps: bool = True
    dictionary: Path | None = None
    entry: Sequence[str] = DEFAULT_ENTRY
    include: Sequence[Path] = ()
    ready: str = "notify"
    watchdog_sec: float = 10.0
    python: str = field(default=sys.executable)


def _run(command: list[str], what: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BundleError(f"{what} failed: {result.stderr.strip()[-1500:]}")


def _wheel_metadata(path: Path) -> tuple[str, str, list[str]]:
    """Name, version and unconditional runtime requirements of a wheel."""
    with zipfile.ZipFile(path) as wheel:
        meta_name = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
        text = wheel.read(meta_name).decode()
    headers: dict[str, list[str]] = {}
    for line in text.split("\n\n", 1)[0].splitlines():
        key, _, value = line.partition(": ")
        headers.setdefault(key, []).append(value)
    requires = [r for r in headers.get("Requires-Dist", []) if "extra ==" not in r]
    return headers["Name"][0], headers["Version"][0], requires


def _collect_wheels(spec: BuildSpec, out: Path) -> str:
    """Put the wheels in `out`; return the project's version."""
    out.mkdir()
    if spec.wheels:
        for source in spec.wheels:
            for wheel in sorted(source.glob("*.whl")) if source.is_dir() else [source]:
                shutil.copy2(wheel, out / wheel.name)
        projects = sorted(out.glob("starling-*.whl"))
        return _wheel_metadata(projects[0])[1] if projects else "0"
    pip = [spec.python, "-m", "pip", "wheel", "-q", "--disable-pip-version-check", "-w", str(out)]
    _run([*pip, "--no-deps", str(spec.project)], "pip wheel (project)")
    project = next(out.glob("*.whl"))
    _, version, requires = _wheel_metadata(project)
    if spec.with_deps and requires:
        _run([*pip, *requires], "pip wheel (dependencies)")
    return version


def _mission_file(spec: BuildSpec) -> Path:
    candidate = Path(spec.mission)
    if candidate.suffix == ".toml" and candidate.is_file():
        return candidate
    shipped = spec.project / "flight" / "missions" / f"{spec.mission}.toml"
    if shipped.is_file():
        return shipped
    raise BundleError(f"no mission file or shipped mission named {spec.mission!r}")


def _export_dictionary(spec: BuildSpec, out: Path) -> bool:
    """Try ``starling dict export``; the dictionary is optional until that command exists."""
    command = [spec.python, "-m", "tools.starling.cli", "dict", "export", "--format", "json"]
    result = subprocess.run(  # noqa: S603
        [*command, "-o", str(out)], capture_output=True, check=False, cwd=spec.project, timeout=120
    )
    return result.returncode == 0 and out.is_file()


def _stage(spec: BuildSpec, root: Path) -> dict[str, Any]:
    version = _collect_wheels(spec, root / "wheels")
    mission = _mission_file(spec)
    (root / "mission").mkdir()
    shutil.copy2(mission, root / "mission" / mission.name)
    has_dictionary = True
    if spec.dictionary is not None:
        shutil.copy2(spec.dictionary, root / "dictionary.json")
    else:
        has_dictionary = _export_dictionary(spec, root / "dictionary.json")
    (root / "systemd").mkdir()
    for name, target in (("launcher.py", "launcher.py"), ("starling.service.in", "systemd")):
        destination = root / target if target == "launcher.py" else root / target / name
        destination.write_bytes(asset(name).read_bytes())
    if spec.include:
        (root / "extra").mkdir()
        for extra in spec.include:
            shutil.copy2(extra, root / "extra" / extra.name)
    return {
        "format": FORMAT,
        "name": "starling",
        "version": spec.version or version,
        "mission": mission.stem,
        "mission_file": f"mission/{mission.name}",
        "dictionary": "dictionary.json" if has_dictionary else None,
        "entry": list(spec.entry),
        "ready": spec.ready,
        "watchdog_sec": spec.watchdog_sec,
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def _hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(1 << 16):
            digest.update(chunk)
    return digest.hexdigest()


def _add(tar: tarfile.TarFile, name: str, data: bytes | Path, mtime: int) -> None:
    info = tarfile.TarInfo(name)
    info.mode, info.mtime, info.uname, info.gname = 0o644, mtime, "root", "root"
    if isinstance(data, Path):
        info.size = data.stat().st_size
        with data.open("rb") as source:
            tar.addfile(info, source)
    else:
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))


def build_bundle(spec: BuildSpec, key: Ed25519PrivateKey, out_dir: Path) -> Path:
    """Build, sign and write a bundle into `out_dir`; return its path.

    Raises:
        BundleError: a wheel, the mission or the dictionary could not be produced.
    """
    with tempfile.TemporaryDirectory(prefix="starling-bundle-") as tmp:
        root = Path(tmp)
        manifest = _stage(spec, root)
        files = sorted(p for p in root.rglob("*") if p.is_file())
        manifest["files"] = {
            p.relative_to(root).as_posix(): {"sha256": _hash(p), "size": p.stat().st_size}
            for p in files
        }
        manifest["key_id"] = key_id(key.public_key())
        manifest_bytes = json.dumps(manifest, indent=2, sort_keys=True).encode() + b"\n"
        mtime = int(os.environ.get("SOURCE_DATE_EPOCH", "0")) or int(time.time())
        name = f"starling-{manifest['version']}-{manifest['mission']}.tar"
        out_dir.mkdir(parents=True, exist_ok=True)
        partial = out_dir / f".{name}.part"
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
            _add(tar, "manifest.json", manifest_bytes, mtime)
            _add(tar, "manifest.sig", sign(key, manifest_bytes), mtime)
            for path in files:
                _add(tar, path.relative_to(root).as_posix(), path, mtime)
        target = out_dir / name
        partial.replace(target)
    return target


def read_manifest(bundle: Path) -> dict[str, Any]:
    """Read a bundle's manifest without verifying anything (for display)."""
    try:
        with tarfile.open(bundle, "r:") as tar:
            member = tar.extractfile("manifest.json")
            if member is None:
                raise BundleError("manifest.json is not a file", path=bundle)
            manifest: dict[str, Any] = json.loads(member.read())
    except (OSError, KeyError, ValueError, tarfile.TarError) as exc:
        raise BundleError(f"cannot read manifest ({exc})", path=bundle) from exc
    return manifest


def read_mission(bundle: Path) -> Mission:
    """Load and check the mission a bundle carries, without verifying the bundle.

    Raises:
        BundleError: the mission file is missing, unreadable or not a valid mission.
    """
    manifest = read_manifest(bundle)
    name = str(manifest.get("mission_file", ""))
    try:
        with tarfile.open(bundle, "r:") as tar:
            member = tar.extractfile(name)
            if member is None:
                raise BundleError(f"{name} is not a file", path=bundle)
            text = member.read()
        with tempfile.TemporaryDirectory(prefix="starling-mission-") as tmp:
            path = Path(tmp) / Path(name).name  # load_mission takes the name from the stem
            path.write_bytes(text)
            return load_mission(str(path))
    except (OSError, KeyError, tarfile.TarError, ConfigError) as exc:
        raise BundleError(f"cannot read the mission {name!r} ({exc})", path=bundle) from exc


def verify_bundle(bundle: Path, key_dir: Path) -> dict[str, Any]:
    """Verify a bundle as a board would, against the ``*.pub`` keys in `key_dir`.

    Raises:
        SignatureError: no trusted key verifies the manifest.
        BundleError: any other refusal (checksums, unexpected members, unreadable).
    """
    try:
        return open_bundle(bundle, key_dir)
    except AgentError as exc:
        error = SignatureError if exc.kind == "signature" else BundleError
        raise error(f"{exc.kind}: {exc}", path=bundle) from exc
