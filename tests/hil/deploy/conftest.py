"""Fixtures for deploy tests: real OpenSSH servers as "boards", signing keys, built bundles.

Each board is an ``sshd -D -e -f CONFIG`` on 127.0.0.1 and a high port, with its own generated
host key, an ``AuthorizedKeysFile`` in the test's temp directory and its own install prefix
under ``tmp_path``. It runs as the current user (root here, hence ``PermitRootLogin
prohibit-password`` and ``StrictModes no``). The board's interpreter is this test
interpreter, which has pip and `cryptography`, as a board's ``python3`` would. The bundles
run the real ``starling flight`` on the open-bench mission.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from hil.deploy import BuildSpec, Unit, build_bundle, generate_keypair, load_private_key
from hil.deploy.assets import agent_program

SSHD = shutil.which("sshd") or "/usr/sbin/sshd"
STANDIN = Path(__file__).with_name("standin_flight.py")
ROOT = Path(__file__).resolve().parents[3]


def free_port(kind: int = socket.SOCK_STREAM) -> int:
    with socket.socket(socket.AF_INET, kind) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Board:
    """One loopback board: its sshd, its prefix and the `Unit` that reaches it."""

    root: Path
    unit: Unit
    sshd: "subprocess.Popen[bytes]"

    @property
    def prefix(self) -> Path:
        return Path(self.unit.prefix)

    def active(self) -> str | None:
        try:
            return Path(os.readlink(self.prefix / "current")).name
        except OSError:
            return None

    def launcher_pid(self) -> int | None:
        try:
            return int((self.prefix / "run" / "launcher.pid").read_text())
        except (OSError, ValueError):
            return None

    def flight_version(self) -> str:
        """``STARLING_VERSION`` of the flight process the launcher runs now."""
        launcher = str(self.launcher_pid())
        for stat_file in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError):
                if stat_file.read_text().rsplit(")", 1)[1].split()[1] == launcher:
                    environ = (stat_file.parent / "environ").read_bytes().split(b"\0")
                    for item in environ:
                        if item.startswith(b"STARLING_VERSION="):
                            return item.split(b"=", 1)[1].decode()
        return ""

    def stop_service(self) -> None:
        """Stop the launcher (and its flight child) the way the agent does, then make sure."""
        with contextlib.suppress(subprocess.TimeoutExpired):
            subprocess.run(
                [sys.executable, "-c", agent_program(), "stop", "--prefix", str(self.prefix)],
                capture_output=True,
                timeout=30,
                check=False,
            )
        pid = self.launcher_pid()
        if pid is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)


def _keygen(path: Path) -> Path:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True)
    return path.with_name(path.name + ".pub")


@pytest.fixture(scope="session")
def client_key(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not Path(SSHD).exists() or shutil.which("ssh") is None:
        pytest.skip("OpenSSH server/client not installed (tools/setup-env installs them)")
    key = tmp_path_factory.mktemp("client") / "id_ed25519"
    _keygen(key)
    return key


@pytest.fixture
def make_board(
    tmp_path: Path, client_key: Path, signing_key: Path
) -> Iterator[Callable[[str], Board]]:
    """Factory: start one sshd "board" per call, each with its own root and ports."""
    boards: list[Board] = []
    # sshd running as root insists on its privilege-separation directory.
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)

    def make(serial: str) -> Board:
        root = tmp_path / serial
        etc = root / "etc"
        etc.mkdir(parents=True)
        host_key = etc / "ssh_host_ed25519_key"
        host_pub = _keygen(host_key)
        authorized = etc / "authorized_keys"
        shutil.copy(client_key.with_name(client_key.name + ".pub"), authorized)
        port = free_port()
        config = etc / "sshd_config"
        config.write_text(
            f"Port {port}\nListenAddress 127.0.0.1\nHostKey {host_key}\n"
            f"PidFile {etc / 'sshd.pid'}\nAuthorizedKeysFile {authorized}\n"
            "PermitRootLogin prohibit-password\nStrictModes no\nUsePAM no\n"
            "PasswordAuthentication no\nKbdInteractiveAuthentication no\n"
            "MaxStartups 64\nMaxSessions 64\n"
        )
        known_hosts = etc / "known_hosts"
        known_hosts.write_text(f"[127.0.0.1]:{port} {host_pub.read_text()}")
        sshd = subprocess.Popen(
            [SSHD, "-D", "-e", "-f", str(config)], stderr=(etc / "sshd.log").open("wb")
        )
        prefix = root / "opt" / "starling"
        (prefix / "keys").mkdir(parents=True)
        shutil.copy(signing_key.with_name(signing_key.name + ".pub"), prefix / "keys/deploy.pub")
        auth_key = etc / "auth.key"
        auth_key.write_bytes(os.urandom(32))
        auth_key.chmod(0o600)
        unit = Unit(
            serial=serial,
            host="127.0.0.1",
            port=port,
            ssh_key=client_key,
            known_hosts=known_hosts,
            prefix=str(prefix),
            python=sys.executable,
            link=f"udp:127.0.0.1:{free_port(socket.SOCK_DGRAM)}",
            spacecraft_id=0x42,
            apids=(100, 101),
            auth_key=auth_key,
            ssh_options=("-F", "/dev/null"),
        )
        board = Board(root, unit, sshd)
        boards.append(board)
        _wait_listening(port, sshd, etc / "sshd.log")
        return board

    yield make
    for board in boards:
        board.stop_service()
        board.sshd.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            board.sshd.wait(10)
        if board.sshd.poll() is None:
            board.sshd.kill()


def _wait_listening(port: int, sshd: "subprocess.Popen[bytes]", log: Path) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if sshd.poll() is not None:
            pytest.fail(f"sshd exited: {log.read_text()}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    pytest.fail(f"sshd did not listen on {port}: {log.read_text()}")


@pytest.fixture(scope="session")
def signing_key(tmp_path_factory: pytest.TempPathFactory) -> Path:
    key = tmp_path_factory.mktemp("signing") / "deploy.key"
    generate_keypair(key)
    return key


@pytest.fixture(scope="session")
def mission_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped open-bench mission: its ping needs no authentication key on the ground."""
    path = tmp_path_factory.mktemp("mission") / "open-bench.toml"
    path.write_bytes((ROOT / "flight" / "missions" / "open-bench.toml").read_bytes())
    return path


