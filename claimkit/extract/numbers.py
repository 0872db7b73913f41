"""Scan a text once for quantities: numbers with their scale, unit sign and range partner.

A :class:`Quantity` is a numeric expression as written ("1.75-2.39x", "LLaMA-65B",
"13 billion", "11.8\\%", "a single"), before it is known whether it is a claim. Numbers that
are part of a word, a version or a URL ("GPT-4", "seq2seq", "3D", "top-1") are dropped here.
"""

from __future__ import annotations

import functools
import math
import re
from typing import Callable, Final

import regex

from ..vocab import counted_nouns, word_list
from .endings import ending

try:  # the one-pass scans in C (_scan.c), built by setup.py beside the mypyc modules
    from ._scan import digit_runs as _c_digit_runs
    from ._scan import find_words as _c_find_words
    C_FIND_WORDS: Callable[[str, tuple[str, ...]], list[tuple[int, int]]] | None = _c_find_words
    C_DIGIT_RUNS: Callable[[str], list[int]] | None = _c_digit_runs
except ImportError:  # no C compiler at install time, or CLAIMKIT_PURE_PYTHON=1
    C_FIND_WORDS = None
    C_DIGIT_RUNS = None

SCALES: Final = {"k": 1e3, "K": 1e3, "M": 1e6, "m": 1e6, "B": 1e9, "b": 1e9, "T": 1e12,
                 "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
NUMBER_WORDS: Final = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                       "eight": 8, "nine": 9, "ten": 10, "twenty": 20, "hundred": 100, "a": 1, "an": 1}

# ASCII digits: the regex module's \d tests Unicode categories and doubles the scan time.
_NUMBER: Final = r"[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?(?:e[+-]?[0-9]+(?![A-Za-z]))?"  # starts with a digit
# Scale and unit are one group each, with the space or hyphen before them ("7 B", "-fold"), so
# a match has three groups; _SCALE_OF / _UNIT_OF name what the text says.
# "(?![A-Za-z0-9_])" where a word ends, not "\b": re (compiled build) and regex (Python build)
# disagree on whether "²" is a word character, and both builds must read "8 billion²" alike.
_END: Final = r"(?![A-Za-z0-9_])"
_SCALE: Final = rf"(?P<scale>\s?[kKMBbmT](?![A-Za-z0-9])|[\s-](?:thousand|million|billion|trillion){_END})"
_UNIT: Final = (rf"(?P<unit>\s?(?:\\?%|percent{_END})"
                r"|\s?(?:[xX×](?![A-Za-z0-9_])|\$?\\times\$?)"
                rf"|[\s-]?times{_END}|-?fold{_END}"
                rf"|[\s-]?(?:(?:percentage|absolute)[\s-])?(?:points?|pts?|pp){_END}"
                rf"|ms{_END}|\s?(?:dB|mm|cm){_END})")  # absolute measures: "35ms", "32.1 dB", "38.4 mm"
_SCALE_OF: Final = {"k": "K", "K": "K", "M": "M", "m": "M", "B": "B", "b": "B", "T": "T",
                    "thousand": "K", "million": "M", "billion": "B", "trillion": "T"}
_UNIT_OF: Final = {"%": "%", "\\%": "%", "percent": "%", "times": "x", "\\times": "x", "fold": "x", "x": "x",
                   "X": "x", "×": "x", "point": "pt", "points": "pt", "pt": "pt", "pts": "pt", "pp": "pt",
                   "ms": "ms", "dB": "dB", "mm": "mm", "cm": "cm"}
