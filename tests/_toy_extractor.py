"""A stand-in extractor for engine and writer tests: deterministic, fast, and varied.

Every number in an abstract becomes a claim whose ``unit`` is the word after it, so chunks
get different ``unit`` categories, which is what chunked writers and engines must survive.
It lives in its own module so worker processes can import it by name.
"""

from __future__ import annotations

import re

import pandas as pd

from claimkit.table import KINDS, claims_frame

_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*(%|[A-Za-z]+)?")


def toy_extract(papers: pd.DataFrame) -> pd.DataFrame:
    """One claim per number in each abstract, in source order."""
    columns: dict[str, list] = {name: [] for name in (
        "paper", "title", "field", "start", "end", "text", "kind", "low", "high",
        "unit", "qualifier", "metric", "benchmark", "baseline", "sentence")}
    for paper, title, abstract in zip(papers["paper"], papers["title"], papers["abstract"]):
        for match in _NUMBER.finditer(abstract):
            value = float(match.group(1))
            columns["paper"].append(paper)
            columns["title"].append(title)
            columns["field"].append("abstract")
            columns["start"].append(match.start())
            columns["end"].append(match.end())
            columns["text"].append(match.group(0))
            columns["kind"].append(KINDS[len(match.group(1)) % len(KINDS)])
            columns["low"].append(value)
            columns["high"].append(value if "." in match.group(1) else value + 0.5)
            columns["unit"].append((match.group(2) or "").lower())
            columns["qualifier"].append("")
            columns["metric"].append("")
            columns["benchmark"].append("")
            columns["baseline"].append("")
            columns["sentence"].append(abstract[max(0, match.start() - 20): match.end() + 20])
    return claims_frame(columns)
