"""The explorer: the claims, leaderboard, trends and paper views as tabs of one widget.

``Explorer(claims, papers)`` is what notebook 01 shows (in JupyterLab and as the Voila
dashboard). The claims view is built at once; the others when their tab is first opened, so
the explorer is usable as soon as the claims view is. A click on a paper anywhere opens the
paper view; the leaderboard starts on the benchmark the claims view filters on, if any, and
the trends follow the claims view's filters. Download buttons export the matching claims.

With a corrections file (``corrections=``, and the papers), each claim in the claims table and
the paper view gets ✓ accept, ✗ reject and ✎ edit buttons: a decision is written to the file at
once (:mod:`claimkit.review`), shows in every view (rejected claims leave the counts, charts,
leaderboard and checks; the review filter finds them), and ↶ undo takes it back. The checks
tab lists the claims that do not add up (:mod:`claimkit.checks`).
"""

from __future__ import annotations

import os
import sys

from .inputs import FAST_KERNEL_ENV, SERVER_ENV  # loads neither Altair nor jsonschema


def _skip_slow_imports() -> None:
    """In the kernels ``claimkit explore`` starts, keep jsonschema (imported by Altair) from
    importing rfc3987-syntax, which compiles a grammar for over a second on import; Altair's
    schema checks use no IRI formats. That second is an eighth of launch-to-usable. Only those
    kernels (the environment variable), and only before Altair is loaded."""
    if os.environ.get(FAST_KERNEL_ENV) == "1" and "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]  # import -> ImportError


_skip_slow_imports()

from pathlib import Path  # noqa: E402  (after the import guard above)

import ipywidgets as widgets  # noqa: E402
import pandas as pd  # noqa: E402

from ..review import Change, Review  # noqa: E402
from . import render  # noqa: E402
from .checks_view import ChecksView  # noqa: E402
from .claims_view import ClaimsView  # noqa: E402
from .exports import MIME_TYPES, frame_bytes  # noqa: E402
from .index import ClaimIndex  # noqa: E402
from .leaderboard_view import LeaderboardView  # noqa: E402
from .paper_view import PaperView  # noqa: E402
from .review_view import ACTIONS, ReviewPanel  # noqa: E402
from .trends_view import TrendsView  # noqa: E402
from .widgets import DownloadButton  # noqa: E402

TABS = ("claims", "leaderboard", "trends", "paper", "checks")


