"""The explorer's building blocks: clickable HTML, charts that report clicks, chips, downloads.

* :class:`HtmlView` shows HTML from :mod:`claimkit.explore.render` and sends clicks on its
  ``data-claimkit`` elements back to Python (open a paper, sort a column, a row action);
* :class:`ChartView` is a JupyterChart whose spec is compiled once per shape and refilled with
  rows, and whose point selection reports the clicked value;
* :class:`ChoiceChips` is a multiple choice without Ctrl-click (one toggle per option);
* :class:`DownloadButton` makes a file in Python and hands it to the browser (works in Voila).

Every callback changes traits or calls Python functions, so tests drive these without a
browser: :meth:`HtmlView.click` and :meth:`DownloadButton.payload` do what a browser click
does. None of them is an ``ipywidgets.Output``: a headless notebook client (nbclient) answers
an Output widget's updates on the kernel's shell socket while it waits there for the cell's
reply, and can miss that reply until its timeout (how notebook 02 hung).
"""

from __future__ import annotations

import contextlib
import warnings
from typing import Callable, Hashable, Iterator, Sequence

import altair as alt
import anywidget
import ipywidgets as widgets
import pandas as pd
import traitlets

from .. import charts

_HTML_VIEW_JS = """
function render({ model, el }) {
  const draw = () => { el.innerHTML = model.get("value"); };
  draw();
  model.on("change:value", draw);
  el.addEventListener("click", (event) => {
    const target = event.target.closest("[data-claimkit]");
    if (!target || !el.contains(target)) return;
    event.preventDefault();
    event.stopPropagation();
    model.send({ event: target.dataset.claimkit, value: target.dataset.value || "" });
  });
}
export default { render };
"""

_DOWNLOAD_JS = """
function render({ model, el }) {
  const button = document.createElement("button");
  button.className = "jupyter-widgets jupyter-button widget-button";
  button.textContent = model.get("description");
  model.on("change:description", () => { button.textContent = model.get("description"); });
  button.addEventListener("click", () => model.send({ event: "download" }));
  model.on("msg:custom", (message, buffers) => {
    const blob = new Blob(buffers, { type: message.mime });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = message.filename;
    document.body.appendChild(link);
    link.click();
    setTimeout(() => { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
  });
  el.appendChild(button);
}
export default { render };
"""


def look(width: str = "290px") -> dict:
    """Layout and style shared by the filter widgets (a fresh Layout each: one model per widget)."""
    return {"layout": widgets.Layout(width=width), "style": {"description_width": "80px"}}


class HtmlView(anywidget.AnyWidget):
    """HTML whose ``data-claimkit`` elements report clicks: ``on(event, callback)`` registers
    ``callback(value)``; events named ``action:NAME`` also go to the ``action:`` handler."""

    _esm = _HTML_VIEW_JS
    value = traitlets.Unicode("").tag(sync=True)

    def __init__(self, value: str = "", **kwargs: object) -> None:
        super().__init__(value=value, **kwargs)
        self._handlers: dict[str, Callable[..., None]] = {}
        self.on_msg(self._on_message)

    def on(self, event: str, callback: Callable[..., None]) -> None:
        """Call ``callback(value)`` on a click on an element with ``data-claimkit=event``
        (``event="action:"``: ``callback(name, value)`` for every ``action:NAME``)."""
        self._handlers[event] = callback

    def click(self, event: str, value: str = "") -> None:
        """What a browser sends when an element with ``data-claimkit=event`` is clicked."""
        self._on_message(self, {"event": event, "value": value}, [])

    def _on_message(self, _widget: object, content: dict, _buffers: list) -> None:
        event, value = str(content.get("event", "")), str(content.get("value", ""))
        if event in self._handlers:
            self._handlers[event](value)
        elif event.startswith("action:") and "action:" in self._handlers:
            self._handlers["action:"](event[len("action:"):], value)


class DownloadButton(anywidget.AnyWidget):
    """A button that downloads a file made in Python on click: ``make()`` returns (name, MIME, bytes).

    The bytes travel over the widget connection, so it works in Voila, where the server's
    files are out of reach.
    """

    _esm = _DOWNLOAD_JS
    description = traitlets.Unicode("download").tag(sync=True)

    def __init__(self, description: str, make: Callable[[], tuple[str, str, bytes]], **kwargs: object) -> None:
        super().__init__(description=description, **kwargs)
        self.make = make
        self.on_msg(self._on_message)

    def payload(self) -> tuple[str, str, bytes]:
        """The file a click downloads: (file name, MIME type, content)."""
        return self.make()

    def _on_message(self, _widget: object, content: dict, _buffers: list) -> None:
        if content.get("event") == "download":
            name, mime, data = self.payload()
            self.send({"filename": name, "mime": mime}, buffers=[data])


