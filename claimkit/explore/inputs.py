"""What the notebooks read: the inputs ``claimkit explore`` hands over, else the default corpus.

``claimkit explore FILE...`` passes its inputs to every notebook it serves through the
environment (:data:`INPUTS_ENV`, a JSON list of absolute paths). A notebook's ``inputs``
parameter wins over it; with neither, the default corpus (``data/hf-daily-2024-2025.jsonl.gz``)
is read. Claims come from the cache (:mod:`claimkit.cache`), so only the first reader of some
inputs pays for the extraction.
"""

from __future__ import annotations

import json
import os
from typing import Sequence

import pandas as pd

from .. import corpus
from ..cache import Corpus, load_corpus

#: Environment variable through which ``claimkit explore FILE...`` hands inputs to the notebooks.
INPUTS_ENV = "CLAIMKIT_INPUTS"
#: Environment variable through which ``claimkit explore`` names the corrections file the review
#: buttons write to.
CORRECTIONS_ENV = "CLAIMKIT_CORRECTIONS"
#: Set by ``claimkit explore`` for the kernels of its server: the explorer skips a slow import.
FAST_KERNEL_ENV = "CLAIMKIT_FAST_KERNEL"
#: Set by ``claimkit explore`` to its server's base URL: the explorer links to the other notebooks.
SERVER_ENV = "CLAIMKIT_SERVER_BASE_URL"
#: The corrections file of a notebook run without one: beside the notebook.
DEFAULT_CORRECTIONS = "corrections.jsonl"


def inputs_from_env() -> list[str]:
    """Input paths handed over by ``claimkit explore`` (a JSON list), else none."""
    raw = os.environ.get(INPUTS_ENV, "").strip()
    return [str(path) for path in json.loads(raw)] if raw else []


def notebook_inputs(inputs: Sequence[str] = ()) -> list[str]:
    """``inputs``, else $CLAIMKIT_INPUTS, else the default corpus."""
    return list(inputs) or inputs_from_env() or [str(corpus.DEFAULT_CORPUS)]


def notebook_corrections(corrections: str = "") -> str:
    """The corrections file a notebook's explorer writes to: ``corrections``, else the one
    ``claimkit explore`` names ($CLAIMKIT_CORRECTIONS), else ``corrections.jsonl`` beside the
    notebook. It is created by the first decision."""
    return corrections or os.environ.get(CORRECTIONS_ENV, "").strip() or DEFAULT_CORRECTIONS


def load_claims(inputs: Sequence[str] = (), progress: bool = False) -> Corpus:
    """Papers and claims (with the papers' metadata) of :func:`notebook_inputs`, cached."""
    return load_corpus(notebook_inputs(inputs), progress=progress)


def read_inputs(inputs: Sequence[str] = ()) -> pd.DataFrame:
    """The papers of :func:`notebook_inputs`."""
    return load_claims(inputs).papers
