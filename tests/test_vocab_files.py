"""Checks on the vocabulary data files claimkit/vocab/benchmarks.txt and metrics.txt.

The files are parsed here with a tiny local parser that follows the syntax stated in their
headers (the package's own loader lives in claimkit/vocab.py):

    one entry per line: the canonical name, then optional aliases, separated by " | ";
    an entry written with any capital letter matches case-sensitively, an all-lower-case
    entry matches in any case; lines starting with "#" are comments.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
VOCAB = ROOT / "claimkit" / "vocab"
BENCHMARKS = VOCAB / "benchmarks.txt"
METRICS = VOCAB / "metrics.txt"
GOLD = ROOT / "data" / "seed_gold.jsonl"

SEPARATOR = " | "
SYNTAX_HEADER = [
    '# Syntax: one entry per line: the canonical name, then optional aliases, separated by " | ".',
    "#   HumanEval | Human-Eval | HumanEval+",
    "# Matching is on whole words. An entry written with any capital letter matches case-sensitively",
    '# (so "MATH" does not match "math"); an all-lower-case entry matches in any case.',
    '# Lines starting with "#" are comments; "## Section" comments group entries.',
]

# All-lower-case benchmark names match in any case, so they must not be English words.
# Names made only of lower-case letters are allowed only when listed here.
LOWER_CASE_BENCHMARK_WORDS = {"nocaps", "robosuite", "robomimic"}


def parse(path: Path) -> list[tuple[int, str, list[str]]]:
    """``(line number, section, names)`` per entry; names[0] is the canonical name."""
    entries = []
    section = ""
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.rstrip("\n")
        if not line.strip():
            continue
        if line.startswith("## "):
            section = line[3:].strip()
            continue
        if line.startswith("#"):
            continue
        names = line.split(SEPARATOR)
        for name in names:
            if not name or name != name.strip() or "|" in name or "  " in name:
                raise ValueError(f"{path.name}:{number}: malformed entry {line!r}")
        entries.append((number, section, [name for name in names if not name.startswith("@")]))  # "@lower": a mark
    return entries


def is_lower(name: str) -> bool:
    return name == name.lower()


def matches(name: str, text: str) -> bool:
    """Whether vocabulary ``name`` matches the whole string ``text`` under the case rule."""
    return name.lower() == text.lower() if is_lower(name) else name == text


def lookup(entries, text: str) -> list[str]:
    """Canonical names of all entries with a name matching ``text``."""
    return [names[0] for _, _, names in entries if any(matches(name, text) for name in names)]


@pytest.fixture(scope="module")
def benchmarks():
    return parse(BENCHMARKS)


@pytest.fixture(scope="module")
def metrics():
    return parse(METRICS)


@pytest.mark.parametrize("path", [BENCHMARKS, METRICS], ids=["benchmarks", "metrics"])
def test_header_states_the_syntax(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# ") and len(lines[0]) > 2
    assert lines[1 : 1 + len(SYNTAX_HEADER)] == SYNTAX_HEADER


@pytest.mark.parametrize("path", [BENCHMARKS, METRICS], ids=["benchmarks", "metrics"])
def test_every_line_parses_and_sits_in_a_section(path):
    entries = parse(path)
    assert entries
    for number, section, names in entries:
        assert section, f"{path.name}:{number}: entry before the first '## ' section"
        assert len(set(names)) == len(names), f"{path.name}:{number}: repeated name in {names}"
        assert not names[0].startswith("#")


def _conflicts(entries):
    """Pairs of names from different entries that could match the same text."""
    exact: dict[str, int] = {}
    folded: dict[str, list[tuple[str, int]]] = {}
    found = []
    for index, (_, _, names) in enumerate(entries):
        for name in names:
            if name in exact and exact[name] != index:
                found.append((name, entries[exact[name]][2][0], entries[index][2][0]))
            exact.setdefault(name, index)
            folded.setdefault(name.lower(), []).append((name, index))
    for group in folded.values():
        for name, index in group:
            if not is_lower(name):
                continue
            for other, other_index in group:
                if other_index != index:
                    found.append((name, entries[index][2][0], entries[other_index][2][0]))
    return found


@pytest.mark.parametrize("which", ["benchmarks", "metrics"])
def test_no_name_under_two_entries(which, benchmarks, metrics):
    entries = benchmarks if which == "benchmarks" else metrics
    assert _conflicts(entries) == []


def test_no_name_in_both_files(benchmarks, metrics):
    assert _conflicts(benchmarks + metrics) == []


def test_benchmark_count(benchmarks):
    assert len(benchmarks) >= 300


def test_lower_is_better_marks_only_end_an_entry():
    marked = [line for line in METRICS.read_text(encoding="utf-8").splitlines() if "@" in line and not line.startswith("#")]
    assert marked and all(line.endswith(" | @lower") and line.count("@lower") == 1 for line in marked
                          if "@lower" in line)


def test_metric_count(metrics):
    assert len(metrics) >= 100


def test_metric_canonical_names_are_lower_case(metrics):
    upper = [names[0] for _, _, names in metrics if not is_lower(names[0])]
    assert upper == []


def test_lower_case_benchmark_names_are_not_plain_words(benchmarks):
    suspicious = [
        name
        for _, _, names in benchmarks
        for name in names
        if is_lower(name) and re.fullmatch(r"[a-z]+", name) and name not in LOWER_CASE_BENCHMARK_WORDS
    ]
    assert suspicious == []


@pytest.mark.parametrize(
    "text",
    [
        "HumanEval", "MMLU", "ImageNet", "LibriSpeech", "MiniWoB++", "WebArena", "D4RL",
        "MLPerf", "GLUE", "SuperGLUE", "GSM8K", "MATH", "BIG-Bench Hard", "BBH", "MS COCO",
        "COCO", "MultiWOZ", "NYUv2", "VQAv2", "A-OKVQA", "SlimPajama", "Wikitext",
        "WikiText-103", "TruthfulQA", "SWE-bench", "MT-Bench", "ADE20K", "MuJoCo", "OGB",
    ],
)
def test_well_known_benchmarks_are_present(benchmarks, text):
    assert len(lookup(benchmarks, text)) == 1


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("accuracy", "accuracy"), ("top-1 accuracy", "top-1 accuracy"), ("F1", "f1"),
        ("EM", "exact match"), ("BLEU", "bleu"), ("ROUGE-L", "rouge-l"), ("Rouge-2", "rouge-2"),
        ("mAP", "map"), ("mean average precision", "map"), ("mIoU", "miou"), ("FID", "fid"),
        ("CIDEr", "cider"), ("WER", "wer"), ("PPL", "perplexity"), ("RMSE", "rmse"),
        ("AUROC", "auc"), ("attack success rate", "attack success rate"), ("win rate", "win rate"),
        ("pass@1", "pass@1"), ("FLOPs", "flops"), ("MAUVE", "mauve"), ("nDCG", "ndcg"),
        ("MRR", "mrr"), ("PSNR", "psnr"), ("LPIPS", "lpips"), ("success rates", "success rate"),
    ],
)
def test_well_known_metrics_are_present(metrics, text, canonical):
    assert lookup(metrics, text) == [canonical]


@pytest.mark.parametrize("text", ["math", "Math", "arc", "piqa", "boolq", "coco"])
def test_case_sensitive_benchmarks_ignore_other_spellings(benchmarks, text):
    assert lookup(benchmarks, text) == []


@pytest.mark.skipif(not GOLD.exists(), reason="no seed gold file")
def test_seed_gold_labels_are_covered(benchmarks, metrics):
    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    canonical_metrics = {names[0] for _, _, names in metrics}
    missing_benchmarks = sorted({row["benchmark"] for row in gold if row.get("benchmark")} - {
        text for text in {row.get("benchmark") for row in gold} if text and lookup(benchmarks, text)
    })
    missing_metrics = sorted({row["metric"] for row in gold if row.get("metric")} - canonical_metrics)
    assert missing_benchmarks == []
    assert missing_metrics == []
