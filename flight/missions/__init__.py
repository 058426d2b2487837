"""Shipped mission configs (TOML): `demo`, the default, and `open-bench`."""

__all__: list[str] = []
