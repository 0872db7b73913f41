"""Abstracts per second of claimkit, a bare regex scan and quantulum3, on the same abstracts.

Usage::

    python benchmarks/throughput.py [PAPERS.jsonl ...] [--abstracts 3000] [--quantulum 100] [--repeat 3]

The abstracts are the seed papers (``data/seed_papers.jsonl``) plus any PAPERS files given,
replicated with fresh ids up to ``--abstracts``. Everything runs in this one process on one
core, one engine after another, so the ratios compare like with like:

* ``claimkit``: ``claimkit.extract_claims`` on the whole papers table (titles and abstracts),
  as installed (compiled by mypyc when ``pip install`` could build it);
* ``claimkit-py``: the same, in a child process that imports the pure-Python sources
  (``CLAIMKIT_PURE_PYTHON=1``), so the compiled build's gain shows in the same run;
* ``re scan`` / ``regex scan``: one pass of ``\\d+(?:\\.\\d+)?`` over every abstract (``re`` and
  the ``regex`` package), a floor no extractor that reads each number can beat;
* ``quantulum3``: ``quantulum3.parser.parse`` on the first ``--quantulum`` abstracts (it is
  slow; its rate does not depend on how many it gets).

Each rate is the best of ``--repeat`` rounds (other processes share the machine). Targets
(issue 4): claimkit >= 20,000 abstracts/s and >= 400x quantulum3 (goal 800x).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import Callable, Sequence

import pandas as pd

from claimkit import corpus
from claimkit.extract import BUILD, extract_claims
from claimkit.readers import read_papers

NUMBER = r"\d+(?:\.\d+)?"
TARGET_RATE = 20_000
TARGET_RATIO, GOAL_RATIO = 400, 800


def benchmark_papers(paths: Sequence[str], abstracts: int) -> pd.DataFrame:
    """Seed papers plus ``paths``, replicated with distinct ids up to ``abstracts`` rows."""
    unique = pd.concat([read_papers(corpus.SEED_PAPERS)] + [read_papers(p) for p in paths], ignore_index=True)
    copies = -(-abstracts // len(unique))
    papers = pd.concat([unique] * copies, ignore_index=True).iloc[:abstracts].copy()
    papers["paper"] = [f"bench{i:06d}" for i in range(len(papers))]
    return papers.reset_index(drop=True)


def best_seconds(work: Callable[[], object], repeat: int) -> float:
    """The fastest of ``repeat`` wall-clock runs of ``work``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def scan_all(finditer: Callable[[str], object], abstracts: list[str]) -> int:
    """Numbers found by one scan over every abstract (counted, so the scan cannot be skipped)."""
    return sum(1 for text in abstracts for _ in finditer(text))


def quantulum_parse() -> Callable[[str], object]:
    """``quantulum3.parser.parse``, with its 'classifier not installed' warning silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from quantulum3 import parser
    return parser.parse


def measure(papers: pd.DataFrame, quantulum_count: int, repeat: int) -> dict[str, tuple[int, float]]:
    """Engine -> (abstracts timed, seconds)."""
    import regex

    abstracts = list(papers["abstract"])
    re_number, regex_number = re.compile(NUMBER), regex.compile(NUMBER)
    results = {
        "claimkit": (len(papers), best_seconds(lambda: extract_claims(papers), repeat)),
        "re scan": (len(abstracts), best_seconds(lambda: scan_all(re_number.finditer, abstracts), repeat)),
        "regex scan": (len(abstracts), best_seconds(lambda: scan_all(regex_number.finditer, abstracts), repeat)),
    }
    if quantulum_count:
        parse = quantulum_parse()
        subset = abstracts[:quantulum_count]
        parse(subset[0])  # loads its unit tables: not part of the rate
        results["quantulum3"] = (len(subset), best_seconds(lambda: [parse(t) for t in subset], 1))
    return results


def source_build_seconds(args: argparse.Namespace) -> float:
    """``extract_claims`` on the same papers, timed in a child that imports the Python sources."""
    command = [sys.executable, __file__, *args.papers, "--abstracts", str(args.abstracts),
               "--repeat", str(args.repeat), "--claimkit-seconds"]
    done = subprocess.run(command, capture_output=True, text=True, check=True,
                          env={**os.environ, "CLAIMKIT_PURE_PYTHON": "1"})
    return float(done.stdout.split()[-1])


def report(results: dict[str, tuple[int, float]], claims: int) -> str:
    """The figures as a small table, then the ratios and the targets."""
    rates = {name: count / seconds for name, (count, seconds) in results.items()}
    lines = [f"{'engine':<12}{'abstracts':>10}{'seconds':>10}{'abstracts/s':>14}"]
    lines += [f"{name:<12}{count:>10,}{seconds:>10.3f}{rates[name]:>14,.0f}"
              for name, (count, seconds) in results.items()]
    lines.append(f"claimkit found {claims:,} claims")
    claimkit = rates["claimkit"]
    if "claimkit-py" in rates:
        lines.append(f"claimkit / claimkit-py = {claimkit / rates['claimkit-py']:.2f}  (compiled / Python sources)")
    lines.append(f"claimkit / re scan    = {claimkit / rates['re scan']:.3f}")
    lines.append(f"claimkit / regex scan = {claimkit / rates['regex scan']:.3f}")
    if "quantulum3" in rates:
        ratio = claimkit / rates["quantulum3"]
        lines.append(f"claimkit / quantulum3 = {ratio:,.0f}x  (target {TARGET_RATIO}x, goal {GOAL_RATIO}x: "
                     f"{'met' if ratio >= TARGET_RATIO else 'NOT met'})")
    lines.append(f"claimkit rate target {TARGET_RATE:,}/s: {'met' if claimkit >= TARGET_RATE else 'NOT met'}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("papers", nargs="*", help="more papers (JSONL...) to add to the seed abstracts")
    parser.add_argument("--abstracts", type=int, default=3000, help="abstracts to time (default 3000)")
    parser.add_argument("--quantulum", type=int, default=100, help="abstracts for quantulum3 (0: skip)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds per engine, best kept (default 3)")
    parser.add_argument("--claimkit-seconds", action="store_true", help=argparse.SUPPRESS)  # the child's job
    args = parser.parse_args(argv)
    missing = [p for p in args.papers if not Path(p).is_file()]
    if missing:
        print(f"throughput: no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    papers = benchmark_papers(args.papers, args.abstracts)
    claims = len(extract_claims(papers))  # also warms up the extractor's lazy tables
    if args.claimkit_seconds:
        print(best_seconds(lambda: extract_claims(papers), args.repeat))
        return 0
    print(f"{len(papers):,} abstracts ({papers['abstract'].str.len().mean():,.0f} characters on average), "
          f"Python {sys.version.split()[0]}, one process; claimkit build: {BUILD}")
    results = measure(papers, args.quantulum, args.repeat)
    if BUILD == "compiled":
        results["claimkit-py"] = (len(papers), source_build_seconds(args))
    print(report(results, claims))
    return 0


if __name__ == "__main__":
    sys.exit(main())
