"""The paper view: one paper's claims, highlighted in its title and abstract, with its arXiv link.

Opened by a click on a paper anywhere in the explorer (a title in the claims table or the
leaderboard, a dot in a chart). Without the papers table, the claims' sentences stand in for
the abstract. Actions (:meth:`PaperView.add_action`: the review buttons) put a button on each
claim of the list that calls back with the claim's row.
"""

from __future__ import annotations

import html
from typing import Callable

import ipywidgets as widgets
import pandas as pd

from . import render
from .index import ClaimIndex, date_text
from .widgets import HtmlView

_HINT = "<i>Click a paper's title in the claims table or the leaderboard, or a dot in a chart, to see it here.</i>"


class PaperView(widgets.VBox):
    """The paper shown (``paper``: its id, "" for none) and its claims (``claims``)."""

    def __init__(self, index: ClaimIndex, papers: pd.DataFrame | None = None) -> None:
        self.index = index
        self.papers = papers.drop_duplicates("paper").set_index("paper") if papers is not None else None
        self.paper = ""
        self.claims = index.claims.iloc[:0]
        self.actions: list[render.RowAction] = []
        self._callbacks: dict[str, Callable[[pd.Series], None]] = {}
        self.body = HtmlView(render.CSS + _HINT)
        self.body.add_class("claimkit-paper-view")
        self.body.on("action:", self._on_action)
        super().__init__(children=[self.body])

    def add_action(self, name: str, label: str, callback: Callable[[pd.Series], None]) -> None:
        """A button ``label`` on each claim of the list; a click calls ``callback(claim row)``."""
        self.actions.append(render.RowAction(name, label))
        self._callbacks[name] = callback
        if self.paper:
            self.show(self.paper)

    def _on_action(self, name: str, position: str) -> None:
        callback = self._callbacks.get(name)
        if callback is not None and position.isdigit() and int(position) < len(self.index.claims):
            callback(self.index.claims.iloc[int(position)])

    def show(self, paper: str) -> None:
        """Show paper ``paper`` (an id) with its claims highlighted."""
        self.paper = paper
        rows = self.index.paper_rows(paper)
        self.claims = self.index.claims.iloc[rows]
        if self.papers is not None and paper in self.papers.index:
            record = self.papers.loc[paper]
            title, abstract = str(record["title"]), str(record["abstract"])
            url = "" if "url" not in record or pd.isna(record["url"]) else str(record["url"])
            published = date_text(record["published"]) if "published" in record else ""
            claims = self.claims
        elif len(self.claims):
            first = self.claims.iloc[0]
            title, url = str(first["title"]), ""
            published = date_text(first["published"]) if "published" in self.claims.columns else ""
            abstract, claims = self._sentences_as_abstract()
        else:
            self.body.value = render.CSS + f"<p>No paper <code>{html.escape(paper)}</code> here.</p>" + _HINT
            return
        self.body.value = render.CSS + render.paper_html(paper, title, abstract, claims, url, published,
                                                         self.actions, rows.tolist())

    def _sentences_as_abstract(self) -> tuple[str, pd.DataFrame]:
        """The claims' distinct sentences joined, and the claims with offsets into that text."""
        sentences = list(dict.fromkeys(self.claims["sentence"].astype("str")))
        text = " ".join(sentences)
        starts = {sentence: text.find(sentence) for sentence in sentences}
        at = [starts[s] + max(s.find(t), 0) for s, t in zip(self.claims["sentence"], self.claims["text"])]
        shifted = self.claims.assign(field="abstract", start=at, end=[a + len(t) for a, t in zip(at, self.claims["text"])])
        return text, shifted
