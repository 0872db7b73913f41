"""The review panel: what the ✓ accept, ✗ reject and ✎ edit buttons of the claims table and
the paper view do, the last decision, undo, and the edit form.

Every decision goes to the corrections file at once (:class:`claimkit.review.Review`: locked,
atomic, read again after each write, so two explorers on one file lose nothing); the panel
then tells the explorer what changed (:class:`claimkit.review.Change`) so the views follow.
"""

from __future__ import annotations

import html
from typing import Any, Callable, Mapping

import ipywidgets as widgets
import pandas as pd

from ..display import format_value
from ..errors import InputError
from ..review import Change, Review
from ..table import KINDS, QUALIFIERS
from .index import parse_bound
from .widgets import look

#: The row actions the explorer adds: (name, button label).
ACTIONS = (("accept", "✓"), ("reject", "✗"), ("edit", "✎"))
_TEXT_FIELDS = ("unit", "metric", "benchmark", "baseline")


def _claim_label(row: Mapping[str, Any]) -> str:
    return f"{row['text']!r} ({row['kind']}, {format_value(row['low'], row['high'], str(row['unit']))}) in {row['paper']}"


class EditForm(widgets.VBox):
    """The values of one claim, to correct: kind, low, high, unit, qualifier, metric, benchmark,
    baseline and a note; Save writes an ``edit`` decision, Cancel closes it."""

    def __init__(self, on_save: Callable[[Mapping[str, Any], dict[str, Any], str], None]) -> None:
        self.on_save = on_save
        self.row: Mapping[str, Any] | None = None
        self.title = widgets.HTML()
        self.kind = widgets.Dropdown(options=list(KINDS), description="kind", **look("220px"))
        self.low = widgets.Text(description="low", **look("200px"))
        self.high = widgets.Text(description="high", **look("200px"))
        self.qualifier = widgets.Dropdown(options=[(q or "none", q) for q in QUALIFIERS], description="qualifier",
                                          **look("220px"))
        self.texts = {name: widgets.Text(description=name, **look("260px")) for name in _TEXT_FIELDS}
        self.note = widgets.Text(description="note", placeholder="why (optional)", **look("400px"))
        self.save_button = widgets.Button(description="save", button_style="primary")
        self.cancel_button = widgets.Button(description="cancel")
        self.message = widgets.HTML()
        self.save_button.on_click(lambda _: self.save())
        self.cancel_button.on_click(lambda _: self.close_form())
        for name, control in {"kind": self.kind, "low": self.low, "high": self.high, "qualifier": self.qualifier,
                              **self.texts, "note": self.note, "save": self.save_button}.items():
            control.add_class(f"claimkit-edit-{name}")
        super().__init__(children=[
            self.title,
            widgets.HBox([self.kind, self.low, self.high, self.qualifier], layout=widgets.Layout(flex_flow="row wrap")),
            widgets.HBox(list(self.texts.values()), layout=widgets.Layout(flex_flow="row wrap")),
            widgets.HBox([self.note, self.save_button, self.cancel_button, self.message],
                         layout=widgets.Layout(flex_flow="row wrap", align_items="center")),
        ])
        self.add_class("claimkit-edit-form")
        self.layout.display = "none"

    def open_form(self, row: Mapping[str, Any]) -> None:
        """Show the form filled with ``row``'s values."""
        self.row = row
        self.title.value = f"<b>edit</b> {html.escape(_claim_label(row))}"
        self.kind.value = str(row["kind"])
        self.low.value, self.high.value = f"{float(row['low']):g}", f"{float(row['high']):g}"
        self.qualifier.value = str(row["qualifier"])
        for name, control in self.texts.items():
            control.value = str(row[name])
        self.note.value = ""
        self.message.value = ""
        self.layout.display = ""

    def close_form(self) -> None:
        self.row = None
        self.layout.display = "none"

    def values(self) -> dict[str, Any]:
        """The form's values as a decision's changes (low and high read as "2.5", "6B", "1e9")."""
        low, high = parse_bound(self.low.value), parse_bound(self.high.value)
        if low is None or high is None:
            raise InputError("edit", f"low and high must be numbers (as 2.5, 6B or 1e9), not {self.low.value!r}, "
                                     f"{self.high.value!r}")
        return {"kind": self.kind.value, "low": low, "high": high, "qualifier": self.qualifier.value,
                **{name: control.value.strip() for name, control in self.texts.items()}}

    def save(self) -> None:
        """Write the edit (a bad value is shown here, and nothing is written)."""
        if self.row is None:
            return
        try:
            self.on_save(self.row, self.values(), self.note.value.strip())
        except InputError as err:
            self.message.value = f'<span style="color:#b00">{html.escape(err.message)}</span>'
            return
        self.close_form()


class ReviewPanel(widgets.VBox):
    """Where decisions go, the last one, undo and the edit form, over a :class:`Review`.

    ``on_change(change)`` is called after every decision and undo with what changed in
    ``review.claims``.
    """

    def __init__(self, review: Review, on_change: Callable[[Change], None]) -> None:
        self.review = review
        self.on_change = on_change
        self.status = widgets.HTML(self._where())
        self.status.add_class("claimkit-review-status")
        self.undo_button = widgets.Button(description="↶ undo", tooltip="take back your last decision", disabled=True,
                                          layout=widgets.Layout(width="90px"))
        self.undo_button.add_class("claimkit-undo")
        self.undo_button.on_click(lambda _: self.undo())
        self.form = EditForm(lambda row, changes, note: self.decide(row, "edit", changes, note))
        super().__init__(children=[widgets.HBox([self.undo_button, self.status],
                                                layout=widgets.Layout(align_items="center")), self.form])
        self.add_class("claimkit-review")

    def _where(self) -> str:
        stale = f" &middot; {len(self.review.stale):,} decisions find no claim" if self.review.stale else ""
        path = html.escape(str(self.review.path.resolve()), quote=True)
        return (f'<small>decisions go to <code title="{path}">{html.escape(self.review.path.name)}</code>'
                f"{stale}</small>")

    # -- the buttons -------------------------------------------------------------------------
    def accept(self, row: pd.Series) -> None:
        self.decide(row, "accept")

    def reject(self, row: pd.Series) -> None:
        self.decide(row, "reject")

    def edit(self, row: pd.Series) -> None:
        self.form.open_form(row)

    def decide(self, row: Mapping[str, Any], action: str, changes: Mapping[str, Any] | None = None,
               note: str = "") -> None:
        """Write the decision, say so, and let the views follow."""
        decision = self.review.decide(row, action, changes, note)
        past = {"accept": "accepted", "reject": "rejected", "edit": "corrected"}[action]
        self.status.value = (f"{past} {html.escape(_claim_label(row))} &middot; line {decision.line} of "
                             f"<code>{html.escape(self.review.path.name)}</code>")
        self.undo_button.disabled = False
        self.on_change(self.review.last_change)

    def undo(self) -> None:
        """Take back this session's last decision."""
        undone = self.review.undo()
        self.undo_button.disabled = not self.review.undo_stack
        if undone is None:
            return
        self.status.value = f"took back: {html.escape(undone.describe())}"
        self.on_change(self.review.last_change)
