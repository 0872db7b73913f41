"""Reviewing claims in the explorer, driven as a browser would (clicks on the table's buttons),
on the default corpus: decisions reach the file at once and every view follows."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from claimkit import leaderboard as lb
from claimkit.checks import check_claims
from claimkit.corrections import Decision, read_corrections, record_decision
from claimkit.explore import Explorer, load_claims


@pytest.fixture(scope="module")
def corpus():
    return load_claims()


@pytest.fixture()
def explorer(corpus, tmp_path: Path) -> Explorer:
    return Explorer(corpus.claims, corpus.papers, corrections=tmp_path / "corrections.jsonl")


def click(explorer: Explorer, action: str, position: int = 0) -> pd.Series:
    """Press a row's button in the claims table; the claim it was on."""
    row = explorer.claims_view.filtered.iloc[position]
    explorer.claims_view.table.click(f"action:{action}", str(position))
    return row


def count(explorer: Explorer) -> str:
    return explorer.claims_view.count.value


def test_every_row_has_the_review_buttons(explorer) -> None:
    html = explorer.claims_view.table.value
    rows = explorer.claims_view.page_size
    for action in ("accept", "reject", "edit"):
        assert html.count(f'data-claimkit="action:{action}"') == rows


def test_accept_and_reject_go_to_the_file_and_the_count(explorer, corpus) -> None:
    total = len(corpus.claims)
    accepted = click(explorer, "accept", 0)
    rejected = click(explorer, "reject", 1)
    decisions = read_corrections(explorer.review.path)
    assert [(d.action, d.paper, d.text) for d in decisions] == [
        ("accept", accepted["paper"], accepted["text"]), ("reject", rejected["paper"], rejected["text"])]
    assert decisions[0].values["kind"] == str(accepted["kind"])  # an accept keeps what the person saw
    assert f"<b>{total - 1:,}</b> of {total:,} claims match" in count(explorer)  # rejected ones leave the view
    assert "<b>2</b> reviewed (1 accepted, 1 rejected)" in count(explorer)
    explorer.claims_view.review_filter.value = "rejected"
    assert explorer.claims_view.filtered["text"].tolist() == [rejected["text"]]
    assert "ck-rejected" in explorer.claims_view.table.value and "✗ rejected" in explorer.claims_view.table.value


def test_a_decision_keeps_the_page(explorer) -> None:
    explorer.claims_view.go_to_page(3)
    click(explorer, "accept", 0)
    assert explorer.claims_view.page == 3


def test_edit_writes_the_persons_values(explorer) -> None:
    row = click(explorer, "edit", 2)
    form = explorer.review_panel.form
    assert form.layout.display == "" and form.kind.value == str(row["kind"])
    form.kind.value, form.low.value, form.high.value = "score", "41.5", "41.5"
    form.texts["benchmark"].value = "Foo-Bench v2"
    form.note.value = "the abstract's table"
    form.save()
    (decision,) = read_corrections(explorer.review.path)
    assert (decision.action, decision.text, decision.note) == ("edit", row["text"], "the abstract's table")
    assert {k: decision.values[k] for k in ("kind", "low", "high", "benchmark")} == \
        {"kind": "score", "low": 41.5, "high": 41.5, "benchmark": "Foo-Bench v2"}
    shown = explorer.index.claims.iloc[explorer.index.paper_rows(row["paper"])]
    edited = shown[shown["text"] == row["text"]].iloc[0]
    assert (edited["kind"], edited["low"], edited["benchmark_key"], edited["review"]) == \
        ("score", 41.5, "foobenchv2", "corrected")
    assert form.layout.display == "none"
    explorer.claims_view.benchmark_filter.value = "foo-bench v2"  # the index knows the new benchmark
    assert explorer.claims_view.filtered["text"].tolist() == [row["text"]]


def test_a_bad_value_in_the_form_is_said_there_and_nothing_is_written(explorer) -> None:
    click(explorer, "edit", 0)
    form = explorer.review_panel.form
    form.low.value, form.high.value = "3", "2"
    form.save()
    assert "low 3 is above high 2" in form.message.value and form.layout.display == ""
    form.low.value = "lots"
    form.save()
    assert "must be numbers" in form.message.value
    assert not explorer.review.path.exists()


def test_undo_takes_back_the_last_decision(explorer, corpus) -> None:
    click(explorer, "reject", 0)
    click(explorer, "accept", 0)
    explorer.review_panel.undo_button.click()
    assert [d.action for d in read_corrections(explorer.review.path)] == ["reject"]
    explorer.review_panel.undo_button.click()
    assert read_corrections(explorer.review.path) == []
    assert explorer.review_panel.undo_button.disabled
    total = len(corpus.claims)
    assert f"<b>{total:,}</b> of {total:,} claims match" in count(explorer) and "<b>0</b> reviewed" in count(explorer)


