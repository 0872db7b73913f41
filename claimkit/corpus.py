"""Where the embedded corpora and gold labels live (the repository's ``data/``, see data/README.md)."""

from __future__ import annotations

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
#: The default corpus: 5,841 Hugging Face daily papers of 2024-2025, gzipped JSON lines.
DEFAULT_CORPUS = DATA_DIR / "hf-daily-2024-2025.jsonl.gz"
#: The seed: 174 trending papers as a page dump (the seed gold labels these).
DEFAULT_PAGE = DATA_DIR / "trending-papers-page.txt"
SEED_PAPERS = DATA_DIR / "seed_papers.jsonl"
SEED_GOLD = DATA_DIR / "seed_gold.jsonl"
