"""cffi (API mode) build of the C codec into `flight.ccsds._ccsds_c`.

setup.py names `csrc/build_ccsds.py:ffibuilder` in `cffi_modules`: build with
`pip install -e .` or, in place, `python setup.py build_ext --inplace` from the project root
(source paths are relative to it, so objects land in build/, never beside the sources).
"""

import re
from pathlib import Path

from cffi import FFI

HERE = Path(__file__).resolve().parent
SOURCES = ["crc.c", "packet.c", "pus.c", "cuc.c", "cobs.c", "tcframe.c", "cltu.c", "tmframe.c"]
SOURCES += ["tmmux.c"]
CFLAGS = ["-std=c99", "-O3", "-Wall", "-Wextra", "-Werror"]

HEADERS = ["ccsds.h", "frames.h"]
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_DEFINE = re.compile(r"#define\s+(\w+)\s+(.+)")


def cdef_from_headers(paths: list[Path]) -> str:
    """The headers as cffi's cdef wants them: no comments, no preprocessor lines, and each
    object-like macro (array sizes, say) replaced by its value. cffi's parser takes no
    preprocessor, and the headers stay the one place the interface is written."""
    macros: dict[str, str] = {}
    lines: list[str] = []
    for path in paths:
        for line in _COMMENT.sub("", path.read_text()).splitlines():
            define = _DEFINE.fullmatch(line.strip())
            if define:
                macros[define[1]] = f"({define[2]})"
            elif not line.lstrip().startswith("#"):
                lines.append(line)
    text = "\n".join(lines)
    while True:  # a macro's value may name another macro
        expanded = text
        for name, value in macros.items():
            expanded = re.sub(rf"\b{name}\b", value, expanded)
        if expanded == text:
            return text
        text = expanded


def _relative(path: Path) -> str:
    # setuptools wants sources relative to the project root, where setup.py runs
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


ffibuilder = FFI()
ffibuilder.cdef(cdef_from_headers([HERE / name for name in HEADERS]))
ffibuilder.set_source(
    "flight.ccsds._ccsds_c",
    "\n".join(f'#include "{name}"' for name in HEADERS),
    sources=[_relative(HERE / name) for name in SOURCES],
    include_dirs=[_relative(HERE)],
    extra_compile_args=CFLAGS,
)
