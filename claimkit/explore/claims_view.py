"""The claims view: filters, count and a sortable, paged table on top; charts below.

Filters (kind, benchmark, metric, paper search, value range, qualifier; arXiv category and
publication date when the table carries the papers' ``categories`` and ``published``) drive
one update that sets the count, the table and the charts together. Text filters react as
you type. Clicking a bar sets the matching filter; clicking a paper (a title in the table or
a dot in the values chart) opens the paper view. The table shows one page of the matching
claims, one line per claim (the whole sentence on expand), sortable by any column; turning a
page renders only that page's rows.

Row actions (for reviewing claims) plug in with :meth:`ClaimsView.add_row_action`: a button
on every row that calls back with the claim's row. A corrected table (one with a ``review``
column) gets a review filter (rejected claims are left out until asked for) and the count of
reviewed claims; :meth:`ClaimsView.refresh` shows a person's decision without leaving the page.
"""

from __future__ import annotations

import html
from typing import Callable

import altair as alt
import ipywidgets as widgets
import numpy as np
import pandas as pd
import traitlets

from .. import charts
from ..review import REVIEW_FILTERS
from ..table import KINDS, QUALIFIERS
from . import render
from .index import ANY, ClaimIndex, Query, alphabetical_ranks, codes_of, date_text, parse_bound, spread
from .widgets import ChartView, ChoiceChips, HtmlView, look, shared_selections_allowed

_QUALIFIER_LABELS = {"": "none", "up_to": "up to", "at_least": "at least", "about": "about", "average": "average"}
#: Rows-per-page choices of the table.
PAGE_SIZES = (20, 50, 100)
#: The review filter's choices (label, name in :data:`claimkit.review.REVIEW_FILTERS`); the first is the default.
REVIEW_CHOICES = (("all but rejected", "kept"), ("unreviewed", "unreviewed"), ("reviewed", "reviewed"),
                  ("accepted", "accepted"), ("corrected", "corrected"), ("rejected", "rejected"), ("all", "all"))