_WORD_QUANTITY: Final = (
    r"(?P<magnitude>\b(?:an?|one|two|three)[\s-]+orders?[\s-]+of[\s-]+magnitude\b)"
    r"|(?P<single>\b(?:a\s+|one\s+)?single\b)"
    r"|(?P<wnum>\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twenty|a|one)"
    r"(?:(?:[\s-](?P<wtimes>times|fold)\b)|\s(?P<wscale>hundred|thousand|million|billion|trillion)\b"
    r"|(?=\s(?:hours?|days?|GPUs?|TPUs?)\b)))"
)
# A number may start at any digit, so finditer's matches are: a match at the first digit from
# the end of the last one. With the C helper, digit_runs finds those digits in one pass and re
# matches there (re matches about twice as fast as regex); without it, the regex module scans
# (it skips to digits, which re cannot, ~2.5x faster than re's own scan).
_DIGIT_PATTERN: Final = rf"(?P<num>{_NUMBER}){_SCALE}?{_UNIT}?"
DIGIT_MATCH: Final = re.compile(_DIGIT_PATTERN)
DIGIT_SCAN: Final = regex.compile(_DIGIT_PATTERN)
WORD_SCAN: Final = re.compile(_WORD_QUANTITY, re.IGNORECASE)
_WORD_TRIGGERS: Final = ("single", "magnitude", "times", "fold", "hundred", "thousand", "million", "billion",
                         "trillion", "hour", "day", "gpu", "tpu")  # the words that can end a quantity in words
_MAGNITUDE: Final = _WORD_TRIGGERS.index("magnitude")

_RANGE_GAP: Final = re.compile(r"\s*(?:-{1,2}|–|—|‐|~|to\s*[+−-]?)\s*(?:approx\.?\s*|about\s+|around\s+)?",
                               re.IGNORECASE)  # "+0.9% to +6.6%", "-3% to -41%": signed ends
_CHANGE_VERB: Final = re.compile(r"\b(?:expand|extend|increas|improv|rais|boost|lift|grow|reduc|decreas|drop|cut|lower|"
                                 r"shrink|mov|go|went|rose|fell)\w*\s", re.IGNORECASE)
RANGE_FROM: Final = ending(r"\b(?:rang(?:e|es|ed|ing)|var(?:y|ies|ied|ying)|spann?(?:s|ed|ing)?)\s+from\s*$",
                           regex.IGNORECASE)  # "ranging from 86% to 95%": one range, not before and after
_BETWEEN_GAP: Final = re.compile(r"\s*and\s*(?:approx\.?\s*)?", re.IGNORECASE)
_NAME_CHARS: Final = re.compile(r"(?<![\w.\-])[A-Za-z][\w.\-]*$")  # a name starts with a letter
ATTACHED_WORD: Final = re.compile(r"-([A-Za-z]+)")  # "340M-parameter", "50K-sample"
_NAME_TAIL: Final = re.compile(r"(?:-[A-Za-z][\w.]*)+")
_FAMILY_HEAD: Final = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)?")
_SECONDS: Final = re.compile(r"s(?![A-Za-z0-9_'’])")
_DIGIT_NEXT: Final = re.compile(r"\s?[0-9]")
_NOUN_NEXT: Final = re.compile(r"\s+(?!(?:and|or|with|for|to|in|on|per|while|of|than|at|by|from|using|compared|vs)\b)"
                               r"[a-z]{3,}")  # "a 2s video": a length that describes, not a time taken
_SIZE_WORDS: Final = frozenset({"scale", "sized", "size", "class", "level"})
_DIMENSION_BEFORE: Final = re.compile(r"[0-9]\s?[xX×]\s?$")
_LISTED_BEFORE_SLASH: Final = re.compile(r"[0-9](?:\\?%|[KMBT])$")
_ACTIVE_PARAMS: Final = re.compile(r"-A([0-9]+(?:\.[0-9]+)?)B\b")  # "Qwen3-30B-A3B": 3B of them active
_SENTENCE_END_INSIDE: Final = re.compile(r"[.!?]\s")
_URL_REACH: Final = 256  # how far back a number looks for the start of the URL it may sit in
_PREV_WORDS: Final = re.compile(r"([A-Za-z][\w.\-]*)(?:\s+(\d+(?:\.\d+)?))?\s+$")


