"""The Hugging Face daily-papers API (``https://huggingface.co/api/daily_papers?date=...``).

A JSON list of ``{"paper": {"id", "title", "summary", "upvotes", "publishedAt", "authors",
...}, "publishedAt", "title", "numComments", ...}``. Plain paper objects (the ``/api/papers``
shape, without the ``paper`` wrapper) are read too. Bad items are reported by their index.
"""

from __future__ import annotations

from typing import Iterator

from ..errors import InputError
from .ids import arxiv_url, bare_arxiv_id, iso_date, join_names
from .text import BadJson, Item, decode_text, parse_json


def looks_like_hf(head: bytes) -> bool:
    """True when the data starts a JSON list (the daily-papers response is one)."""
    return head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"["


def parse_hf(data: bytes, source: object) -> Iterator[Item]:
    """Records of a daily-papers response; InputError for broken JSON or a non-list."""
    text = decode_text(data, source)
    try:
        items = parse_json(text)
    except BadJson as err:
        raise InputError(source, f"broken JSON ({err})", line=err.lineno) from None
    if not isinstance(items, list):
        raise InputError(source, f"expected a JSON list of papers, not {type(items).__name__}")
    for index, item in enumerate(items, start=1):
        yield _item_record(item, source, index)


def _item_record(item: object, source: object, index: int) -> Item:
    if not isinstance(item, dict):
        return InputError(source, f"item {index} is {type(item).__name__}, not an object")
    paper = item.get("paper", item)
    if not isinstance(paper, dict):
        return InputError(source, f"item {index}: 'paper' is {type(paper).__name__}, not an object")
    title = paper.get("title") or item.get("title")
    summary = paper.get("summary", paper.get("abstract"))  # a plain JSON list of papers reads too
    if not isinstance(title, str) or not isinstance(summary, str):
        return InputError(source, f"item {index} (id {paper.get('id', '?')}): no title or summary text")
    paper_id = str(paper.get("id") or "")
    arxiv_id = bare_arxiv_id(paper_id)
    upvotes = paper.get("upvotes", item.get("upvotes"))
    return {
        "paper": arxiv_id or paper_id or None,
        "title": title,
        "abstract": summary,
        "arxiv_id": arxiv_id,
        "url": arxiv_url(arxiv_id),
        "published": iso_date(str(paper.get("publishedAt") or "")),
        "authors": join_names(_author_names(paper.get("authors"))),
        "categories": "",
        "upvotes": upvotes if isinstance(upvotes, int) else None,
        "hf_date": iso_date(str(item.get("publishedAt") or "")),
        "num_comments": item.get("numComments") if isinstance(item.get("numComments"), int) else None,
    }


def _author_names(authors: object) -> list[str]:
    """Names from ``[{"name": ...}, ...]``; a number as a name is kept as text, anything else dropped.

    >>> _author_names([{"name": "Ada"}, {"name": 5}, {"name": None}, "x", 3]), _author_names("Ada")
    (['Ada', '5'], [])
    """
    if not isinstance(authors, list):
        return []
    names = (author.get("name") for author in authors if isinstance(author, dict))
    return [name if isinstance(name, str) else str(name) for name in names
            if isinstance(name, (str, int, float)) and not isinstance(name, bool)]