class ClaimsView(widgets.VBox):
    """Filters, count, table and charts of a claims index, updated together.

    ``matches`` is the number of claims the filters let through; ``rows`` their positions
    (in table order, or sorted) and ``filtered`` the rows themselves. The table shows page
    ``page`` (1-based) of ``pages``, ``page_size`` rows each; a filter change goes back to
    page 1. ``sort`` is (column, ascending) or None (table order). ``on_paper`` is called
    with a paper id when a paper is clicked.
    """

    matches = traitlets.Int(0, help="number of claims matching the filters")

    def __init__(self, index: ClaimIndex, page_size: int = 20, max_points: int = 1000, top_benchmarks: int = 15,
                 on_paper: Callable[[str], None] | None = None) -> None:
        self.index = index
        self.on_paper = on_paper
        self._resetting = False
        self._page = 1
        self.max_points = max_points
        self.top_benchmarks = top_benchmarks
        self.sort: tuple[str, bool] | None = None
        self.row_actions: list[render.RowAction] = []
        self._action_callbacks: dict[str, Callable[[pd.Series], None]] = {}
        self._sort_keys: dict[str, np.ndarray] = {}
        self._orders: dict[tuple[str, bool], np.ndarray] = {}
        self.rows = np.arange(len(index))
        self.on_update: Callable[[], None] | None = None  # called after every update (the explorer's trends)
        self._build_filters()
        self.count = widgets.HTML()
        self.count.add_class("claimkit-count")
        self.table = HtmlView()
        self.table.add_class("claimkit-table")
        self.table.on("paper", self._open_paper)
        self.table.on("sort", self.sort_by)
        self.table.on("action:", self._on_row_action)
        self._build_pager(page_size)
        self.charts = {
            "benchmarks": ChartView(self._benchmark_chart(pd.DataFrame({"benchmark": [], "claims": []})),
                                    "claimkit-chart-benchmarks", "pick_benchmark", "benchmark", self._pick_benchmark),
            "kinds": ChartView(self._kind_chart(pd.DataFrame({"kind": [], "claims": []})),
                               "claimkit-chart-kinds", "pick_kind", "kind", self._pick_kind),
            "values": ChartView(self._values_chart(self.index.claims.iloc[:0]),
                                "claimkit-chart-values", "pick_paper", "paper", self._open_paper),
        }
        super().__init__(children=[
            self._filter_box(),
            widgets.HBox([self.count, self.pager], layout=widgets.Layout(justify_content="space-between",
                                                                          align_items="center")),
            self.table,
            widgets.HBox([self.charts["benchmarks"].widget, self.charts["kinds"].widget],
                         layout=widgets.Layout(flex_flow="row wrap")),
            self.charts["values"].widget,
        ])
        self.add_class("claimkit-claims-view")
        self.update()

    # -- paging --------------------------------------------------------------------------
    def _build_pager(self, page_size: int) -> None:
        """Prev / Next buttons, the "rows 21–40 of 211" indicator and the rows-per-page choice."""
        self.prev_button = widgets.Button(description="◀ prev", tooltip="previous page",
                                          layout=widgets.Layout(width="80px"))
        self.next_button = widgets.Button(description="next ▶", tooltip="next page",
                                          layout=widgets.Layout(width="80px"))
        self.page_indicator = widgets.HTML(layout=widgets.Layout(min_width="170px"))
        sizes = sorted({*PAGE_SIZES, int(page_size)})
        self.page_size_picker = widgets.Dropdown(
            options=[(str(size), size) for size in sizes], value=int(page_size), description="rows per page",
            layout=widgets.Layout(width="200px"), style={"description_width": "90px"})
        self.prev_button.add_class("claimkit-prev")
        self.next_button.add_class("claimkit-next")
        self.page_indicator.add_class("claimkit-page")
        self.page_size_picker.add_class("claimkit-page-size")
        self.prev_button.on_click(lambda _: self.go_to_page(self.page - 1))
        self.next_button.on_click(lambda _: self.go_to_page(self.page + 1))
        self.page_size_picker.observe(self._on_page_size_change, names="value")
        self.pager = widgets.HBox([self.prev_button, self.page_indicator, self.next_button, self.page_size_picker],
                                  layout=widgets.Layout(align_items="center"))
        self.pager.add_class("claimkit-pager")

    @property
    def page_size(self) -> int:
        """Rows per page of the table (the rows-per-page dropdown's value)."""
        return int(self.page_size_picker.value)

    @property
    def page(self) -> int:
        """The table's page, from 1 (turn it with :meth:`go_to_page` or the buttons)."""
        return self._page

    @property
    def pages(self) -> int:
        """How many pages the matching claims fill (1 when none match)."""
        return max(1, -(-len(self.rows) // self.page_size))

    def go_to_page(self, page: int) -> None:
        """Show page ``page`` (from 1, kept within ``1..pages``) of the matching claims."""
        self._page = min(max(int(page), 1), self.pages)
        self._show_page()

    def _on_page_size_change(self, change: dict) -> None:
        # The row at the top of the old page stays in view.
        self.go_to_page((self.page - 1) * change["old"] // self.page_size + 1)

    @property
    def page_rows(self) -> np.ndarray:
        """The table positions of the rows on the current page."""
        start = (self.page - 1) * self.page_size
        return self.rows[start:start + self.page_size]

    def _show_page(self) -> None:
        """Render the current page only: the table, the indicator and which buttons work."""
        start = (self.page - 1) * self.page_size
        stop = min(start + self.page_size, len(self.rows))
        self.table.value = render.CSS + render.claims_table_html(
            self.index.claims.iloc[self.rows[start:stop]], self.sort, self.row_actions, first=start)
        self.page_indicator.value = render.page_label(start + 1, stop, len(self.rows))
        self.prev_button.disabled = self.page <= 1
        self.next_button.disabled = self.page >= self.pages

    # -- sorting -------------------------------------------------------------------------
    def sort_by(self, column: str) -> None:
        """Sort the matching claims by ``column``; the same column again reverses the order."""
        if column not in set(render.CLAIM_HEADERS.values()) or column not in self.index.claims.columns:
            return
        ascending = not (self.sort is not None and self.sort[0] == column and self.sort[1])
        self.sort = (column, ascending)
        self.update()

    def _sort_key(self, column: str) -> np.ndarray:
        """A number per row that orders ``column`` (ranks of text, values of numbers), made once."""
        if column not in self._sort_keys:
            values = self.index.claims[column]
            if column == "high":
                self._sort_keys[column] = np.nan_to_num(self.index.high, nan=-np.inf)
            else:
                text = values.map(date_text) if column == "published" else values.astype("str").fillna("")
                codes, distinct = codes_of(text)
                self._sort_keys[column] = alphabetical_ranks([value.casefold() for value in distinct])[codes]
        return self._sort_keys[column]

    def _order(self, column: str, ascending: bool) -> np.ndarray:
        """Every row's position in ``column`` order, sorted once per column and direction."""
        if (column, ascending) not in self._orders:
            key = self._sort_key(column)
            self._orders[(column, ascending)] = np.argsort(key if ascending else -key, kind="stable")
        return self._orders[(column, ascending)]

    def _sorted(self, keep: np.ndarray) -> np.ndarray:
        """The positions of the rows ``keep`` (a mask) lets through, in the table's order or sorted."""
        if self.sort is None:
            return np.flatnonzero(keep)
        order = self._order(*self.sort)
        return order[keep[order]]  # a gather, not a sort: fast on every filter change

    # -- row actions ---------------------------------------------------------------------
    def add_row_action(self, name: str, label: str, callback: Callable[[pd.Series], None]) -> None:
        """Add a button ``label`` to every table row; a click calls ``callback(claim row)``."""
        self.row_actions.append(render.RowAction(name, label))
        self._action_callbacks[name] = callback
        self._show_page()

    def _on_row_action(self, name: str, position: str) -> None:
        callback = self._action_callbacks.get(name)
        if callback is not None and position.isdigit() and int(position) < len(self.rows):
            callback(self.index.claims.iloc[int(self.rows[int(position)])])

    # -- filters -------------------------------------------------------------------------
    def _build_filters(self) -> None:
        everything = np.arange(len(self.index))
        kinds = self.index.counts(self.index.kind_codes, self.index.kinds, everything, "kind")
        order = {kind: i for i, kind in enumerate(KINDS)}
        kind_options = sorted(zip(kinds["kind"], kinds["claims"]), key=lambda item: order.get(item[0], len(order)))
        benchmarks = self.index.counts(self.index.benchmark_codes, self.index.benchmarks, everything, "benchmark", 500,
                                       labels=self.index.benchmark_labels)
        metrics = self.index.counts(self.index.metric_codes, self.index.metrics, everything, "metric", 300)
        self.kind_filter = ChoiceChips([(f"{kind} ({n:,})", kind) for kind, n in kind_options], description="kind")
        self.benchmark_filter = widgets.Combobox(
            options=list(benchmarks["benchmark"]), placeholder="type a benchmark", description="benchmark",
            ensure_option=False, continuous_update=True, **look())
        self.metric_filter = widgets.Dropdown(
            options=[(ANY, "")] + [(m, m) for m in metrics["metric"]], description="metric", **look())
        self.search_filter = widgets.Text(
            placeholder="words in the title", description="paper", continuous_update=True, **look())
        self.min_filter = widgets.Text(
            placeholder="e.g. 2 or 6B", description="value ≥", continuous_update=True, **look("200px"))
        self.max_filter = widgets.Text(
            placeholder="blank: no limit", description="value ≤", continuous_update=True, **look("200px"))
        self.qualifier_filter = widgets.Dropdown(
            options=[(ANY, ANY)] + [(_QUALIFIER_LABELS.get(q, q), q) for q in QUALIFIERS],
            description="qualifier", **look("200px"))
        self._build_metadata_filters()
        self.review_filter: widgets.Dropdown | None = None
        if self.index.has_reviews:
            self.review_filter = widgets.Dropdown(options=list(REVIEW_CHOICES), value=REVIEW_CHOICES[0][1],
                                                  description="review", **look("240px"))
            self.review_filter.add_class("claimkit-review-filter")
        self.reset_button = widgets.Button(description="reset filters")
        self.reset_button.on_click(lambda _: self.reset())
        for control in self.filter_widgets():
            control.observe(self._on_filter_change, names="value")
        self.benchmark_filter.add_class("claimkit-benchmark")
        self.kind_filter.add_class("claimkit-kind")
        self.search_filter.add_class("claimkit-search")

    def _build_metadata_filters(self) -> None:
        """Category and date filters, only for a table whose papers have categories or dates.

        Left None otherwise: no widget is made or shown.
        """
        self.category_filter: ChoiceChips | None = None
        self.since_filter: widgets.DatePicker | None = None
        self.until_filter: widgets.DatePicker | None = None
        self.date_note: widgets.HTML | None = None
        if self.index.has_categories:
            counts = self.index.category_counts()
            self.category_filter = ChoiceChips(
                [(f"{c}.* ({n:,})" if archive else f"{c} ({n:,})", c) for c, n, archive in counts.itertuples(index=False)],
                description="category")
            self.category_filter.layout.max_height = "90px"
            self.category_filter.layout.overflow = "auto"
            self.category_filter.add_class("claimkit-category")
        if self.index.has_dates:
            first, last = self.index.date_range
            self.since_filter = widgets.DatePicker(description="since", **look("200px"))
            self.until_filter = widgets.DatePicker(description="until", **look("200px"))
            self.since_filter.add_class("claimkit-since")
            self.until_filter.add_class("claimkit-until")
            self.date_note = widgets.HTML(f"<small>published {html.escape(first)} to {html.escape(last)}</small>")

    def filter_widgets(self) -> list[widgets.Widget]:
        shown = [self.kind_filter, self.benchmark_filter, self.metric_filter, self.search_filter,
                 self.min_filter, self.max_filter, self.qualifier_filter]
        extra = [self.category_filter, self.since_filter, self.until_filter, self.review_filter]
        return shown + [control for control in extra if control is not None]

    def _filter_box(self) -> widgets.Widget:
        texts = widgets.HBox([self.benchmark_filter, self.metric_filter, self.search_filter,
                              *([self.review_filter] if self.review_filter is not None else [])],
                             layout=widgets.Layout(flex_flow="row wrap"))
        values = [self.min_filter, self.max_filter, self.qualifier_filter]
        dates = [control for control in (self.since_filter, self.until_filter, self.date_note) if control is not None]
        ranges = widgets.HBox([*values, *dates, self.reset_button], layout=widgets.Layout(flex_flow="row wrap"))
        rows = [self.kind_filter, texts, ranges]
        if self.category_filter is not None:
            rows.insert(1, self.category_filter)
        box = widgets.VBox(rows)
        box.add_class("claimkit-filters")
        return box

    def query(self) -> Query:
        """The filters' current values as a :class:`Query`."""
        return Query(
            kinds=tuple(self.kind_filter.value),
            benchmark=self.benchmark_filter.value,
            metric=self.metric_filter.value,
            search=self.search_filter.value,
            min_value=parse_bound(self.min_filter.value),
            max_value=parse_bound(self.max_filter.value),
            qualifier=self.qualifier_filter.value,
            categories=tuple(self.category_filter.value) if self.category_filter is not None else (),
            since=date_text(self.since_filter.value) if self.since_filter is not None else "",
            until=date_text(self.until_filter.value) if self.until_filter is not None else "",
            reviews=REVIEW_FILTERS[self.review_filter.value] if self.review_filter is not None else (),
        )

    def reset(self) -> None:
        """Clear every filter, with one update at the end."""
        self._resetting = True
        try:
            self.kind_filter.value = ()
            for control in (self.benchmark_filter, self.search_filter, self.min_filter, self.max_filter):
                control.value = ""
            self.metric_filter.value = ""
            self.qualifier_filter.value = ANY
            if self.category_filter is not None:
                self.category_filter.value = ()
            for control in (self.since_filter, self.until_filter):
                if control is not None:
                    control.value = None
            if self.review_filter is not None:
                self.review_filter.value = REVIEW_CHOICES[0][1]
        finally:
            self._resetting = False
        self.update()

    def _on_filter_change(self, change: dict) -> None:
        if not self._resetting:  # reset() changes every filter, then updates once
            self.update()

    # -- output --------------------------------------------------------------------------
    @property
    def filtered(self) -> pd.DataFrame:
        """The claims the filters currently let through (in the table's order)."""
        return self.index.claims.iloc[self.rows]

    def update(self, page: int = 1) -> None:
        """Apply the filters: count, table (on page ``page``, 1 by default) and charts change together."""
        self.rows = self._sorted(self.index.mask(self.query()))
        total = len(self.index)
        self.matches = len(self.rows)
        notes = [self.reviewed_note()] if self.index.has_reviews else []
        if len(self.rows) > self.max_points:
            notes.append(f"value charts show {self.max_points:,} evenly spaced")
        self.count.value = f"<b>{len(self.rows):,}</b> of {total:,} claims match" + "".join(
            f" &middot; {note}" for note in notes)
        self.go_to_page(page)
        self._update_charts()
        if self.on_update is not None:
            self.on_update()

    def reviewed_note(self) -> str:
        """``<b>12</b> reviewed (9 accepted, 2 corrected, 1 rejected)``: over the whole table."""
        index = self.index
        assert index.review_codes is not None
        per_review = dict(zip(index.reviews, np.bincount(index.review_codes, minlength=len(index.reviews)).tolist()))
        parts = [f"{per_review.get(review, 0):,} {review}" for review in ("accepted", "corrected", "added", "rejected")
                 if per_review.get(review, 0)]
        reviewed = sum(per_review.get(review, 0) for review in REVIEW_FILTERS["reviewed"])
        return f"<b>{reviewed:,}</b> reviewed" + (f" ({', '.join(parts)})" if parts else "")

    def refresh(self, columns: frozenset[str] | set[str] = frozenset()) -> None:
        """Show rows changed in place (a person's decision; ``columns`` changed): filters, count
        and charts again, the table on the same page, sort orders of changed columns recomputed."""
        stale = {column for column in self._sort_keys if column in columns or column == "review"}
        for column in stale:
            self._sort_keys.pop(column, None)
            for ascending in (True, False):
                self._orders.pop((column, ascending), None)
        self.update(page=self.page)

    def _update_charts(self) -> None:
        index = self.index
        benchmarks = index.counts(index.benchmark_codes, index.benchmarks, self.rows, "benchmark", self.top_benchmarks,
                                  labels=index.benchmark_labels)
        self.charts["benchmarks"].show("bars", lambda: self._benchmark_chart(benchmarks),
                                       benchmarks.to_dict("records"))
        kinds = index.counts(index.kind_codes, index.kinds, self.rows, "kind")
        self.charts["kinds"].show("bars", lambda: self._kind_chart(kinds), kinds.to_dict("records"))
        sample = index.claims.iloc[np.sort(spread(self.rows, self.max_points))]
        self.charts["values"].show("strips", lambda: self._values_chart(sample), charts.value_rows(sample))

    # -- charts and their clicks -----------------------------------------------------------
    @staticmethod
    def _benchmark_chart(counts: pd.DataFrame) -> alt.Chart:
        return charts.count_bars(counts, "benchmark", "pick_benchmark", "most-claimed benchmarks")

    @staticmethod
    def _kind_chart(counts: pd.DataFrame) -> alt.Chart:
        return charts.count_bars(counts, "kind", "pick_kind", "claims per kind")

    @staticmethod
    def _values_chart(sample: pd.DataFrame) -> alt.VConcatChart:
        with shared_selections_allowed():  # one selection across the strips, on purpose
            return charts.value_distribution(sample, alt.selection_point(name="pick_paper", fields=["paper"],
                                                                         toggle=False))

    def _pick_benchmark(self, benchmark: str) -> None:
        self.benchmark_filter.value = benchmark

    def _pick_kind(self, kind: str) -> None:
        self.kind_filter.value = (kind,)

    def _open_paper(self, paper: str) -> None:
        if self.on_paper is not None:
            self.on_paper(paper)
