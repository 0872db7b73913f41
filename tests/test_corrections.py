"""Corrections: a person's decisions as a JSONL file, applied again to every new extraction.

Tables of decisions -> the claims they leave, on a hand-built claims table (so the extractor's
changes cannot move these tests); the file's reader discipline; locked, atomic writes from
several processes at once; undo; curated claims as gold.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import pandas as pd
import pytest

from claimkit.corrections import (Corrections, Decision, StaleCorrectionWarning, apply_corrections, decision_for,
                                  nth_occurrence, occurrence_at, read_corrections, record_decision, reviewed_gold,
                                  undo_decision)
from claimkit.evaluate import evaluate
from claimkit.errors import InputError
from claimkit.table import claims_frame

ABSTRACT = "It runs up to 2.5x faster and scores 81.2% on MMLU, and 2.5x on long inputs."
TITLE = "Fast: 3x less memory"
PAPERS = pd.DataFrame({"paper": ["p1", "p2"], "title": [TITLE, "Other"],
                       "abstract": [ABSTRACT, "It reaches 70% on GSM8K."]})


def claim(text: str, kind: str, low: float, unit: str, occurrence: int = 1, field: str = "abstract",
          qualifier: str = "", benchmark: str = "", paper: str = "p1") -> dict:
    source = {"title": TITLE, "abstract": ABSTRACT}[field] if paper == "p1" else PAPERS.abstract[1]
    start = nth_occurrence(source, text, occurrence)
    assert start >= 0, text
    return {"paper": paper, "title": TITLE if paper == "p1" else "Other", "field": field, "start": start,
            "end": start + len(text), "text": text, "kind": kind, "low": low, "high": low, "unit": unit,
            "qualifier": qualifier, "metric": "", "benchmark": benchmark, "baseline": "", "rule": "test",
            "sentence": source}


SPEED = claim("up to 2.5x", "speedup", 2.5, "x", qualifier="up_to")
SCORE = claim("81.2%", "score", 81.2, "%", benchmark="MMLU")
LONG = claim("2.5x", "speedup", 2.5, "x", occurrence=2)
TITLE_CLAIM = claim("3x", "reduction", 3.0, "x", field="title")
OTHER = claim("70%", "score", 70.0, "%", paper="p2", benchmark="GSM8K")
EXTRACTED = [TITLE_CLAIM, SPEED, SCORE, LONG, OTHER]


def table(rows: list[dict]) -> pd.DataFrame:
    return claims_frame({name: [row[name] for row in rows] for name in rows[0]})


def decide(action: str, text: str, occurrence: int = 1, field: str = "abstract", paper: str = "p1", **values) -> Decision:
    return Decision(action, paper, field, text, occurrence, values)


def shown(claims: pd.DataFrame) -> list[tuple]:
    """What a reader sees of each row: text, kind, value, qualifier, benchmark, review."""
    return [(row["text"], str(row["kind"]), row["low"], str(row["qualifier"]), row["benchmark"], str(row["review"]))
            for row in claims.to_dict("records")]


X = "extracted"
T3 = ("3x", "reduction", 3.0, "", "", X)
S = ("up to 2.5x", "speedup", 2.5, "up_to", "", X)
M = ("81.2%", "score", 81.2, "", "MMLU", X)
L = ("2.5x", "speedup", 2.5, "", "", X)
O = ("70%", "score", 70.0, "", "GSM8K", X)


def reviewed(row: tuple, review: str, **changes) -> tuple:
    names = ("text", "kind", "low", "qualifier", "benchmark", "review")
    values = dict(zip(names, row), review=review, **changes)
    return tuple(values[name] for name in names)


APPLY_CASES = [
    pytest.param([], [T3, S, M, L, O], id="no decisions: every row extracted"),
    pytest.param([decide("accept", "81.2%")], [T3, S, reviewed(M, "accepted"), L, O], id="accept"),
    pytest.param([decide("reject", "81.2%")], [T3, S, L, O], id="reject drops the row"),
    pytest.param([decide("reject", "2.5x", occurrence=2)], [T3, S, M, O],
                 id="the second '2.5x' is rejected, the first (inside 'up to 2.5x') is not"),
    pytest.param([decide("edit", "81.2%", benchmark="MMLU-Pro")], [T3, S, reviewed(M, "corrected", benchmark="MMLU-Pro"), L, O],
                 id="edit a benchmark"),
    pytest.param([decide("edit", "81.2%", kind="gain")], [T3, S, reviewed(M, "corrected", kind="gain"), L, O],
                 id="edit a kind"),
    pytest.param([decide("edit", "3x", field="title", kind="speedup")],
                 [reviewed(T3, "corrected", kind="speedup"), S, M, L, O], id="a title claim is keyed by its field"),
    pytest.param([decide("add", "faster", kind="speedup", low=1.0, high=1.0, unit="x")],
                 [T3, S, ("faster", "speedup", 1.0, "", "", "added"), M, L, O], id="add a missed claim, in text order"),
    pytest.param([decide("accept", "2.5x")], [T3, reviewed(S, "accepted"), M, L, O],
                 id="a bare accept of '2.5x' finds the wider 'up to 2.5x' and keeps it as extracted"),
    pytest.param([decide("accept", "2.5x", kind="speedup", low=2.5, high=2.5, unit="x", qualifier="")],
                 [T3, reviewed(S, "corrected", text="2.5x", qualifier=""), M, L, O],
                 id="an accept with values keeps what the person saw, though the extractor now reads wider"),
    pytest.param([decide("add", "2.5x", occurrence=2, kind="speedup", low=2.5, high=2.5, unit="x")],
                 [T3, S, M, reviewed(L, "accepted"), O], id="adding a claim the extractor now finds is an accept"),
    pytest.param([decide("edit", "81.2%", benchmark="X"), decide("reject", "81.2%")], [T3, S, L, O],
                 id="edit then reject: rejected"),
    pytest.param([decide("reject", "81.2%"), decide("accept", "81.2%")], [T3, S, reviewed(M, "accepted"), L, O],
                 id="reject then accept: the last word counts"),
    pytest.param([decide("edit", "81.2%", benchmark="X"), decide("edit", "81.2%", low=82.1, high=82.1)],
                 [T3, S, reviewed(M, "corrected", benchmark="X", low=82.1), L, O], id="two edits of one claim both apply"),
    pytest.param([decide("add", "faster", kind="speedup", low=1.0, high=1.0), decide("reject", "faster")],
                 [T3, S, M, L, O], id="an added claim later rejected is gone"),
    pytest.param([decide("reject", "70%", paper="p2")], [T3, S, M, L], id="decisions on another paper"),
    pytest.param([decide("reject", "81.2%", paper="p9")], [T3, S, M, L, O], id="decisions on a paper not in the input"),
]


@pytest.mark.parametrize("decisions, expected", APPLY_CASES)
def test_decisions_apply_to_the_claims(decisions: list[Decision], expected: list[tuple]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # none of these decisions is stale
        result = apply_corrections(table(EXTRACTED), decisions, PAPERS)
    assert shown(result) == expected
    assert all(ABSTRACT[row["start"]:row["end"]] == row["text"] or row["field"] == "title"
               for row in result[result.paper == "p1"].to_dict("records"))


def test_the_callers_table_is_left_as_it_was() -> None:
    extracted = table(EXTRACTED)
    before = extracted.copy()
    corrected = apply_corrections(extracted, [decide("edit", "81.2%", kind="gain", unit="pt")], PAPERS)
    pd.testing.assert_frame_equal(extracted, before)
    again = apply_corrections(corrected, [decide("reject", "70%", paper="p2")], PAPERS)  # a corrected table again
    assert shown(corrected)[-1] == O and len(again) == len(corrected) - 1


def test_an_added_claim_takes_its_papers_metadata() -> None:
    """A claims table with the papers' metadata (what the explorer and leaderboards read) keeps
    it, for added rows too: their date comes from the papers table."""
    papers = PAPERS.assign(published=["2024-05-01", "2024-06-01"])
    extracted = table(EXTRACTED).assign(published=lambda t: t["paper"].map({"p1": "2024-05-01", "p2": "2024-06-01"}))
    result = apply_corrections(extracted, [decide("add", "faster", kind="speedup", low=1.0, high=1.0)], papers)
    assert list(result.columns) == [*extracted.columns, "review"]
    assert result.set_index("text").loc["faster", "published"] == "2024-05-01"
    assert result["published"].notna().all()


def test_rejected_rows_are_kept_on_request() -> None:
    result = apply_corrections(table(EXTRACTED), [decide("reject", "81.2%")], PAPERS, keep_rejected=True)
    assert shown(result)[2] == reviewed(M, "rejected")


def test_corrected_rows_keep_the_table_whole() -> None:
    result = apply_corrections(table(EXTRACTED), [decide("edit", "81.2%", benchmark="Foo Bench v2", unit="pt"),
                                                  decide("add", "faster", kind="speedup", low=1, high=1, unit="times")],
                               PAPERS)
    edited = result[result.text == "81.2%"].iloc[0]
    assert edited["benchmark_key"] == "foobenchv2" and edited["unit"] == "pt"
    added = result[result.text == "faster"].iloc[0]
    assert added["rule"] == "by_hand" and added["sentence"] == ABSTRACT and added["title"] == TITLE
    assert str(result["review"].dtype) == "category" and str(result["kind"].dtype) == "category"
    assert set(result["unit"].cat.categories) >= {"x", "%", "pt", "times"}


STALE_CASES = [
    (decide("accept", "7x"), "accept '7x' (occurrence 1) in p1 abstract: the text is not in the paper any more"),
    (decide("reject", "2.5x", occurrence=3), "reject '2.5x' (occurrence 3) in p1 abstract: the text occurs only 2 time(s)"),
    (decide("edit", "faster", kind="gain"), "edit 'faster' (occurrence 1) in p1 abstract: no claim is there any more"),
]


@pytest.mark.parametrize("decision, message", STALE_CASES, ids=[case[1].split(": ")[-1] for case in STALE_CASES])
def test_a_decision_that_finds_no_claim_is_reported_one_line_each(tmp_path: Path, decision: Decision, message: str) -> None:
    path = tmp_path / "corrections.jsonl"
    written = record_decision(path, decision)
    with pytest.warns(StaleCorrectionWarning) as caught:
        result = apply_corrections(table(EXTRACTED), path, PAPERS)
    assert [str(warning.message) for warning in caught] == [f"{path}:{written.line}: {message}"]
    assert len(result) == len(EXTRACTED)  # nothing else changed


# --- keys ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, part, start, occurrence", [
    ("2x, then 2x again", "2x", 0, 1),
    ("2x, then 2x again", "2x", 9, 2),
    ("aaa", "aa", 1, 2),  # overlapping places count
])
def test_occurrences_round_trip(text: str, part: str, start: int, occurrence: int) -> None:
    assert occurrence_at(text, part, start) == occurrence
    assert nth_occurrence(text, part, occurrence) == start


def test_decision_for_a_row_carries_its_values_and_occurrence() -> None:
    row = table(EXTRACTED).iloc[3].to_dict()  # the second "2.5x"
    decision = decision_for(row, "edit", ABSTRACT, {"benchmark": "LongBench"}, note="long inputs")
    assert decision.record() == {"action": "edit", "paper": "p1", "field": "abstract", "text": "2.5x", "occurrence": 2,
                                 "kind": "speedup", "low": 2.5, "high": 2.5, "unit": "x", "qualifier": "",
                                 "metric": "", "benchmark": "LongBench", "baseline": "", "note": "long inputs"}
    assert decision_for(row, "reject", ABSTRACT).values == {}


# --- the file --------------------------------------------------------------------------------

GOOD = {"action": "accept", "paper": "p1", "field": "abstract", "text": "81.2%", "occurrence": 1}


def line(**changes) -> str:
    record = {**GOOD, **changes}
    return json.dumps({key: value for key, value in record.items() if value is not None})


BAD_FILES = [
    ("broken JSON", f"{line()}\n{{\"action\": \"accept\", \"pap\n", ":2: broken JSON record"),
    ("not an object", f"{line()}\n[1, 2]\n", ":2: a JSON line must be an object"),
    ("unknown action", f"{line(action='approve')}\n", ':1: unknown action "approve" (known: accept, reject, edit, add)'),
    ("misspelt field", f"{line()}\n{line(action='edit', benchmrk='MMLU')}\n", ":2: unknown field 'benchmrk'"),
    ("no paper", f"{line(paper=None)}\n", ":1: no 'paper'"),
    ("empty text", f"{line(text='')}\n", ":1: text must be a non-empty string"),
    ("bad field", f"{line(field='body')}\n", ":1: field must be 'title' or 'abstract'"),
    ("occurrence 0", f"{line(occurrence=0)}\n", ":1: occurrence must be a whole number from 1, not 0"),
    ("occurrence text", f"{line(occurrence='1')}\n", ':1: occurrence must be a whole number from 1, not "1"'),
    ("unknown kind", f"{line(action='edit', kind='speed')}\n", ":1: unknown kind 'speed'"),
    ("unknown qualifier", f"{line(action='edit', qualifier='upto')}\n", ":1: unknown qualifier 'upto'"),
    ("value as text", f"{line(action='edit', low='2.5')}\n", ':1: low must be a number, not "2.5"'),
    ("low above high", f"{line(action='edit', low=3, high=2)}\n", ":1: low 3 is above high 2"),
    ("edit of nothing", f"{line(action='edit')}\n", ":1: an edit must give at least one of kind"),
    ("add without values", f"{line(action='add', kind='score')}\n", ":1: an added claim needs low, high"),
    ("repeated id", f"{line(id='a1')}\n\n{line(id='a1', text='2.5x')}\n", ":3: id 'a1' is used twice"),
    ("binary", "\x00\x01\x02garbage\n", ":1: binary data, not text"),
]


@pytest.mark.parametrize("content, message", [case[1:] for case in BAD_FILES], ids=[case[0] for case in BAD_FILES])
def test_bad_corrections_files_name_file_and_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "corrections.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_corrections(path)
    assert str(caught.value).startswith(f"{path}:") and message in str(caught.value), str(caught.value)


def test_an_empty_file_holds_no_decisions(tmp_path: Path) -> None:
    path = tmp_path / "corrections.jsonl"
    path.write_text("\n", encoding="utf-8")
    assert read_corrections(path) == []


def test_record_and_undo(tmp_path: Path) -> None:
    path = tmp_path / "review" / "corrections.jsonl"
    path.parent.mkdir()
    first = record_decision(path, decide("accept", "81.2%"))
    second = record_decision(path, decide("reject", "2.5x", occurrence=2, note="not a speed-up"))
    assert (first.line, second.line) == (1, 2) and first.id != second.id and first.at
    assert [d.action for d in read_corrections(path)] == ["accept", "reject"]
    assert undo_decision(path, first.id).describe() == "accept '81.2%' (occurrence 1) in p1 abstract"
    assert [d.id for d in read_corrections(path)] == [second.id]
    with pytest.raises(KeyError):
        undo_decision(path, first.id)
    assert sorted(p.name for p in path.parent.iterdir()) == [".corrections.jsonl.lock", "corrections.jsonl"]


def test_an_invalid_decision_is_never_written(tmp_path: Path) -> None:
    path = tmp_path / "corrections.jsonl"
    with pytest.raises(InputError, match="unknown kind"):
        record_decision(path, decide("edit", "81.2%", kind="speed"))
    assert not path.exists()


WRITER = textwrap.dedent("""
    import sys
    from claimkit.corrections import Decision, record_decision
    path, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    for number in range(count):
        record_decision(path, Decision("accept", f"{name}-{number}", "abstract", "81.2%"))
