"""The arXiv OAI metadata snapshot: one JSON object per line (Kaggle ``arxiv-metadata-oai-snapshot.json``).

A line looks like ``{"id": "0704.0001", "submitter": ..., "authors": ..., "title": ...,
"comments": ..., "journal-ref": ..., "doi": ..., "categories": "hep-ph", "abstract": ...,
"versions": [{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}],
"update_date": "2008-11-24", "authors_parsed": [["Balázs", "C.", ""], ...]}``.
Title and abstract keep the listing's hard line breaks; cleanup happens in the reader.
"""

from __future__ import annotations

from ..errors import InputError
from .ids import arxiv_url, bare_arxiv_id, iso_date, join_names

# Keys only the snapshot has: a claimkit papers JSONL with "categories" is not a snapshot.
SNAPSHOT_KEYS = frozenset({"versions", "authors_parsed", "update_date", "submitter"})


def looks_like_snapshot(record: dict) -> bool:
    """True for a snapshot line.

    >>> looks_like_snapshot({"id": "0704.0001", "abstract": "x", "versions": []})
    True
    >>> looks_like_snapshot({"paper": "p1", "title": "t", "abstract": "x", "categories": "cs.LG"})
    False
    """
    return "abstract" in record and not SNAPSHOT_KEYS.isdisjoint(record)


def snapshot_record(line: dict, source: object, number: int) -> dict | InputError:
    """A papers record from one snapshot line (an InputError for a line that is not one)."""
    arxiv_id = str(line.get("id") or "").strip()
    if not arxiv_id:
        return InputError(source, "snapshot record without an id", line=number)
    categories = line.get("categories") or ""
    if not isinstance(categories, str):
        return InputError(source, f"categories must be text, not {type(categories).__name__}", line=number)
    updated = iso_date(str(line.get("update_date") or ""))
    return {
        "paper": bare_arxiv_id(arxiv_id) or arxiv_id,
        "title": line.get("title"),
        "abstract": line.get("abstract"),
        "arxiv_id": bare_arxiv_id(arxiv_id) or arxiv_id,
        "url": arxiv_url(bare_arxiv_id(arxiv_id) or arxiv_id),
        "published": _first_version_date(line.get("versions")) or updated,
        "updated": updated,
        "authors": _authors(line),
        "categories": " ".join(categories.split()),
        "doi": str(line.get("doi") or ""),
    }


def _first_version_date(versions: object) -> str:
    """The date of v1: when the paper appeared (``update_date`` is the last change)."""
    if isinstance(versions, list) and versions and isinstance(versions[0], dict):
        return iso_date(str(versions[0].get("created") or ""))
    return ""


def _authors(line: dict) -> str:
    """``"First Last; ..."`` from ``authors_parsed`` ([last, first, suffix]), else ``authors``."""
    parsed = line.get("authors_parsed")
    if isinstance(parsed, list) and all(isinstance(p, list) for p in parsed):
        names = [" ".join(str(part) for part in (p[1:2] + p[:1] + p[2:3]) if part) for p in parsed]
        return join_names(names)
    authors = line.get("authors")
    return " ".join(authors.split()) if isinstance(authors, str) else ""
