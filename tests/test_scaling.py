"""Time grows linearly with the input: four times the size may take about four times as long,
not sixteen (a quadratic step). Ratios of two sizes measured in the same run, never wall-clock
limits; the cases are those of ``benchmarks/scaling.py`` (figures in docs/performance.md):
cleaning, reading and extraction, realistic texts beside the hostile ones of issue 12."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "scaling.py"
spec = importlib.util.spec_from_file_location("scaling_benchmark", SCRIPT)
scaling = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = scaling  # dataclasses look their module up
spec.loader.exec_module(scaling)

BASE_SIZE = {"clean": 50_000, "read": 100_000, "extract": 16_000}  # extraction: quadratic terms showed from ~16 KB
FACTOR = 4  # time(4n) / time(n): 4 when linear, 16 when quadratic


def linear_limit(factor: int) -> float:
    """The geometric middle of linear (``factor``) and quadratic (``factor ** 2``) growth."""
    return factor**1.5


def growth(case: scaling.Case, folder: Path) -> float:
    """time(4n) / time(n) over :func:`linear_limit` (below 1: linear), the better of two tries
    (a busy machine only ever adds time)."""
    size = BASE_SIZE[case.stage]
    ratios = []
    for _ in range(2):
        small = scaling.seconds_per_call(scaling.stage_function(case, size, folder))
        large = scaling.seconds_per_call(scaling.stage_function(case, FACTOR * size, folder))
        ratios.append(large / small / linear_limit(FACTOR))
        if ratios[-1] < 1:
            break
    return min(ratios)


@pytest.mark.parametrize("case", scaling.CASES, ids=[f"{case.stage}: {case.name}" for case in scaling.CASES])
def test_time_grows_linearly_with_the_input(case: scaling.Case, tmp_path: Path) -> None:
    assert growth(case, tmp_path) < 1


def test_the_benchmark_prints_time_per_mb_for_every_stage(capsys: pytest.CaptureFixture) -> None:
    assert scaling.main(["--max-size", "10KB", "--case", "abstracts", "--case", "jsonl"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("seconds per MB of input")
    stages = [line.split()[0] for line in lines[2:]]
    assert stages == ["clean", "extract", "read"]
