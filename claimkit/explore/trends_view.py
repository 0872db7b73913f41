"""The trends view: the matching claims over time.

Claims per month by kind; claimed speed-ups, model sizes and dataset sizes per quarter (log
scale); the most-claimed benchmarks of each quarter. It follows the claims view's filters
(:meth:`TrendsView.show` takes the matching rows) and counts through the index's integer
codes (:mod:`claimkit.trends`), so an update over a million claims stays fast.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pandas as pd

from .. import charts, trends
from .index import ClaimIndex
from .widgets import ChartView


class TrendsView(widgets.VBox):
    """Three trend charts of the rows given to :meth:`show`; ``tables`` holds what they draw."""

    def __init__(self, index: ClaimIndex) -> None:
        self.index = index
        self.note = widgets.HTML()
        self.note.add_class("claimkit-trends-note")
        self.tables: dict[str, pd.DataFrame] = {}
        self.by_value = np.argsort(index.high, kind="stable")  # once: each update then sorts only small codes
        empty_month = pd.DataFrame({"month": [], "kind": [], "claims": []})
        empty_quarter = pd.DataFrame({"quarter": [], "benchmark": [], "claims": [], "rank": []})
        self.charts = {
            "months": ChartView(charts.claims_per_month(empty_month), "claimkit-chart-months"),
            "values": ChartView(charts.values_over_time(trends.values_over_time(index.claims.iloc[:0]), ()),
                                "claimkit-chart-trend-values"),
            "benchmarks": ChartView(charts.benchmarks_per_quarter(empty_quarter), "claimkit-chart-quarters"),
        }
        super().__init__(children=[self.note, self.charts["months"].widget, self.charts["benchmarks"].widget,
                                   self.charts["values"].widget])
        self.add_class("claimkit-trends-view")

    def show(self, rows: np.ndarray) -> None:
        """Draw the trends of the claims at ``rows``."""
        index = self.index
        months, month_names = index.period_codes("month")
        quarters, quarter_names = index.period_codes("quarter")
        dated = int((months[rows] >= 0).sum()) if len(rows) else 0
        self.note.value = (f"{dated:,} of the {len(rows):,} matching claims have a publication date"
                           if index.has_dates else "These papers carry no publication dates: no trends to show.")
        self.tables["months"] = trends.claims_per_period_from_codes(
            months, month_names, index.kind_codes, index.kinds, rows, "month")
        self.tables["values"] = trends.values_over_time_from_codes(
            quarters, quarter_names, index.kind_codes, index.kinds, index.unit_codes, index.units, index.high, rows,
            by_value=self.by_value)
        self.tables["benchmarks"] = trends.benchmarks_per_period_from_codes(
            quarters, quarter_names, index.benchmark_codes, index.benchmark_labels, rows)
        months_table, values_table, quarters_table = (self.tables[name] for name in ("months", "values", "benchmarks"))
        self.charts["months"].show("bars", lambda: charts.claims_per_month(months_table), months_table)
        panels = charts.value_panels(values_table)
        self.charts["values"].show(panels, lambda: charts.values_over_time(values_table, panels), values_table)
        self.charts["benchmarks"].show("facets", lambda: charts.benchmarks_per_quarter(quarters_table), quarters_table)
