"""Checks: tables of claims -> the findings each named rule gives (and does not give)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from claimkit.checks import FINDING_COLUMNS, check_claims, involved_claims, read_rules
from claimkit.errors import InputError
from claimkit.table import claims_frame

DATES = {"p1": "2024-01-10", "p2": "2024-02-10", "p3": "2024-03-10", "p4": "2024-04-10", "p5": "2024-05-10",
         "p6": "2024-06-10"}


def c(paper: str, text: str, kind: str, low: float, unit: str = "", high: float | None = None, qualifier: str = "",
      metric: str = "", benchmark: str = "", baseline: str = "", sentence: str = "") -> dict:
    sentence = sentence or f"We report {text}."
    start = sentence.find(text)
    return {"paper": paper, "title": f"Title {paper}", "field": "abstract", "start": start, "end": start + len(text),
            "text": text, "kind": kind, "low": low, "high": low if high is None else high, "unit": unit,
            "qualifier": qualifier, "metric": metric, "benchmark": benchmark, "baseline": baseline, "rule": "",
            "sentence": sentence}


def table(rows: list[dict]) -> pd.DataFrame:
    return claims_frame({name: [row[name] for row in rows] for name in rows[0]})


def papers_of(rows: list[dict]) -> pd.DataFrame:
    ids = sorted({row["paper"] for row in rows})
    return pd.DataFrame({"paper": ids, "title": ids, "abstract": ids, "published": [DATES.get(i, "2025-01-01") for i in ids]})


def gsm8k(paper: str, value: float, **more) -> dict:
    return c(paper, f"{value:g}%", "score", value, "%", metric="accuracy", benchmark="GSM8K",
             sentence=f"It reaches {value:g}% accuracy on GSM8K.", **more)


def fid(paper: str, value: float) -> dict:
    return c(paper, f"{value:g}", "score", value, "", metric="fid", benchmark="ImageNet",
             sentence=f"It reaches an FID of {value:g} on ImageNet.")


def size(paper: str, sentence: str, text: str, value: float) -> dict:
    return c(paper, text, "model_size", value, "params", sentence=sentence)


# rule -> (claims, expected findings as (paper, subject)); every rule of checks.txt has a row that finds something
CASES = [
    ("score_above_100_percent", [c("p1", "120%", "score", 120, "%")], [("p1", "120%")]),
    ("score_above_100_percent", [c("p1", "99.5%", "score", 99.5, "%"), c("p1", "120", "score", 120)], []),
    ("reduction_above_100_percent", [c("p1", "40% to 200%", "reduction", 40, "%", high=200)], [("p1", "40% to 200%")]),
    ("reduction_above_100_percent", [c("p1", "3x", "reduction", 3, "x")], []),
    ("speedup_below_1x", [c("p1", "0.7x", "speedup", 0.7, "x")], [("p1", "0.7x")]),
    ("speedup_below_1x", [c("p1", "1.0x", "speedup", 1.0, "x"), c("p1", "50%", "speedup", 50, "%")], []),
    ("model_above_10T_parameters", [c("p1", "20T parameters", "model_size", 2e13, "params")], [("p1", "20T parameters")]),
    ("model_above_10T_parameters", [c("p1", "1.8T parameters", "model_size", 1.8e12, "params")], []),
    ("negative_size", [c("p1", "-5 hours", "data_size", -5, "hours")], [("p1", "-5 hours")]),
    ("negative_size", [c("p1", "-5%", "gain", -5, "%")], []),
    ("model_size_conflict", [size("p1", "DeepSeek-R1 (671B) leads.", "671B", 6.71e11),
                             size("p2", "We beat the 671B DeepSeek-R1 model.", "671B", 6.71e11),
                             size("p3", "We test DeepSeek-R1 (70B version).", "70B", 7e10)], [("p3", "DeepSeek-R1")]),
    ("model_size_conflict", [size("p1", "We release Zeta-LM, a dense 8B model.", "8B", 8e9),
                             size("p2", "Zeta-LM with 13B parameters is", "13B parameters", 1.3e10),
                             size("p3", "the 8B Zeta-LM model", "8B", 8e9), size("p4", "Zeta-LM 8B is", "8B", 8e9)],
     [("p2", "Zeta-LM")]),
    ("model_size_conflict", [size("p1", "Foo-MoE (47B total) is large.", "47B", 4.7e10),
                             size("p2", "Foo-MoE (13B activated) is fast.", "13B", 1.3e10)], []),  # total vs active
    ("model_size_conflict", [size("p1", "Qwen2.5 (7B) and", "7B", 7e9), size("p2", "Qwen2.5 (72B) and", "72B", 7.2e10)],
     []),  # a family with a version comes in many sizes
    ("model_size_conflict", [size("p1", "Mixer-8x7B (46.7B) is", "46.7B", 4.67e10),
                             size("p2", "Mixer-8x7B (47B) is", "47B", 4.7e10)], []),  # the same, rounded
    ("model_size_conflict", [size("p1", "a 7B LLM", "7B", 7e9), size("p2", "a 13B LLM", "13B", 1.3e10)], []),
    ("model_size_conflict", [size("p1", "Bar-2 (7B) or Bar-2 (13B)", "7B", 7e9),
                             size("p1", "Bar-2 (7B) or Bar-2 (13B)", "13B", 1.3e10)], []),  # one paper
    ("score_jump", [gsm8k("p1", 70), gsm8k("p2", 72), gsm8k("p3", 75), gsm8k("p4", 90)], [("p4", "GSM8K / accuracy / %")]),
    ("score_jump", [gsm8k("p1", 70), gsm8k("p2", 72), gsm8k("p3", 75), gsm8k("p4", 80)], []),  # 5 points: no jump
    ("score_jump", [gsm8k("p2", 72), gsm8k("p3", 75), gsm8k("p4", 95)], []),  # two earlier claims are too few
    ("score_jump", [gsm8k("p4", 95), gsm8k("p1", 70), gsm8k("p2", 72), gsm8k("p3", 75)], [("p4", "GSM8K / accuracy / %")]),
    ("score_jump", [gsm8k("p1", 95), gsm8k("p2", 70), gsm8k("p3", 72), gsm8k("p4", 75)], []),  # the first is no jump
    ("score_jump", [fid("p1", 5.0), fid("p2", 4.8), fid("p3", 4.5), fid("p4", 2.0)], [("p4", "ImageNet / fid")]),
    ("score_jump", [fid("p1", 5.0), fid("p2", 4.8), fid("p3", 4.5), fid("p4", 9.0)], []),  # worse FID: no record
    ("best_case_only", [c("p1", "up to 2x", "speedup", 2, "x", qualifier="up_to"),
                        c("p1", "up to 30%", "reduction", 30, "%", qualifier="up_to")], [("p1", "Title p1")]),
    ("best_case_only", [c("p1", "up to 2x", "speedup", 2, "x", qualifier="up_to"), c("p1", "30%", "reduction", 30, "%")], []),
    ("best_case_only", [c("p1", "up to 2x", "speedup", 2, "x", qualifier="up_to")], []),  # one claim is no style
    ("speedup_without_baseline", [c("p1", "2x", "speedup", 2, "x", sentence="It is 2x faster.")], [("p1", "Title p1")]),
    ("speedup_without_baseline", [c("p1", "2x", "speedup", 2, "x", sentence="It is 2x faster than vLLM.")], []),
    ("speedup_without_baseline", [c("p1", "2x", "speedup", 2, "x", baseline="vLLM")], []),
    ("gain_without_metric", [c("p1", "5%", "gain", 5, "%", sentence="It improves by 5%.")], [("p1", "Title p1")]),
    ("gain_without_metric", [c("p1", "5%", "gain", 5, "%", metric="accuracy")], []),
]


@pytest.mark.parametrize("rule, rows, expected", CASES, ids=[f"{case[0]}-{i}" for i, case in enumerate(CASES)])
def test_a_rule_finds_what_it_should_and_nothing_else(rule: str, rows: list[dict], expected: list[tuple]) -> None:
    findings = check_claims(table(rows), papers_of(rows), only=[rule])
    assert list(zip(findings["paper"], findings["subject"])) == expected
    assert list(findings.columns) == list(FINDING_COLUMNS) and set(findings["rule"]) <= {rule}


def test_every_rule_of_the_rules_file_has_a_case_that_finds_something() -> None:
    finding = {case[0] for case in CASES if case[2]}
    assert {rule.name for rule in read_rules()} == finding


def test_an_impossible_value_is_no_record_to_beat() -> None:
    rows = [gsm8k("p1", 70), gsm8k("p2", 72), c("p3", "2024", "score", 2024, "%", metric="accuracy", benchmark="GSM8K"),
            gsm8k("p4", 74), gsm8k("p5", 90)]
    findings = check_claims(table(rows), papers_of(rows))
    assert list(zip(findings["rule"], findings["paper"])) == [("score_above_100_percent", "p3"), ("score_jump", "p5")]
    assert "'90%' on GSM8K / accuracy / % is 16 points above the best of 3 earlier claims (74%, p4, 2024-04-10)" \
        in findings["message"].iloc[1]


def test_a_finding_names_its_claims() -> None:
    rows = [size("p1", "DeepSeek-R1 (671B) leads.", "671B", 6.71e11), size("p3", "We test DeepSeek-R1 (70B).", "70B", 7e10)]
    claims = table(rows)
    finding = check_claims(claims, papers_of(rows), only=["model_size_conflict"]).iloc[0]
    assert finding["message"] == "one model, different parameter counts: DeepSeek-R1 has 671B in p1; 70B in p3 (parameters)"
    assert involved_claims(finding, claims)["paper"].tolist() == ["p3", "p1"]  # the odd one first


def test_without_dates_earlier_means_earlier_in_the_input() -> None:
    rows = [gsm8k("p1", 70), gsm8k("p2", 72), gsm8k("p3", 75), gsm8k("p4", 90)]
    findings = check_claims(table(rows), only=["score_jump"])
    assert findings["paper"].tolist() == ["p4"]


BAD_RULES = [
    ("@x\ncheck | nope\nsays | odd\n", ":1: rule 'x': unknown check 'nope'"),
    ("@x\ncheck | value_bound\n", ":1: rule 'x': no 'says'"),
    ("# header\nkinds | score\n", ":2: expected '@rule' or 'setting | value', not 'kinds | score'"),
    ("@x\ncheck | value_bound\nsays | odd\nabove |\n", ":4: expected '@rule' or 'setting | value'"),
]


@pytest.mark.parametrize("content, message", BAD_RULES)
def test_bad_rules_files_name_file_and_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "rules.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_rules(path)
    assert str(caught.value).startswith(f"{path}{message}"), str(caught.value)


def test_thresholds_are_data(tmp_path: Path) -> None:
    rules = tmp_path / "rules.txt"
    rules.write_text("@fast_enough\ncheck | value_bound\nsays | slower than 3x\nkinds | speedup\nbelow | 3\n")
    rows = [c("p1", "2x", "speedup", 2, "x"), c("p2", "4x", "speedup", 4, "x")]
    findings = check_claims(table(rows), rules=rules)
    assert findings[["rule", "paper"]].values.tolist() == [["fast_enough", "p1"]]
    assert findings["message"].iloc[0] == "slower than 3x: '2x' reads as 2x, below 3x"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "claimkit.cli", *args], capture_output=True, text=True, timeout=300, cwd=cwd)


PAPERS = [
    {"id": "2401.00001", "title": "A", "abstract": "Our model scores 120% on MMLU.", "published": "2024-01-01"},
    {"id": "2401.00002", "title": "B", "abstract": "It runs up to 3x faster and uses up to 40% less memory.",
     "published": "2024-01-02"},
]


def test_the_command_lists_findings_and_writes_them(tmp_path: Path) -> None:
    source = tmp_path / "papers.jsonl"
    source.write_text("".join(json.dumps(paper) + "\n" for paper in PAPERS), encoding="utf-8")
    result = run("check", str(source), "-o", "findings.csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    summary = {line.split()[0]: int(line.split()[1]) for line in result.stdout.splitlines()[1:11]}
    assert set(summary) == {rule.name for rule in read_rules()}
    assert summary["score_above_100_percent"] == 1 and summary["best_case_only"] == 1
    assert "score_above_100_percent  2401.00001  120%" in result.stdout
    assert "    | Our model scores 120% on MMLU." in result.stdout
    written = pd.read_csv(tmp_path / "findings.csv")
    assert sorted(written["rule"]) == sorted(rule for rule, count in summary.items() for _ in range(count))


@pytest.mark.parametrize("args, message", [
    (("--rules", "rules.txt"), "rules.txt:1: expected '@rule' or 'setting | value'"),
    (("--rule", "no_such_rule"), "--rule: unknown rule 'no_such_rule'"),
    (("-o", "findings.xlsx"), "findings.xlsx: unknown output format"),
])
def test_the_command_fails_cleanly(tmp_path: Path, args: tuple, message: str) -> None:
    source = tmp_path / "papers.jsonl"
    source.write_text(json.dumps(PAPERS[0]) + "\n", encoding="utf-8")
    (tmp_path / "rules.txt").write_text("nothing | here\n", encoding="utf-8")
    result = run("check", str(source), *args, cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert message in result.stderr and result.stdout == ""
