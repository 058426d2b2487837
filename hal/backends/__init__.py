"""Bus backends: ``linux`` (device nodes), ``sim`` (simulated chips), ``micropython``."""

__all__: list[str] = []
