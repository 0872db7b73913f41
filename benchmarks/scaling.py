"""Does time grow with the size of the input, and no faster? Time per MB from 1 KB to 10 MB.

Each case builds one text (or one input file) of each size from a repeated unit, and times one
stage on it: ``clean`` (:func:`claimkit.clean.clean_text`), ``extract``
(:func:`claimkit.extract.find_claims` on one text) or ``read`` (:func:`claimkit.readers.read_papers`
on a file of that size). A linear stage keeps its time per MB flat across the sizes; the last
column is the time per MB at the largest size over that at 100 KB: about 1 when linear (under
4 counts as linear on a busy machine), about 100 when quadratic over the two decades to 10 MB.
A case whose next size would take longer than ``--budget`` seconds (extrapolated from the last
two sizes) stops there, marked ``skip ~N s`` with the extrapolated time.

    python benchmarks/scaling.py                        # every case, 1 KB .. 10 MB
    python benchmarks/scaling.py --stage clean --max-size 1MB
    python benchmarks/scaling.py --case "1." --budget 5

The cases are the denial-of-service inputs of issue 12 next to realistic text.
``docs/performance.md`` holds the figures.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"1KB": 1_000, "10KB": 10_000, "100KB": 100_000, "1MB": 1_000_000, "10MB": 10_000_000}
REFERENCE = 100_000  # the growth column compares with the time per MB at this size
MIN_SECONDS = 0.2  # small sizes are repeated until this much time has passed


def seed_abstracts() -> str:
    lines = (ROOT / "data" / "seed_papers.jsonl").read_text(encoding="utf-8").splitlines()
    return " ".join(json.loads(line)["abstract"] for line in lines if line.strip())


LATEX_ABSTRACT = (r"We propose \textbf{SpecX}, achieving a $2.5\times$ speed-up and $\sim$40\% fewer FLOPs on "
                  r"Nystr\"om attention \citep{x}; see \href{https://x.org}{the code}. \emph{Results:} "
                  r"$$\mathrm{acc} = 91.2\%$$ with \(10^{3}\) steps. ")


@dataclass(frozen=True)
class Case:
    name: str
    stage: str  # clean, extract or read
    unit: Callable[[], str]  # repeated up to the size
    fmt: str = ""  # read: the file's format; the unit is one record
    tail: str = ""  # appended once (a closer after many openers)

    def text(self, size: int) -> str:
        unit = self.unit()
        return (unit * (size // len(unit) + 1))[: max(1, size - len(self.tail))] + self.tail


def _nested(size: int) -> str:
    depth = max(1, size // 9)
    return "\\textbf{" * depth + "x" + "}" * depth


CASES = [
    Case("abstracts", "clean", seed_abstracts),
    Case("LaTeX abstract", "clean", lambda: LATEX_ABSTRACT),
    Case("\\( * n", "clean", lambda: "\\("),
    Case("$$\\ * n", "clean", lambda: "$$\\"),
    Case("\\href{u}{t} * n", "clean", lambda: "\\href{http://x.org}{link} "),
    Case("\\textbf{ * n }*n", "clean", lambda: "\\textbf{"),
    Case("&amp; * n", "clean", lambda: "&amp;"),
    Case("abstracts", "extract", seed_abstracts),
    Case("LaTeX abstract (cleaned)", "extract", lambda: "We get a 2.5× speed-up and ~40% fewer FLOPs on GLUE. "),
    Case("(2x) * n", "extract", lambda: "(2x) "),
    Case("1. * n", "extract", lambda: "1."),
    Case("claims * n", "extract", lambda: "3.2x faster, 40% fewer FLOPs, 8 V100 GPUs; "),
    Case("digits", "extract", lambda: "1234567890"),
    # read: the unit is one record; "@i" becomes its number (paper ids must be unique)
    Case("jsonl papers", "read", lambda: json.dumps({"title": "T@i", "abstract": "We get 2.5x. " * 20}) + "\n",
         fmt="jsonl"),
    Case("bibtex entries", "read", lambda: "@article{k@i, title={T}, abstract={We get $2.5\\times$ " + "x" * 200 + "}}\n",
         fmt="bibtex"),
    Case("bibtex broken entries", "read", lambda: "@article{k@i, title={T\n", fmt="bibtex"),
    Case("csv rows", "read", lambda: '"T@i","We get 2.5x ' + "x" * 200 + '"\n', fmt="csv"),
]


def stage_function(case: Case, size: int, folder: Path) -> Callable[[], object]:
    """A no-argument call that runs the case's stage on its input of ``size`` bytes."""
    if case.name.startswith("\\textbf{ * n"):
        text = _nested(size)
    else:
        text = case.text(size)
    if case.stage == "clean":
        from claimkit.clean import clean_text

        return lambda: clean_text(text)
    if case.stage == "extract":
        from claimkit.extract import find_claims

        return lambda: find_claims(text)
    from claimkit.readers import read_papers
    from claimkit.sources.policy import reading

    path = folder / f"input-{size}.{ {'bibtex': 'bib'}.get(case.fmt, case.fmt) }"
    unit = case.unit()
    body = ("title,abstract\n" if case.fmt == "csv" else "") + _numbered(unit, size, case.fmt)
    path.write_text(body, encoding="utf-8")

    def read() -> object:
        with reading(on_error="skip"):  # broken entries are the point of one case
            try:
                return read_papers(path, format=case.fmt)
            except Exception:
                return None  # "no papers found": the time to find that out is what counts
    return read


