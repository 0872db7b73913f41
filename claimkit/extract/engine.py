"""Placeholder engine, replaced by the rule-based extractor in the next commit."""

from __future__ import annotations

import pandas as pd

from ..table import CLAIM_COLUMNS, claims_frame


def find_claims(text: str) -> list[dict]:
    return []


def extract_claims(papers: pd.DataFrame) -> pd.DataFrame:
    columns: dict[str, list] = {name: [] for name in CLAIM_COLUMNS}
    return claims_frame(columns)
