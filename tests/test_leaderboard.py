"""Leaderboards from claims: which benchmark, which rows, in which order, with which marks.

Claims tables are written out as small named tables of claims; the expectations are what a
person reading the sentences would put on the leaderboard.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from claimkit import leaderboard as lb
from claimkit.cache import load_corpus
from claimkit.names import benchmark_key
from claimkit.corpus import DEFAULT_CORPUS

sys.path.insert(0, str(Path(__file__).parent))
from _board import BOARD, claims_table  # noqa: E402


@pytest.fixture(scope="module")
def board() -> pd.DataFrame:
    return lb.leaderboard(BOARD, "GSM8K")


def row_of(board: pd.DataFrame, paper: str) -> pd.Series:
    rows = board[board["paper"] == paper]
    assert len(rows) == 1, f"{paper}: {len(rows)} rows"
    return rows.iloc[0]


def test_the_leaderboard_ranks_comparable_scores_best_first_with_the_best_marked(board):
    ranked = board[board["comparable"]]
    assert ranked["value"].tolist() == sorted(ranked["value"], reverse=True)
    assert ranked["rank"].tolist() == list(range(1, len(ranked) + 1))
    assert board["best"].sum() == 1 and row_of(board, "2408.00008")["best"]
    assert board["comparable"].tolist() == sorted(board["comparable"], reverse=True)  # the others after
    assert board["rank"][~board["comparable"]].isna().all()
    assert board.attrs == {"benchmark": "GSM8K", "metric": "accuracy", "lower_is_better": False}
    assert "2410.00010" not in set(board["paper"])  # MATH is another benchmark
    assert list(board.columns) == list(lb.COLUMNS)


@pytest.mark.parametrize("paper, note", [
    ("2401.00001", ""),
    ("2402.00002", ""),  # "GSM-8K" is the same benchmark
    ("2403.00003", "up to"),
    ("2404.00004", "a gain, not a score"),
    ("2406.00006", "another metric (length); another unit (tokens)"),
    ("2407.00007", "another metric (pass@1)"),
    ("2408.00008", ""),
    ("2409.00009", ""),  # its test-set claim compares; its validation claim is not its best comparable one
])
def test_rows_that_do_not_compare_say_why(board, paper, note):
    assert row_of(board, paper)["note"] == note
    assert row_of(board, paper)["comparable"] == (note == "")


def test_a_before_after_pair_is_one_row_ranked_by_its_after_value(board):
    pair = row_of(board, "2405.00005")
    assert (pair["before"], pair["value"]) == (41.0, 62.0)
    assert pair["claim"] == "62.0%" and pair["comparable"]
    assert np.isnan(row_of(board, "2401.00001")["before"])


def test_each_row_carries_its_method_date_link_and_sentence(board):
    first = row_of(board, "2401.00001")
    assert first["method"] == "AlphaMath"
    assert first["published"] == "2024-01-05"
    assert first["url"] == "https://arxiv.org/abs/2401.00001"
    assert first["sentence"] == "AlphaMath achieves 91.2% on GSM8K."
    assert row_of(board, "2402.00002")["method"] == "BetaSolver"


def test_another_split_is_marked_against_the_split_most_scores_name():
    claims = claims_table([
        {"paper": "a", "text": "61.0", "value": 61.0, "unit": "", "benchmark": "COCO",
         "sentence": "A reaches 61.0 AP on COCO test-dev."},
        {"paper": "b", "text": "60.0", "value": 60.0, "unit": "", "benchmark": "COCO",
         "sentence": "B reaches 60.0 AP on COCO test-dev."},
        {"paper": "c", "text": "63.0", "value": 63.0, "unit": "", "benchmark": "COCO",
         "sentence": "C reaches 63.0 AP on COCO val."},
    ])
    board = lb.leaderboard(claims, benchmark_key("COCO"))
    assert dict(zip(board["paper"], board["note"])) == {"a": "", "b": "", "c": "another split (val)"}


def test_error_like_metrics_rank_lowest_first():
    claims = claims_table([
        {"paper": p, "text": t, "value": v, "unit": "", "benchmark": "ImageNet", "metric": "fid", "published": d,
         "sentence": f"M{p} achieves an FID of {t} on ImageNet."}
        for p, t, v, d in (("a", "2.10", 2.1, "2025-01"), ("b", "1.35", 1.35, "2025-03"), ("c", "3.00", 3.0, "2025-02"))])
    board = lb.leaderboard(claims, "ImageNet")
    assert board["paper"].tolist() == ["b", "a", "c"] and board.attrs["lower_is_better"]
    assert lb.best_over_time(board)["paper"].tolist() == ["a", "b"]  # c in between is no new best


def test_one_row_per_paper_and_method_keeps_its_best_claim():
    claims = claims_table([
        {"paper": "a", "text": "80.0%", "value": 80.0, "sentence": "FooNet achieves 80.0% on GSM8K."},
        {"paper": "a", "text": "85.0%", "value": 85.0, "sentence": "FooNet achieves 85.0% on GSM8K with voting."},
        {"paper": "a", "text": "60.0%", "value": 60.0, "sentence": "The baseline BarLM achieves 60.0% on GSM8K."},
    ])
    board = lb.leaderboard(claims, "GSM8K")
    assert sorted(zip(board["method"], board["value"])) == [("BarLM", 60.0), ("FooNet", 85.0)]


def test_metric_any_ranks_every_score_and_an_unnamed_metric_ranks_nothing_else(board):
    anything = lb.leaderboard(BOARD, "GSM8K", metric="")
    assert row_of(anything, "2407.00007")["comparable"]
    assert anything.attrs["metric"] == ""
    by_pass = lb.leaderboard(BOARD, "GSM8K", metric="pass@1")
    assert by_pass.loc[by_pass["comparable"], "paper"].tolist()[0] == "2407.00007"


def test_best_over_time_steps_through_each_new_best_by_date(board):
    records = lb.best_over_time(board)
    assert records["published"].tolist() == sorted(records["published"])
    assert records["value"].tolist() == sorted(records["value"])  # each beats the one before
    assert records["paper"].tolist() == ["2401.00001", "2408.00008"]
    assert set(records.columns) >= {"published", "value", "method", "title", "claim", "sentence"}


def test_an_unknown_benchmark_gives_an_empty_board_with_the_columns():
    board = lb.leaderboard(BOARD, "NoSuchBench")
    assert board.empty and list(board.columns) == list(lb.COLUMNS)
    assert lb.best_over_time(board).empty


@pytest.mark.parametrize("typed, key", [
    ("GSM8K", "GSM8K"), ("gsm8k", "GSM8K"), ("gsm-8k", "GSM8K"), ("GSM 8K", "GSM8K"), ("MATH", "MATH"),
    ("AIME-2024", "AIME 2024"), ("aime24", "AIME 2024"), ("aime", None), ("zzz", None), ("", None),
])
def test_resolve_key_takes_any_spelling_or_a_unique_part(typed, key):
    assert lb.resolve_key(["GSM8K", "MATH", "AIME 2024", "AIME 2025"], typed) == key


@pytest.mark.parametrize("method, sentence, claim, title", [
    ("Skywork-Math 7B", "Skywork-Math 7B has achieved impressive accuracies of 83.9% on GSM8K.", "83.9%", ""),
    ("DotaMath-deepseek-7B", "Notably, DotaMath-deepseek-7B showcases an outstanding performance of 86.7% on GSM8K.",
     "86.7%", ""),
    ("Gemini-2.5-Pro", "The best model, Gemini-2.5-Pro, achieves 95.22% accuracy on GSM8K.", "95.22%", ""),
    ("SuperCorrect-7B", "Our SuperCorrect-7B model significantly surpasses DeepSeekMath-7B by 7.8% on MATH.", "7.8%", ""),
    ("rStar", "Remarkably, rStar boosts GSM8K accuracy from 12.51% to 63.91% for LLaMA2-7B.", "63.91%", ""),
    ("ViT-H/14", "On ImageNet, ViT-H/14 attains 88.55% top-1 accuracy.", "88.55%", ""),
    ("Xolver", "With o3-mini-high, it achieves new best results on GSM8K (98.1%).", "98.1%", "Xolver: Multi-Agent ..."),
    ("", "We then train a 20B model that achieves 88.5% on GSM8K.", "88.5%", "Step-Controlled DPO for math reasoning"),
    ("", "For example, 54% improvement on GSM8K.", "54%", ""),
])
def test_method_is_the_name_before_the_verb_else_the_titles_head(method, sentence, claim, title):
    assert lb.method_name(sentence, claim, title) == method


def test_the_text_table_is_aligned_and_says_what_it_ranks(board):
    text = lb.format_leaderboard(board)
    lines = text.splitlines()
    assert lines[0].startswith("GSM8K: ") and "ranked by accuracy" in lines[0]
    assert lines[1].split()[:3] == ["rank", "value", "method"]
    assert lines[2].startswith("*1 ") and "94%" in lines[2] and "https://arxiv.org/abs/2408.00008" in lines[2]
    assert any("41% → 62%" in line for line in lines)
    link_column = lines[1].index("link")
    assert all(line[link_column:].startswith("https://arxiv.org/abs/") for line in lines[2:])


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".jsonl"])
def test_exports_keep_numbers_and_units_in_their_own_columns(board, tmp_path, suffix):
    path = lb.write_leaderboard(board, tmp_path / f"board{suffix}")
    read = {".csv": pd.read_csv, ".parquet": pd.read_parquet, ".jsonl": lambda p: pd.read_json(p, lines=True)}[suffix]
    back = read(path)
    assert list(back.columns) == list(lb.COLUMNS)
    assert back["value"].dtype.kind == "f" and back["value"].tolist() == board["value"].tolist()
    assert back["unit"].fillna("").astype(str).tolist() == board["unit"].tolist()


# -- the command, on the default corpus ---------------------------------------------------------

def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "claimkit.cli", *args], capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def corpus_claims() -> pd.DataFrame:
    return load_corpus([DEFAULT_CORPUS]).claims


@pytest.mark.parametrize("benchmark", ["GSM8K", "MMLU", "ImageNet"])
def test_claimkit_leaderboard_lists_papers_ranked_dated_and_linked_on_the_default_corpus(benchmark, corpus_claims):
    result = run("leaderboard", benchmark)
    assert result.returncode == 0, result.stderr
    expected = lb.leaderboard(corpus_claims, benchmark)
    lines = result.stdout.splitlines()
    assert lines[0] == lb.describe(expected)
    rows = lines[2:]
    assert len(rows) == len(expected) and expected["paper"].nunique() >= 10
    for line, row in zip(rows, expected.itertuples()):
        assert row.url in line and row.published in line
    ranked = expected[expected["comparable"]]
    assert len(ranked) >= 5 and ranked["value"].is_monotonic_decreasing != expected.attrs["lower_is_better"]


def test_claimkit_leaderboard_writes_the_table_to_a_file(tmp_path, corpus_claims):
    out = tmp_path / "gsm8k.parquet"
    result = run("leaderboard", "gsm-8k", "-o", str(out))
    assert result.returncode == 0, result.stderr
    pd.testing.assert_frame_equal(pd.read_parquet(out), lb.leaderboard(corpus_claims, "GSM8K"), check_like=False)


@pytest.mark.parametrize("args, message", [
    (["GSM9K"], "GSM9K: no score or gain claims on this benchmark (nearest: GSM8K"),
    (["ImageNt"], "(nearest: ImageNet"),
    (["NoSuchBenchmarkAnywhere"], "NoSuchBenchmarkAnywhere: no score or gain claims on this benchmark"),
    (["GSM8K", "-o", "out.xlsx"], "out.xlsx: unknown output format"),
])
def test_an_unknown_benchmark_is_one_line_with_the_nearest_names_and_exit_2(args, message):
    result = run("leaderboard", *args)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and message in result.stderr


def test_claimkit_leaderboard_reads_given_inputs(tmp_path):
    papers = tmp_path / "papers.jsonl"
    papers.write_text("\n".join(json.dumps({"id": f"2501.0000{i}", "title": f"M{i}: a method",
                                            "abstract": f"M{i} achieves {80 + i}.0% accuracy on GSM8K."})
                                for i in range(3)) + "\n")
    result = run("leaderboard", "GSM8K", str(papers))
    assert result.returncode == 0, result.stderr
    rows = result.stdout.splitlines()[2:]
    assert [line.split()[:2] for line in rows] == [["*1", "82%"], ["2", "81%"], ["3", "80%"]]
    assert "M2" in rows[0] and "https://arxiv.org/abs/2501.00002" in rows[0]
