"""Every public name is re-exported from its package's `__init__` and listed in `__all__`."""

import importlib

import pytest

PACKAGES = ["flight.core", "flight.services", "flight.links", "flight.apps"]


@pytest.mark.parametrize("name", PACKAGES)
def test_all_names_exist_and_are_sorted(name: str) -> None:
    package = importlib.import_module(name)
    exported = package.__all__
    assert sorted(set(exported)) == sorted(exported)
    for public in exported:
        assert hasattr(package, public), f"{name}.{public}"


@pytest.mark.parametrize("name", PACKAGES)
def test_submodule_public_names_are_re_exported(name: str) -> None:
    package = importlib.import_module(name)
    for module_name in {
        getattr(package, n).__module__
        for n in package.__all__
        if hasattr(getattr(package, n), "__module__")
    }:
        if not module_name.startswith(name + "."):
            continue
        module = importlib.import_module(module_name)
        for public in getattr(module, "__all__", []):
            assert public in package.__all__, f"{module_name}.{public} not in {name}.__all__"
