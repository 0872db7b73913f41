"""The review session behind the explorer's buttons: decide, undo, filters, counts, two sessions."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimkit import extract_claims, read_papers
from claimkit.corpus import SEED_PAPERS
from claimkit.corrections import read_corrections
from claimkit.review import REVIEW_FILTERS, Review


@pytest.fixture(scope="module")
def seed() -> tuple:
    papers = read_papers(SEED_PAPERS)
    return papers, extract_claims(papers)


def row_of(review: Review, position: int) -> dict:
    return review.claims.iloc[position].to_dict()


def test_decisions_show_at_once_and_go_to_the_file(tmp_path: Path, seed: tuple) -> None:
    papers, claims = seed
    review = Review(claims, papers, tmp_path / "corrections.jsonl")
    assert review.counts()["reviewed"] == 0 and review.counts()["extracted"] == len(claims)
    first, second, third = row_of(review, 0), row_of(review, 1), row_of(review, 2)
    review.decide(first, "accept")
    review.decide(second, "reject")
    review.decide(third, "edit", {"benchmark": "FooBench"})
    assert [d.action for d in read_corrections(review.path)] == ["accept", "reject", "edit"]
    assert review.counts() | {"extracted": 0} == {"extracted": 0, "accepted": 1, "corrected": 1, "added": 0,
                                                  "rejected": 1, "reviewed": 3}
    assert len(review.claims) == len(claims) and len(review.corrected()) == len(claims) - 1
    assert review.filtered("corrected")["benchmark"].tolist() == ["FooBench"]
    assert review.filtered("rejected")["text"].tolist() == [second["text"]]
    assert len(review.filtered("unreviewed")) == len(claims) - 3
    assert review.claims[["paper", "start"]].values.tolist() == claims[["paper", "start"]].values.tolist()  # order kept


def test_undo_takes_back_this_sessions_decisions_newest_first(tmp_path: Path, seed: tuple) -> None:
    papers, claims = seed
    review = Review(claims, papers, tmp_path / "corrections.jsonl")
    review.decide(row_of(review, 0), "reject")
    review.decide(row_of(review, 5), "edit", {"kind": "gain"})
    assert review.undo().action == "edit"
    assert review.counts()["corrected"] == 0 and review.counts()["rejected"] == 1
    assert review.undo().action == "reject"
    assert review.undo() is None and review.counts()["reviewed"] == 0
    assert read_corrections(review.path) == []


def test_two_sessions_on_one_file_lose_no_decision(tmp_path: Path, seed: tuple) -> None:
    papers, claims = seed
    path = tmp_path / "corrections.jsonl"
    left, right = Review(claims, papers, path, by="ana"), Review(claims, papers, path, by="ben")
    left.decide(row_of(left, 0), "accept")
    right.decide(row_of(right, 10), "reject")
    left.decide(row_of(left, 20), "accept")  # left now sees right's decision too
    assert [(d.by, d.action) for d in read_corrections(path)] == [("ana", "accept"), ("ben", "reject"), ("ana", "accept")]
    assert left.counts()["reviewed"] == 3
    right.undo()  # takes back right's own line only
    left.refresh()
    assert left.counts()["reviewed"] == 2 and [d.by for d in read_corrections(path)] == ["ana", "ana"]


@pytest.mark.parametrize("name", sorted(REVIEW_FILTERS))
def test_every_filter_names_review_values(name: str) -> None:
    from claimkit.table import REVIEWS

    assert set(REVIEW_FILTERS[name]) <= set(REVIEWS) and REVIEW_FILTERS[name]


def test_an_edit_keeps_the_table_typed(tmp_path: Path, seed: tuple) -> None:
    papers, claims = seed
    review = Review(claims, papers, tmp_path / "corrections.jsonl")
    dtypes = review.claims.dtypes.to_dict()
    review.decide(row_of(review, 3), "edit", {"low": 0.5, "high": 0.75, "unit": "furlongs", "kind": "reduction"})
    assert review.claims.dtypes.to_dict() == dtypes | {"unit": review.claims["unit"].dtype}
    edited = review.claims.iloc[3]
    assert (edited["low"], edited["high"], edited["unit"], edited["kind"], edited["review"]) == \
        (0.5, 0.75, "furlongs", "reduction", "corrected")
    assert "furlongs" in review.claims["unit"].cat.categories
