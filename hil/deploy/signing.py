"""Ed25519 keys for signing bundles: generate, load (checking permissions), sign, verify.

Private keys are PKCS#8 PEM files that only their owner may read (mode 0600 or stricter);
loading one that the group or others can read is refused, as OpenSSH refuses such identity
files. Public keys are SubjectPublicKeyInfo PEM files, the format a board keeps in
``PREFIX/keys/*.pub``. A key is named by its `key_id`, the first 16 hex digits of the SHA-256
of its raw 32 bytes, which the manifest records so a refusal can say which key signed.
"""

import hashlib
import os
import stat
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from hil.deploy.errors import KeyFileError, SignatureError

__all__ = [
    "PRIVATE_KEY_MODE",
    "check_secret_file",
    "generate_keypair",
    "key_id",
    "load_private_key",
    "load_public_key",
    "sign",
    "verify",
]

PRIVATE_KEY_MODE = 0o600


def check_secret_file(path: Path) -> None:
    """Refuse a secret file (private or authentication key) that others could read.

    Raises:
        KeyFileError: the file is missing, not a regular file, or group/other accessible.
    """
    try:
        info = path.stat()
    except OSError as exc:
        raise KeyFileError(f"cannot read key file ({exc.strerror})", path=path) from exc
    if not stat.S_ISREG(info.st_mode):
        raise KeyFileError("key file is not a regular file", path=path)
    if info.st_mode & 0o077:
        raise KeyFileError(
            f"key file mode is {stat.S_IMODE(info.st_mode):04o}, must be 0600 or stricter",
            path=path,
        )


def generate_keypair(private_path: Path) -> Path:
    """Write a new Ed25519 private key (0600) and its public key next to it (``.pub``).

    The private key file is created exclusively, so an existing key is never overwritten.

    Returns:
        The path of the public key file.

    Raises:
        KeyFileError: the private or public key file already exists.
    """
    public_path = private_path.with_name(private_path.name + ".pub")
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    try:
        fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_KEY_MODE)
    except FileExistsError as exc:
        raise KeyFileError("refusing to overwrite an existing key", path=private_path) from exc
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    # The umask may have cleared bits but never adds any; chmod pins the mode exactly.
    os.chmod(private_path, PRIVATE_KEY_MODE)
    try:
        with public_path.open("xb") as out:
            out.write(_public_pem(key.public_key()))
    except FileExistsError as exc:
        raise KeyFileError("refusing to overwrite an existing key", path=public_path) from exc
    return public_path


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """Load a private signing key after checking that only its owner can read it.

    Raises:
        KeyFileError: wrong permissions, or not an unencrypted Ed25519 PEM key.
    """
    check_secret_file(path)
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as exc:
        raise KeyFileError("not an unencrypted PEM private key", path=path) from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError("not an Ed25519 private key", path=path)
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    """Load a public verification key.

    Raises:
        KeyFileError: missing, or not an Ed25519 PEM public key.
    """
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except OSError as exc:
        raise KeyFileError(f"cannot read key file ({exc.strerror})", path=path) from exc
    except ValueError as exc:
        raise KeyFileError("not a PEM public key", path=path) from exc
    if not isinstance(key, Ed25519PublicKey):
        raise KeyFileError("not an Ed25519 public key", path=path)
    return key


def key_id(key: Ed25519PublicKey) -> str:
    """Short fingerprint of a public key: 16 hex digits of the SHA-256 of its raw bytes."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def sign(key: Ed25519PrivateKey, message: bytes) -> bytes:
    """Return the 64-byte Ed25519 signature of `message`."""
    return key.sign(message)


def verify(keys: list[Ed25519PublicKey], message: bytes, signature: bytes) -> Ed25519PublicKey:
    """Return the first of `keys` under which `signature` is valid for `message`.

    Raises:
        SignatureError: no key verifies the signature (or `keys` is empty).
    """
    for key in keys:
        try:
            key.verify(signature, message)
        except InvalidSignature:
            continue
        return key
    raise SignatureError(f"signature matches none of {len(keys)} trusted key(s)")


def _public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
