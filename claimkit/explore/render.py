"""The explorer's HTML: claims tables, leaderboards, a paper's abstract, notebook links.

Pure functions from rows to HTML strings; every piece of text is escaped. Elements a person
can click carry ``data-claimkit`` (the event) and ``data-value`` (its argument): the
:class:`~claimkit.explore.widgets.HtmlView` widget sends those clicks back to Python
(``paper`` opens the paper view, ``sort`` sorts a column, ``action:NAME`` is a row action).
Links to arXiv are plain links that open in a new tab.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Sequence

import pandas as pd

from ..display import format_change, format_value, shortened
from ..leaderboard import paper_url
from .index import category_text, date_text

#: Characters of the sentence shown before and after a claim in a compact (one-line) row: few
#: before, so the claim itself is in view even in a narrow column.
CONTEXT = (24, 60)

CSS = """<style>
.claimkit-claims, .claimkit-board {border-collapse: collapse; font-size: 12px; width: 100%}
.claimkit-claims th, .claimkit-claims td, .claimkit-board th, .claimkit-board td {
  border-bottom: 1px solid #ddd; padding: 2px 6px; text-align: left; vertical-align: top}
.claimkit-claims th[data-claimkit], .claimkit-board th[data-claimkit] {cursor: pointer; user-select: none}
.claimkit-claims td {white-space: nowrap; max-width: 260px; overflow: hidden; text-overflow: ellipsis}
.claimkit-claims td.ck-claim {white-space: normal; max-width: 560px}
.claimkit-claims details summary {list-style: none; cursor: pointer; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis}
.claimkit-claims details summary::-webkit-details-marker {display: none}
.claimkit-claims details[open] summary {display: none}
.claimkit-claims mark, .claimkit-board mark, .claimkit-paper mark {background: #ffe58a; padding: 0 2px}
.claimkit-board tr.ck-best td {background: #e6f4ea; font-weight: 600}
.claimkit-board tr.ck-other td {color: #777}
.claimkit-board td.ck-value {white-space: nowrap; text-align: right}
.claimkit-board td.ck-date {white-space: nowrap}
.claimkit-paper {font-size: 13px; line-height: 1.5; max-width: 900px}
.claimkit-links {font-size: 12px}
a[data-claimkit] {cursor: pointer}
.claimkit-claims tr.ck-rejected td:not(.ck-actions), .claimkit-paper li.ck-rejected {color: #999; text-decoration: line-through}
.claimkit-claims td.ck-review, .claimkit-paper .ck-review {font-size: 11px; color: #555}
.claimkit-claims td.ck-actions {white-space: nowrap}
.claimkit-claims td.ck-actions button, .claimkit-paper li button {font-size: 11px; padding: 0 4px; margin-right: 2px}
</style>"""

#: How a claim's review shows in tables (a corrected table's ``review`` column).
REVIEW_MARKS = {"extracted": "", "accepted": "✓ accepted", "corrected": "✎ corrected", "added": "+ added",
                "rejected": "✗ rejected"}


@dataclass(frozen=True)
class RowAction:
    """A button on each row of the claims table: ``label`` shown, ``name`` sent back as
    ``action:NAME`` with the row's position in the table."""

    name: str
    label: str


def highlight(sentence: str, text: str) -> str:
    """The sentence as HTML with the claim's first occurrence in ``<mark>``; all text escaped."""
    at = sentence.find(text) if text else -1
    if at < 0:
        return html.escape(sentence)
    before, after = sentence[:at], sentence[at + len(text):]
    return f"{html.escape(before)}<mark>{html.escape(text)}</mark>{html.escape(after)}"


def snippet(sentence: str, text: str, context: tuple[int, int] = CONTEXT) -> str:
    """The claim with ``context`` (before, after) characters of its sentence, highlighted ("…" where cut)."""
    before, after = context
    at = sentence.find(text) if text else -1
    if at < 0:
        return html.escape(sentence[: before + after] + ("…" if len(sentence) > before + after else ""))
    begin, end = max(0, at - before), min(len(sentence), at + len(text) + after)
    part = highlight(sentence[begin:end], text)
    return ("…" if begin else "") + part + ("…" if end < len(sentence) else "")


def paper_link(paper: str, title: str, limit: int = 48) -> str:
    """The title as a link that opens the paper view (shortened to ``limit``; full on hover)."""
    shown = shortened(title, limit)
    return (f'<a data-claimkit="paper" data-value="{html.escape(paper, quote=True)}" '
            f'title="{html.escape(title, quote=True)}">{html.escape(shown)}</a>')


def external_link(url: str, label: str = "arXiv") -> str:
    """A plain link that opens ``url`` in a new tab ("" when there is none)."""
    if not url:
        return ""
    return f'<a class="ck-external" href="{html.escape(url, quote=True)}" target="_blank" rel="noopener">{label}</a>'


def sort_header(name: str, column: str, sort: tuple[str, bool] | None) -> str:
    """A header cell that sorts by ``column`` when clicked, with ▲/▼ when it is the sort."""
    arrow = ""
    if sort and sort[0] == column:
        arrow = " ▲" if sort[1] else " ▼"
    return f'<th data-claimkit="sort" data-value="{column}">{html.escape(name)}{arrow}</th>'


#: Claims table columns: header -> the column it sorts by.
CLAIM_HEADERS = {"paper": "title", "published": "published", "categories": "categories", "kind": "kind",
                 "value": "high", "benchmark": "benchmark", "metric": "metric", "claim in context": "text",
                 "review": "review"}


def claims_table_html(rows: pd.DataFrame, sort: tuple[str, bool] | None = None,
                      actions: Sequence[RowAction] = (), first: int = 0) -> str:
    """An HTML table of claims, one line each: paper (opens the paper view) and its arXiv link,
    kind, value, benchmark, metric and the claim in its context (the whole sentence on expand).

    The papers' ``published`` date and ``categories`` get columns after the paper when the
    table carries them. ``sort`` (column, ascending) marks the sorted header; ``actions`` add
    a button per row carrying the row's position (``first`` is the first row's). A corrected
    table's ``review`` gets a column, and rejected rows are struck through.
    """
    metadata = [name for name in ("published", "categories") if name in rows.columns]
    reviewed = "review" in rows.columns
    # The review buttons and mark come first: in view however wide the sentences make the table.
    names = (*(("review",) if reviewed else ()), "paper", *metadata, "kind", "value", "benchmark", "metric",
             "claim in context")
    header = ("<th></th>" if actions else "") + "".join(sort_header(name, CLAIM_HEADERS[name], sort) for name in names)
    body = []
    urls = rows["url"] if "url" in rows.columns else [""] * len(rows)
    reviews = rows["review"].astype(str).tolist() if reviewed else [""] * len(rows)
    for position, (row, extra, url, review) in enumerate(zip(rows.itertuples(index=False),
                                                             _metadata_cells(rows, metadata), urls, reviews),
                                                         start=first):
        link = external_link(paper_url(str(row.paper), "" if pd.isna(url) else str(url)))
        cells = [
            f'{link} {paper_link(str(row.paper), str(row.title))}'.lstrip(),  # the link first: a long title is cut
            *extra,
            html.escape(str(row.kind)),
            html.escape(format_value(row.low, row.high, str(row.unit))),
            html.escape(str(row.benchmark)),
            html.escape(str(row.metric)),
            f"<details><summary>{snippet(str(row.sentence), str(row.text))}</summary>"
            f"{highlight(str(row.sentence), str(row.text))}</details>",
        ]
        classes = [""] * (len(cells) - 1) + [' class="ck-claim"']
        if reviewed:
            cells.insert(0, html.escape(REVIEW_MARKS.get(review, review)))
            classes.insert(0, ' class="ck-review"')
        row_html = "".join(f"<td{cls}>{cell}</td>" for cls, cell in zip(classes, cells))
        if actions:
            row_html = '<td class="ck-actions">' + " ".join(_action_button(a, position) for a in actions) + "</td>" + row_html
        css = f' class="ck-{review}"' if review and review != "extracted" else ""
        body.append(f'<tr data-row="{position}"{css}>{row_html}</tr>')
    return f'<table class="claimkit-claims"><thead><tr>{header}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def _action_button(action: RowAction, position: int) -> str:
    return (f'<button data-claimkit="action:{html.escape(action.name, quote=True)}" data-value="{position}" '
            f'title="{html.escape(action.name, quote=True)}">{html.escape(action.label)}</button>')


def _metadata_cells(rows: pd.DataFrame, names: list[str]) -> Iterator[tuple[str, ...]]:
    """The escaped metadata cells of each row (blank for a missing value)."""
    text: dict[str, Callable[[object], str]] = {"published": date_text, "categories": category_text}
    columns = [[html.escape(text[name](value)) for value in rows[name]] for name in names]
    return iter(zip(*columns)) if columns else iter([()] * len(rows))


def leaderboard_html(board: pd.DataFrame) -> str:
    """A leaderboard table: rank, claimed value (before → after), method, date, paper (opens the
    paper view) with its arXiv link, the claim highlighted in its sentence, and why a row does
    not compare. The best row is highlighted, rows that do not compare are greyed."""
    header = "".join(f"<th>{name}</th>" for name in
                     ("rank", "claimed", "method", "published", "paper", "claim in its sentence", "not comparable"))
    body = []
    for row in board.itertuples(index=False):
        css = "ck-best" if row.best else ("" if row.comparable else "ck-other")
        rank = "" if pd.isna(row.rank) else str(int(row.rank))
        mark = REVIEW_MARKS.get(str(getattr(row, "review", "")), "")
        cells = (
            rank,
            html.escape(format_change(row.before, row.low, row.high, str(row.unit)))
            + (f' <span class="ck-review">{html.escape(mark)}</span>' if mark else ""),
            html.escape(str(row.method)),
            html.escape(str(row.published)),
            f"{paper_link(str(row.paper), str(row.title), 60)} {external_link(str(row.url))}".rstrip(),
            highlight(str(row.sentence), str(row.claim)),
            html.escape(str(row.note)),
        )
        css_of = {1: ' class="ck-value"', 3: ' class="ck-date"'}
        tds = "".join(f"<td{css_of.get(i, '')}>{cell}</td>" for i, cell in enumerate(cells))
        body.append(f'<tr class="{css}">{tds}</tr>' if css else f"<tr>{tds}</tr>")
    return f'<table class="claimkit-board"><thead><tr>{header}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def marked_text(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` escaped, with each (start, end) span in ``<mark>`` (overlaps merged, bad spans skipped).

    >>> marked_text("a 2x b <3%", [(2, 4), (7, 10)])
    'a <mark>2x</mark> b <mark>&lt;3%</mark>'
    """
    merged: list[list[int]] = []
    for start, end in sorted((int(s), int(e)) for s, e in spans if 0 <= int(s) < int(e) <= len(text)):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    parts, at = [], 0
    for start, end in merged:
        parts += [html.escape(text[at:start]), f"<mark>{html.escape(text[start:end])}</mark>"]
        at = end
    parts.append(html.escape(text[at:]))
    return "".join(parts)


def paper_html(paper: str, title: str, abstract: str, claims: pd.DataFrame, url: str = "",
               published: str = "", actions: Sequence[RowAction] = (), positions: Sequence[int] = ()) -> str:
    """One paper: its title and arXiv link, date, the abstract with every claim highlighted,
    and its claims as a list (kind, value, benchmark; the review of a corrected table). With
    ``actions``, each claim gets their buttons carrying its position (``positions``, one a claim)."""
    spans = lambda field: zip(claims.loc[claims["field"] == field, "start"], claims.loc[claims["field"] == field, "end"])
    reviews = claims["review"].astype(str).tolist() if "review" in claims.columns else [""] * len(claims)
    buttons = [" ".join(_action_button(action, position) for action in actions) + " " if actions else ""
               for position in (positions if actions else [0] * len(claims))]
    items = "".join(
        (f'<li class="ck-{review}">' if review and review != "extracted" else "<li>") + button
        + f"<b>{html.escape(str(row.kind))}</b> {html.escape(format_value(row.low, row.high, str(row.unit)))}"
        + (f" on {html.escape(str(row.benchmark))}" if row.benchmark else "")
        + (f" ({html.escape(str(row.metric))})" if row.metric else "")
        + f" &mdash; <q>{html.escape(str(row.text))}</q>"
        + (f' <span class="ck-review">{html.escape(REVIEW_MARKS.get(review, review))}</span>' if REVIEW_MARKS.get(
            review, review) else "") + "</li>"
        for row, review, button in zip(claims.itertuples(index=False), reviews, buttons))
    date = f" &middot; published {html.escape(published)}" if published else ""
    link = external_link(paper_url(paper, url), "arXiv page")
    return (f'<div class="claimkit-paper"><h3>{marked_text(title, spans("title"))}</h3>'
            f"<p><code>{html.escape(paper)}</code>{date} &middot; {link}</p>"
            f"<p>{marked_text(abstract, spans('abstract'))}</p>"
            f"<p><b>{len(claims)} claim{'s' if len(claims) != 1 else ''}</b></p><ul>{items}</ul></div>")


def notebook_links_html(notebooks: Sequence[str], current: str, base_url: str = "/") -> str:
    """Links to the notebooks served beside this one: each as a dashboard and in JupyterLab."""
    parts = []
    for name in notebooks:
        label = html.escape(name.removesuffix(".ipynb"))
        dashboard = f'<a href="{html.escape(base_url)}voila/render/{html.escape(name)}" target="_blank">dashboard</a>'
        lab = f'<a href="{html.escape(base_url)}lab/tree/{html.escape(name)}" target="_blank">JupyterLab</a>'
        shown = f"<b>{label}</b>" if name == current else label
        parts.append(f"{shown} ({dashboard} | {lab})")
    return '<div class="claimkit-links">notebooks: ' + " &middot; ".join(parts) + "</div>"


def page_label(first: int, last: int, total: int) -> str:
    """``rows 21–40 of 211``: the 1-based rows ``first..last`` of ``total`` (``no claims`` for none)."""
    return f"rows {first:,}–{last:,} of {total:,}" if total else "no claims"


def findings_html(findings: pd.DataFrame) -> str:
    """A table of check findings: rule, paper (opens the paper view) with its arXiv link, what
    is odd, and the first claim involved highlighted in its sentence."""
    header = "".join(f"<th>{name}</th>" for name in ("rule", "paper", "finding", "claim in its sentence"))
    body = []
    for row in findings.itertuples(index=False):
        cells = (html.escape(str(row.rule)),
                 f"{paper_link(str(row.paper), str(row.paper), 24)} {external_link(paper_url(str(row.paper)))}".rstrip(),
                 html.escape(str(row.message)),
                 highlight(str(row.sentence), str(row.text)))
        body.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    return f'<table class="claimkit-findings claimkit-board"><thead><tr>{header}</tr></thead><tbody>{"".join(body)}</tbody></table>'
