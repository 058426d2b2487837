"""Bundle verification: a bundle's signature and every file against its signed manifest.

Shared by the board agent (`agent.py`, which refuses to install anything this does not pass)
and the ground (`hil.deploy.bundle.verify_bundle`). Like the agent it needs only the standard
library and `cryptography`: the ground ships this file's text ahead of the agent's in the one
script it runs on a board (`hil.deploy.assets.agent_program`).
"""

import hashlib
import json
import re
import tarfile
from pathlib import Path
from typing import IO, Any

__all__ = ["MANIFEST", "SAFE_NAME", "SIGNATURE", "AgentError", "open_bundle"]

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
SAFE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.+-]*$")
_CHUNK = 1 << 16
_MAX_MANIFEST = 1 << 20


class AgentError(Exception):
    """A refusal the ground should see, with a machine-readable `kind`."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def _check_name(name: str) -> None:
    parts = name.split("/")
    if not all(SAFE_NAME.match(part) for part in parts):
        raise AgentError("unsafe-path", f"bundle member name refused: {name!r}")


def _read_member(tar: tarfile.TarFile, name: str, limit: int) -> bytes:
    try:
        member = tar.getmember(name)
    except KeyError as exc:
        raise AgentError("malformed", f"bundle has no {name}") from exc
    source = tar.extractfile(member) if member.isreg() else None
    if source is None or member.size > limit:
        raise AgentError("malformed", f"bundle member {name} is not a small regular file")
    return source.read()


def _verify_signature(message: bytes, signature: bytes, key_dir: Path) -> str:
    from cryptography.exceptions import InvalidSignature  # noqa: PLC0415 - only verify needs it
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (  # noqa: PLC0415
        Ed25519PublicKey,
    )
    from cryptography.hazmat.primitives.serialization import load_pem_public_key  # noqa: PLC0415

    paths = sorted(key_dir.glob("*.pub")) if key_dir.is_dir() else []
    if not paths:
        raise AgentError("no-trusted-key", f"no trusted public key in {key_dir}")
    for path in paths:
        key = load_pem_public_key(path.read_bytes())
        if not isinstance(key, Ed25519PublicKey):
            continue
        try:
            key.verify(signature, message)
        except InvalidSignature:
            continue
        return path.name
    raise AgentError("signature", f"bundle signature matches none of {len(paths)} trusted key(s)")


def open_bundle(path: Path, key_dir: Path, dest: Path | None = None) -> dict[str, Any]:
    """Verify a bundle's signature and every file's SHA-256; extract into `dest` if given.

    Files are hashed as they are extracted and the whole bundle is refused on any mismatch, any
    member the manifest does not list, any listed file missing, or any unsafe member name.

    Returns:
        The verified manifest, with ``"trusted_key"`` naming the key file that verified it.

    Raises:
        AgentError: kind ``signature``, ``checksum``, ``unsafe-path``, ``malformed`` or
            ``no-trusted-key``.
    """
    try:
        tar = tarfile.open(path, "r:")  # noqa: SIM115 - closed by the with below
    except (OSError, tarfile.TarError) as exc:
        raise AgentError("malformed", f"not a bundle: {exc}") from exc
    with tar:
        manifest_bytes = _read_member(tar, MANIFEST, _MAX_MANIFEST)
        key_name = _verify_signature(manifest_bytes, _read_member(tar, SIGNATURE, 64), key_dir)
        manifest: dict[str, Any] = json.loads(manifest_bytes)
        expected: dict[str, dict[str, Any]] = manifest["files"]
        seen: set[str] = set()
        for member in tar:
            if member.name in (MANIFEST, SIGNATURE):
                continue
            _check_name(member.name)
            entry = expected.get(member.name)
            if not member.isreg() or entry is None or member.name in seen:
                raise AgentError("malformed", f"unexpected bundle member {member.name!r}")
            seen.add(member.name)
            digest = _copy_member(tar, member, dest)
            if digest != entry["sha256"] or member.size != entry["size"]:
                raise AgentError("checksum", f"{member.name} does not match the manifest")
        missing = sorted(set(expected) - seen)
        if missing:
            raise AgentError("checksum", f"bundle lacks {', '.join(missing)}")
    if dest is not None:
        for name in (MANIFEST, SIGNATURE):
            with tarfile.open(path, "r:") as again:
                (dest / name).write_bytes(_read_member(again, name, _MAX_MANIFEST))
    manifest["trusted_key"] = key_name
    return manifest


def _copy_member(tar: tarfile.TarFile, member: tarfile.TarInfo, dest: Path | None) -> str:
    source = tar.extractfile(member)
    if source is None:
        raise AgentError("malformed", f"cannot read {member.name}")
    digest = hashlib.sha256()
    out: IO[bytes] | None = None
    if dest is not None:
        target = dest / member.name
        target.parent.mkdir(parents=True, exist_ok=True)
        out = target.open("wb")
    try:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
            if out is not None:
                out.write(chunk)
    finally:
        if out is not None:
            out.close()
    return digest.hexdigest()
