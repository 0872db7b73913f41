"""Corrections through the real ``claimkit`` command: ``extract --corrections``, a correction
that survives a changed extractor, ``eval --gold corrections.jsonl``, and bad corrections files
(file:line, exit 2, no output)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import claimkit
from claimkit import extract_claims, read_papers
from claimkit.corpus import SEED_GOLD
from claimkit.corrections import decision_for, read_corrections, record_decision
from claimkit.stream import read_claims

PAPERS = [
    {"id": "2401.00001", "title": "RaLMSpec: Fast Retrieval",
     "abstract": "RaLMSpec achieves up to 7.59x speed-up and scores 81.2% on MMLU. We train it on 8 V100 GPUs."},
    {"id": "2401.00002", "title": "Other", "abstract": "Our method is up to 3x faster than vLLM and reaches 70% on GSM8K."},
]


def run(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "claimkit.cli", *args], capture_output=True, text=True,
                          timeout=300, cwd=cwd, env=env)


@pytest.fixture()
def reviewed(tmp_path: Path) -> tuple[Path, Path]:
    """A papers file and a person's corrections of its first paper, made on today's extraction:
    the speed-up accepted, the score's benchmark corrected, the GPUs rejected, a claim added."""
    source = tmp_path / "papers.jsonl"
    source.write_text("".join(json.dumps(paper) + "\n" for paper in PAPERS), encoding="utf-8")
    papers = read_papers(source)
    claims = extract_claims(papers).set_index("text", drop=False)
    abstract = papers.abstract[0]
    corrections = tmp_path / "corrections.jsonl"
    record_decision(corrections, decision_for(claims.loc["up to 7.59x"], "accept", abstract))
    record_decision(corrections, decision_for(claims.loc["81.2%"], "edit", abstract, {"benchmark": "MMLU-Redux"}))
    record_decision(corrections, decision_for(claims.loc["8 V100 GPUs"], "reject", abstract))
    record_decision(corrections, decision_for({"paper": "2401.00001", "field": "title", "start": 0, "text": "RaLMSpec"},
                                              "add", papers.title[0], {"kind": "model_size", "low": 1e9, "high": 1e9,
                                                                       "unit": "params"}))
    return source, corrections


def rows(path: Path) -> list[tuple]:
    """Paper, text, qualifier and review of each claim; the benchmark only where a person set it."""
    claims = read_claims(path)
    return [(row["paper"][-1], row["text"], str(row["qualifier"]), str(row["review"]))
            + ((row["benchmark"],) if row["review"] == "corrected" and row["benchmark"] != "MMLU" else ())
            for row in claims.to_dict("records")]


def test_extract_applies_the_corrections(tmp_path: Path, reviewed: tuple[Path, Path]) -> None:
    source, corrections = reviewed
    out = tmp_path / "claims.parquet"
    result = run("extract", str(source), "-o", str(out), "-q", "--corrections", str(corrections), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert rows(out) == [("1", "RaLMSpec", "", "added"), ("1", "up to 7.59x", "up_to", "accepted"),
                         ("1", "81.2%", "", "corrected", "MMLU-Redux"),
                         ("2", "up to 3x", "up_to", "extracted"), ("2", "70%", "", "extracted")]
    assert result.stderr.splitlines() == [
        "claimkit: corrections: 4 decisions; rows 1 accepted, 1 corrected, 1 added, 1 rejected; 0 found no claim"]


def test_corrections_survive_a_changed_extractor(tmp_path: Path, reviewed: tuple[Path, Path]) -> None:
    """The extractor in a temporary copy of the package no longer knows the qualifier "up to": the
    unreviewed "up to 3x" becomes "3x", the reviewed "up to 7.59x" keeps what the person accepted."""
    copy = tmp_path / "changed"
    shutil.copytree(Path(claimkit.__file__).parent, copy / "claimkit", ignore=shutil.ignore_patterns("__pycache__", "*.so"))
    qualifiers = copy / "claimkit" / "vocab" / "qualifiers.txt"
    qualifiers.write_text(qualifiers.read_text().replace("up_to | up to | ", "up_to | "), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(copy), "CLAIMKIT_PURE_PYTHON": "1"}
    source, corrections = reviewed
    out = tmp_path / "claims.jsonl"
    result = run("extract", str(source), "-o", str(out), "-q", "--corrections", str(corrections), cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert rows(out) == [("1", "RaLMSpec", "", "added"), ("1", "up to 7.59x", "up_to", "corrected"),
                         ("1", "81.2%", "", "corrected", "MMLU-Redux"),
                         ("2", "3x", "", "extracted"), ("2", "70%", "", "extracted")]
    assert "0 found no claim" in result.stderr


def test_stale_corrections_are_reported_one_line_each(tmp_path: Path, reviewed: tuple[Path, Path]) -> None:
    source, corrections = reviewed
    changed = [dict(paper, abstract=paper["abstract"].replace("81.2%", "81.3%")) for paper in PAPERS]
    source.write_text("".join(json.dumps(paper) + "\n" for paper in changed), encoding="utf-8")
    with corrections.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"action": "reject", "paper": "2409.99999", "text": "5x"}) + "\n")
    result = run("extract", str(source), "-o", str(tmp_path / "claims.csv"), "-q", "--corrections", str(corrections),
                 cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "claimkit: corrections: 5 decisions; rows 1 accepted, 0 corrected, 1 added, 1 rejected; 1 found no claim",
        f"claimkit: stale: {corrections}:2: edit '81.2%' (occurrence 1) in 2401.00001 abstract: "
        "the text is not in the paper any more",
        "claimkit: 1 decisions are about papers not in this input (not applied)"]


