"""`claimkit diff`: claims added, removed and changed between two claims tables."""

from __future__ import annotations

import subprocess
import sys

import pytest

from claimkit.diff import diff_claims, summary
from claimkit.io import write_claims
from claimkit.table import claims_frame

SENTENCE = "It runs up to 2.5x faster and scores 81.2% on MMLU."


def table(*claims: tuple) -> "pd.DataFrame":  # noqa: F821
    """Claims of one paper from (start, end, kind, low, unit, qualifier, benchmark) tuples."""
    names = ("start", "end", "kind", "low", "unit", "qualifier", "benchmark")
    rows = [dict(zip(names, claim)) for claim in claims]
    columns = {name: [row[name] for row in rows] for name in names}
    n = len(rows)
    columns.update(paper=["p1"] * n, title=["T"] * n, field=["abstract"] * n,
                   text=[SENTENCE[row["start"]:row["end"]] for row in rows], high=columns["low"],
                   metric=[""] * n, baseline=[""] * n, sentence=[SENTENCE] * n)
    return claims_frame(columns)



def span(text: str) -> tuple[int, int]:
    return SENTENCE.index(text), SENTENCE.index(text) + len(text)


SPEED = (*span("up to 2.5x"), "speedup", 2.5, "x", "up_to", "")
SPEED_BARE = (*span("2.5x"), "speedup", 2.5, "x", "", "")
SCORE = (*span("81.2%"), "score", 81.2, "%", "", "MMLU")
SCORE_AS_GAIN = (*span("81.2%"), "gain", 81.2, "%", "", "MMLU")

CASES = [
    pytest.param([SPEED, SCORE], [SPEED, SCORE], [], id="same claims: no change"),
    pytest.param([SPEED], [SPEED, SCORE], [("added", "score", "")], id="a new claim is added"),
    pytest.param([SPEED, SCORE], [SCORE], [("removed", "speedup", "")], id="a lost claim is removed"),
    pytest.param([SCORE], [SCORE_AS_GAIN], [("changed", "gain", "kind")], id="another kind is a change"),
    pytest.param([SPEED_BARE], [SPEED], [("changed", "speedup", "text,qualifier")],
                 id="a widened span is a change of the same claim, not a removal and an addition"),
]


@pytest.mark.parametrize("old, new, expected", CASES)
def test_changes_between_two_tables(old: list, new: list, expected: list) -> None:
    diff = diff_claims(table(*old), table(*new))
    assert list(zip(diff["change"], diff["kind"], diff["changed"])) == expected


def test_summary_counts_each_change_by_kind() -> None:
    old, new = table(SPEED, SCORE), table(SCORE_AS_GAIN)
    counts = summary(diff_claims(old, new), old, new).set_index("kind")
    assert counts.loc["speedup", ["old", "new", "removed"]].tolist() == [1, 0, 1]
    assert counts.loc["gain", ["old", "new", "changed"]].tolist() == [0, 1, 1]
    assert counts.loc["all", ["old", "new", "added", "removed", "changed"]].tolist() == [2, 1, 0, 1, 1]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "claimkit.cli", *args], capture_output=True, text=True, timeout=120)


def test_the_command_lists_changes_with_their_sentences(tmp_path) -> None:
    old, new, out = tmp_path / "old.jsonl", tmp_path / "new.parquet", tmp_path / "diff.csv"
    write_claims(table(SPEED, SCORE), old)
    write_claims(table(SCORE_AS_GAIN), new)
    result = run("diff", str(old), str(new), "--change", "changed", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert f"~ p1 abstract:{SCORE[0]}  changed kind" in result.stdout
    assert "- score 81.2 % '81.2%' @MMLU" in result.stdout and "+ gain 81.2 % '81.2%' @MMLU" in result.stdout
    assert f"| {SENTENCE}" in result.stdout and "speedup" in result.stdout  # the summary still counts it
    assert "removed" in out.read_text()  # the file holds every change, whatever is listed


@pytest.mark.parametrize("make, message", [
    (lambda path: None, "no such file"),
    (lambda path: path.mkdir(), "is a directory"),
    (lambda path: path.write_text('{"id": "p1", "title": "T", "abstract": "A"}\n'), "not a claims table: no column paper"),
    (lambda path: path.write_text('{"paper": "p1", \n'), "not a readable claims file"),
])
def test_bad_claims_files_are_one_line_errors(tmp_path, make, message: str) -> None:
    good, bad = tmp_path / "good.jsonl", tmp_path / "bad.jsonl"
    write_claims(table(SPEED), good)
    make(bad)
    result = run("diff", str(good), str(bad))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and str(bad) in result.stderr and message in result.stderr
