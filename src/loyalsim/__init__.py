"""loyalsim: an agent-based simulator of coerced loyalty in a synthetic population."""

__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    """Lazy public helpers: ``open_results`` loads DuckDB only when first used."""
    if name == "open_results":
        from loyalsim.store.results import open_results

        return open_results
    raise AttributeError(f"module 'loyalsim' has no attribute {name!r}")