""")


def test_writers_in_several_processes_lose_no_decision(tmp_path: Path) -> None:
    """Four processes record 25 decisions each into one file at the same time (the explorer's
    case of two notebooks on one file): every decision is there, every line whole."""
    path = tmp_path / "corrections.jsonl"
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), f"w{index}", "25"]) for index in range(4)]
    assert [writer.wait(timeout=120) for writer in writers] == [0] * 4
    decisions = read_corrections(path)
    assert sorted(d.paper for d in decisions) == sorted(f"w{i}-{n}" for i in range(4) for n in range(25))
    assert len({d.id for d in decisions}) == 100


# --- curated claims as gold ------------------------------------------------------------------


def test_reviewed_claims_are_the_gold() -> None:
    decisions = [decide("accept", "81.2%"), decide("accept", "3x", field="title"),
                 decide("edit", "2.5x", occurrence=2, kind="gain"),  # the extractor's kind was wrong
                 decide("reject", "up to 2.5x"),
                 decide("add", "faster", kind="speedup", low=1.0, high=1.0)]
    gold, predicted = reviewed_gold(table(EXTRACTED), decisions, PAPERS)
    assert sorted(gold["text"]) == ["2.5x", "3x", "81.2%", "faster"]
    assert sorted(predicted["text"]) == ["2.5x", "3x", "81.2%", "up to 2.5x"]  # as extracted; 70% nobody reviewed
    scores = evaluate(predicted, gold).set_index("scope")
    # the two extracted 2.5x speed-ups of one paper count once (the spec's dedup); matched: 81.2%, 3x
    assert scores.loc["all", ["gold", "predicted", "matched"]].tolist() == [4, 3, 2]
    assert scores.loc["kind-blind", "matched"] == 3  # the re-kinded "2.5x" is found, as the wrong kind


@pytest.mark.parametrize("content, expected", [
    (b'{"action": "reject", "paper": "p1", "text": "7x"}\n', True),
    (b'\xef\xbb\xbf{"action": "reject", "paper": "p1", "text": "7x"}\n', True),  # a byte-order mark
    (b'\n\n{"action": "accept", "paper": "p1", "text": "7x"}\n', True),
    (b'{"paper": "p1", "text": "7x", "kind": "speedup"}\n', False),  # a gold claim
    (b'not json\n', False),
    (b'', False),
])
def test_a_corrections_file_is_told_from_gold_by_its_first_record(tmp_path, content: bytes, expected: bool) -> None:
    from claimkit.corrections import looks_like_corrections

    path = tmp_path / "file.jsonl"
    path.write_bytes(content)
    assert looks_like_corrections(path) is expected
    assert looks_like_corrections(tmp_path / "missing.jsonl") is False
