"""loyalsim: an agent-based simulator of coerced loyalty in a synthetic population."""

__version__ = "0.1.0"