class ChoiceChips(widgets.HBox):
    """A multiple choice as a row of toggle buttons: a click adds or removes one option.

    ``options`` are (label, value) pairs; ``value`` is the tuple of chosen values, in option
    order. Setting ``value`` updates the toggles (and fires observers once).
    """

    value = traitlets.Tuple()

    def __init__(self, options: Sequence[tuple[str, str]], description: str = "", **kwargs: object) -> None:
        self.options = list(options)
        self.toggles = [widgets.ToggleButton(description=label, tooltip=str(value),
                                             layout=widgets.Layout(width="auto", height="26px"))
                        for label, value in self.options]
        self._syncing = False
        for toggle in self.toggles:
            toggle.observe(self._on_toggle, names="value")
        label = [widgets.Label(description, layout=widgets.Layout(width="80px"))] if description else []
        super().__init__(children=[*label, *self.toggles], layout=widgets.Layout(flex_flow="row wrap"), **kwargs)
        self.observe(self._on_value, names="value")

    def _on_toggle(self, _change: dict) -> None:
        if not self._syncing:
            self.value = tuple(value for (_, value), toggle in zip(self.options, self.toggles) if toggle.value)

    @traitlets.validate("value")
    def _valid(self, proposal: dict) -> tuple:
        known = [value for _, value in self.options]
        return tuple(value for value in known if value in set(proposal["value"]))

    def _on_value(self, change: dict) -> None:
        chosen = set(change["new"])
        self._syncing = True
        try:
            for (_, value), toggle in zip(self.options, self.toggles):
                toggle.value = value in chosen
        finally:
            self._syncing = False


@contextlib.contextmanager
def shared_selections_allowed() -> Iterator[None]:
    """Silence Altair's notice that a selection added to a concat chart is shared by its views."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Automatically deduplicated selection parameter")
        yield


class ChartView:
    """One explorer chart: a JupyterChart whose spec is compiled once per shape, then refilled.

    Building an Altair chart costs tens of milliseconds; an update instead puts new rows into
    a cached spec of the same shape (``key``), so the chart keeps up with the filters. The
    chart's point selection ``selection`` (if any) reports clicks: the clicked ``field`` value
    goes to ``on_pick``.
    """

    def __init__(self, empty: alt.TopLevelMixin, css_class: str, selection: str = "", field: str = "",
                 on_pick: Callable[[str], None] | None = None) -> None:
        self.selection, self.field, self.on_pick = selection, field, on_pick
        self.templates: dict[Hashable, dict] = {}
        with shared_selections_allowed():
            self.widget = charts.jupyter_chart(empty)
        # SVG: crisp screenshots, and marks a browser test can click.
        self.widget.embed_options = {"renderer": "svg", "actions": False}
        self.widget.add_class(css_class)
        if selection:
            self.widget.selections.observe(self._on_selection, names=[selection])

    def show(self, key: Hashable, build: Callable[[], alt.TopLevelMixin], rows: list[dict] | pd.DataFrame) -> None:
        """Show ``rows`` (JSON-ready records or a DataFrame) in the spec of shape ``key``.

        ``build`` makes the chart of that shape the first time it is needed.
        """
        if key not in self.templates:
            with shared_selections_allowed():
                self.templates[key] = charts.spec_template(build())
        # The browser re-embeds on a new spec and reports the new view's empty selection, so
        # clicking the same mark again registers as a change.
        self.widget.spec = charts.spec_with_rows(self.templates[key], rows)

    def show_chart(self, chart: alt.TopLevelMixin) -> None:
        """Show a chart as it is (for charts with several datasets, built per update)."""
        with shared_selections_allowed():
            charts.set_chart(self.widget, chart)

    @property
    def rows(self) -> pd.DataFrame:
        """The rows the chart currently shows."""
        return charts.spec_rows(self.widget.spec)

    def _on_selection(self, change: dict) -> None:
        points = change["new"].value if change["new"] is not None else []
        values = [point.get(self.field) for point in points if point.get(self.field) not in (None, "")]
        if values and self.on_pick is not None:
            self.on_pick(str(values[0]))
