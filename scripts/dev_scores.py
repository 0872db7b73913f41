"""Print the extractor's figures on the development data, tune halves by default.

    python scripts/dev_scores.py             # seed gold, 2024-2025 sample (tune), pwc-dev (tune)
    python scripts/dev_scores.py --heldout   # the held-out halves: read only at the end

Claim figures come from ``claimkit.evaluate``; leaderboard-result figures from the shared
scorer ``../shared/tools/link_score.py`` (value recall, linked recall over the results whose
dataset is named in the abstract), plus the claims made on the papers without results.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd

from claimkit import evaluate, extract_claims, read_papers
from claimkit.corpus import SEED_GOLD, SEED_PAPERS
from claimkit.io import write_claims

DEV = Path(__file__).resolve().parent.parent / "data" / "dev"
LINK_SCORE = Path(__file__).resolve().parent.parent.parent / "shared" / "tools" / "link_score.py"


def claim_figures(papers: list[Path], gold: list[Path]) -> dict:
    table = pd.concat([read_papers(path) for path in papers], ignore_index=True)
    labels = pd.concat([pd.read_json(path, lines=True, dtype=False) for path in gold], ignore_index=True)
    scores = evaluate(extract_claims(table), labels).set_index("scope")
    return {"papers": len(table), "gold": int(scores.loc["all", "gold"]),
            "kind-aware F1": scores.loc["all", "f1"], "detection F1": scores.loc["kind-blind", "f1"],
            "benchmark agreement": scores.loc["all", "named_benchmark_agreement"]}


def link_figures(half: str) -> dict:
    papers = read_papers(DEV / f"pwc-{half}-papers.jsonl")
    claims = extract_claims(papers)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "claims.jsonl"
        write_claims(claims, path)
        result = subprocess.run([sys.executable, str(LINK_SCORE), str(DEV / f"pwc-{half}-results.jsonl"), str(path),
                                 "--json"], capture_output=True, text=True, check=True)
    figures = json.loads(result.stdout)
    flags = pd.read_json(DEV / f"pwc-{half}-papers.jsonl", lines=True, dtype=False).set_index("id")["has_results"]
    without = set(flags.index[~flags.astype(bool)])
    return {"results": figures["results"], "value recall": figures["value_recall"],
            "named linked recall": figures["named_linked_recall"],
            f"claims on the {len(without)} papers without results": int(claims["paper"].isin(without).sum())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heldout", action="store_true", help="score the held-out halves (only at the end)")
    args = parser.parse_args()
    half = "heldout" if args.heldout else "tune"
    rows = {"seed gold (tuned on)": claim_figures([SEED_PAPERS], [SEED_GOLD])}
    samples = [f"hf-sample-{half}"] + (["hf-sample-tune2", "hf-sample-tune3"] if half == "tune"
                                       else ["hf-sample-heldout2", "hf-sample-heldout3", "hf-sample-heldout4"])
    samples = [name for name in samples if (DEV / f"{name}-gold.jsonl").exists()]
    label = "tuned on" if half == "tune" else "held out"
    if half == "heldout":  # each held-out sample was scored at its own time: show each
        for name in samples:
            rows[f"{name} ({label})"] = claim_figures([DEV / f"{name}.jsonl"], [DEV / f"{name}-gold.jsonl"])
    rows[f"2024-2025 sample, {half} ({label})"] = claim_figures([DEV / f"{name}.jsonl" for name in samples],
                                                                [DEV / f"{name}-gold.jsonl" for name in samples])
    for name, figures in rows.items():
        print(f"{name}: " + ", ".join(f"{key} {value:.3f}" if isinstance(value, float) else f"{key} {value}"
                                      for key, value in figures.items()))
    if LINK_SCORE.exists():
        figures = link_figures(half)
        print(f"pwc-dev, {half} ({label}): " + ", ".join(
            f"{key} {value:.3f}" if isinstance(value, float) else f"{key} {value}" for key, value in figures.items()))


if __name__ == "__main__":
    main()
