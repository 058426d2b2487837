"""`flight.dictionary` re-exports exactly the public names of its modules."""

import importlib
import pkgutil

import flight.dictionary as package


def test_every_exported_name_exists() -> None:
    for name in package.__all__:
        assert hasattr(package, name), name


def test_every_module_public_name_is_reexported() -> None:
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        missing = set(module.__all__) - set(package.__all__)
        assert not missing, (info.name, missing)
