"""Where the embedded default corpus and gold labels live (the repository's ``data/``)."""

from __future__ import annotations

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEFAULT_PAGE = DATA_DIR / "trending-papers-page.txt"
SEED_PAPERS = DATA_DIR / "seed_papers.jsonl"
SEED_GOLD = DATA_DIR / "seed_gold.jsonl"
