r"""Text cleanup before extraction: LaTeX, HTML entities and hard line breaks -> plain text.

Abstracts arrive as arXiv/BibTeX LaTeX source (``50\%``, ``$2\times$``, ``Nystr\"om``), as
HTML-escaped JSON (``&amp;``) or with the hard line breaks of the arXiv listing. Extraction
runs on the cleaned text and the claims' offsets point into it, so the cleaned text is what
the papers table keeps. :func:`clean_text` is idempotent: cleaning clean text changes nothing.

>>> clean_text("a $2.5\\times$ speed-up,  $\\sim$40\\% fewer\n  FLOPs")
'a 2.5× speed-up, ~40% fewer FLOPs'
"""

from __future__ import annotations

import bisect
import html
import re
import unicodedata
from typing import Iterator

# Math-mode symbols as the reader sees them rendered.
MATH_SYMBOLS = {
    "times": "×", "sim": "~", "approx": "≈", "simeq": "≃", "pm": "±", "mp": "∓",
    "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠", "ll": "≪", "gg": "≫",
    "lesssim": "≲", "gtrsim": "≳", "cdot": "·", "div": "÷", "infty": "∞", "propto": "∝",
    "rightarrow": "→", "to": "→", "leftarrow": "←", "Rightarrow": "⇒", "uparrow": "↑",
    "downarrow": "↓", "in": "∈", "circ": "°", "degree": "°", "ell": "ℓ", "cdots": "⋯",
    "ldots": "...", "dots": "...", "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ",
    "epsilon": "ε", "varepsilon": "ε", "eta": "η", "theta": "θ", "kappa": "κ", "lambda": "λ",
    "mu": "μ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "phi": "φ", "chi": "χ",
    "psi": "ψ", "omega": "ω", "Delta": "Δ", "Gamma": "Γ", "Theta": "Θ", "Lambda": "Λ",
    "Sigma": "Σ", "Phi": "Φ", "Omega": "Ω", "log": "log", "exp": "exp", "max": "max", "min": "min",
}
# Text-mode commands that stand for one character or a short string.
TEXT_SYMBOLS = {
    "ldots": "...", "dots": "...", "textasciitilde": "~", "textless": "<", "textgreater": ">",
    "textendash": "–", "textemdash": "—", "texttimes": "×", "textpm": "±", "textdegree": "°",
    "textpercent": "%", "ss": "ß", "o": "ø", "O": "Ø", "aa": "å", "AA": "Å", "ae": "æ",
    "AE": "Æ", "oe": "œ", "OE": "Œ", "l": "ł", "L": "Ł", "i": "ı", "LaTeX": "LaTeX", "TeX": "TeX",
}
# Commands whose braced argument is kept as plain text: \textbf{X} -> X.
UNWRAPPED = (
    "textbf", "textit", "textrm", "textsf", "texttt", "textsc", "textup", "textnormal", "emph",
    "underline", "text", "mathrm", "mathbf", "mathit", "mathsf", "mathtt", "mathcal", "mathbb",
    "mathnormal", "boldsymbol", "bm", "operatorname", "url", "mbox", "hbox",
)
# Old-style font switches: {\bf X} -> {X}.
SWITCHES = ("bf", "em", "it", "rm", "sc", "sf", "tt", "sl", "small", "footnotesize", "large")
ACCENTS = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304",
    ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328",
    "r": "\u030a",
}
ESCAPED = {"%": "%", "&": "&", "_": "_", "#": "#", "$": "$", "{": "{", "}": "}"}

# Math delimiters: $$...$$, $...$ and \(...\) (found by _math_spans, in linear time).
_GROUP = r"((?:[^{}\\]|\\.)*)"  # the inside of {...}, escaped braces included
_MATH_START = re.compile(r"(?<!\\)\$|\\\(")
# Openers of commands whose last braced argument is kept (see _unwrap); \X escapes; braces.
_UNWRAP_TOKENS = re.compile(r"(\\(?:%s)\s*\{)|\\.|([{}])" % "|".join(UNWRAPPED), re.S)
_HREF_TOKENS = re.compile(r"(\\href\s*\{[^{}]*\}\s*\{)|\\.|([{}])", re.S)
_BRACED_SWITCH = re.compile(r"\{\\(?:%s)(?![A-Za-z])\s*%s\}" % ("|".join(SWITCHES), _GROUP))
_SWITCH = re.compile(r"\\(?:%s)(?![A-Za-z])\s*" % "|".join(SWITCHES))
_ACCENT_CORE = (r"\\(?:([`'^\"~=.])\s*|([uvHckr])(?=[\s{]))\s*"
                r"(?:\{\s*(\\?[A-Za-z])\s*\}|(\\?[A-Za-z]))")
