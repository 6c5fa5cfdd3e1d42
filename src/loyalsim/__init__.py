"""loyalsim: an agent-based simulator of coerced loyalty in a synthetic population.

The Python entry points (``load``, ``run``, ``open_results``) load their modules only when
first used, so ``import loyalsim`` is cheap.
"""

from __future__ import annotations

__version__ = "0.1.0"

_LAZY = {
    "open_results": "loyalsim.store.results",
    "load": "loyalsim.scenario.io",
    "run": "loyalsim.api",
    "RunOutput": "loyalsim.api",
    "calibrate": "loyalsim.calibrate.api",
    "discover": "loyalsim.discover.api",
}


def __getattr__(name: str) -> object:
    """Lazy public helpers: each module is imported on first use."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'loyalsim' has no attribute {name!r}")


__all__ = ["RunOutput", "__version__", "load", "open_results", "run"]
