"""Scoring as the spec says: match on (paper, kind, low, high) at 4 significant digits, mentions once."""

from __future__ import annotations

import pandas as pd
import pytest

from claimkit import evaluate


def frame(*rows) -> pd.DataFrame:
    columns = ["paper", "title", "kind", "low", "high", "unit", "qualifier", "benchmark"]
    return pd.DataFrame([dict(zip(columns, row)) for row in rows], columns=columns)


GOLD = frame(("p1", "A", "speedup", 2.39, 2.39, "x", "", ""), ("p1", "A", "gain", 6.5, 6.5, "%", "", "COCO"),
             ("p2", "B", "model_size", 7e9, 7e9, "params", "", ""))


@pytest.mark.parametrize("claims, scope, expected", [
    (GOLD, "all", (1.0, 1.0)),
    (frame(("p1", "A", "speedup", 2.390001, 2.390001, "x", "", "")), "all", (1.0, 1 / 3)),
    (frame(("p1", "A", "speedup", 2.39, 2.39, "x", "", ""), ("p1", "A", "speedup", 2.39, 2.39, "x", "", "")),
     "speedup", (1.0, 1.0)),
    (frame(("p1", "A", "score", 6.5, 6.5, "%", "", "")), "all", (0.0, 0.0)),
    (frame(("p1", "A", "score", 6.5, 6.5, "%", "", "")), "kind-blind", (1.0, 1 / 3)),
    (frame(("p3", "C", "speedup", 2.0, 2.0, "x", "", "")), "all", (0.0, 0.0)),
], ids=["identical", "4-significant-digits", "mentions-once", "wrong-kind", "kind-blind", "other-paper"])
def test_precision_and_recall(claims: pd.DataFrame, scope: str, expected: tuple) -> None:
    row = evaluate(claims, GOLD).set_index("scope").loc[scope]
    assert (row["precision"], row["recall"]) == pytest.approx(expected)


def test_papers_from_another_source_match_by_title() -> None:
    claims = GOLD.assign(paper=["tX", "tX", "tY"])
    assert evaluate(claims, GOLD).set_index("scope").loc["all", "f1"] == 1.0


def test_attribute_agreement_on_matched_claims() -> None:
    claims = GOLD.assign(benchmark=["", "ImageNet", ""])
    assert evaluate(claims, GOLD).set_index("scope").loc["all", "benchmark_agreement"] == pytest.approx(2 / 3)