_BRACED_ACCENT = re.compile(r"\{" + _ACCENT_CORE + r"\}")  # {\"o}: the braces go with it
_ACCENT = re.compile(_ACCENT_CORE)
_SYMBOL_NAMES = "|".join(sorted(TEXT_SYMBOLS, key=len, reverse=True))
_BRACED_TEXT_SYMBOL = re.compile(r"\{\\(%s)\}" % _SYMBOL_NAMES)
_TEXT_SYMBOL = re.compile(r"\\(%s)(?![A-Za-z])(?:\{\}|\s+(?=[a-z]))?" % _SYMBOL_NAMES)
_MATH_COMMAND = re.compile(r"(\s*)\\([A-Za-z]+)(?![A-Za-z])\s*")
_ESCAPE = re.compile(r"\\([%&_#${}])")
_TIE = re.compile(r"(?<=[A-Za-z.,;:])~(?=[\w\\(])")
_LINEBREAK_COMMAND = re.compile(r"\\\\(?:\[[^\]]*\])?|\\(?:newline|par)(?![A-Za-z])")
_THIN_SPACE = re.compile(r"\\[,;:!]")
_CONTROL_SPACE = re.compile(r"\\ ")
_SPACES = re.compile(r"\s+")
_MARKUP = re.compile(r"[&\\$~]")


def clean_text(text: str) -> str:
    r"""Plain text from LaTeX-, HTML- and line-wrapped text; idempotent.

    >>> print(clean_text(r'Nystr\"om and Erd{\H{o}}s, R\&D &amp; e.g.\ more'))
    Nyström and Erdős, R&D & e.g. more
    >>> print(clean_text(r"unknown \methodname stays; 3\,\%"))
    unknown \methodname stays; 3%
    """
    if not text:
        return ""
    cleaned = _clean_once(text)
    # Rendering can form new markup ("\\&#x\\,a" -> "&#xa"): repeat until nothing changes. Text
    # without "&", "\\", "$" or "~" is stable after one pass, so most abstracts take one.
    for _ in range(5):
        if cleaned == text or not _MARKUP.search(cleaned):
            break
        text, cleaned = cleaned, _clean_once(cleaned)
    return cleaned


def _clean_once(text: str) -> str:
    while "&" in text and (unescaped := html.unescape(text)) != text:  # "&amp;lt;": escaped twice
        text = unescaped
    text = _SPACES.sub(" ", text)  # first too: "\\<newline>" is a control space like "\\ "
    if "\\" in text or "$" in text or "~" in text:
        text = _LINEBREAK_COMMAND.sub(" ", text)  # first: in "\\$x$" the dollar is not escaped
        text = _render_math_spans(text)
        text = _render_text_mode(text)
    text = _SPACES.sub(" ", text).strip()
    return unicodedata.normalize("NFC", text)


def _render_math(math: str) -> str:
    """Inline math as the rendered characters: ``2\\times`` -> ``2×``, ``10^{3}`` -> ``10^3``."""
    math = re.sub(r"\\[,;:!>]\s*|\\ ", "", math)  # thin spaces between a number and its unit
    math = re.sub(r"\^\s*\{?\s*\\circ\s*\}?", "°", math)
    math = _unwrap(math, _UNWRAP_TOKENS)  # nested \mathbf{\mathrm{x}}
    math = _MATH_COMMAND.sub(_math_symbol, math)
    math = re.sub(r"(?<!\\)[{}]", "", math)  # grouping braces; \{ \} are literal
    return _ESCAPE.sub(lambda m: ESCAPED[m.group(1)], math)


def _math_symbol(match: re.Match) -> str:
    """A known math command as its symbol; a space after it only when there was one before."""
    before, name = match.group(1), match.group(2)
    if name not in MATH_SYMBOLS:
        return match.group(0)
    symbol = MATH_SYMBOLS[name]
    return f" {symbol} " if before else symbol


def _render_text_mode(text: str) -> str:
    """Text-mode LaTeX: accents, font commands, escapes, ties, symbols outside ``$``."""
    text = _CONTROL_SPACE.sub(" ", text)
    text = _THIN_SPACE.sub("", text)
    text = _until_stable(_BRACED_ACCENT, _accented, text)
    text = _until_stable(_ACCENT, _accented, text)  # \"\"o: accents stack
    text = _BRACED_TEXT_SYMBOL.sub(lambda m: TEXT_SYMBOLS[m.group(1)], text)
    text = _TEXT_SYMBOL.sub(lambda m: TEXT_SYMBOLS[m.group(1)], text)
    text = _unwrap(text, _HREF_TOKENS)
    text = _unwrap(text, _UNWRAP_TOKENS)  # nested \textbf{\emph{x}}
    text = _BRACED_SWITCH.sub(r"\1", text)
    text = _SWITCH.sub("", text)
    # Authors write math symbols without $ in arXiv abstracts ("2\times faster").
    text = re.sub(r"\\([A-Za-z]+)(?![A-Za-z])", lambda m: MATH_SYMBOLS.get(m.group(1), m.group(0)), text)
    text = _TIE.sub(" ", text)  # "Table~1": a non-breaking space; "~40%" (approximately) stays
    return _ESCAPE.sub(lambda m: ESCAPED[m.group(1)], text)