@dataclass(frozen=True)
class Bundles:
    """Bundles of the real `starling flight` shared by the session: v1 built from the source
    tree through pip, later versions reusing its wheels (a wheel build costs ~10-30 s)."""

    v1: Path
    wheelhouse: Path
    make: Callable[..., Path]


@pytest.fixture(scope="session")
def bundles(
    tmp_path_factory: pytest.TempPathFactory, signing_key: Path, mission_file: Path
) -> Bundles:
    out = tmp_path_factory.mktemp("bundles")
    key = load_private_key(signing_key)
    broken = out / "broken.toml"  # a mission the flight app refuses at start: a bad release
    broken.write_text(mission_file.read_text().replace('kind = "sample"', 'kind = "nonesuch"'))

    def spec(version: str, mission: Path, wheels: tuple[Path, ...]) -> BuildSpec:
        return BuildSpec(project=ROOT, mission=str(mission), version=version, wheels=wheels)

    v1 = build_bundle(spec("1.0.0", mission_file, ()), key, out / "v1")
    wheelhouse = out / "wheels"
    with tarfile.open(v1) as tar:
        members = [m for m in tar.getmembers() if m.name.startswith("wheels/")]
        tar.extractall(out, members=members, filter="data")

    def make(version: str, *, broken_mission: bool = False, signer: Path = signing_key) -> Path:
        mission = broken if broken_mission else mission_file
        return build_bundle(
            spec(version, mission, (wheelhouse,)),
            load_private_key(signer),
            out / f"{version}-{broken_mission}-{signer.stem}",
        )

    return Bundles(v1, wheelhouse, make)
