"""Accuracy floors on the seed gold, pinned as data: a drop below any floor fails.

The figures achieved when the floors were set: kind-aware F1 0.983, kind-blind 0.990.
Known misses are the strict-xfail rows of tests/test_extract.py.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from claimkit import evaluate, extract_claims, read_papers
from claimkit.corpus import DEFAULT_PAGE, SEED_GOLD, SEED_PAPERS

FLOORS = {  # scope -> minimum F1 (the bars: 0.90 overall, 0.95 kind-blind, 0.80 per kind)
    "all": 0.975,
    "kind-blind": 0.98,
    "speedup": 0.98,
    "gain": 0.98,
    "score": 0.92,  # 0.932 since gold/CHANGES.md removed p044's passing level (the extractor still reads it)
    "reduction": 0.96,
    "model_size": 0.98,
    "data_size": 0.95,
    "compute": 0.95,
}


@pytest.fixture(scope="module", params=[SEED_PAPERS, DEFAULT_PAGE], ids=["jsonl", "page"])
def scores(request) -> pd.DataFrame:
    papers = read_papers(request.param)
    return evaluate(extract_claims(papers), SEED_GOLD).set_index("scope")


@pytest.mark.parametrize("scope, floor", sorted(FLOORS.items()))
def test_f1_floor(scores: pd.DataFrame, scope: str, floor: float) -> None:
    assert scores.loc[scope, "f1"] >= floor


def test_every_kind_with_ten_gold_claims_reaches_080(scores: pd.DataFrame) -> None:
    kinds = scores[(scores["gold"] >= 10) & ~scores.index.isin(["all", "kind-blind"])]
    assert len(kinds) >= 6 and (kinds["f1"] >= 0.80).all()


def test_attributes_mostly_agree(scores: pd.DataFrame) -> None:
    overall = scores.loc["all"]
    assert overall["unit_agreement"] >= 0.95
    assert overall["qualifier_agreement"] >= 0.90
    assert overall["benchmark_agreement"] >= 0.90


# The 2024-2025 sample the open-world rules were tuned on (data/dev/README.md): floors on the
# tune halves only; the held-out half is scored by scripts/dev_scores.py --heldout and reported.
DEV = Path(__file__).resolve().parent.parent / "data" / "dev"
DEV_FLOORS = {"all": 0.90, "kind-blind": 0.94, "named_benchmark_agreement": 0.78}


@pytest.fixture(scope="module")
def tuned_sample_scores() -> pd.DataFrame:
    names = ("hf-sample-tune", "hf-sample-tune2")
    papers = pd.concat([read_papers(DEV / f"{name}.jsonl") for name in names], ignore_index=True)
    gold = pd.concat([pd.read_json(DEV / f"{name}-gold.jsonl", lines=True, dtype=False) for name in names])
    return evaluate(extract_claims(papers), gold).set_index("scope")


@pytest.mark.parametrize("figure, floor", sorted(DEV_FLOORS.items()))
def test_tuned_sample_floor(tuned_sample_scores: pd.DataFrame, figure: str, floor: float) -> None:
    value = tuned_sample_scores.loc["all", figure] if figure.endswith("agreement") else tuned_sample_scores.loc[figure, "f1"]
    assert value >= floor


# The held-out samples, each scored once as held out (README, Accuracy) and read since: floors a
# little under today's figures, so that a rule that helps the tune data and hurts these shows.
# (sample, kind-aware F1, detection F1)
HELD_OUT_FLOORS = [
    ("hf-sample-heldout", 0.90, 0.92),
    ("hf-sample-heldout2", 0.86, 0.92),
    ("hf-sample-heldout3", 0.79, 0.85),
    ("hf-sample-heldout4", 0.80, 0.89),
]


@pytest.mark.parametrize("sample, kind_aware, detection", HELD_OUT_FLOORS)
def test_held_out_sample_floor(sample: str, kind_aware: float, detection: float) -> None:
    gold = pd.read_json(DEV / f"{sample}-gold.jsonl", lines=True, dtype=False)
    scores = evaluate(extract_claims(read_papers(DEV / f"{sample}.jsonl")), gold).set_index("scope")
    assert scores.loc["all", "f1"] >= kind_aware, scores
    assert scores.loc["kind-blind", "f1"] >= detection, scores
