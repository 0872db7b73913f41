"""The checks view: the claims that do not add up (:mod:`claimkit.checks`), rule by rule.

Built when its tab is first opened, and computed again when it is shown after a person's
decision (rejected claims raise no finding). Chips choose the rules shown (with their counts);
the table lists the findings, each with its paper (a click opens the paper view), what is odd
and the claim in its sentence; a button downloads them all.
"""

from __future__ import annotations

import html
from typing import Callable

import ipywidgets as widgets
import pandas as pd

from ..checks import check_claims, findings_summary, read_rules
from . import render
from .exports import MIME_TYPES, frame_bytes
from .index import ClaimIndex
from .widgets import ChoiceChips, DownloadButton, HtmlView

#: Findings shown in the table at most (the download has them all).
SHOWN_FINDINGS = 200


class ChecksView(widgets.VBox):
    """Rule chips, a summary, the findings table and a download of ``findings``."""

    def __init__(self, index: ClaimIndex, papers: pd.DataFrame | None = None,
                 on_paper: Callable[[str], None] | None = None) -> None:
        self.index = index
        self.papers = papers
        self.on_paper = on_paper
        self.rules = read_rules()
        self.findings = pd.DataFrame()
        self.stale = True
        self.rule_filter = ChoiceChips([(rule.name, rule.name) for rule in self.rules], description="rules")
        self.rule_filter.add_class("claimkit-check-rules")
        self.rule_filter.observe(lambda _: self._show(), names="value")
        self.summary = widgets.HTML()
        self.summary.add_class("claimkit-check-summary")
        self.table = HtmlView()
        self.table.add_class("claimkit-findings-view")
        self.table.on("paper", self._open_paper)
        self.download = DownloadButton("⬇ findings CSV", self._export)
        self.download.add_class("claimkit-findings-export")
        super().__init__(children=[self.rule_filter, widgets.HBox([self.summary, self.download]), self.table])
        self.add_class("claimkit-checks-view")

    def show(self) -> None:
        """Compute the findings if the claims changed since, and show them."""
        if self.stale:
            claims = self.index.claims
            if "review" in claims.columns:
                claims = claims[claims["review"] != "rejected"]
            self.findings = check_claims(claims, self.papers, self.rules)
            counts = findings_summary(self.findings, self.rules).set_index("rule")["findings"]
            labels = [f"{name} ({int(counts[name]):,})" for _, name in self.rule_filter.options]
            self.rule_filter.options = list(zip(labels, (name for _, name in self.rule_filter.options)))
            for toggle, label in zip(self.rule_filter.toggles, labels):
                toggle.description = label
            self.stale = False
        self._show()

    @property
    def shown(self) -> pd.DataFrame:
        """The findings of the chosen rules (all when none is chosen)."""
        chosen = set(self.rule_filter.value)
        return self.findings[self.findings["rule"].isin(chosen)] if chosen else self.findings

    def _show(self) -> None:
        shown = self.shown
        by_rule = {rule.name: rule.says for rule in self.rules}
        chosen = self.rule_filter.value or tuple(by_rule)
        says = "; ".join(f"<i>{html.escape(name)}</i>: {html.escape(by_rule[name])}" for name in chosen[:3])
        more = f" (and {len(chosen) - 3} more rules)" if len(chosen) > 3 else ""
        self.summary.value = (f"<b>{len(shown):,}</b> findings of {len(self.findings):,} &middot; {says}{more}"
                              + (f" &middot; the first {SHOWN_FINDINGS} shown" if len(shown) > SHOWN_FINDINGS else ""))
        self.table.value = render.CSS + render.findings_html(shown.head(SHOWN_FINDINGS))

    def _export(self) -> tuple[str, str, bytes]:
        return "findings.csv", MIME_TYPES["csv"], frame_bytes(self.shown, "csv")

    def _open_paper(self, paper: str) -> None:
        if self.on_paper is not None:
            self.on_paper(paper)