class Explorer(widgets.VBox):
    """Tabs of views over one claims table (``papers``, when given, supplies the abstracts).

    ``claims_view``, ``leaderboard_view``, ``trends_view`` and ``paper_view`` are the views
    (the last three None until first opened) and ``checks_view`` (None until opened);
    ``tabs.selected_index`` picks one. ``matches`` and ``filtered`` are the claims view's.
    ``corrections`` (a path; needs ``papers``) turns on review: ``review`` is then the
    :class:`~claimkit.review.Review` and ``review_panel`` its buttons' panel (else both None).
    """

    def __init__(self, claims: pd.DataFrame, papers: pd.DataFrame | None = None, page_size: int = 20,
                 max_points: int = 1000, top_benchmarks: int = 15, notebook: str = "",
                 corrections: str | Path | None = None) -> None:
        self.review: Review | None = None
        if corrections is not None:
            if papers is None:
                raise ValueError("reviewing claims needs their papers (the texts decisions are keyed in)")
            self.review = Review(claims, papers, corrections)
            claims = self.review.claims
        self.index = ClaimIndex(claims)
        if self.review is not None:
            self.review.claims = self.index.claims  # one table: decisions write where the index reads
        self.papers = papers
        self.claims_view = ClaimsView(self.index, page_size, max_points, top_benchmarks, on_paper=self.show_paper)
        self.leaderboard_view: LeaderboardView | None = None
        self.trends_view: TrendsView | None = None
        self.paper_view: PaperView | None = None
        self.checks_view: ChecksView | None = None
        self.review_panel: ReviewPanel | None = None
        if self.review is not None:
            self.review_panel = ReviewPanel(self.review, self._after_review)
            for name, label in ACTIONS:
                self.claims_view.add_row_action(name, label, getattr(self.review_panel, name))
        self._trends_stale = True
        self.claims_view.on_update = self._on_claims_update
        self.tabs = widgets.Tab(children=[self.claims_view] + [widgets.VBox() for _ in TABS[1:]], titles=TABS)
        self.tabs.add_class("claimkit-tabs")
        self.tabs.observe(self._on_tab, names="selected_index")
        self.downloads = [DownloadButton("⬇ claims CSV", lambda: self.export("csv")),
                          DownloadButton("⬇ claims Parquet", lambda: self.export("parquet"))]
        for button in self.downloads:
            button.add_class("claimkit-export")
        header = [widgets.HTML(render.CSS + _links(notebook))] if notebook and os.environ.get(SERVER_ENV) else []
        panel = [self.review_panel] if self.review_panel is not None else []
        super().__init__(children=[*header, widgets.HBox(self.downloads), *panel, self.tabs])
        self.add_class("claimkit-explorer")

    # -- the claims view's state, as the explorer's ------------------------------------------
    @property
    def matches(self) -> int:
        """How many claims the claims view's filters let through."""
        return self.claims_view.matches

    @property
    def filtered(self) -> pd.DataFrame:
        """The claims the claims view's filters let through."""
        return self.claims_view.filtered

    def export(self, fmt: str) -> tuple[str, str, bytes]:
        """The matching claims as a file: (name, MIME type, bytes); value and unit in their own columns."""
        return f"claims.{fmt}", MIME_TYPES[fmt], frame_bytes(self.filtered, fmt)

    # -- tabs ---------------------------------------------------------------------------------
    def _on_tab(self, change: dict) -> None:
        name = TABS[change["new"]] if change["new"] is not None else ""
        if name == "leaderboard":
            self._open_leaderboard()
        elif name == "trends":
            self._open_trends()
        elif name == "paper":
            self._paper()
        elif name == "checks":
            self._open_checks()

    def _set_tab(self, name: str, view: widgets.Widget) -> None:
        position = TABS.index(name)
        holder = self.tabs.children[position]
        if holder.children != (view,):
            holder.children = (view,)

    def _open_leaderboard(self) -> LeaderboardView:
        """Build the leaderboard view the first time; follow the claims view's benchmark filter."""
        wanted = self.claims_view.benchmark_filter.value.strip()
        if self.leaderboard_view is None:
            self.leaderboard_view = LeaderboardView(self.index, wanted, on_paper=self.show_paper)
            self._set_tab("leaderboard", self.leaderboard_view)
        elif wanted and self.leaderboard_view.picker.value != wanted:
            self.leaderboard_view.choose(wanted)
        return self.leaderboard_view

    def _open_trends(self) -> TrendsView:
        if self.trends_view is None:
            self.trends_view = TrendsView(self.index)
            self._set_tab("trends", self.trends_view)
        if self._trends_stale:
            self.trends_view.show(self.claims_view.rows)
            self._trends_stale = False
        return self.trends_view

    def _paper(self) -> PaperView:
        if self.paper_view is None:
            self.paper_view = PaperView(self.index, self.papers)
            if self.review_panel is not None:
                for name, label in ACTIONS:
                    self.paper_view.add_action(name, label, getattr(self.review_panel, name))
            self._set_tab("paper", self.paper_view)
        return self.paper_view

    def _open_checks(self) -> ChecksView:
        if self.checks_view is None:
            self.checks_view = ChecksView(self.index, self.papers, on_paper=self.show_paper)
            self._set_tab("checks", self.checks_view)
        self.checks_view.show()
        return self.checks_view

    def show_checks(self) -> ChecksView:
        """Open the checks view: the claims that do not add up."""
        self.tabs.selected_index = TABS.index("checks")
        return self._open_checks()

    # -- a person's decisions -------------------------------------------------------------------
    def _after_review(self, change: Change) -> None:
        """A decision (or undo) changed the claims: every view follows, staying where it was."""
        assert self.review is not None
        if change.rebuilt:  # rows added or removed (another writer's decisions): index the table again
            self.index = ClaimIndex(self.review.claims)
            self.review.claims = self.index.claims
            for view in (self.claims_view, self.leaderboard_view, self.paper_view, self.checks_view):
                if view is not None:
                    view.index = self.index
            self.claims_view._sort_keys.clear()
            self.claims_view._orders.clear()
        else:
            self.index.refresh(change.columns)
        self.claims_view.refresh(change.columns)
        if self.leaderboard_view is not None:
            self.leaderboard_view.refresh()
        if self.paper_view is not None and self.paper_view.paper:
            self.paper_view.show(self.paper_view.paper)
        if self.checks_view is not None:
            self.checks_view.stale = True
            if self.tabs.selected_index == TABS.index("checks"):
                self.checks_view.show()
        self._trends_stale = True
        if change.rebuilt or change.columns & {"low", "high"}:  # the trends view sorts values once: build it again
            self.trends_view = None
            self.tabs.children[TABS.index("trends")].children = ()
            if self.tabs.selected_index == TABS.index("trends"):
                self._open_trends()

    def _on_claims_update(self) -> None:
        """The claims view's filters changed: the trends follow (now if shown, else when opened)."""
        self._trends_stale = True
        if self.tabs.selected_index == TABS.index("trends") and self.trends_view is not None:
            self._open_trends()

    def show_paper(self, paper: str) -> None:
        """Open the paper view on ``paper`` (an id)."""
        self._paper().show(paper)
        self.tabs.selected_index = TABS.index("paper")

    def show_leaderboard(self, benchmark: str = "", metric: str | None = None) -> LeaderboardView:
        """Open the leaderboard view (on ``benchmark`` when given: any spelling; ranked by
        ``metric`` when given, "" for any)."""
        self.tabs.selected_index = TABS.index("leaderboard")
        view = self._open_leaderboard()
        if benchmark:
            view.choose(benchmark)
        if metric is not None:
            view.rank_by(metric)
        return view

    def review_benchmark(self, benchmark: str = "") -> str:
        """Show the claims on ``benchmark`` (any spelling; "" for the one most papers claim scores
        on) that nobody has reviewed yet, ready for the review buttons; its label."""
        view = self._open_leaderboard()
        if benchmark:
            view.choose(benchmark)
        label = view.labels.get(view.benchmark, view.benchmark)
        self.tabs.selected_index = TABS.index("claims")
        self.claims_view.benchmark_filter.value = label
        if self.claims_view.review_filter is not None:
            self.claims_view.review_filter.value = "unreviewed"
        return label

    def corrected_leaderboard(self, benchmark: str, metric: str | None = None) -> pd.DataFrame:
        """The leaderboard of ``benchmark`` (any spelling) on the claims as reviewed (rejected
        ones left out; a ``review`` column when corrections are on), without changing tabs."""
        view = self._open_leaderboard()
        view.choose(benchmark)
        if metric is not None:
            view.rank_by(metric)
        return view.board

    def show_trends(self) -> TrendsView:
        """Open the trends view on the claims the filters let through."""
        self.tabs.selected_index = TABS.index("trends")
        return self._open_trends()


def _links(notebook: str) -> str:
    """Links to the notebooks beside ``notebook`` (served by ``claimkit explore``)."""
    folder = Path(notebook).resolve().parent
    names = sorted(path.name for path in folder.glob("[0-9][0-9]-*.ipynb"))
    base = os.environ.get(SERVER_ENV, "/")
    return render.notebook_links_html(names, Path(notebook).name, base)
