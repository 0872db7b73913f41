"""arXiv identifiers and dates as every format writes them."""

from __future__ import annotations

import email.utils
import re

# New-style (2411.18478v2) and old-style (hep-th/9901001v1) arXiv ids.
_ARXIV_ID = re.compile(r"(\d{4}\.\d{4,5}|[a-z][a-z.-]*(?:\.[A-Z]{2})?/\d{7})(v\d+)?")
_ARXIV_REFERENCE = re.compile(
    r"(?:arxiv\.org/(?:abs|pdf)/|arxiv[:\s]\s*|10\.48550/arxiv\.)"
    r"(\d{4}\.\d{4,5}|[a-z][a-z.-]*(?:\.[A-Z]{2})?/\d{7})", re.I)


def bare_arxiv_id(value: str) -> str:
    """The id without version or URL; "" when ``value`` is not an arXiv id.

    >>> bare_arxiv_id("http://arxiv.org/abs/2411.18478v2"), bare_arxiv_id("hep-th/9901001")
    ('2411.18478', 'hep-th/9901001')
    >>> bare_arxiv_id("wu2024beyond")
    ''
    """
    value = value.strip()
    reference = _ARXIV_REFERENCE.search(value)
    if reference:
        return reference.group(1)
    match = _ARXIV_ID.fullmatch(value)
    return match.group(1) if match else ""


def find_arxiv_id(*texts: str) -> str:
    """The first arXiv id referenced in any of ``texts`` (URLs, DOIs, "arXiv:..."), else "".

    >>> find_arxiv_id("", "arXiv preprint arXiv:2411.18478")
    '2411.18478'
    """
    for text in texts:
        if text and (found := bare_arxiv_id(text)):
            return found
    return ""


def is_arxiv_id(value: str) -> bool:
    """Whether ``value`` is an arXiv id as such ("2405.14906", "2405.14906v2", "math.AG/0601001").

    >>> is_arxiv_id("2405.14906v2"), is_arxiv_id("t83d6b2ce0057")
    (True, False)
    """
    return bool(_ARXIV_ID.fullmatch(value))


def arxiv_url(arxiv_id: str) -> str:
    """The abstract page of an arXiv id ("" for no id)."""
    return f"https://arxiv.org/abs/{arxiv_id}" if arxiv_id else ""


def iso_date(value: str) -> str:
    """``YYYY-MM-DD`` from ISO timestamps or RFC 2822 dates; "" when unparseable.

    >>> iso_date("2024-11-27T16:19:00.000Z"), iso_date("Mon, 2 Apr 2007 19:18:42 GMT")
    ('2024-11-27', '2007-04-02')
    """
    value = (value or "").strip()
    if re.match(r"\d{4}-\d{2}-\d{2}", value):
        return value[:10]
    try:
        return email.utils.parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):  # "... 99999999999 ..." overflows a C int
        return ""


def join_names(names: list[str]) -> str:
    """Authors as one ``"; "``-separated string (a CSV- and filter-friendly cell)."""
    return "; ".join(name for name in (n.strip() for n in names) if name)
