r"""BibTeX with ``abstract`` fields, as reference managers and arXiv export it.

A small parser: ``@type{key, name = {braced} | "quoted" | 123 | macro # ..., ...}``,
``@string`` macros, ``@comment`` and ``@preamble`` skipped, text outside entries ignored.
Values keep their LaTeX; :func:`strip_braces` drops the case-protecting braces
(``{GPT}-4`` -> ``GPT-4``) but keeps the ones that belong to a command (``\"{o}``,
``\textbf{x}``), which :func:`claimkit.clean.clean_text` renders later. A broken entry is
reported with its line and the parser resumes at the next ``@`` that starts a line.

>>> [r["title"] for r in parse_bibtex('@article{k, title = {The {GPT} Paper}, year = 2024}', "x.bib")]
['The GPT Paper']
"""

from __future__ import annotations

import bisect
import re
from typing import Iterator

from ..clean import clean_text
from ..errors import InputError
from .ids import arxiv_url, find_arxiv_id, join_names
from .text import Item

MONTHS = {name: f"{number:02d}" for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_SKIPPED_TYPES = {"comment", "preamble"}
_NAME = re.compile(r"[^\s\"#%'(),={}]+")
_ENTRY_START = re.compile(r"^[ \t]*@", re.M)
_ENTRY_HEAD = re.compile(r"@\s*[A-Za-z]+\s*[{(]")
_COMMAND_BEFORE = re.compile(r"\\(?:[A-Za-z]+|[^A-Za-z\s])\s*$")  # \emph{ or \"{: the braces are an argument


class _Broken(Exception):
    """A syntax error at a position; turned into an InputError with a line number."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.position = position


def looks_like_bibtex(head: bytes) -> bool:
    """True when the first non-comment text is an ``@entry{``."""
    text = head.decode("utf-8", "replace")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("%")]
    return bool(lines) and re.match(r"@\s*[A-Za-z]+\s*[{(]", lines[0]) is not None


def parse_bibtex(text: str, source: object) -> Iterator[Item]:
    """Records of the entries of ``text``, an InputError item for each broken entry."""
    parser = _Parser(text, source)
    yield from parser.records()


class _Parser:
    def __init__(self, text: str, source: object) -> None:
        self.text, self.source, self.pos = text, source, 0
        self.macros = dict(MONTHS)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.closing = _closing_braces(text)

    def line(self, position: int) -> int:
        return bisect.bisect_right(self.line_starts, position)

    def records(self) -> Iterator[Item]:
        while (at := self.text.find("@", self.pos)) >= 0:
            self.pos = at
            if not _ENTRY_HEAD.match(self.text, at):  # an "@" in free text (an e-mail in a comment)
                self.pos = at + 1
                continue
            try:
                entry = self.entry()
            except _Broken as err:
                yield InputError(self.source, f"broken BibTeX entry ({err})", line=self.line(err.position))
                self.resync(at)
                continue
            if entry is not None:
                yield entry_record(*entry, self.source, self.line(at))

    def resync(self, at: int) -> None:
        """Continue at the next line that starts with ``@``, after the broken entry's start."""
        newline = self.text.find("\n", at)
        following = _ENTRY_START.search(self.text, newline + 1) if newline >= 0 else None
        self.pos = following.start() if following else len(self.text)

    def entry(self) -> tuple[str, str, dict[str, str]] | None:
        self.pos += 1  # the @
        kind = self.name("entry type").lower()
        self.skip_space()
        opener = self.peek()
        if opener not in "{(" or not opener:
            raise _Broken(f"expected {{ after @{kind}", self.pos)
        closer = "}" if opener == "{" else ")"
        if kind in _SKIPPED_TYPES:
            self.braced() if opener == "{" else self.until(")")
            return None
        self.pos += 1
        if kind == "string":
            name, value = self.field()
            self.macros[name] = value
            self.expect(closer)
            return None
        key = self.until(",", closer).strip()
        if not key or "=" in key:
            raise _Broken(f"no citation key after @{kind}{opener}", self.pos)
        fields: dict[str, str] = {}
        while True:
            self.skip_space()
            if self.peek() == closer:
                self.pos += 1
                return kind, key, fields
            if self.peek() != ",":
                raise _Broken(f"expected , or {closer} in entry {key!r}", self.pos)
            self.pos += 1
            self.skip_space()
            if self.peek() == closer:
                continue
            name, value = self.field()
            fields[name] = value

    def field(self) -> tuple[str, str]:
        name = self.name("field name").lower()
        self.skip_space()
        self.expect("=")
        parts = [self.value()]
        while (self.skip_space() or True) and self.peek() == "#":
            self.pos += 1
            parts.append(self.value())
        return name, "".join(parts)

    def value(self) -> str:
        self.skip_space()
        char = self.peek()
        if char == "{":
            return self.braced()[1:-1]
        if char == '"':
            return self.quoted()
        word = self.name("value")
        return word if word.isdigit() else self.macros.get(word.lower(), word)

    def braced(self) -> str:
        """``{...}`` with nested braces, from the current position; returns it with its braces."""
        start = self.pos
        if start in self.closing:  # matched once for the whole text: a scan per value is quadratic
            end = self.closing[start]
            if end < 0:
                raise _Broken("unbalanced braces (missing })", start)
            self.pos = end + 1
            return self.text[start : self.pos]
        depth = 0
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "\\":
                self.pos += 2
                continue
            depth += {"{": 1, "}": -1}.get(char, 0)
            self.pos += 1
            if depth == 0:
                return self.text[start : self.pos]
        raise _Broken("unbalanced braces (missing })", start)

    def quoted(self) -> str:
        start, depth = self.pos, 0
        self.pos += 1
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "\\":
                self.pos += 2
                continue
            if char == '"' and depth == 0:
                self.pos += 1
                return self.text[start + 1 : self.pos - 1]
            depth += {"{": 1, "}": -1}.get(char, 0)
            self.pos += 1
        raise _Broken('unterminated "quoted" value', start)

    def name(self, what: str) -> str:
        self.skip_space()
        match = _NAME.match(self.text, self.pos)
        if not match:
            raise _Broken(f"expected {what}", self.pos)
        self.pos = match.end()
        return match.group(0)

    def until(self, *stops: str) -> str:
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] not in stops:
            if self.text[self.pos] == "@" or (self.text[self.pos] == "\n" and _ENTRY_START.match(self.text, self.pos + 1)):
                break
            self.pos += 1
        if self.pos >= len(self.text) or self.text[self.pos] not in stops:
            raise _Broken(f"expected {' or '.join(stops)}", start)
        return self.text[start : self.pos]

    def expect(self, char: str) -> None:
        self.skip_space()
        if self.peek() != char:
            raise _Broken(f"expected {char}", self.pos)
        self.pos += 1

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1


def _closing_braces(text: str) -> dict[int, int]:
    """Each ``{`` of ``text`` -> the index of its ``}``, or -1 when it is never closed (``\\{`` skipped)."""
    closing: dict[int, int] = {}
    stack: list[int] = []
    for match in re.finditer(r"\\.|[{}]", text, re.S):
        char = match.group()
        if char == "{":
            stack.append(match.start())
        elif char == "}" and stack:
            closing[stack.pop()] = match.start()
    for start in stack:
        closing[start] = -1
    return closing


def entry_record(kind: str, key: str, fields: dict[str, str], source: object, line: int) -> Item:
    """A papers record from one entry: arXiv id (eprint, URL, DOI or journal) as the paper id."""
    title, abstract = strip_braces(fields.get("title", "")), strip_braces(fields.get("abstract", ""))
    if not title.strip() and not abstract.strip():
        return InputError(source, f"@{kind}{{{key}}} has neither title nor abstract", line=line)
    arxiv_id = find_arxiv_id(fields.get("eprint", ""), fields.get("url", ""), fields.get("doi", ""),
                             fields.get("journal", ""), fields.get("note", ""))
    return {
        "paper": arxiv_id or key or None,
        "title": title,
        "abstract": abstract,
        "arxiv_id": arxiv_id,
        "url": fields.get("url", "").strip() or arxiv_url(arxiv_id),
        "published": _date(fields),
        "authors": join_names([_person(name) for name in _split_authors(fields.get("author", ""))]),
        "categories": " ".join(fields.get("primaryclass", "").split()),
        "doi": fields.get("doi", "").strip(),
        "bibkey": key,
    }


def strip_braces(value: str) -> str:
    r"""``value`` without grouping braces; braces after a command (``\"{o}``, ``\emph{x}``) stay.

    >>> strip_braces(r"{BERT} gains {\"{o}} \emph{{x}} \{set\}")
    'BERT gains \\"{o} \\emph{x} \\{set\\}'
    """
    out, stack, position = [], [], 0
    while position < len(value):
        char = value[position]
        if char == "\\":
            out.append(value[position : position + 2])
            position += 2
            continue
        if char == "{":
            keep = _COMMAND_BEFORE.search(value, max(0, position - 40), position) is not None
            stack.append(keep)
            if keep:
                out.append(char)
        elif char == "}":
            if stack.pop() if stack else False:
                out.append(char)
        else:
            out.append(char)
        position += 1
    return "".join(out)


def _split_authors(authors: str) -> list[str]:
    """Names separated by `` and `` outside braces."""
    names, depth, current = [], 0, []
    for token in re.split(r"(\s+and\s+|[{}])", authors):
        depth += {"{": 1, "}": -1}.get(token, 0)
        if depth == 0 and re.fullmatch(r"\s+and\s+", token or ""):
            names.append("".join(current))
            current = []
        else:
            current.append(token)
    names.append("".join(current))
    return [name for name in names if name.strip() and name.strip() != "others"]


def _person(name: str) -> str:
    r"""``Last, First`` -> ``First Last`` (``Last, Jr, First`` -> ``First Last Jr``), LaTeX rendered.

    >>> _person(r"M{\"u}ller, J{\"u}rgen"), _person("Smith, Jr, John"), _person("Ada Lovelace")
    ('Jürgen Müller', 'John Smith Jr', 'Ada Lovelace')
    """
    parts = [part.strip() for part in clean_text(strip_braces(name)).split(",")]
    if len(parts) == 2:  # Last, First
        parts = [parts[1], parts[0]]
    elif len(parts) >= 3:  # Last, Jr, First
        parts = [parts[2], parts[0], parts[1]]
    return " ".join(" ".join(parts).split())


def _date(fields: dict[str, str]) -> str:
    """``YYYY-MM-DD`` from ``date``, else ``YYYY-MM`` / ``YYYY`` from year and month."""
    date = fields.get("date", "").strip()
    if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", date):
        return date
    year = fields.get("year", "").strip()
    if not re.fullmatch(r"\d{4}", year):
        return ""
    month = fields.get("month", "").strip().lower()
    month = MONTHS.get(month[:3], f"{int(month):02d}" if month.isdigit() and 1 <= int(month) <= 12 else "")
    return f"{year}-{month}" if month else year
