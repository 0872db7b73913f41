"""The benchmark scripts run and print their figures (tiny sizes: this checks that they work,
not how fast anything is; the figures themselves are in docs/performance.md)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).parent.parent / "benchmarks"


def run(script: str, *args: str, tmp_path: Path) -> str:
    done = subprocess.run([sys.executable, str(BENCHMARKS / script), *args], capture_output=True, text=True,
                          cwd=tmp_path, timeout=600)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def throughput_output(tmp_path_factory) -> str:
    return run("throughput.py", "--abstracts", "60", "--quantulum", "2", "--repeat", "1",
               tmp_path=tmp_path_factory.mktemp("throughput"))


@pytest.mark.parametrize("line", [
    r"^claimkit\s+60\s+[\d.]+\s+[\d,]+$",
    r"^re scan\s+60\s",
    r"^quantulum3\s+2\s",
    r"^claimkit / quantulum3 = [\d,]+x",
    r"^claimkit rate target 20,000/s: (met|NOT met)$",
])
def test_throughput_prints_every_engine_and_ratio(throughput_output, line):
    assert re.search(line, throughput_output, re.MULTILINE), throughput_output


def test_throughput_times_the_python_sources_beside_a_compiled_build(throughput_output):
    import claimkit.extract

    output = throughput_output
    assert f"claimkit build: {claimkit.extract.BUILD}" in output
    has_peer = re.search(r"^claimkit-py\s+60\s", output, re.MULTILINE) is not None
    assert has_peer == (claimkit.extract.BUILD == "compiled"), output


def test_throughput_rejects_a_missing_input(tmp_path):
    done = subprocess.run([sys.executable, str(BENCHMARKS / "throughput.py"), "nope.jsonl"], capture_output=True,
                          text=True, cwd=tmp_path)
    assert done.returncode == 2 and "no such file: nope.jsonl" in done.stderr


def test_explorer_latency_prints_the_slowest_update(tmp_path):
    output = run("explorer_latency.py", "--rows", "3000", "--repeat", "1", tmp_path=tmp_path)
    assert re.search(r"^slowest update: [\d.]+ ms .*: (met|NOT met)$", output, re.MULTILINE), output
    for view in ("claims: kind", "claims: sort by value", "leaderboard: choose", "leaderboard: metric",
                 "trends: every claim", "paper: open"):
        assert re.search(rf"^{view}.*\s[\d.]+\s", output, re.MULTILINE), (view, output)


def test_memory_prints_the_peak_of_a_streaming_run(tmp_path):
    output = run("memory.py", "--papers", "300", "--dir", str(tmp_path), tmp_path=tmp_path)
    assert re.search(r"^claimkit extract \(streaming\)\s+\d+\s", output, re.MULTILINE), output
    assert re.search(r"^streaming peak \d+ MB: (under|over) the 500 MB target$", output, re.MULTILINE), output


def test_libraries_compares_each_piece_or_says_the_library_is_missing(tmp_path):
    output = run("libraries.py", "--part", "latex", "--part", "bibtex", "--abstracts", "40", "--entries", "20",
                 tmp_path=tmp_path)
    assert re.search(r"^40 abstracts: clean_text [\d,]+/s; pylatexenc [\d,]+/s|^pylatexenc not installed: skipped$",
                     output, re.MULTILINE), output
    assert re.search(r"^20 entries \([\d.]+ MB\): parse_bibtex [\d.]+ s; bibtexparser|^bibtexparser not installed: skipped$",
                     output, re.MULTILINE), output

