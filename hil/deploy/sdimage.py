"""Per-unit SD-card images: put first-boot configuration and the bundle on the FAT boot partition.

The base image (Raspberry Pi OS or any MBR image whose first FAT partition is the boot
partition) is copied, and files are written into that partition with mtools addressing it by
byte offset (``-i IMAGE@@OFFSET``): no root, no loop device, no mount. The root file system is
left alone; ``firstrun.sh``, started once from the kernel command line as Raspberry Pi Imager
does, sets the hostname and SSH key, installs the trusted key and the unit identity, and has the
deploy agent verify and install the bundle into slot A. Written into the boot partition::

    ssh                         (empty) enables the SSH server on Raspberry Pi OS
    firstrun.sh                 the first-boot script (see assets/firstrun.sh.in)
    cmdline.txt                 gains ``systemd.run=/boot/firmware/firstrun.sh ...``
    starling/agent.py, starling/BUNDLE.tar, starling/trusted.pub,
    starling/identity.json, starling/authorized_keys
"""

import json
import os
import shutil
import struct
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from hil.deploy.assets import agent_program, asset
from hil.deploy.errors import ImageError
from hil.deploy.fleet import identity_json
from hil.deploy.inventory import Unit

__all__ = ["Partition", "fat_partition", "mtools_read", "partitions", "write_unit_image"]

SECTOR = 512
_FAT_TYPES = {0x01, 0x04, 0x06, 0x0B, 0x0C, 0x0E, 0xEF}
_GPT_PROTECTIVE = 0xEE
_FIRSTRUN_ARGS = (
    " systemd.run=/boot/firmware/firstrun.sh systemd.run_success_action=reboot"
    " systemd.unit=kernel-command-line.target"
)


@dataclass(frozen=True)
class Partition:
    """One MBR partition entry.

    Attributes:
        index: 1-based entry number.
        type: MBR partition type byte (0x0C: FAT32 LBA).
        start: Byte offset in the image.
        size: Size in bytes.
    """

    index: int
    type: int
    start: int
    size: int


def partitions(image: Path) -> list[Partition]:
    """Read the four primary MBR partition entries that are in use.

    Raises:
        ImageError: no MBR signature, a GPT disk, or unreadable.
    """
    try:
        with image.open("rb") as source:
            mbr = source.read(SECTOR)
    except OSError as exc:
        raise ImageError(f"cannot read image ({exc.strerror})", path=image) from exc
    if len(mbr) < SECTOR or mbr[510:512] != b"\x55\xaa":
        raise ImageError("no MBR boot signature", path=image)
    found = []
    for index in range(4):
        entry = mbr[446 + 16 * index : 446 + 16 * (index + 1)]
        kind = entry[4]
        start, count = struct.unpack_from("<II", entry, 8)
        if kind == _GPT_PROTECTIVE:
            raise ImageError("GPT images are not supported (MBR only)", path=image)
        if kind and count:
            found.append(Partition(index + 1, kind, start * SECTOR, count * SECTOR))
    return found


def fat_partition(image: Path) -> Partition:
    """The first FAT partition, which Raspberry Pi firmware boots from.

    Raises:
        ImageError: there is none.
    """
    for partition in partitions(image):
        if partition.type in _FAT_TYPES:
            return partition
    raise ImageError("no FAT partition", path=image)


def _mtools(tool: str, image: Path, offset: int, *args: str) -> bytes:
    env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
    try:
        result = subprocess.run(  # noqa: S603 - argv built here
            [tool, "-i", f"{image}@@{offset}", *args],
            capture_output=True,
            env=env,
            check=False,
            timeout=120,
        )
    except FileNotFoundError as exc:
        raise ImageError(f"{tool} not found: install mtools", path=image) from exc
    if result.returncode != 0:
        raise ImageError(
            f"{tool} {' '.join(args)} failed: {result.stderr.decode().strip()}", path=image
        )
    return result.stdout


def mtools_read(image: Path, name: str) -> bytes:
    """Read ``::/name`` from the image's FAT partition."""
    return _mtools("mcopy", image, fat_partition(image).start, f"::/{name}", "-")


def write_unit_image(
    base: Path,
    out: Path,
    *,
    unit: Unit,
    bundle: Path,
    trusted_key: Path,
    ssh_public_key: Path | None = None,
) -> Path:
    """Copy `base` to `out` and provision it for `unit`; return `out`.

    Raises:
        ImageError: the image has no FAT partition or mtools failed.
        KeyFileError: the unit's authentication key is readable by others.
    """
    offset = fat_partition(base).start
    partial = out.with_name(f".{out.name}.part")
    shutil.copyfile(base, partial)
    hostname = unit.serial.lower().replace("_", "-")
    script = asset("firstrun.sh.in").read_text()
    for key, value in (
        ("@SERIAL@", unit.serial),
        ("@HOSTNAME@", hostname),
        ("@PREFIX@", unit.prefix),
        ("@BUNDLE@", bundle.name),
    ):
        script = script.replace(key, value)
    with tempfile.TemporaryDirectory(prefix="starling-image-") as tmp:
        staging = Path(tmp)
        files = {
            "ssh": b"",
            "firstrun.sh": script.encode(),
            "starling/agent.py": agent_program().encode(),
            "starling/trusted.pub": trusted_key.read_bytes(),
            "starling/identity.json": identity_json(unit),
            "starling/authorized_keys": ssh_public_key.read_bytes() if ssh_public_key else b"",
            "starling/unit.json": json.dumps(unit.identity(), indent=2).encode(),
        }
        try:
            cmdline = _mtools("mcopy", partial, offset, "::/cmdline.txt", "-").decode().strip()
        except ImageError:
            cmdline = None  # not a Raspberry Pi OS image: firstrun.sh must be started by hand
        if cmdline is not None and "systemd.run=" not in cmdline:
            files["cmdline.txt"] = (cmdline + _FIRSTRUN_ARGS + "\n").encode()
        _mtools("mmd", partial, offset, "-D", "s", "::/starling")
        for name, data in files.items():
            local = staging / name.replace("/", "_")
            local.write_bytes(data)
            _mtools("mcopy", partial, offset, "-o", str(local), f"::/{name}")
        _mtools("mcopy", partial, offset, "-o", str(bundle), f"::/starling/{bundle.name}")
    partial.replace(out)
    return out