def _render_math_spans(text: str) -> str:
    """Every math span rendered by :func:`_render_math`, the rest of ``text`` kept."""
    pieces, done = [], 0
    for start, end, inner in _math_spans(text):
        pieces += [text[done:start], _render_math(inner)]
        done = end
    return "".join(pieces) + text[done:] if pieces else text


def _math_spans(text: str) -> Iterator[tuple[int, int, str]]:
    r"""``(start, end, inside)`` of each math span, left to right, as this regex would find them::

        (?<!\)\$\$(.+?)(?<!\)\$\$ | (?<!\)\$(?!\s)([^$]+?)(?<![\s\])\$ | \\((.+?)\\)

    but in linear time: the regex rescans to the end of the text from every opener that has no
    closer ("\(" * 50000 took 20 s). Closers are listed once and looked up by bisection.

    >>> [inside for _, _, inside in _math_spans(r"a $x$, $$y$$ and \(z\) but $ 5 and \$6$")]
    ['x', 'y', 'z']
    """
    double = _closers(text, "$$", unescaped=True)
    paren = _closers(text, "\\)", unescaped=False)
    position = 0
    while match := _MATH_START.search(text, position):
        start = match.start()
        span = _math_at(text, start, double, paren)
        if span is None:
            position = start + 1
            continue
        yield span
        position = span[1]


def _math_at(text: str, start: int, double: list[int], paren: list[int]) -> tuple[int, int, str] | None:
    r"""The math span starting at ``start``, trying $$, $ and \( in the regex's order."""
    if text.startswith("$$", start):
        close = _first_at_or_after(double, start + 3)
        if close is not None:
            return start, close + 2, text[start + 2 : close]
    if text[start] == "$":
        close = text.find("$", start + 1)
        if close >= start + 2 and not text[start + 1].isspace() and not text[close - 1].isspace() and text[close - 1] != "\\":
            return start, close + 1, text[start + 1 : close]
        return None
    close = _first_at_or_after(paren, start + 3)  # "\(": at least one character inside
    return (start, close + 2, text[start + 2 : close]) if close is not None else None


def _closers(text: str, mark: str, unescaped: bool) -> list[int]:
    """Where ``mark`` starts in ``text`` (overlaps included), in order; not after a backslash if ``unescaped``."""
    found, at = [], text.find(mark)
    while at >= 0:
        if not (unescaped and at and text[at - 1] == "\\"):
            found.append(at)
        at = text.find(mark, at + 1)
    return found


def _first_at_or_after(positions: list[int], start: int) -> int | None:
    index = bisect.bisect_left(positions, start)
    return positions[index] if index < len(positions) else None


def _unwrap(text: str, tokens: re.Pattern) -> str:
    r"""``\cmd{x}`` -> ``x`` for the openers ``tokens`` matches, nested ones too, in one pass.

    The result is what substituting ``\cmd{((?:[^{}\]|\.)*)}`` until nothing changes gives
    (inner commands first; a command whose argument keeps a plain ``{...}`` group stays), but
    a stack replaces the repeated passes, which took time proportional to size times depth.

    >>> _unwrap(r"\textbf{\emph{x} y} \textbf{a {b}} \emph{open", _UNWRAP_TOKENS)
    'x y \\textbf{a {b}} \\emph{open'
    """
    if "{" not in text:
        return text
    removed: list[tuple[int, int]] = []
    stack: list[list] = []  # [opener start, opener end, is a command, argument has no kept braces]
    for match in tokens.finditer(text):
        opener, brace = match.group(1), match.group(2)
        if opener:
            stack.append([match.start(), match.end(), True, True])
        elif brace == "{":
            stack.append([match.start(), match.end(), False, True])
        elif brace == "}" and stack:
            start, end, command, clean = stack.pop()
            if command and clean:
                removed += [(start, end), (match.start(), match.end())]
            elif stack:
                stack[-1][3] = False  # a kept group inside: the enclosing command stays
    if not removed:
        return text
    removed.sort()
    pieces, done = [], 0
    for start, end in removed:
        pieces.append(text[done:start])
        done = end
    return "".join(pieces) + text[done:]


def _until_stable(pattern: re.Pattern, replacement: object, text: str) -> str:
    """Substitute until nothing changes: nested commands unwrap from the inside out."""
    while (changed := pattern.sub(replacement, text)) != text:
        text = changed
    return text


def _accented(match: re.Match) -> str:
    accent = match.group(1) or match.group(2)
    letter = match.group(3) or match.group(4)
    base = {"\\i": "i", "\\j": "j"}.get(letter, letter.lstrip("\\"))
    return unicodedata.normalize("NFC", base + ACCENTS[accent])
