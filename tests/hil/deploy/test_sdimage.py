"""Per-unit SD-card images, on a small MBR image with a FAT boot partition built here.

The image is made with sfdisk and mkfs.fat (no root, no loop device), provisioned, and read
back with mtools; then the agent installs the bundle from what it finds in the image, as
firstrun.sh does on the board's first boot.
"""

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from hil.deploy import ImageError, Unit, write_unit_image
from hil.deploy.sdimage import fat_partition, mtools_read, partitions
from tests.hil.deploy.conftest import Bundles

MIB = 1 << 20
CMDLINE = "console=serial0,115200 root=PARTUUID=1234-02 rootfstype=ext4 rootwait"


def _tools() -> None:
    for tool in ("sfdisk", "mkfs.fat", "mcopy", "mdir"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} not installed (Debian packages fdisk, dosfstools, mtools)")


def make_base(path: Path) -> Path:
    """A 48 MiB MBR image: 16 MiB FAT16 'bootfs' at 1 MiB with a cmdline.txt, then 'rootfs'."""
    with path.open("wb") as image:
        image.truncate(48 * MIB)
    layout = "label: dos\nstart=2048, size=32768, type=c\nstart=34816, type=83\n"
    subprocess.run(["sfdisk", "-q", str(path)], input=layout.encode(), check=True, timeout=30)
    subprocess.run(
        ["mkfs.fat", "-F", "16", "-n", "BOOTFS", "--offset", "2048", str(path), str(16 * 1024)],
        check=True,
        capture_output=True,
        timeout=30,
    )
    cmdline = path.with_name("cmdline.txt")
    cmdline.write_text(CMDLINE + "\n")
    subprocess.run(
        ["mcopy", "-i", f"{path}@@{MIB}", str(cmdline), "::/cmdline.txt"],
        check=True,
        timeout=30,
        env=dict(os.environ, MTOOLS_SKIP_CHECK="1"),
    )
    return path


def test_partition_table_is_read(tmp_path: Path) -> None:
    _tools()
    base = make_base(tmp_path / "base.img")
    boot, root = partitions(base)
    assert (boot.type, boot.start, boot.size) == (0x0C, MIB, 16 * MIB)
    assert (root.type, root.start) == (0x83, 34816 * 512)
    assert fat_partition(base) == boot
    (tmp_path / "blank.img").write_bytes(bytes(1024))
    with pytest.raises(ImageError, match="no MBR"):
        partitions(tmp_path / "blank.img")


def test_unit_image_holds_first_boot_config_and_installable_bundle(
    tmp_path: Path, bundles: Bundles, signing_key: Path, client_key: Path
) -> None:
    _tools()
    base = make_base(tmp_path / "base.img")
    auth = tmp_path / "auth.key"
    auth.write_bytes(os.urandom(32))
    auth.chmod(0o600)
    unit = Unit(
        serial="SN0042",
        host="sn0042.local",
        spacecraft_id=0x2A,
        apids=(100, 120),
        auth_key=auth,
        link="udp:0.0.0.0:10015",
    )
    trusted = signing_key.with_name(signing_key.name + ".pub")
    ssh_pub = client_key.with_name(client_key.name + ".pub")
    out = write_unit_image(
        base,
        tmp_path / "SN0042.img",
        unit=unit,
        bundle=bundles.v1,
        trusted_key=trusted,
        ssh_public_key=ssh_pub,
    )

    cmdline = mtools_read(out, "cmdline.txt").decode()
    assert cmdline.startswith(CMDLINE)
    assert "systemd.run=/boot/firmware/firstrun.sh" in cmdline
    assert mtools_read(out, "ssh") == b""
    firstrun = mtools_read(out, "firstrun.sh").decode()
    assert "echo sn0042 > /etc/hostname" in firstrun
    assert bundles.v1.name in firstrun
    assert mtools_read(out, f"starling/{bundles.v1.name}") == bundles.v1.read_bytes()
    assert mtools_read(out, "starling/authorized_keys") == ssh_pub.read_bytes()
    identity = json.loads(mtools_read(out, "starling/identity.json"))
    assert (identity["serial"], identity["spacecraft_id"]) == ("SN0042", 0x2A)
    # Nothing outside the boot partition changed.
    boot = fat_partition(out)
    assert out.read_bytes()[boot.start + boot.size :] == base.read_bytes()[boot.start + boot.size :]

    # First boot, minus the parts that need the board's root file system: the agent verifies
    # the bundle against the trusted key from the image and installs it into slot A.
    prefix = tmp_path / "rootfs" / "opt" / "starling"
    (prefix / "keys").mkdir(parents=True)
    (prefix / "incoming").mkdir()
    (prefix / "keys" / "trusted.pub").write_bytes(mtools_read(out, "starling/trusted.pub"))
    (prefix / "incoming" / bundles.v1.name).write_bytes(bundles.v1.read_bytes())
    agent = tmp_path / "agent.py"
    agent.write_bytes(mtools_read(out, "starling/agent.py"))
    result = subprocess.run(
        [
            sys.executable,
            str(agent),
            "install",
            "--prefix",
            str(prefix),
            "--bundle",
            bundles.v1.name,
        ],
        input=mtools_read(out, "starling/identity.json"),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert os.readlink(prefix / "current") == "slots/a"
    key = prefix / "identity" / "keys" / "auth.key"
    assert key.read_bytes() == auth.read_bytes()
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
