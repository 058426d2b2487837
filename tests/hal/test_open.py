"""Opening buses by URL: parsing, the backend registry, and clear errors."""

import pytest

from hal import open as hal_open
from hal.errors import ConfigError
from hal.open import Url, open_i2c, open_uart, parse_url, register_backend


def test_parse_url() -> None:
    url = parse_url("linux:/dev/gpiochip0:17?consumer=pps")
    assert (url.scheme, url.target, url.options) == (
        "linux",
        "/dev/gpiochip0:17",
        {"consumer": "pps"},
    )
    assert url.split_index() == ("/dev/gpiochip0", 17)
    assert parse_url("mpy:0?freq=0x61A80").int_option("freq") == 400000


@pytest.mark.parametrize("bad", ["", "i2c1", ":x", "li nux:/dev/i2c-1", "sim:i2c1?novalue"])
def test_malformed_urls(bad: str) -> None:
    with pytest.raises(ConfigError):
        parse_url(bad)


def test_unknown_scheme_names_the_known_ones() -> None:
    with pytest.raises(ConfigError, match="known: linux, mpy, sim"):
        open_i2c("usb:/dev/x")


def test_mpy_backend_is_unavailable_on_cpython() -> None:
    # CPython has no `machine` module: a clear ConfigError, not an ImportError.
    with pytest.raises(ConfigError, match="unavailable"):
        open_i2c("mpy:0")


def test_linux_backends_are_reached_by_url() -> None:
    with pytest.raises(ConfigError, match="/dev/i2c-99"):
        open_i2c("linux:/dev/i2c-99")
    with pytest.raises(ConfigError):
        open_uart("linux:/dev/no-such-tty")
    with pytest.raises(ConfigError):
        open_i2c("linux:i2c-1")


def test_registered_factory_gets_the_parsed_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hal_open, "_REGISTRY", dict(hal_open._REGISTRY))
    seen: list[Url] = []
    marker = object()

    def factory(url: Url) -> object:
        seen.append(url)
        return marker

    register_backend("i2c", "loop", factory)
    assert open_i2c("loop:x?y=1") is marker
    assert seen[0].options == {"y": "1"}
    with pytest.raises(ConfigError):
        register_backend("can", "loop", lambda url: None)
