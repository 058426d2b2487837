"""Build hook for the cffi extension; everything else lives in pyproject.toml.

setuptools does not read ``cffi_modules`` from pyproject.toml, so this file exists only for it.
The build is optional: on a machine without a C compiler the install still succeeds and
Starling runs on the pure-Python codec twin, saying so once when it is imported.
"""

import os
import sys

from setuptools import setup
from setuptools.command.build_ext import build_ext


class OptionalBuildExt(build_ext):
    """Build the C codec when a compiler is there; warn and carry on when it is not."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:
            self._skip(exc)

    def build_extension(self, ext) -> None:  # type: ignore[no-untyped-def]
        try:
            super().build_extension(ext)
        except Exception as exc:
            self._skip(exc)

    @staticmethod
    def _skip(exc: Exception) -> None:
        if os.environ.get("STARLING_REQUIRE_C") == "1":
            raise exc
        print(
            f"WARNING: C codec not built ({exc}); Starling will use the pure-Python twin",
            file=sys.stderr,
        )


cffi_modules = []
if os.environ.get("STARLING_CODEC") != "python":
    cffi_modules = ["csrc/build_ccsds.py:ffibuilder"]

setup(cffi_modules=cffi_modules, cmdclass={"build_ext": OptionalBuildExt})
