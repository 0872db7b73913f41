"""The same four papers as JSONL, arXiv snapshot, Atom, BibTeX and CSV: same papers, same claims.

The LaTeX-bearing formats (snapshot, Atom, BibTeX) carry ``$2.5\\times$``, ``\\%``, ``Nystr\\"om``,
hard line breaks and case-protecting braces; after cleanup they must give the clean text of
the JSONL and CSV files, and so the same claims.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from claimkit.extract import extract_claims
from claimkit.readers import read_papers

FORMATS = Path(__file__).parent / "data" / "formats"
BASELINE = "papers.jsonl"
OTHERS = ["snapshot.json", "atom.xml", "papers.bib", "papers.csv"]


def claim_keys(papers: pd.DataFrame) -> list[tuple]:
    claims = extract_claims(papers)
    return sorted(zip(claims["title"], claims["kind"].astype(str), claims["low"].round(6), claims["high"].round(6)))


@pytest.fixture(scope="module")
def baseline() -> pd.DataFrame:
    return read_papers(FORMATS / BASELINE)


@pytest.mark.parametrize("name", OTHERS)
def test_same_papers(baseline: pd.DataFrame, name: str) -> None:
    papers = read_papers(FORMATS / name)
    columns = ["paper", "title", "abstract"]
    assert papers[columns].to_dict("records") == baseline[columns].to_dict("records")


@pytest.mark.parametrize("name", OTHERS)
def test_same_claims(baseline: pd.DataFrame, name: str) -> None:
    expected = claim_keys(baseline)
    assert len(expected) >= 8, "the fixture's abstracts hold speed-ups, gains, scores and sizes"
    assert claim_keys(read_papers(FORMATS / name)) == expected


@pytest.mark.parametrize("name", ["snapshot.json", "atom.xml", "papers.bib"])
def test_same_metadata(baseline: pd.DataFrame, name: str) -> None:
    papers = read_papers(FORMATS / name)
    assert papers["arxiv_id"].tolist() == baseline["paper"].tolist()
    # BibTeX knows the month only: compare at the precision each side has
    assert all(b.startswith(p) for p, b in zip(papers["published"], baseline["published"]))
    primary = [(mine.split()[0], theirs.split()[0]) for mine, theirs in zip(papers["categories"], baseline["categories"]) if mine]
    assert primary and all(mine == theirs for mine, theirs in primary)
