"""arXiv API responses: an Atom feed of ``entry`` elements (title, summary, published, author, ...).

See https://info.arxiv.org/help/api/user-manual.html. Title and summary keep the API's hard line
breaks; cleanup happens in the reader. A malformed feed is a file-level error (with its line);
an entry without title and summary is a bad record.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from ..errors import InputError, one_line
from .ids import arxiv_url, bare_arxiv_id, iso_date, join_names
from .text import Item

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "arxiv": "http://arxiv.org/schemas/atom",
    "opensearch": "http://a9.com/-/spec/opensearch/1.1/",
}


@dataclass
class AtomFeed:
    """The entries of one feed page and the paging numbers the arXiv API reports."""

    items: list[Item] = field(default_factory=list)
    total_results: int | None = None
    start_index: int = 0


def looks_like_atom(head: bytes) -> bool:
    """True when the text starts like an XML document or an Atom feed."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:200]
    return start.startswith(b"<?xml") or start.startswith(b"<feed")


def parse_atom(data: bytes, source: object) -> AtomFeed:
    """Records of an Atom feed; InputError for malformed XML, a non-feed or an arXiv API error."""
    if not data.strip():
        raise InputError(source, "file is empty")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as err:
        line = err.position[0] if getattr(err, "position", None) else None
        raise InputError(source, f"malformed XML ({str(err).split(':')[0]})", line=line) from None
    except (LookupError, ValueError) as err:  # encoding="UTZ-8" in the declaration
        raise InputError(source, f"malformed XML ({one_line(err)})", line=1) from None
    except RecursionError:
        raise InputError(source, "malformed XML (nested too deeply)") from None
    if root.tag != f"{{{NS['atom']}}}feed":
        raise InputError(source, f"not an Atom feed (root element {root.tag!r})")
    entries = root.findall("atom:entry", NS)
    _raise_api_error(entries, source)
    return AtomFeed(
        items=[_entry_record(entry, source, index) for index, entry in enumerate(entries, start=1)],
        total_results=_int(root.findtext("opensearch:totalResults", None, NS)),
        start_index=_int(root.findtext("opensearch:startIndex", None, NS)) or 0,
    )


def _raise_api_error(entries: list[ET.Element], source: object) -> None:
    """The API answers a bad query with HTTP 200 and one entry whose id is an error URL."""
    for entry in entries:
        if "/api/errors" in (entry.findtext("atom:id", "", NS) or ""):
            raise InputError(source, f"arXiv API error: {' '.join(entry.findtext('atom:summary', '', NS).split())}")


def _entry_record(entry: ET.Element, source: object, index: int) -> Item:
    title = entry.findtext("atom:title", None, NS)
    summary = entry.findtext("atom:summary", None, NS)
    if not (title or "").strip() and not (summary or "").strip():
        return InputError(source, f"entry {index} has neither title nor summary")
    entry_id = (entry.findtext("atom:id", "", NS) or "").strip()
    arxiv_id = bare_arxiv_id(entry_id)
    return {
        "paper": arxiv_id or entry_id or None,
        "title": title or "",
        "abstract": summary or "",
        "arxiv_id": arxiv_id,
        "url": _link(entry) or arxiv_url(arxiv_id) or entry_id,
        "published": iso_date(entry.findtext("atom:published", "", NS)),
        "updated": iso_date(entry.findtext("atom:updated", "", NS)),
        "authors": join_names([" ".join(a.findtext("atom:name", "", NS).split()) for a in entry.findall("atom:author", NS)]),
        "categories": " ".join(_categories(entry)),
        "doi": (entry.findtext("arxiv:doi", "", NS) or "").strip(),
    }


def _link(entry: ET.Element) -> str:
    """The abstract page (``rel="alternate"``), without the version suffix."""
    for link in entry.findall("atom:link", NS):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            href = link.get("href", "")
            arxiv_id = bare_arxiv_id(href)
            return arxiv_url(arxiv_id) if arxiv_id else href
    return ""


def _categories(entry: ET.Element) -> list[str]:
    """Primary category first, then the others, each once."""
    primary = entry.find("arxiv:primary_category", NS)
    terms = [primary.get("term", "")] if primary is not None else []
    terms += [c.get("term", "") for c in entry.findall("atom:category", NS)]
    return list(dict.fromkeys(t for t in terms if t))


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None
