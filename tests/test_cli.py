"""The claimkit command, run as a real process: extract and eval on the embedded corpus."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from claimkit.corpus import DEFAULT_CORPUS, SEED_GOLD, SEED_PAPERS


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "claimkit.cli", *args], capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_extract_writes_the_claims_table(tmp_path, suffix: str) -> None:
    output = tmp_path / f"claims{suffix}"
    result = run("extract", str(SEED_PAPERS), "-o", str(output), "--quiet")
    assert result.returncode == 0, result.stderr
    table = {".jsonl": lambda p: pd.read_json(p, lines=True), ".csv": pd.read_csv, ".parquet": pd.read_parquet}[suffix](output)
    assert len(table) > 150 and set(table["kind"]) <= {"speedup", "gain", "score", "reduction",
                                                     "model_size", "data_size", "compute"}
    assert {"paper", "start", "end", "text", "low", "high", "sentence"} <= set(table.columns)


def test_extract_jsonl_rows_carry_the_documented_columns(tmp_path) -> None:
    output = tmp_path / "claims.jsonl"
    assert run("extract", str(SEED_PAPERS), "-o", str(output), "-q").returncode == 0
    row = json.loads(output.read_text().splitlines()[0])
    assert list(row) == ["paper", "title", "field", "start", "end", "text", "kind", "low", "high",
                         "unit", "qualifier", "metric", "benchmark", "benchmark_key", "baseline", "rule", "sentence"]


def test_eval_prints_the_score_table() -> None:
    result = run("eval", "--gold", str(SEED_GOLD), str(SEED_PAPERS))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:7] == ["scope", "gold", "predicted", "matched", "precision", "recall", "f1"]
    overall = next(line for line in lines if line.split()[0] == "all").split()
    assert float(overall[6]) >= 0.9


def test_bad_output_suffix_is_a_one_line_error(tmp_path) -> None:
    result = run("extract", str(SEED_PAPERS), "-o", str(tmp_path / "claims.xlsx"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "claims.xlsx" in result.stderr


def test_extract_without_input_reads_the_default_corpus(tmp_path) -> None:
    output = tmp_path / "claims.parquet"
    result = run("extract", "-o", str(output), "-q")
    assert result.returncode == 0, result.stderr
    claims = pd.read_parquet(output)
    assert claims["paper"].nunique() > 2000 and set(claims["paper"]) <= set(
        pd.read_json(DEFAULT_CORPUS, lines=True, dtype=False)["id"])
