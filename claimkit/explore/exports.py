"""Tables as file bytes for the explorer's download buttons, written by the project's writers."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd

from ..io import write_frame

MIME_TYPES = {"csv": "text/csv", "parquet": "application/vnd.apache.parquet", "jsonl": "application/jsonl"}


def frame_bytes(frame: pd.DataFrame, fmt: str) -> bytes:
    """``frame`` as the bytes of a ``fmt`` file (csv, parquet or jsonl), as ``claimkit extract`` writes it."""
    with tempfile.TemporaryDirectory(prefix="claimkit-export-") as folder:
        path = Path(folder) / f"export.{fmt}"
        write_frame(frame, path, fmt)
        return path.read_bytes()