class Quantity:
    """One numeric expression: value range, unit sign, scale, and where it stands."""

    __slots__ = ("start", "end", "low", "high", "unit", "scale", "plus", "model_name", "word", "from_to", "decimal")

    def __init__(self, start: int, end: int, low: float, high: float, unit: str, scale: str,
                 word: str = "") -> None:
        self.start, self.end = start, end
        self.low, self.high = low, high
        self.unit = unit            # "%", "x", "pt" or "" (a count, size or bare score)
        self.scale = scale          # "K", "M", "B", "T" or "" (upper case)
        self.word = word            # "single" / "magnitude" for word quantities
        self.plus = False           # written with a leading "+" ("+0.53")
        self.model_name = False     # a size inside a model name ("LLaMA-65B")
        self.from_to = False        # one end of "from A to B" read as two values
        self.decimal = False        # written with a decimal point ("71.0"), as measured values are

    def is_year(self) -> bool:
        """A bare whole number between 1950 and 2039: a year ('DAVIS 2016', 'from 2019 to 2023')."""
        return not (self.decimal or self.unit or self.scale) and 1950 <= self.low <= self.high <= 2039

    def __repr__(self) -> str:
        return f"Quantity({self.start}:{self.end} {self.low}-{self.high} {self.unit!r} {self.scale!r})"


def _unit_of(written: str | None) -> str:
    """The unit of a unit as written (" \\%", "$\\times$", "-fold", " pts") or ""."""
    if not written:
        return ""
    return _UNIT_OF[written.lstrip().lstrip("-").strip("$").replace("-", " ").split(" ")[-1]]  # "percentage points": pt


def _word_quantity(match: re.Match) -> Quantity | None:
    """'an order of magnitude' -> 10x, 'a single' -> 1, 'ten times' -> 10x, 'one thousand' -> 1000."""
    start, end = match.span()
    if match.group("magnitude"):
        first = re.split(r"[\s-]", match.group("magnitude"))[0].lower()
        value = 10.0 ** NUMBER_WORDS.get(first, 1)
        return Quantity(start, end, value, value, "x", "", word="magnitude")
    if match.group("single"):
        return Quantity(start, end, 1.0, 1.0, "", "", word="single")
    first = match.group("wnum").split()[0].split("-")[0].lower()
    value = float(NUMBER_WORDS[first])
    if match.group("wtimes"):
        return Quantity(start, end, value, value, "x", "", word="number")
    if not match.group("wscale"):
        return Quantity(start, end, value, value, "", "", word="number")  # "within two hours", "two GPUs"
    scale_word = match.group("wscale").lower()
    value *= {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}[scale_word]
    scale = {"hundred": "", "thousand": "K", "million": "M", "billion": "B", "trillion": "T"}[scale_word]
    return Quantity(start, end, value, value, "", scale, word="number")


