"""Extraction: papers table -> claims table (see :mod:`claimkit.table` for the columns)."""
from ._loader import choose_modules

BUILD = choose_modules(__name__, __path__[0])  # "compiled" (mypyc, see setup.py) or "source"

from .engine import extract_claims, find_claims  # noqa: E402

__all__ = ["extract_claims", "find_claims"]
