"""Shared fixtures: a realistic claims table built from the seed gold labels.

The explorer and chart tests need claims with benchmarks, metrics and ranges whatever the
extractor currently finds, so they use the hand-labelled gold claims, re-shaped into the
claims table schema (offsets and sentences recovered from the abstracts).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile

import pandas as pd
import pytest

from claimkit import corpus, read_papers
from claimkit.table import CLAIM_COLUMNS, OPTIONAL_COLUMNS, claims_frame

_CACHE_DIR = tempfile.mkdtemp(prefix="claimkit-test-cache-")


def pytest_configure(config) -> None:
    """Tests (and the servers and notebooks they start) never touch the user's claims cache."""
    os.environ["CLAIMKIT_CACHE_DIR"] = _CACHE_DIR


def pytest_unconfigure(config) -> None:
    shutil.rmtree(_CACHE_DIR, ignore_errors=True)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` that holds ``text[start:end]``."""
    begin = 0
    for match in _SENTENCE_END.finditer(text):
        if match.end() <= start:
            begin = match.end()
        elif match.start() >= end:
            return text[begin:match.start()]
    return text[begin:]


def gold_claims_table() -> pd.DataFrame:
    """The seed gold claims as a typed claims table (field ``abstract``)."""
    gold = pd.read_json(corpus.SEED_GOLD, lines=True, dtype=False)
    abstracts = read_papers(corpus.SEED_PAPERS).set_index("paper")["abstract"]
    columns: dict[str, list] = {name: [] for name in CLAIM_COLUMNS if name not in OPTIONAL_COLUMNS}
    searched_from: dict[tuple[str, str], int] = {}
    for record in gold.to_dict("records"):
        abstract = abstracts[record["paper"]]
        # Repeated surface texts in one abstract get successive offsets.
        key = (record["paper"], record["text"])
        start = abstract.find(record["text"], searched_from.get(key, 0))
        start = start if start >= 0 else abstract.find(record["text"])
        end = start + len(record["text"])
        searched_from[key] = end
        row = dict(record, field="abstract", start=start, end=end,
                   sentence=sentence_around(abstract, start, end))
        for name in columns:
            columns[name].append(row[name])
    return claims_frame(columns)


@pytest.fixture(scope="session")
def seed_claims() -> pd.DataFrame:
    return gold_claims_table()