def _numeric_quantity(text: str, match: re.Match) -> Quantity | None:
    """A digit quantity, or None when the digits belong to a word, version, URL or formula."""
    start, end = match.span()
    number, scale_written, unit_written = match.groups()  # by position: a named lookup costs more
    if scale_written:
        scale_written = scale_written.lstrip().lstrip("-")  # the scale without the space before it
    suffix = scale_written if scale_written and len(scale_written) == 1 else ""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    scale = _SCALE_OF[scale_written] if scale_written else ""
    value = float(number.replace(",", "")) * SCALES.get(scale, 1.0)
    if not math.isfinite(value):
        return None  # "1e1000" overflows a float: no value to compare
    quantity = Quantity(start, end, value, value, _unit_of(unit_written), scale)
    quantity.decimal = "." in number
    reach = max(0, start - _URL_REACH)  # bounded: "1.1.1...." stays linear
    word_start = max(reach, text.rfind(" ", reach, start) + 1)
    if "://" in text[word_start:start] or text.startswith("www.", word_start):
        return None  # inside a URL
    if after == "s" and not (quantity.unit or quantity.scale) and _SECONDS.match(text, end) \
            and not _NOUN_NEXT.match(text, end + 1) and not (before.isalnum() or before in "._/@$^\\#-"):
        quantity.unit, quantity.end = "s", end + 1  # "from 71s to 29s": seconds ("1990s" is no time)
        return quantity if value < 1000 or "." in number else None  # "the 1990s"
    if (after.isalnum() or after == "_") and quantity.unit != "%":
        return None  # "3D", "2nd", "4o" (but "3.6%over" is a typo for "3.6% over")
    if quantity.unit == "x" and _DIGIT_NEXT.match(text, end) or _DIMENSION_BEFORE.search(text, max(0, start - 4), start):
        return None  # "256 x 256", "1024 × 1024": an image size, not a factor
    if before == "-" and start >= 2 and _NAME_CHARS.search(text, max(0, start - 60), start - 1):
        return _model_name(text, quantity, suffix) if suffix else None  # "Llama-2" vs "LLaMA-65B"
    if before == "/" and _LISTED_BEFORE_SLASH.search(text, max(0, start - 8), start - 1):
        before = " "  # "91.3%/89.9%", "8B/70B": a list written with slashes
    if before.isalpha() or before in "._/@$^\\#":
        return None  # "GPT4", "v2", "Math500", "x_0", "$5", "1/2"
    after_family = bool(suffix) and _after_model_family(text, start)  # "LLaVA 7B"
    if suffix in ("b", "m") and not after_family:
        return None if suffix == "m" else quantity
    if after_family:
        return _model_name(text, quantity, suffix)
    if after == "-" and not quantity.unit:
        return _hyphen_compound(text, quantity)
    if _after_hardware_name(text, start):
        return None  # "RTX 2080 Ti", "NVIDIA 4090 GPU": a product name
    if not (quantity.unit or quantity.scale) and _after_name(text, start):
        return None  # "Claude 3.5", "PaLM 2", "Table 3": a version or a label, not a value
    quantity.plus = before == "+" or text[max(0, start - 2):start] == "+ "
    return quantity


def _after_name(text: str, start: int) -> bool:
    """True when the word before ``start`` is a capitalized name ("Claude 3.5", "Section 4")."""
    if start < 2 or text[start - 1] != " ":
        return False
    word = text[max(0, start - 30):start - 1].rsplit(None, 1)[-1:]
    return bool(word) and word[0][:1].isupper() and word[0].replace("-", "").isalnum() and not word[0].isupper()


_VENDORS: Final = frozenset({"nvidia", "amd", "geforce", "tesla"})


def _after_hardware_name(text: str, start: int) -> bool:
    """True for the 2080 of "RTX 2080 Ti": a number right after an accelerator or vendor name."""
    if start < 2 or text[start - 1] != " ":
        return False
    word = text[max(0, start - 20):start - 1].rsplit(None, 1)[-1:]
    return bool(word) and (word[0].lower() in word_list("hardware.txt") or word[0].lower() in _VENDORS)


def _after_model_family(text: str, start: int) -> bool:
    """True for "LLaVA 7B" and "Llama 2 13B": a size written after a model family name."""
    if start < 2 or not text[start - 1].isspace():
        return False
    words = text[max(0, start - 40):start].split()
    if words and words[-1].replace(".", "").isdigit():  # "Llama 2 13B": skip the version
        words = words[:-1]
    return bool(words) and is_model_family(words[-1])


@functools.lru_cache(maxsize=4096)
def is_model_family(name: str) -> bool:
    """Whether a word starts with a model family name ("LLaVA", "Qwen2.5-7B", "llamantino")."""
    head = _FAMILY_HEAD.match(name)
    if not head:
        return False
    families, long_families = _families()
    word = head.group(0).lower()
    return word in families or word.split("-")[0] in families or word.startswith(long_families)


@functools.lru_cache(maxsize=None)
def _families() -> tuple[frozenset[str], tuple[str, ...]]:
    """The family names, and those long enough to match as a prefix ("llamantino")."""
    families = word_list("model_families.txt")
    return families, tuple(family for family in families if len(family) >= 4)