BAD = [
    ("missing file", None, "corrections.jsonl: No such file or directory"),
    ("broken line", '{"action": "accept", "paper": "p", "text": "2x"}\n{"action": \n', "corrections.jsonl:2: broken JSON record"),
    ("bad value", '{"action": "edit", "paper": "p", "text": "2x", "kind": "fast"}\n', "corrections.jsonl:1: unknown kind 'fast'"),
]


@pytest.mark.parametrize("content, message", [case[1:] for case in BAD], ids=[case[0] for case in BAD])
@pytest.mark.parametrize("command", ["extract", "check", "eval"])
def test_bad_corrections_files_stop_before_any_output(tmp_path: Path, command: str, content: str | None, message: str) -> None:
    source = tmp_path / "papers.jsonl"
    source.write_text(json.dumps(PAPERS[0]) + "\n", encoding="utf-8")
    if content is not None:
        (tmp_path / "corrections.jsonl").write_text(content, encoding="utf-8")
    old = tmp_path / "out.jsonl"
    old.write_text('{"previous": "run"}\n', encoding="utf-8")
    args = {"extract": ("extract", str(source), "-o", str(old), "--corrections", "corrections.jsonl"),
            "check": ("check", str(source), "-o", str(old), "--corrections", "corrections.jsonl"),
            "eval": ("eval", str(source), "--gold", "corrections.jsonl", "--save-gold", str(old))}[command]
    before = sorted(p.name for p in tmp_path.iterdir())
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"claimkit: error: {message}"), result.stderr
    assert old.read_text() == '{"previous": "run"}\n' and sorted(p.name for p in tmp_path.iterdir()) == before


def test_eval_scores_the_extractor_on_what_a_person_reviewed(tmp_path: Path, reviewed: tuple[Path, Path]) -> None:
    source, corrections = reviewed
    gold = tmp_path / "gold.jsonl"
    result = run("eval", str(source), "--gold", str(corrections), "--save-gold", str(gold), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    overall = next(line.split() for line in result.stdout.splitlines() if line.split()[0] == "all")
    # gold: the speed-up, the score (benchmark corrected) and the added size; predicted: speed-up, score, GPUs
    assert overall[1:4] == ["3", "3", "2"]
    saved = [json.loads(line) for line in gold.read_text().splitlines()]
    assert [claim["text"] for claim in saved] == ["RaLMSpec", "up to 7.59x", "81.2%"]
    assert saved[2]["benchmark"] == "MMLU-Redux"
    assert list(saved[0]) == ["paper", "text", "kind", "low", "high", "unit", "qualifier", "metric", "benchmark", "baseline"]
    again = run("eval", str(source), "--gold", str(gold), cwd=tmp_path)  # the saved gold is ordinary gold
    assert again.returncode == 0, again.stderr


def test_eval_on_papers_nobody_reviewed_is_an_error(tmp_path: Path, reviewed: tuple[Path, Path]) -> None:
    _, corrections = reviewed
    other = tmp_path / "other.jsonl"
    other.write_text(json.dumps({"id": "2501.1", "title": "T", "abstract": "It is 2x faster."}) + "\n", encoding="utf-8")
    result = run("eval", str(other), "--gold", str(corrections), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == (f"claimkit: error: {corrections}: no decision here is about a paper of the input "
                                     "(pass the papers it reviewed)")
    assert len(read_corrections(corrections)) == 4  # untouched


def test_chunks_and_worker_processes_apply_the_same_corrections(tmp_path: Path, reviewed: tuple[Path, Path]) -> None:
    """Each chunk meets its own papers' decisions, in order, whatever the engine runs."""
    from claimkit.corrections import Corrections
    from claimkit.scale import extract_to_file

    source, corrections = reviewed
    more = [dict(paper, id=f"2402.{n:05d}") for n in range(6) for paper in PAPERS[1:]]
    source.write_text("".join(json.dumps(paper) + "\n" for paper in (more[:3] + PAPERS + more[3:])), encoding="utf-8")
    whole, chunked = tmp_path / "whole.parquet", tmp_path / "chunked.parquet"
    stats = extract_to_file([source], whole, progress=False, corrections=Corrections.read(corrections))
    extract_to_file([source], chunked, progress=False, chunk_size=1, jobs=2, corrections=Corrections.read(corrections))
    pd.testing.assert_frame_equal(read_claims(whole), read_claims(chunked))
    assert stats.reviews == {"extracted": 14, "accepted": 1, "corrected": 1, "added": 1, "rejected": 1}
    assert stats.stale == [] and len(stats.decisions_in_scope) == 4


def test_save_gold_needs_a_corrections_file(tmp_path: Path) -> None:
    source = tmp_path / "papers.jsonl"
    source.write_text(json.dumps(PAPERS[0]) + "\n", encoding="utf-8")
    result = run("eval", str(source), "--gold", str(SEED_GOLD), "--save-gold", str(tmp_path / "gold.jsonl"), cwd=tmp_path)
    assert result.returncode == 2 and not (tmp_path / "gold.jsonl").exists()
    assert result.stderr.strip() == ("claimkit: error: --save-gold: needs a corrections file as --gold "
                                     "(this gold file is gold already)")