def _numbered(unit: str, size: int, fmt: str) -> str:
    """Records up to ``size`` bytes, ``@i`` in each replaced by its number."""
    records, total = [], 0
    while total < size:
        records.append(unit.replace("@i", str(len(records))))
        total += len(records[-1])
    return "".join(records)


def seconds_per_call(call: Callable[[], object]) -> float:
    """Best of a few rounds; small inputs are repeated until MIN_SECONDS have passed."""
    best = math.inf
    for _ in range(3):
        count, start = 0, time.perf_counter()
        while True:
            call()
            count += 1
            elapsed = time.perf_counter() - start
            if elapsed >= MIN_SECONDS or elapsed > 1.0:
                break
        best = min(best, elapsed / count)
        if elapsed > 1.0:
            break  # one long call is measurement enough
    return best


def run_case(case: Case, sizes: list[int], budget: float, folder: Path) -> dict[int, float | str]:
    """Seconds per MB at each size, or why it was not measured."""
    per_mb: dict[int, float | str] = {}
    timings: list[tuple[int, float]] = []
    for size in sizes:
        predicted = _predict(timings, size)
        if predicted > budget:
            per_mb[size] = f"skip ~{predicted:,.0f}s"
            continue
        seconds = seconds_per_call(stage_function(case, size, folder))
        timings.append((size, seconds))
        per_mb[size] = seconds / (size / 1e6)
    return per_mb


def _predict(timings: list[tuple[int, float]], size: int) -> float:
    """Seconds at ``size`` from the growth of the last two sizes (at least linear)."""
    if not timings:
        return 0.0
    if len(timings) == 1 or timings[-1][1] < 0.01:
        return timings[-1][1] * size / timings[-1][0]
    (small, t_small), (large, t_large) = timings[-2], timings[-1]
    power = max(1.0, math.log(max(t_large, 1e-9) / max(t_small, 1e-9)) / math.log(large / small))
    return t_large * (size / large) ** power


def growth(per_mb: dict[int, float | str]) -> str:
    """Time per MB at the largest measured size over that at 100 KB."""
    measured = {size: value for size, value in per_mb.items() if isinstance(value, float)}
    if REFERENCE not in measured or max(measured) <= REFERENCE:
        return "-"
    ratio = measured[max(measured)] / measured[REFERENCE]
    verdict = "linear" if ratio < 4 else "SUPERLINEAR"  # quadratic over two decades: about 100
    return f"{ratio:.1f} {verdict}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stage", choices=("clean", "extract", "read"), action="append", help="only these stages")
    parser.add_argument("--case", action="append", help="only cases whose name contains this")
    parser.add_argument("--max-size", choices=list(SIZES), default="10MB", help="largest size (default 10MB)")
    parser.add_argument("--budget", type=float, default=60.0, help="seconds one call may take (default 60)")
    args = parser.parse_args(argv)
    sizes = [size for size in SIZES.values() if size <= SIZES[args.max_size]]
    cases = [case for case in CASES if (not args.stage or case.stage in args.stage)
             and (not args.case or any(part in case.name for part in args.case))]
    import claimkit.extract

    print(f"seconds per MB of input, Python {sys.version.split()[0]}, claimkit build: {claimkit.extract.BUILD}")
    header = f"{'stage':<8} {'case':<26}" + "".join(f"{label:>15}" for label, size in SIZES.items() if size in sizes)
    print(header + f"   {args.max_size}/100KB")
    with tempfile.TemporaryDirectory(prefix="claimkit-scaling-") as folder:
        for case in cases:
            per_mb = run_case(case, sizes, args.budget, Path(folder))
            cells = "".join(f"{_cell(per_mb[size]):>15}" for size in sizes)
            print(f"{case.stage:<8} {case.name:<26}{cells}   {growth(per_mb)}", flush=True)
    return 0


def _cell(value: float | str) -> str:
    return f"{value:.3f}" if isinstance(value, float) else value


if __name__ == "__main__":
    sys.exit(main())
