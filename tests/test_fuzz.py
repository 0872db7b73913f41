"""The fuzz harness (benchmarks/fuzz.py): 200,000 generated texts through cleanup and extraction
and 2,000 mutated input files through the readers end without an exception; the harness itself
notices a failure, and its digests make two runs comparable (compiled vs pure-Python build)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "fuzz.py"
spec = importlib.util.spec_from_file_location("fuzz_harness", SCRIPT)
fuzz = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = fuzz
spec.loader.exec_module(fuzz)


def test_200000_texts_raise_nothing_and_keep_offsets_exact() -> None:
    report = fuzz.fuzz_texts(200_000, seed=2026)
    assert report.runs == 200_000
    assert report.ok, "\n".join(report.lines())


def test_2000_mutated_files_end_in_one_line_input_errors() -> None:
    report = fuzz.fuzz_files(2_000, seed=2026)
    assert report.runs == 2_000
    assert report.ok, "\n".join(report.lines())


def test_the_same_seed_gives_the_same_texts_and_another_seed_others() -> None:
    first = list(fuzz.generate_texts(200, seed=7))
    assert first == list(fuzz.generate_texts(200, seed=7))
    assert first != list(fuzz.generate_texts(200, seed=8))


def broken_find(text: str) -> list:
    if "GPU" in text:
        raise OverflowError("boom")
    return []


@pytest.mark.parametrize("clean, find, stage", [
    (lambda text: text, broken_find, "find_claims(raw)"),
    (lambda text: text[1000:].upper() if "$" in text else text, broken_find, "find_claims(raw)"),
    (lambda text: 1 / 0 if "%" in text else text, lambda text: [], "clean_text"),
])
def test_the_harness_reports_what_fails(clean, find, stage: str) -> None:
    report = fuzz.Report()
    for text in fuzz.generate_texts(300, seed=1):
        fuzz.check_text(text, report, clean, find)
    assert not report.ok
    assert any(key[0] == stage for key in report.failures), report.lines()


def test_digests_compare_two_runs(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    stored = tmp_path / "digests.txt"
    assert fuzz.main(["--texts", "300", "--files", "20", "--digests", str(stored)]) == 0
    assert fuzz.main(["--texts", "300", "--files", "20", "--compare-with", str(stored)]) == 0
    lines = stored.read_text().splitlines()
    lines[5] = "0000000000000000:0000000000000000"
    stored.write_text("\n".join(lines) + "\n")
    assert fuzz.main(["--texts", "300", "--files", "20", "--compare-with", str(stored)]) == 1
    assert "text 5:" in capsys.readouterr().out
