"""The explorer: claims, leaderboard, trends and paper views in JupyterLab and Voila.

One module per job:

=====================  ===========================================================================
module                 job
=====================  ===========================================================================
``index``              :class:`Query` and :class:`ClaimIndex`: filtering a million claims fast
``render``             HTML of claims tables, leaderboards, a paper (pure functions, escaped)
``widgets``            building blocks: clickable HTML, charts that report clicks, chips, downloads
``claims_view``        filters, count, sortable paged table and charts
``leaderboard_view``   one benchmark's claimed scores, ranked, with the best over time
``trends_view``        claims and claimed values over time
``paper_view``         one paper's claims highlighted in its abstract
``review_view``        the review buttons' panel: decisions, undo, the edit form
``checks_view``        the claims that do not add up (:mod:`claimkit.checks`), rule by rule
``explorer``           :class:`Explorer`: the views as tabs
``inputs``             what the notebooks read (``claimkit explore``'s inputs, else the default corpus)
``launch``             ``claimkit explore``: checks the inputs, starts the server (imports no widgets)
``kernels``            the server's kernel manager: a cap on concurrent kernels
=====================  ===========================================================================

Names are loaded on first use (``from claimkit.explore import Explorer`` imports the widgets;
``claimkit.explore.launch`` does not).
"""

from __future__ import annotations

import importlib
from typing import Any

_HOMES = {
    "Query": "index", "ClaimIndex": "index", "parse_bound": "index", "spread": "index",
    "highlight": "render", "claims_table_html": "render", "leaderboard_html": "render", "paper_html": "render",
    "HtmlView": "widgets", "ChartView": "widgets", "ChoiceChips": "widgets", "DownloadButton": "widgets",
    "ClaimsView": "claims_view", "LeaderboardView": "leaderboard_view", "TrendsView": "trends_view",
    "PaperView": "paper_view", "Explorer": "explorer",
    "INPUTS_ENV": "inputs", "inputs_from_env": "inputs", "notebook_inputs": "inputs", "load_claims": "inputs",
    "CORRECTIONS_ENV": "inputs", "notebook_corrections": "inputs",
    "ReviewPanel": "review_view", "ChecksView": "checks_view",
    "read_inputs": "inputs",
    "launch_explorer": "launch", "lab_command": "launch", "NOTEBOOKS_DIR": "launch", "EXPLORER_NOTEBOOK": "launch",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'claimkit.explore' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_HOMES[name]}", __name__), name)
