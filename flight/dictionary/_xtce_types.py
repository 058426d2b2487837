"""XTCE 1.2 building blocks: the namespace, element helpers, parameter and argument types.

Private to the package. Kept apart from `flight.dictionary.xtce`, which lays out the
containers and commands, so each module reads as one concern: how a `FieldSpec` becomes an
XTCE type, and how packets are described with those types.
"""

from xml.etree import ElementTree as ET

from flight.dictionary.model import FieldSpec

__all__ = [
    "NS",
    "argument_type",
    "enumerated_type",
    "integer_type",
    "parameter_type",
    "sub",
    "xtce_name",
]

NS = "http://www.omg.org/spec/XTCE/20180204"
_BAD_NAME_CHARS = str.maketrans(dict.fromkeys("./:[] ", "_"))


def sub(parent: ET.Element, tag: str, **attrs: str) -> ET.Element:
    """Append an XTCE element `tag` with `attrs` to `parent` and return it."""
    return ET.SubElement(parent, f"{{{NS}}}{tag}", attrs)


def xtce_name(*parts: str) -> str:
    """An XTCE NameType from `parts` (no ``. / : [ ]`` or spaces), joined by ``_``."""
    return "_".join(parts).translate(_BAD_NAME_CHARS)


def _described(element: ET.Element, description: str) -> None:
    if description:
        element.set("shortDescription", description)


def _units(element: ET.Element, unit: str) -> None:
    if unit:
        sub(sub(element, "UnitSet"), "Unit").text = unit


def _number(value: int | float | bool) -> str:
    return repr(float(value)) if isinstance(value, float) else str(int(value))


def integer_type(
    parent: ET.Element, name: str, bits: int, *, signed: bool = False, description: str = ""
) -> None:
    """A plain integer parameter type for header fields."""
    element = sub(
        parent,
        "IntegerParameterType",
        name=name,
        signed=str(signed).lower(),
        sizeInBits=str(bits),
    )
    _described(element, description)
    encoding = "twosComplement" if signed else "unsigned"
    sub(element, "IntegerDataEncoding", sizeInBits=str(bits), encoding=encoding)


def enumerated_type(
    parent: ET.Element, name: str, bits: int, labels: dict[int, str], description: str = ""
) -> None:
    """An unsigned enumerated parameter type (event IDs, failure codes)."""
    element = sub(parent, "EnumeratedParameterType", name=name)
    _described(element, description)
    sub(element, "IntegerDataEncoding", sizeInBits=str(bits), encoding="unsigned")
    listing = sub(element, "EnumerationList")
    for value, label in sorted(labels.items()):
        sub(listing, "Enumeration", value=str(value), label=label)


def _encoding(element: ET.Element, spec: FieldSpec) -> None:
    if spec.kind == "float":
        sub(element, "FloatDataEncoding", sizeInBits=str(spec.bits), encoding="IEEE754_1985")
    else:
        encoding = "twosComplement" if spec.kind == "int" else "unsigned"
        sub(element, "IntegerDataEncoding", sizeInBits=str(spec.bits), encoding=encoding)


def _range(spec: FieldSpec) -> dict[str, str]:
    bounds = {}
    if spec.low is not None:
        bounds["minInclusive"] = _number(spec.low)
    if spec.high is not None:
        bounds["maxInclusive"] = _number(spec.high)
    return bounds


def parameter_type(parent: ET.Element, name: str, spec: FieldSpec) -> None:
    """The telemetry parameter type of `spec`: units, encoding and valid range."""
    tag = {
        "uint": "IntegerParameterType",
        "int": "IntegerParameterType",
        "float": "FloatParameterType",
        "bool": "BooleanParameterType",
    }[spec.kind]
    element = sub(parent, tag, name=name)
    if spec.kind in {"uint", "int"}:
        element.set("signed", str(spec.kind == "int").lower())
        element.set("sizeInBits", str(spec.bits))
    elif spec.kind == "float":
        element.set("sizeInBits", str(spec.bits))
    _described(element, spec.description)
    _units(element, spec.unit)
    _encoding(element, spec)
    bounds = _range(spec)
    if bounds and spec.kind != "bool":
        sub(element, "ValidRange", **bounds)


def argument_type(parent: ET.Element, name: str, spec: FieldSpec) -> None:
    """The command argument type of `spec`: units, encoding and valid range set."""
    tag = {
        "uint": "IntegerArgumentType",
        "int": "IntegerArgumentType",
        "float": "FloatArgumentType",
        "bool": "BooleanArgumentType",
    }[spec.kind]
    element = sub(parent, tag, name=name)
    if spec.kind in {"uint", "int"}:
        element.set("signed", str(spec.kind == "int").lower())
        element.set("sizeInBits", str(spec.bits))
    elif spec.kind == "float":
        element.set("sizeInBits", str(spec.bits))
    _described(element, spec.description)
    _units(element, spec.unit)
    _encoding(element, spec)
    bounds = _range(spec)
    if bounds and spec.kind != "bool":
        sub(sub(element, "ValidRangeSet"), "ValidRange", **bounds)
