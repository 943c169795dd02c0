"""The drafter version (one place; ``drafter.__version__`` re-exports it)."""

__version__ = "0.1.0"
