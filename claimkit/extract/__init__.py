"""Extraction: papers table -> claims table (see :mod:`claimkit.table` for the columns)."""
from .engine import extract_claims, find_claims

__all__ = ["extract_claims", "find_claims"]