def _model_name(text: str, quantity: Quantity, suffix: str) -> Quantity | None:
    """Widen a size inside a model name to the whole name ("LLaMAntino-3-ANITA-8B-Inst")."""
    before = text[max(0, quantity.start - 60):quantity.start]
    if before.endswith("-"):
        name_match = _NAME_CHARS.search(before[:-1])
        name_start = quantity.start - 1 - len(name_match.group(0)) if name_match else quantity.start
    else:
        found = _PREV_WORDS.search(before)
        name_start = quantity.start - len(found.group(0)) if found else quantity.start
    name = text[name_start:quantity.start]
    if _SENTENCE_END_INSIDE.search(name):
        name_start, name = quantity.start, ""  # "GPT4.\xa070B": a sentence ends before the size
    if suffix.upper() == "K" or (suffix.upper() == "M" and quantity.high < 1e7):
        return None  # "Yi-200K", "LLaMA-3-1M": context lengths, not parameter counts
    if suffix.upper() != "B" and not is_model_family(name.lstrip("(")):
        return None  # "WebVid-10M", "MINT-1T": sizes of datasets, not parameters
    tail = _NAME_TAIL.match(text, quantity.end)
    quantity.start = name_start
    quantity.end = tail.end() if tail else quantity.end
    quantity.model_name = True
    quantity.unit = ""
    return quantity


def _hyphen_compound(text: str, quantity: Quantity) -> Quantity | None:
    """'340M-parameter' is a size; '1-shot', '15-task', '100-language' are not quantities."""
    word = ATTACHED_WORD.match(text, quantity.end)
    if not word:
        return quantity  # "1.75-2.39x": a range, joined later
    if word.group(1).lower() in ("parameter", "parameters", "param", "params"):
        quantity.end = word.end()
        quantity.unit = ""
        quantity.model_name = False
        return quantity if quantity.scale else None
    if word.group(1).lower() in counted_nouns():
        return quantity  # "874K-sample", "650-hour", "12-GPU cluster": the noun is read later
    if quantity.scale in ("B", "T") and word.group(1).lower() in _SIZE_WORDS:
        return quantity  # "70B-scale", "7B-sized": a model size
    return None


def digit_matches(text: str) -> list:
    """The matches of DIGIT_SCAN.finditer(text), found the faster way when the C helper is built."""
    if C_DIGIT_RUNS is None:
        return list(DIGIT_SCAN.finditer(text))
    matches = []
    end = 0
    for start in C_DIGIT_RUNS(text):  # the first digit of each run of digits
        if start < end:
            continue  # inside the last match ("1,000")
        while True:
            match = DIGIT_MATCH.match(text, start)
            assert match is not None  # the pattern matches at every digit
            matches.append(match)
            end = start = match.end()
            if not (end < len(text) and "0" <= text[end] <= "9"):
                break  # else the match ended inside a run of digits ("1,0001"): the next starts there
    return matches


def scan_quantities(text: str) -> list[Quantity]:
    """Every quantity in ``text``, ranges joined, in text order."""
    found = [q for q in (_numeric_quantity(text, m) for m in digit_matches(text)) if q is not None]
    if any(quantity.model_name for quantity in found):
        found = _with_active_parameters(text, found)
    words = _word_quantities(text)
    if words:
        found = sorted(found + words, key=lambda quantity: quantity.start)
    return join_ranges(text, found)


def _with_active_parameters(text: str, found: list[Quantity]) -> list[Quantity]:
    """A model name with its active parameters ("Qwen3-30B-A3B") gives that size too ("A3B")."""
    extra = []
    for quantity in found:
        if quantity.model_name:
            for match in _ACTIVE_PARAMS.finditer(text, quantity.start, quantity.end):
                value = float(match.group(1)) * 1e9
                active = Quantity(match.start() + 1, match.end(), value, value, "", "B")
                active.model_name = True
                extra.append(active)
    return sorted(found + extra, key=lambda quantity: quantity.start) if extra else found


_ASCII_LOWER: Final = {code: code + 32 for code in range(ord("A"), ord("Z") + 1)}