def test_the_paper_view_has_the_buttons_too(explorer, corpus) -> None:
    paper = corpus.claims["paper"].iloc[0]
    explorer.show_paper(paper)
    body = explorer.paper_view.body
    mine = corpus.claims[corpus.claims["paper"] == paper]
    assert body.value.count('data-claimkit="action:reject"') == len(mine)
    position = explorer.index.paper_rows(paper)[0]
    body.click("action:reject", str(position))
    assert [(d.action, d.paper) for d in read_corrections(explorer.review.path)] == [("reject", paper)]
    assert "ck-rejected" in explorer.paper_view.body.value  # shown struck through, still there to undo


def test_the_leaderboard_follows_the_review(explorer, corpus) -> None:
    view = explorer.show_leaderboard("GSM8K")
    best = view.board.iloc[0]
    rows = explorer.index.claims
    position = int(rows.index[(rows["paper"] == best["paper"]) & (rows["text"] == best["claim"])
                              & (rows["sentence"] == best["sentence"])][0])
    explorer.review_panel.reject(rows.iloc[position])
    assert (best["paper"], best["claim"]) not in set(zip(view.board["paper"], view.board["claim"]))
    second = view.board.iloc[0]
    row = rows.iloc[int(rows.index[(rows["paper"] == second["paper"]) & (rows["text"] == second["claim"])][0])]
    explorer.review_panel.decide(row, "edit", {"low": 99.5, "high": 99.5})
    assert (view.board.iloc[0]["value"], view.board.iloc[0]["review"]) == (99.5, "corrected")
    assert "✎ corrected" in view.table.value


def test_the_checks_tab_lists_findings_and_follows_the_review(explorer, corpus) -> None:
    checks = explorer.show_checks()
    expected = check_claims(corpus.claims, corpus.papers)
    assert len(checks.findings) == len(expected) > 0
    assert checks.table.value.count("<tr>") == min(len(expected), 200) + 1
    over = expected[expected["rule"] == "score_above_100_percent"].iloc[0]
    paper, span = over["paper"], over["claims"].split(":")[-1]
    rows = explorer.index.claims
    row = rows[(rows["paper"] == paper) & (rows["start"] == int(span.split("-")[0]))].iloc[0]
    explorer.review_panel.reject(row)
    assert len(checks.findings) == len(expected) - 1  # recomputed at once: its tab is shown
    checks.rule_filter.value = ("score_jump",)
    assert set(checks.shown["rule"]) == {"score_jump"}
    checks.table.click("paper", checks.shown["paper"].iloc[0])
    assert explorer.paper_view.paper == checks.shown["paper"].iloc[0]


def test_two_explorers_on_one_file_see_each_others_decisions(corpus, tmp_path: Path) -> None:
    path = tmp_path / "corrections.jsonl"
    left = Explorer(corpus.claims, corpus.papers, corrections=path)
    right = Explorer(corpus.claims, corpus.papers, corrections=path)
    click(left, "accept", 0)
    click(right, "reject", 5)
    click(left, "accept", 10)  # left reads the file again: right's decision shows
    assert [d.action for d in read_corrections(path)] == ["accept", "reject", "accept"]
    assert "<b>3</b> reviewed (2 accepted, 1 rejected)" in count(left)
    # a claim added by hand meanwhile (another writer): left's next decision indexes the table again
    paper = corpus.papers.iloc[0]
    record_decision(path, Decision("add", str(paper["paper"]), "title", str(paper["title"]).split()[0], 1,
                                   {"kind": "model_size", "low": 1e9, "high": 1e9, "unit": "params"}))
    click(left, "accept", 20)
    assert len(left.index) == len(corpus.claims) + 1 and "1 added" in count(left)


def test_an_explorer_without_papers_cannot_review(corpus, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="needs their papers"):
        Explorer(corpus.claims, corrections=tmp_path / "c.jsonl")
    plain = Explorer(corpus.claims)
    assert plain.review is None and plain.claims_view.review_filter is None
    assert 'data-claimkit="action:' not in plain.claims_view.table.value


def test_the_corrected_leaderboard_without_changing_tabs(explorer) -> None:
    board = explorer.corrected_leaderboard("gsm-8k")
    assert explorer.tabs.selected_index == 0
    assert board["paper"].tolist() == lb.leaderboard(explorer.index.claims, "GSM8K")["paper"].tolist()
    assert "review" in lb.export_table(board).columns
