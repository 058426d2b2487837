"""Ed25519 key files: created 0600, never overwritten, refused when others can read them."""

import stat
from pathlib import Path

import pytest

from hil.deploy import KeyFileError, SignatureError, generate_keypair, load_private_key
from hil.deploy.signing import key_id, load_public_key, sign, verify


def test_keygen_writes_owner_only_private_key(tmp_path: Path) -> None:
    public = generate_keypair(tmp_path / "deploy.key")
    assert stat.S_IMODE((tmp_path / "deploy.key").stat().st_mode) == 0o600
    assert public.read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----")
    with pytest.raises(KeyFileError, match="overwrite"):
        generate_keypair(tmp_path / "deploy.key")


def test_group_readable_private_key_is_refused(tmp_path: Path) -> None:
    generate_keypair(tmp_path / "deploy.key")
    (tmp_path / "deploy.key").chmod(0o640)
    with pytest.raises(KeyFileError, match="0640"):
        load_private_key(tmp_path / "deploy.key")


def test_signature_verifies_only_under_its_key(tmp_path: Path) -> None:
    generate_keypair(tmp_path / "a.key")
    generate_keypair(tmp_path / "b.key")
    key = load_private_key(tmp_path / "a.key")
    mine = load_public_key(tmp_path / "a.key.pub")
    other = load_public_key(tmp_path / "b.key.pub")
    signature = sign(key, b"manifest")
    assert verify([other, mine], b"manifest", signature) is mine
    assert key_id(mine) != key_id(other)
    with pytest.raises(SignatureError):
        verify([other], b"manifest", signature)
    with pytest.raises(SignatureError):
        verify([mine], b"manifest!", signature)
