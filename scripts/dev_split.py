"""Make the development split the extractor is tuned and held out on (run once; output committed).

- ``data/dev/hf-sample-{tune,heldout}.jsonl``: 200 papers drawn at random (seed 2026) from the
  5,841 Hugging Face daily papers of 2024-2025, split in two halves of 100. The tune half is
  read while writing rules; the held-out half is only scored, at the end.
- ``data/dev/hf-sample-tune2.jsonl``: 100 further papers drawn the same way from the rest, annotated
  later to widen the tuning data (a second tune half; the held-out half is unchanged).
- ``data/dev/hf-sample-tune3.jsonl`` and ``hf-sample-heldout2.jsonl``: 100 papers each, drawn the
  same way from the rest after the first held-out half had been scored once: more data to tune
  on, and a second held-out half that is scored only at the very end.
- ``data/dev/hf-sample-heldout3.jsonl``: 100 papers drawn the same way from the rest after the
  second held-out half had been scored and read: a third held-out half for the rules written after.
- ``data/dev/hf-sample-heldout4.jsonl``: 100 more, drawn the same way after the third had been scored
  and read, for the rules written after that.
- ``data/dev/pwc-{tune,heldout}-{papers,results}.jsonl``: the Papers-with-Code development set,
  split in halves by paper (seed 2026), papers with and without results alike.

usage: python scripts/dev_split.py SHARED_DIR
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

SEED = 2026
SAMPLE = 200
OUT = Path(__file__).resolve().parent.parent / "data" / "dev"


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")


def halves(items: list, rng: random.Random) -> tuple[list, list]:
    shuffled = list(items)
    rng.shuffle(shuffled)
    middle = len(shuffled) // 2
    return sorted(shuffled[:middle]), sorted(shuffled[middle:])


def main(shared: Path) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    daily = read_jsonl(shared / "data" / "hf-daily-2024-2025.jsonl")
    sample = rng.sample(range(len(daily)), SAMPLE)
    tune, heldout = halves(sample, rng)
    for name, indices in (("tune", tune), ("heldout", heldout)):
        rows = [{key: daily[i][key] for key in ("id", "title", "abstract", "published")} for i in indices]
        write_jsonl(OUT / f"hf-sample-{name}.jsonl", rows)

    rest = sorted(set(range(len(daily))) - set(sample))
    more = sorted(random.Random(SEED + 1).sample(rest, SAMPLE // 2))
    rows = [{key: daily[i][key] for key in ("id", "title", "abstract", "published")} for i in more]
    write_jsonl(OUT / "hf-sample-tune2.jsonl", rows)
    rest = sorted(set(rest) - set(more))
    third = random.Random(SEED + 2).sample(rest, SAMPLE)
    tune3, heldout2 = halves(third, random.Random(SEED + 3))
    for name, indices in (("tune3", tune3), ("heldout2", heldout2)):
        rows = [{key: daily[i][key] for key in ("id", "title", "abstract", "published")} for i in indices]
        write_jsonl(OUT / f"hf-sample-{name}.jsonl", rows)
    rest = sorted(set(rest) - set(third))
    fourth = sorted(random.Random(SEED + 4).sample(rest, SAMPLE // 2))
    rows = [{key: daily[i][key] for key in ("id", "title", "abstract", "published")} for i in fourth]
    write_jsonl(OUT / "hf-sample-heldout3.jsonl", rows)
    rest = sorted(set(rest) - set(fourth))
    fifth = sorted(random.Random(SEED + 5).sample(rest, SAMPLE // 2))
    rows = [{key: daily[i][key] for key in ("id", "title", "abstract", "published")} for i in fifth]
    write_jsonl(OUT / "hf-sample-heldout4.jsonl", rows)

    papers = read_jsonl(shared / "data" / "pwc-dev-papers.jsonl")
    results = read_jsonl(shared / "data" / "pwc-dev-results.jsonl")
    tune_ids, heldout_ids = halves([paper["id"] for paper in papers], rng)
    for name, ids in (("tune", set(tune_ids)), ("heldout", set(heldout_ids))):
        write_jsonl(OUT / f"pwc-{name}-papers.jsonl", [p for p in papers if p["id"] in ids])
        write_jsonl(OUT / f"pwc-{name}-results.jsonl", [r for r in results if r["paper"] in ids])


if __name__ == "__main__":
    main(Path(sys.argv[1]))