def trigger_hits(text: str) -> list[tuple[int, int]]:
    """(start, index in _WORD_TRIGGERS) of every trigger in ``text`` (A-Z read as a-z), by
    trigger, then by start. Only ASCII capitals are folded, so offsets are the text's own."""
    if C_FIND_WORDS is not None:
        hits = C_FIND_WORDS(text, _WORD_TRIGGERS)  # one pass in C, in text order
        hits.sort(key=lambda hit: hit[1])  # stable: the order of one str.find loop per trigger
        return hits
    lower = text.lower() if text.isascii() else text.translate(_ASCII_LOWER)
    hits = []
    for index, trigger in enumerate(_WORD_TRIGGERS):
        position = lower.find(trigger)
        while position >= 0:
            hits.append((position, index))
            position = lower.find(trigger, position + 1)
    return hits


def _word_quantities(text: str) -> list[Quantity]:
    """Quantities in words, looked for only around the words that can end one (fast)."""
    windows = []
    for position, index in trigger_hits(text):
        if not (position and text[position - 1].isalpha()):  # not "sometimes", "today", "manifold"
            # The number word is at most 7 characters back ("twenty-fold", "three thousand");
            # "three orders of magnitude" reaches further. Short windows keep the scan cheap.
            reach = 28 if index == _MAGNITUDE else 8
            windows.append((max(0, position - reach), position + len(_WORD_TRIGGERS[index]) + 8))
    found: dict[int, Quantity] = {}
    for begin, end in windows:
        for match in WORD_SCAN.finditer(text, begin, min(end, len(text))):
            quantity = _word_quantity(match)
            if quantity is not None:
                found.setdefault(quantity.start, quantity)
    kept: list[Quantity] = []
    for quantity in sorted(found.values(), key=lambda q: (q.start, -q.end)):
        if not kept or quantity.start >= kept[-1].end:  # two windows may see one phrase
            kept.append(quantity)
    return kept


def join_ranges(text: str, quantities: list[Quantity]) -> list[Quantity]:
    """Join "A-B", "A to B", "between A and B"; keep "from 2.4 to 1.9" (before/after) apart."""
    joined: list[Quantity] = []
    index = 0
    while index < len(quantities):
        first = quantities[index]
        second = quantities[index + 1] if index + 1 < len(quantities) else None
        if second is not None and _is_range(text, first, second):
            first = _merge(first, second)
            index += 1
        joined.append(first)
        index += 1
    return joined


def _is_range(text: str, first: Quantity, second: Quantity) -> bool:
    if first.word or second.word or first.model_name or second.model_name:
        return False
    gap = text[first.end:second.start]
    before = text[max(0, first.start - 12):first.start].lower()
    between = before.rstrip().endswith("between") and _BETWEEN_GAP.fullmatch(gap)
    if not (between or _RANGE_GAP.fullmatch(gap)):
        return False
    if first.unit and second.unit and first.unit != second.unit:
        return False
    low = first.low if first.scale or not second.scale else first.low * SCALES[second.scale]
    if low > second.high:
        return False  # "from 2.4 to 1.9": a before/after pair, two values
    if before.endswith("(") and "to" in gap and text[second.end:second.end + 1] == ")" and not (first.scale or second.scale):
        return False  # "improves recall (41% to 63%)": before and after, in parentheses
    if before.rstrip().endswith("from") and "to" in gap:
        if RANGE_FROM.search(text, max(0, first.start - 24), first.start):
            return True
        if not (first.scale or second.scale):
            return False  # "from 0.877 to 0.707"-style pairs stay two scores even when rising
        if _CHANGE_VERB.search(text, max(0, first.start - 50), first.start):
            return False  # "expanding the context window from 32K to 512K": before and after
    return True


def _merge(first: Quantity, second: Quantity) -> Quantity:
    low = first.low if first.scale or not second.scale else first.low * SCALES[second.scale]
    merged = Quantity(first.start, second.end, low, second.high, second.unit or first.unit,
                      second.scale or first.scale)
    merged.plus = first.plus
    merged.decimal = first.decimal or second.decimal
    return merged

