"""Peak memory of a streaming ``claimkit extract`` run, next to peers that load everything.

Usage::

    python benchmarks/memory.py [--papers 200000] [--dir /tmp/claimkit-bench] [--jobs N] [--in-memory]

Writes a synthetic JSONL of ``--papers`` abstracts (seed abstracts sampled with fresh ids),
then runs each command below as a child process and reports its peak resident set size:

* ``python`` + ``import claimkit.cli``: the fixed cost of the interpreter and imports;
* ``claimkit extract big.jsonl -o big.parquet``: the streaming run (target: < 500 MB);
* ``pandas.read_json(lines=True)``: a peer that only reads the whole file into memory;
* with ``--in-memory``: ``write_claims(extract_claims(read_papers(...)))``, the whole-table path
  the CLI took before streaming (slow: a second full extraction).

Peak RSS of the child comes from ``wait4`` (``ru_maxrss``, the kernel's own high-water mark).
With ``--jobs N`` the work runs in N more processes, so the sum of the RSS of the whole process
tree, sampled every 50 ms from ``/proc``, is printed too (Linux only).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from claimkit import corpus

TARGET_MB = 500


@dataclass
class Run:
    """One measured child process."""

    name: str
    peak_mb: float
    tree_peak_mb: float | None
    seconds: float
    returncode: int


def write_synthetic_papers(path: Path, count: int, seed: int = 0) -> None:
    """``count`` JSONL papers sampled from the seed abstracts, each with its own id."""
    seeds = [json.loads(line) for line in corpus.SEED_PAPERS.read_text(encoding="utf-8").splitlines() if line.strip()]
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for number in range(count):
            paper = rng.choice(seeds)
            record = {"id": f"syn{number:07d}", "title": paper["title"], "abstract": paper["abstract"]}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def tree_rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and all its descendants now, from /proc (0 when gone)."""
    total_kb, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total_kb += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
            for task in Path(f"/proc/{current}/task").iterdir():
                stack.extend(int(child) for child in (task / "children").read_text().split())
        except (OSError, StopIteration, ValueError):
            continue  # the process ended while we looked
    return total_kb / 1024


def run_measured(name: str, command: Sequence[str], sample_tree: bool) -> Run:
    """Run ``command`` and return its peak RSS (and the tree's, when sampled) and wall time."""
    start = time.perf_counter()
    child = subprocess.Popen(command)
    tree_peak = 0.0
    done = threading.Event()

    def sample() -> None:
        nonlocal tree_peak
        while not done.wait(0.05):
            tree_peak = max(tree_peak, tree_rss_mb(child.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    if sample_tree:
        sampler.start()
    _, status, usage = os.wait4(child.pid, 0)
    done.set()
    child.returncode = os.waitstatus_to_exitcode(status)  # keeps Popen from waiting again
    seconds = time.perf_counter() - start
    return Run(name, usage.ru_maxrss / 1024, tree_peak if sample_tree else None, seconds, child.returncode)


def commands(big: Path, out: Path, jobs: int | None, in_memory: bool) -> list[tuple[str, list[str]]]:
    """(name, argv) of every run, the streaming extract second."""
    python = sys.executable
    extract = [python, "-m", "claimkit.cli", "extract", str(big), "-o", str(out), "-q"]
    if jobs:
        extract += ["--jobs", str(jobs)]
    runs = [
        ("python + import claimkit.cli", [python, "-c", "import claimkit.cli"]),
        ("claimkit extract (streaming)" + (f", --jobs {jobs}" if jobs else ""), extract),
        ("pandas.read_json(lines=True)", [python, "-c", "import sys, pandas; pandas.read_json(sys.argv[1], lines=True)",
                                          str(big)]),
    ]
    if in_memory:
        whole = ("import sys; from claimkit import read_papers; from claimkit.extract import extract_claims; "
                 "from claimkit.io import write_claims; "
                 "write_claims(extract_claims(read_papers(sys.argv[1])), sys.argv[2])")
        runs.append(("whole table in memory", [python, "-c", whole, str(big), str(out.with_name("whole.parquet"))]))
    return runs


def report(runs: list[Run], papers: int, size_mb: float, rows: int | None) -> str:
    lines = [f"{papers:,} abstracts, {size_mb:,.0f} MB of JSONL; output {rows if rows is not None else '?'} claims"]
    lines.append(f"{'run':<36}{'peak RSS MB':>12}{'tree MB':>10}{'seconds':>10}{'papers/s':>10}")
    for run in runs:
        tree = f"{run.tree_peak_mb:,.0f}" if run.tree_peak_mb is not None else "-"
        rate = f"{papers / run.seconds:,.0f}" if "extract" in run.name or "whole" in run.name else "-"
        failed = "" if run.returncode == 0 else f"  (exit {run.returncode})"
        lines.append(f"{run.name:<36}{run.peak_mb:>12,.0f}{tree:>10}{run.seconds:>10.1f}{rate:>10}{failed}")
    streaming = next(r for r in runs if "streaming" in r.name)
    peak = max(streaming.peak_mb, streaming.tree_peak_mb or 0)
    lines.append(f"streaming peak {peak:,.0f} MB: {'under' if peak < TARGET_MB else 'OVER'} the {TARGET_MB} MB target")
    return "\n".join(lines)


def output_rows(path: Path) -> int | None:
    try:
        import pyarrow.parquet as pq

        return pq.ParquetFile(path).metadata.num_rows
    except Exception:  # the run failed: the table says so
        return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, default=200_000, help="abstracts in the synthetic input")
    parser.add_argument("--dir", type=Path, default=Path("/tmp/claimkit-bench"), help="where input and output go")
    parser.add_argument("--jobs", type=int, help="pass --jobs N to claimkit extract")
    parser.add_argument("--in-memory", action="store_true", help="also time the whole-table path (slow)")
    args = parser.parse_args(argv)

    big, out = args.dir / "big.jsonl", args.dir / "big.parquet"
    write_synthetic_papers(big, args.papers)
    runs = [run_measured(name, argv_, sample_tree=bool(args.jobs) and "extract" in name)
            for name, argv_ in commands(big, out, args.jobs, args.in_memory)]
    print(report(runs, args.papers, big.stat().st_size / 2**20, output_rows(out)))
    return 0 if all(run.returncode == 0 for run in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
