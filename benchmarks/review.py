"""How long corrections and checks take on a large claims table, beside a peer in the same run.

Usage: ``python benchmarks/review.py [--papers FILE] [--copies 120] [--decisions 1000] [--repeat 3]``

The papers (default: the seed papers) are extracted once and copied ``--copies`` times under new
ids (so 5,841 Hugging Face papers x 120 is about 1,000,000 claims). Then, as wall-clock medians:

* ``apply``: :func:`claimkit.corrections.Corrections.apply` of ``--decisions`` decisions (a mix of
  accept / reject / edit / add) to every claim; peer ``offset merge``: the same decisions joined
  to the claims on (paper, field, start) with pandas, the naive keying by offsets that does not
  survive a new extraction;
* ``decide``: one click in the explorer, :meth:`claimkit.review.Review.decide` (write the line
  under the lock, re-read the file, recompute the decided paper); peer ``full re-apply``: the
  same click recomputing every paper's rows;
* ``check``: :func:`claimkit.checks.check_claims` with every rule; peer ``extract``: extracting
  the claims of the same papers (measured on one copy and scaled, it is linear).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Callable

import pandas as pd

from claimkit import extract_claims, read_papers
from claimkit.checks import check_claims
from claimkit.corpus import SEED_PAPERS
from claimkit.corrections import Corrections, Decision, decision_for, record_decision
from claimkit.review import Review
from claimkit.scale import concat_claims


def timed(run: Callable[[], object], repeat: int) -> float:
    """Median wall-clock seconds of ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def copied(papers: pd.DataFrame, claims: pd.DataFrame, copies: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``copies`` copies of papers and claims, each under new paper ids."""
    paper_copies = [papers.assign(paper=papers["paper"].astype(str) + f"~{n}") for n in range(copies)]
    claim_copies = [claims.assign(paper=claims["paper"].astype(str) + f"~{n}") for n in range(copies)]
    return pd.concat(paper_copies, ignore_index=True), concat_claims(claim_copies)


def decisions_for(claims: pd.DataFrame, papers: pd.DataFrame, count: int) -> list[Decision]:
    """``count`` decisions spread over the table: accept, reject, edit and add in turn."""
    texts = papers.set_index("paper")
    rows = claims.iloc[:: max(1, len(claims) // count)].head(count).to_dict("records")
    decisions = []
    for number, row in enumerate(rows):
        source = texts.at[row["paper"], str(row["field"])]
        action = ("accept", "reject", "edit", "add")[number % 4]
        changes = {"benchmark": "FooBench"} if action == "edit" else None
        if action == "add":
            changes = {"kind": "score", "low": 1.0, "high": 1.0}
        decisions.append(decision_for(row, action, source, changes))
    return decisions


def offset_merge(claims: pd.DataFrame, decisions: list[Decision], papers: pd.DataFrame) -> pd.DataFrame:
    """The naive peer: decisions joined to claims by (paper, field, start)."""
    texts = papers.set_index("paper")
    keys = pd.DataFrame([{"paper": d.paper, "field": d.field, "action": d.action,
                          "start": texts.at[d.paper, d.field].find(d.text)} for d in decisions])
    frame = claims.assign(field=claims["field"].astype(str))
    return frame.merge(keys, on=["paper", "field", "start"], how="left")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", default=str(SEED_PAPERS), help="papers to extract and copy (default: the seed papers)")
    parser.add_argument("--copies", type=int, default=120, help="copies of the papers (default 120)")
    parser.add_argument("--decisions", type=int, default=1000, help="decisions in the corrections file (default 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the median is printed (default 3)")
    args = parser.parse_args()

    papers = read_papers(args.papers)
    start = time.perf_counter()
    one_copy = extract_claims(papers)
    extract_seconds = time.perf_counter() - start
    papers, claims = copied(papers, one_copy, args.copies)
    decisions = decisions_for(claims, papers, args.decisions)
    corrections = Corrections(decisions)
    print(f"{len(papers):,} papers, {len(claims):,} claims, {len(decisions):,} decisions")
    print(f"{'figure':<28}{'seconds':>10}")

    rows = [("apply", timed(lambda: corrections.apply(claims, papers), args.repeat)),
            ("  peer: offset merge", timed(lambda: offset_merge(claims, decisions, papers), args.repeat))]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "corrections.jsonl"
        for decision in decisions:
            record_decision(path, decision)
        review = Review(claims, papers, path)
        targets = review.claims.iloc[:: max(1, len(review.claims) // 50)].head(args.repeat).to_dict("records")
        clicks = iter(targets)
        rows.append(("decide (one click)", timed(lambda: review.decide(next(clicks), "accept"), len(targets))))
        full = iter(targets)
        rows.append(("  peer: full re-apply", timed(lambda: (record_decision(path, decision_for(
            next(full), "accept", review.source_text(targets[0]["paper"], "abstract"))), Corrections.read(path).apply(
            claims, papers, keep_rejected=True)), len(targets))))
    rows.append(("check (every rule)", timed(lambda: check_claims(claims, papers), args.repeat)))
    rows.append(("  peer: extract (scaled)", extract_seconds * args.copies))
    for name, seconds in rows:
        print(f"{name:<28}{seconds:>10.3f}")


if __name__ == "__main__":
    main()
