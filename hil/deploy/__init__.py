"""`starling deploy`: signed bundles, fleet deploy over SSH with A/B slots and rollback, images.

Ground side: `build_bundle` makes a signed bundle; `fleet.push` installs it on many boards in
parallel through the board agent (`hil.deploy.assets.agent`), health-checks each unit and rolls
back the ones that fail; `write_unit_image` provisions an SD-card image per unit. The board runs
the flight process under `hil.deploy.assets.launcher` (its own supervisor, or systemd's unit
from ``assets/starling.service.in``). See docs/deploy.md.
"""

from hil.deploy import fleet
from hil.deploy.bundle import (
    DEFAULT_ENTRY,
    BuildSpec,
    build_bundle,
    read_manifest,
    read_mission,
    verify_bundle,
)
from hil.deploy.errors import (
    BundleError,
    DeployError,
    HealthCheckError,
    ImageError,
    InventoryError,
    KeyFileError,
    RemoteError,
    SignatureError,
    TransportError,
)
from hil.deploy.fleet import UnitResult, default_health
from hil.deploy.healthcheck import HealthReport, command_check, ground_signer, pus_ping_check
from hil.deploy.inventory import Unit, load_inventory, parse_target
from hil.deploy.progress import ProgressBoard
from hil.deploy.sdimage import write_unit_image
from hil.deploy.signing import generate_keypair, load_private_key, load_public_key

__all__ = [
    "DEFAULT_ENTRY",
    "BuildSpec",
    "BundleError",
    "DeployError",
    "HealthCheckError",
    "HealthReport",
    "ImageError",
    "InventoryError",
    "KeyFileError",
    "ProgressBoard",
    "RemoteError",
    "SignatureError",
    "TransportError",
    "Unit",
    "UnitResult",
    "build_bundle",
    "command_check",
    "default_health",
    "fleet",
    "generate_keypair",
    "ground_signer",
    "load_inventory",
    "load_private_key",
    "load_public_key",
    "parse_target",
    "pus_ping_check",
    "read_manifest",
    "read_mission",
    "verify_bundle",
    "write_unit_image",
]
