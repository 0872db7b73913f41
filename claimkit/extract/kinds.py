"""Decide what a quantity claims, from the words around it: (kind, unit) or None."""

from __future__ import annotations

import functools
import re
from typing import Callable, Final

import regex

from ..vocab import counted_nouns, dataset_count_words, lower_is_better, word_list
from .context import metric_near
from .cues import CueIndex, cue_sections, rise_stems, says_rise
from .endings import ending
from .numbers import ATTACHED_WORD, RANGE_FROM, Quantity

Decision = tuple[str, str, int, str]  # kind, unit, end offset of the words that tell it (0: none), rule

_WORD: Final = re.compile(r"[A-Za-z][\w/+-]*")
_PARENS: Final = re.compile(r"\([^)]*\)")
_BY_END: Final = ending(r"\bby(?:\s+(?:an?|the|only|just|impressive|remarkable|substantial|significant|"
                        r"notable|considerable|large|wide|additional|further|extra|absolute|relative|average|"
                        r"margin|of))*\s*$", regex.IGNORECASE)
_CHANGE_OF_END: Final = ending(r"\b(?:improvements?|gains?|increases?|boosts?|reductions?|decreases?|"
                               r"speed-?ups?|accelerations?|margins?|savings?|lifts?|uplifts?|jumps?|drops?|declines?)"
                               r"(?:\s+in\s+[\w\s@-]{1,30}?)?\s+of\s*$",
                               regex.IGNORECASE)  # "an improvement in BLEU score of 1.6"
_RATIO_OF_END: Final = ending(r"\b(?:ratios?|rates?)\s+of\s*$", regex.IGNORECASE)
_SCORE_END: Final = ending(r"(?:\b(?:from(?:\s+the|\s+an?)?|to|of|at|is|are|was|were)|=)\s*$", regex.IGNORECASE)
_PERCENT_DATA: Final = re.compile(r"\s*(?:of\s+)?(?:the\s+)?(?:[\w-]+\s+){0,2}?data(?:set)?\b", re.IGNORECASE)
_ONLY_USING: Final = ending(r"\b(?:using|uses|use|utili[sz]ing|requiring|requires|with|needing|needs)\s+only\s*$",
                            regex.IGNORECASE)
_VALUE_OF_NAME: Final = ending(r"(?:'s|’s|\()\s*$")  # "GPT-4o's 20%", "Random Forest (46%)"
_CONTEXT_WORDS: Final = re.compile(r"\b(?:context|window|sequence length|long-context|prompt|input)s?\b", re.IGNORECASE)
_LENGTH_AFTER: Final = re.compile(r"[\s-]*(?:long\s+)?(?:sequences?|contexts?|prefills?|prompts?|inputs?|windows?|lengths?)\b",
                                  re.IGNORECASE)
_OF_DATA: Final = re.compile(r"\s*of\s+(?:[\w-]+\s+)?(?:data|speech|audio|video|videos|recordings?|footage|text)\b",
                             re.IGNORECASE)
_ABSOLUTE: Final = re.compile(r"\s*(?:\(absolute\)|absolute\b|points?\b|point\b)", re.IGNORECASE)
_OUT_OF: Final = re.compile(r"\s*out\s+of\s+\d[\d,]*\s+((?:[\w-]+\s+){0,2}?[\w-]+s)\b", re.IGNORECASE)
_MODEL_WORDS: Final = re.compile(r"\b(?:param\w*|models?|LMs?|LLMs?|VLMs?|sizes?|scales?|encoders?|decoders?|"
                                 r"networks?|transformers?|backbones?|variants?)\b", re.IGNORECASE)
_DATA_WORDS: Final = re.compile(r"\b(?:data|datasets?|corpus|corpora|collection|benchmark|samples?)\b", re.IGNORECASE)
_FACTOR_OF: Final = ending(r"\bfactor\s+of\s*$", regex.IGNORECASE)
_METRIC_IS: Final = ending(r"(?:(?<!\bout )\b(?:of|was|is|are|reaches|reached|achieves|achieved)|=)\s*$",
                           regex.IGNORECASE)
_NAME_BEFORE: Final = ending(r"\b[A-Z][\w.-]*[A-Z0-9][\w.-]*\s+$")  # "MSCOCO-2017 ", "COCO "
_MONEY: Final = re.compile(r"\$\s*$|^\s*(?:USD|dollars)\b")
_HOURS_OF_DATA: Final = re.compile(r"\b(?:videos?|speech|audio|recordings?|footage|data|dataset|corpus|spanning|"
                                   r"clips|podcasts?|lectures?|music|songs?)\b", re.IGNORECASE)
_BATCH: Final = re.compile(r"\bbatch(?:\s|-)size", re.IGNORECASE)
_NOT_A_SIZE: Final = ("", "", -1)  # counted_noun's answer for "a resolution / a rate, not a count"
_NOT_COUNTED_BY: Final = frozenset({"resolution", "per", "context", "window", "length", "batch", "steps",
                                    "epochs", "dimensional", "dimensions", "bit", "bits", "px", "pixels"})
_SCALING_FACTOR: Final = re.compile(r"\s*(?:factors?|upscaling|upsampling|downsampling|super-resolution|resolution|"
                                    r"magnification|zoom)\b", re.IGNORECASE)
_PER_SECOND: Final = re.compile(r"\s*(?:per\s+second|/s)\b", re.IGNORECASE)
_TAIL: Final = 64  # end-anchored patterns look at the end of the left context only
_DAY: Final = re.compile(r"\s*(?:day|days|hour|hours)\b", re.IGNORECASE)
_PERFORMANCE: Final = re.compile(r"\b(?:performance|accuracy|score|quality)\b", re.IGNORECASE)


# Patterns compiled once: the module-level re functions look each pattern up in a cache per call.
_CLAUSE_MARK: Final = re.compile(r"[.;:()]")
_PHRASE_ENDS: Final = frozenset({"with", "for", "from", "on", "in", "by", "using", "via", "to", "at", "than"})
# not "of" ("2.5B of their pretraining tokens"), nor "and" ("3,602 single- and multi-hop questions")
_CLAUSE_MARK_OR_DIGIT: Final = re.compile(r"[.;:()]|(?<=\s)[0-9]")  # "0.79 with only 4 hours": the hours are 4's
_HARDWARE_WORD: Final = re.compile(r"[\w-]+")
_HARDWARE_TAIL: Final = re.compile(r"(?:\s+(?:[\w-]+\s+)?(?:GPUs?|TPUs?|Ti|SXM\w*|PCIe|chips))+")
_OF: Final = re.compile(r"\s*of\b")
_TIME_WORD: Final = re.compile(r"\btime\b|latenc")
_LETTER_NEXT: Final = re.compile(r"\s*[A-Za-z]")
# A value, maybe a metric's short name or a parenthesis, then "on <Name>": "71.3 on FooBench", "70.7 SUC on LaSOT".
_ON_A_NAME: Final = re.compile(r"\s*(?:\([^()]{1,30}\)\s*|[A-Z][\w@.-]{0,12}\s+)?(?:on|in)\s+(?:the\s+)?[A-Z0-9][\w.+-]*[A-Za-z0-9]")


_PRIORITY: Final = ("speed", "reduction", "gain", "reduction_object", "score")


def first_cue(text: str) -> str:
    """The strongest cue section in a few words: speed, then reduction, gain, score.

    "30x more compute-efficient" is a reduction, "1.22x lower latency" a speed-up.
    """
    found = set(cue_sections(text))
    return next((section for section in _PRIORITY if section in found), "")


def last_cue(text: str) -> str:
    """The section of the cue word nearest the end of ``text``."""
    found = cue_sections(text)
    return found[-1] if found else ""


def _without_parens(text: str) -> str:
    """``text`` with parenthetical remarks blanked (most texts have none: no regex then)."""
    return _PARENS.sub(" ", text) if "(" in text else text


def first_words(text: str, count: int) -> str:
    """The first ``count`` words of ``text`` (parenthetical remarks removed)."""
    words = []
    for match in _WORD.finditer(_without_parens(text)):
        words.append(match.group(0))
        if len(words) == count:
            break
    return " ".join(words)


def counted_noun(right: str, window: int = 4) -> tuple[str, str, int] | None:
    """(kind, unit, end) of the first counted noun among the next ``window`` words."""
    nouns = counted_nouns()
    attached = ATTACHED_WORD.match(right)  # "50K-sample instruction dataset": the count is of samples
    if attached and attached.group(1).lower() in nouns:
        return (*nouns[attached.group(1).lower()], attached.end())
    found = None
    stop = _CLAUSE_MARK_OR_DIGIT.search(right)
    stop_at = stop.start() if stop else len(right)  # no counted noun beyond . ; : ( ) or the next number
    for index, match in enumerate(_WORD.finditer(right)):
        if index >= window or match.start() > stop_at:
            break
        word = match.group(0).lower()
        if word in _NOT_COUNTED_BY:
            return _NOT_A_SIZE  # "2K resolution images", "1B per input token"
        if word in _PHRASE_ENDS:
            break  # "0.64 with human ratings": the ratings are another phrase's
        if word in nouns:
            return (*nouns[word], match.end())
        tail = nouns.get(word.rsplit("-", 1)[-1])
        if tail:
            found = (*tail, match.end())  # keep going: "image-caption pairs" counts pairs
        elif found:
            break
    return found


def hardware_follows(right: str, window: int = 3) -> int:
    """End offset of an accelerator word among the next ``window`` words ("V100 GPUs"), or 0."""
    hardware = word_list("hardware.txt")
    for index, match in enumerate(_HARDWARE_WORD.finditer(right)):
        if index >= window:
            return 0
        word = match.group(0).lower()
        if word in hardware or word[:-1] in hardware and word.endswith("s") or ("-" in word and word.split("-", 1)[0] in hardware):
            end = match.end()
            follow = _HARDWARE_TAIL.match(right, end)
            return follow.end() if follow else end
    return 0


class Clause:
    """What the kind rules read: the quantity, the clause on each side, the qualifier phrase.

    ``unit`` and ``end`` start as the quantity's unit and 0; "% (absolute)" makes them ``pt``
    and the end of "(absolute)" before any rule runs.
    """

    __slots__ = ("quantity", "left", "right", "phrase", "unit", "end", "tail", "plain_right")

    def __init__(self, quantity: Quantity, left: str, right: str, phrase: str) -> None:
        self.quantity, self.left, self.right, self.phrase = quantity, left, right, phrase
        self.unit, self.end = quantity.unit, 0
        self.tail = left[-_TAIL:]  # end-anchored patterns look at the end of the left context only
        self.plain_right = ""


NO_CLAIM: Final = "-"  # a rule's answer for "this number is no claim"
Rule = tuple[str, Callable[[Clause], str]]  # a name, and a test: the kind, NO_CLAIM, or "" (does not apply)


def classify(quantity: Quantity, left: str, right: str, qualifier_phrase: str) -> Decision | None:
    """The kind and unit of a quantity given the clause text on each side, or None.

    The first rule of :data:`QUANTITY_RULES` that applies decides; a quantity written with %,
    x or points goes on to :data:`CHANGE_OR_SCORE_RULES`.
    """
    clause = Clause(quantity, left, right, qualifier_phrase)
    for name, decide in QUANTITY_RULES:
        decision = decide(clause)
        if decision is not None:
            return None if decision[0] == NO_CLAIM else decision
    return None


def _model_name(c: Clause) -> Decision | None:
    """'LLaMA-65B': a size inside a model name."""
    return ("model_size", "params", 0, "model_name") if c.quantity.model_name else None


def _single_word(c: Clause) -> Decision | None:
    """'a single GPU', 'in a single day'; a single anything else is no claim."""
    if c.quantity.word != "single":
        return None
    return _single(c.right) or (NO_CLAIM, "", 0, "single")


def _factor_in_words(c: Clause) -> Decision | None:
    """'ten times faster', 'an order of magnitude less'; 'is two-fold:' is no claim."""
    if c.quantity.word not in ("magnitude", "number") or c.quantity.unit != "x":
        return None
    return _factor_words(c.left, c.right) or (NO_CLAIM, "", 0, "factor_in_words")


def _hardware_count(c: Clause) -> Decision | None:
    """'8 V100 GPUs', '200 GPU hours': a compute budget."""
    quantity, right = c.quantity, c.right
    if quantity.unit not in ("", "x") or quantity.scale:
        return None
    hardware_end = hardware_follows(right, 3 if not quantity.unit else 1)
    if hardware_end and quantity.unit == "x" and "hour" in right[:hardware_end + 6].lower():
        return None  # "2x GPU-hour reduction" is a change of compute, not a GPU count
    if not hardware_end:
        return None
    budget = _DAY.match(right, hardware_end)  # "200 GPU hours"
    if budget:
        return "compute", "days" if "day" in budget.group(0).lower() else "hours", budget.end(), "hardware_time"
    return "compute", "gpus", hardware_end, "hardware_count"


def _time_taken(c: Clause) -> Decision | None:
    """'35 ms', 'in 0.23s': an absolute time, a score."""
    return ("score", c.quantity.unit, 0, "time_taken") if c.quantity.unit in ("ms", "s") else None


def _change_or_score(c: Clause) -> Decision | None:
    """Quantities written with %, x or points ("by a factor of 3.5" is x too)."""
    quantity = c.quantity
    if not quantity.unit and _FACTOR_OF.search(c.tail):
        quantity.unit = c.unit = "x"  # "by a factor of 3.5"
    if not quantity.unit:
        return None
    if c.unit == "%":
        absolute = _ABSOLUTE.match(c.right)
        if absolute:
            c.unit, c.end = "pt", absolute.end()
    c.plain_right = _without_parens(c.right[c.end:])
    for name, decide in CHANGE_OR_SCORE_RULES:
        kind = decide(c)
        if kind:
            return (NO_CLAIM, "", 0, name) if kind == NO_CLAIM else (kind, c.unit, c.end, name)
    return None  # unreachable: the last rule always decides


def _counted(c: Clause) -> Decision | None:
    """'161k image-text pairs', '13 billion parameters', '8 GPUs', 'more than 80 hours'."""
    noun = counted_noun(c.right)
    if noun is None:
        return None
    if noun == _NOT_A_SIZE:  # compared by value: compiled code does not keep tuple identity
        return NO_CLAIM, "", 0, "not_counted_by"
    return _sized(c.quantity, noun, c.left, c.right) or (NO_CLAIM, "", 0, "counted_noun")


def _dataset_count(c: Clause) -> Decision | None:
    """'FooBench contains 812 curated tasks', 'a corpus of 1.7 million reasoning paths': in a clause
    that builds or describes a dataset, a count of any plural noun is its size (dataset_counts.txt)."""
    quantity = c.quantity
    if quantity.unit or quantity.model_name or quantity.word == "single":
        return None
    if not quantity.scale and (quantity.high < 50 or quantity.high != int(quantity.high)):
        return None  # small counts are mostly scope ("12 languages"), fractions no counts
    words = dataset_count_words()
    previous = c.left.split()[-1:]
    if previous and previous[0].lower() in words["spread"]:
        return None  # "spanning 20 domains", "for 54 tasks": breadth
    noun = plural_noun(c.right)
    if noun is None or noun[0] in words["breadth"] or not _describes_dataset(c.left):
        return None
    return "data_size", noun[0], noun[1], "dataset_count"


_VERBS: Final = frozenset({"shows", "requires", "remains", "yields", "uses", "runs", "takes", "makes", "gives",
                           "performs", "leads", "supports", "enables", "allows", "needs", "has", "does", "goes",
                           "becomes", "seems", "appears", "helps", "works", "fails", "tends", "suggests", "means"})
_NOUN_WORD: Final = re.compile(r"[A-Za-z0-9][\w-]*")
_NOT_MODIFIERS: Final = frozenset({"of", "and", "or", "the", "a", "an", "to", "that", "which", "with", "in", "on", "for",
                                   "from", "by", "at", "as", "is", "are", "was", "were", "than", "per", "each", "its"})


def plural_noun(right: str, window: int = 4) -> tuple[str, int] | None:
    """(noun, end) of the plural noun a count counts, among the next few words: '812 curated tasks'
    -> ('tasks', ...), '334 less difficult subquestions' -> ('subquestions', ...); None past a
    word that cannot modify a noun ('of', 'to', ...) or a clause mark."""
    stop = _CLAUSE_MARK.search(right)
    stop_at = stop.start() if stop else len(right)
    for index, match in enumerate(_NOUN_WORD.finditer(right, 0, stop_at)):
        word = match.group(0)
        lowered = word.lower()
        if index >= window or lowered in _NOT_MODIFIERS or word.isdigit():
            return None  # a word that ends the noun phrase, or the next number
        head = lowered.rsplit("-", 1)[-1]
        if word.islower() and len(head) >= 4 and head.endswith("s") and not head.endswith(("ss", "us", "is", "ics")):
            if cue_sections(head) or _describes_dataset(head) or head in _VERBS:
                return None  # "128K consists of", "7B achieves": a verb, not a noun
            return head, match.end()
    return None


@functools.lru_cache(maxsize=None)
def _dataset_cues() -> CueIndex:
    return CueIndex({"describes": dataset_count_words()["describes"]})


def _describes_dataset(left: str) -> bool:
    return bool(_dataset_cues().sections(left))


def _scaled_size(c: Clause) -> Decision | None:
    """Sizes with K/M/B/T and no counted noun."""
    if not c.quantity.scale:
        return None
    return _scaled(c.quantity, c.left, c.right) or (NO_CLAIM, "", 0, "scaled")


def _bare_number(c: Clause) -> Decision | None:
    """Numbers without unit or scale."""
    return _bare(c.quantity, c.left, c.right) or (NO_CLAIM, "", 0, "bare")


# The order decides: the first rule that applies gives the kind (or says it is no claim).
QUANTITY_RULES: Final[tuple[tuple[str, Callable[[Clause], Decision | None]], ...]] = (
    ("model_name", _model_name),
    ("single", _single_word),
    ("factor_in_words", _factor_in_words),
    ("hardware", _hardware_count),
    ("time_taken", _time_taken),
    ("change_or_score", _change_or_score),
    ("counted", _counted),
    ("dataset_count", _dataset_count),
    ("scaled", _scaled_size),
    ("bare", _bare_number),
)


def _single(right: str) -> Decision | None:
    """'a single GPU' / 'a single RTX 2080 Ti' / 'in a single day' -> compute 1."""
    hardware_end = hardware_follows(right)
    if hardware_end:
        return "compute", "gpus", hardware_end, "single_hardware"
    day = _DAY.match(right)
    if day:
        return "compute", "days" if "day" in day.group(0).lower() else "hours", day.end(), "single_day"
    return None


def _factor_words(left: str, right: str) -> Decision | None:
    """'an order of magnitude less', 'ten times faster' are factors; 'over 2 orders of magnitude of sizes' is not."""
    cue = first_cue(first_words(right, 2))
    if not cue and _BY_END.search(left[-_TAIL:]):
        cue = last_cue(left) or "gain"
    return (_KIND_OF_CUE[cue], "x", 0, "factor_in_words") if cue in ("speed", "reduction", "gain") else None


def _cue_kind(cue: str) -> str:
    """Cue section -> the section that decides a kind (objects of a decrease are reductions)."""
    return "reduction" if cue == "reduction_object" else cue


_KIND_OF_CUE: Final = {"speed": "speedup", "reduction": "reduction", "gain": "gain", "score": "score"}


def _kind_of(cue: str) -> str:
    """The kind a cue section names ("" for no cue)."""
    return _KIND_OF_CUE.get(_cue_kind(cue), "")


# --- the rules for quantities written with %, x or points, in order -------------------------

def plus_sign(c: Clause) -> str:
    """'+1.7 BLEU': a gain."""
    return "gain" if c.quantity.plus else ""


def before_after_pair(c: Clause) -> str:
    """'from 72.2% to 75.6%': before and after, each a score."""
    return "score" if c.quantity.from_to else ""


def versus_pair(c: Clause) -> str:
    """'(42.0% vs. 9.0%)', '85.0 vs 77.3': values set against each other, each a score."""
    return "score" if _VERSUS_AFTER.match(c.right) or _VERSUS_BEFORE.search(c.tail) else ""


_VERSUS_AFTER: Final = re.compile(r"\s*(?:vs\.?|versus)\s*[0-9]", re.IGNORECASE)
_VERSUS_BEFORE: Final = ending(r"[0-9%]\s*(?:vs\.?|versus)\s*$", regex.IGNORECASE)


def cue_before_parenthesis(c: Clause) -> str:
    """'performance gains (11.0% for 2B ...)': the change named before the parenthesis."""
    if not c.left.rstrip().endswith("("):
        return ""
    return _kind_of(last_cue(_words_before_paren(c.left)))


def value_in_parentheses(c: Clause) -> str:
    """'GPT-4o (13.9%)': a value of the name before it."""
    return "score" if c.left.rstrip().endswith("(") and c.right.lstrip().startswith(")") else ""


def time_reduced_to(c: Clause) -> str:
    """'reduces training time to 1%': a speed-up."""
    left = c.left
    if left.rstrip().endswith(" to") and _governing_cue(left) == "speed" and _cue_kind(last_cue(left)) != "gain":
        return "speedup"
    return ""


def bound_is_value(c: Clause) -> str:
    """'keeping memory pressure below 6%', 'fewer than 5% of pairs', 'lower than 38.53% accuracy':
    a value said to stay under a bound, not a change by it."""
    if c.unit != "%" or c.phrase.lower() not in _UPPER_BOUNDS or _BY_END.search(c.tail):
        return ""
    return "" if first_cue(first_words(_up_to_next_number(c.plain_right), 2)) else "score"


_UPPER_BOUNDS: Final = frozenset({"below", "under", "less than", "fewer than", "lower than"})


def image_scale_factor(c: Clause) -> str:
    """'supports 2x and 4x factors': an image scale, no claim."""
    return NO_CLAIM if c.unit == "x" and _SCALING_FACTOR.match(c.plain_right) else ""


def within_of(c: Clause) -> str:
    """'within 2% of the baseline': quality given up."""
    return "reduction" if c.phrase.lower() == "within" else ""


def only_using(c: Clause) -> str:
    """'using only 10% of the data': a saving (of time when a speed cue follows)."""
    if not _ONLY_USING.search(c.tail):
        return ""
    return "speedup" if first_cue(c.plain_right) == "speed" else "reduction"


def share_of(c: Clause) -> str:
    """'98% of compute costs' saved, '12% of the training time', '39.8% of problems' solved."""
    plain_right = c.plain_right
    if not _OF.match(plain_right) or _PERCENT_DATA.match(plain_right):
        return ""
    verb = _cue_kind(last_cue(" ".join(c.left.split()[-2:])))
    if verb == "reduction" or (not verb and _cue_kind(first_cue(plain_right)) == "reduction"):
        return "reduction"
    timed = _TIME_WORD.search(plain_right, 0, 40)
    if verb == "speed" or (not verb and timed and first_cue(plain_right[:40]) == "speed"):
        return "speedup"  # "12% of the training time"; "97% of the time" is a score
    return "score"


def cue_after(c: Clause) -> str:
    """'1.22x lower latency', '6.5% improvement': the first cue in the words after."""
    return _kind_of(first_cue(first_words(_up_to_next_number(c.plain_right), 4)))


def value_of_name(c: Clause) -> str:
    """"GPT-4o's 20%", 'Random Forest (46%)': a value of a name, a score."""
    return "score" if c.unit != "x" and _VALUE_OF_NAME.search(c.tail) else ""


def share_of_data(c: Clause) -> str:
    """'with 10% of the training data': a data size in %."""
    return "data_size" if c.unit == "%" and _PERCENT_DATA.match(c.plain_right) else ""


def by_or_change_of(c: Clause) -> str:
    """'outperforms X by 6.5%', 'an improvement of 1.6': the change the clause governs."""
    if _BY_END.search(c.tail) or _CHANGE_OF_END.search(c.tail):
        return _kind_of(_governing_cue(c.left))
    return ""


def ratio_of(c: Clause) -> str:
    """'a compression ratio of 4.2x', 'an acceptance rate of 80%': a score, unless speed or saving."""
    if not _RATIO_OF_END.search(c.tail):
        return ""
    cue = _governing_cue(c.left)
    return _kind_of(cue if cue != "gain" else "score")


def cue_just_before(c: Clause) -> str:
    """'improves 3.2%', 'saves 40%': the cue word right before the number."""
    just_before = _cue_kind(last_cue(" ".join(c.left.split()[-1:])))
    if just_before and not (c.unit == "x" and just_before == "score"):  # "savings reach 4.2x" is no score
        return _kind_of(just_before)
    return ""


def factor_default(c: Clause) -> str:
    """A factor with no cue near it: a gain of performance, else a saving or a speed-up."""
    if c.unit != "x":
        return ""
    if _PERFORMANCE.search(first_words(c.plain_right, 3)):
        return "gain"
    cues = {_cue_kind(cue) for cue in cue_sections(c.left)}
    return "reduction" if "reduction" in cues and "speed" not in cues else "speedup"


def ranging_from(c: Clause) -> str:
    """'gains ranging from 17% to 28%': a range takes the kind of the words before 'ranging'."""
    found = RANGE_FROM.search(c.tail)
    if not found:
        return ""
    before = c.left[:len(c.left) - len(c.tail) + found.start()]
    return _kind_of(last_cue(before))  # no cue: the rules after decide ("ranging from 1.4pp": points)


def points_default(c: Clause) -> str:
    """Points with no cue near them: a gain, unless the clause says it is reached."""
    if c.unit != "pt":
        return ""
    return "score" if last_cue(c.left) == "score" else "gain"


def score_ending(c: Clause) -> str:
    """'is 81.2%', 'of 39.8%', 'to 75%': a value, a score."""
    return "score" if _SCORE_END.search(c.tail) else ""


def last_cue_in_clause(c: Clause) -> str:
    """Otherwise the last cue word of the clause decides; with none, a score."""
    return _kind_of(last_cue(c.left)) or "score"


def rise_of_lower_is_better(c: Clause) -> str:
    """'raises perplexity by 40%', '2x higher FID': a lower-is-better metric going up is quality
    given up; 'improves perplexity by 4%' stays a gain, 'increases latency' a speed-up."""
    if not _may_say_rise(c.left[-48:].lower() + " " + c.plain_right[:40].lower()):
        return ""  # the cheap test first: most changes say no rise at all
    near = " ".join(c.left.split()[-6:]) + " " + first_words(_up_to_next_number(c.plain_right), 4)
    return "reduction" if _rise_of_lower_is_better(near) else ""


def _rise_of_lower_is_better(near: str) -> bool:
    """Whether the words around a change say a lower-is-better metric went up."""
    if not _may_say_rise(near.lower()) or not says_rise(near):
        return False  # the cheap test first: most changes say no rise at all
    if "speed" in cue_sections(near) or _IMPROVES.search(near):
        return False
    metric = metric_near(near, len(near))
    return metric in lower_is_better() and "speed" not in cue_sections(metric)  # "higher inference times": speed


def _may_say_rise(lowered: str) -> bool:
    for stem in rise_stems():
        if stem in lowered:
            return True
    return False


_SCORE_VERB_END: Final = ending(r"\b(?:scor(?:e|es|ed|ing)|achiev(?:e|es|ed|ing)|reach(?:es|ed|ing)?|"
                                r"attain(?:s|ed|ing)?|obtain(?:s|ed|ing)?)(?:\s+(?:an?|the))?\s*$", regex.IGNORECASE)
_IMPROVES: Final = re.compile(r"\b(?:improv|better|outperform|surpass|beat|enhanc|gain)", re.IGNORECASE)


# The order decides: the first rule that applies gives the kind.
CHANGE_OR_SCORE_RULES: Final[tuple[Rule, ...]] = (
    ("plus_sign", plus_sign),
    ("rise_of_lower_is_better", rise_of_lower_is_better),
    ("before_after_pair", before_after_pair),
    ("versus_pair", versus_pair),
    ("cue_before_parenthesis", cue_before_parenthesis),
    ("value_in_parentheses", value_in_parentheses),
    ("time_reduced_to", time_reduced_to),
    ("image_scale_factor", image_scale_factor),
    ("within_of", within_of),
    ("only_using", only_using),
    ("share_of", share_of),
    ("cue_after", cue_after),
    ("value_of_name", value_of_name),
    ("share_of_data", share_of_data),
    ("bound_is_value", bound_is_value),
    ("by_or_change_of", by_or_change_of),
    ("ratio_of", ratio_of),
    ("cue_just_before", cue_just_before),
    ("ranging_from", ranging_from),
    ("factor_default", factor_default),
    ("points_default", points_default),
    ("score_ending", score_ending),
    ("last_cue_in_clause", last_cue_in_clause),
)


_NEXT_PART: Final = re.compile(r"\d|\s(?:and|or|but|while|whereas|with|using|via|after|under|when)\s")


def _up_to_next_number(text: str) -> str:
    """Cues after the next number, or after 'and', belong to something else."""
    found = _NEXT_PART.search(text)
    return text[:found.start()] if found else text


def _words_before_paren(left: str) -> str:
    return " ".join(left.rstrip(" (").split()[-1:])


def _governing_cue(left: str) -> str:
    """The change a 'by N' / 'improvement of N' belongs to: speed anywhere in the clause wins."""
    cues = cue_sections(left)
    if "speed" in cues:
        return "speed"
    verbs = [cue for cue in cues if cue in ("reduction", "gain")]
    if verbs:
        return verbs[-1]
    return "reduction" if "reduction_object" in cues else "gain"


def _sized(quantity: Quantity, noun: tuple[str, str, int], left: str, right: str) -> Decision | None:
    """'161k image-text pairs', '13 billion parameters', '8 GPUs', 'more than 80 hours'."""
    kind, unit, end = noun
    value = quantity.high
    if unit == "params":
        return ("model_size", unit, end, "parameter_count") if quantity.scale else None
    if unit == "tokens":
        rate = _PER_SECOND.match(right, end)
        if rate:
            return "score", "tokens/s", rate.end(), "token_rate"  # "11 tokens per second"
        if value < 1e4:
            return None  # a prompt length is no claim
        if _CONTEXT_WORDS.search(left):
            return "score", unit, end, "context_length"  # "extends the context window to 1M tokens"
        if _LENGTH_AFTER.match(right, end):
            return None  # "processing 1M token prefills", "at a 32K-token context length": a set-up
        return "data_size", unit, end, "token_count"
    if unit == "hours":
        if _OF_DATA.match(right[end:]) or _HOURS_OF_DATA.search(left) or _HOURS_OF_DATA.search(first_words(right[end:], 4)) \
                or _describes_dataset(left):
            return "data_size", unit, end, "hours_of_data"  # "80 hours of driving videos", "a 650-hour data mix"
        return "compute", unit, end, "hours_of_compute"  # "within one hour", "for 16 hours"
    if kind in ("compute", "score"):
        return kind, unit, end, f"counted_{kind}"
    if left.rstrip().lower().endswith("top"):
        return None
    if quantity.scale or value >= 50 or quantity.word:
        return kind, unit, end, f"counted_{kind}"
    return None


def _scaled(quantity: Quantity, left: str, right: str) -> Decision | None:
    """Sizes with K/M/B/T and no counted noun: '7B' is a model; '100k ... dataset' is data."""
    if _MONEY.search(left) or _MONEY.search(right) or _BATCH.search(left):
        return None  # "$2M", "a batch size of 4M" (a set-up choice)
    if _NAME_BEFORE.search(left[-_TAIL:]) and _DATA_WORDS.search(first_words(right, 1)):
        return None  # "the MSCOCO-2017 5K benchmark": part of a name
    noun = plural_noun(right) if quantity.scale in ("K", "M") else None
    if noun and noun[0] not in dataset_count_words()["breadth"] and not _MODEL_WORDS.fullmatch(noun[0]):
        return "data_size", noun[0], noun[1], "scaled_count"  # "1.7 million reasoning paths", "4.5K critiques"
    if _DATA_WORDS.search(first_words(right, 2)):
        return "data_size", "samples", 0, "scaled_data"  # ">100B corpus"
    if quantity.scale in ("B", "T"):
        return "model_size", "params", 0, "scaled_billions"
    if quantity.scale == "M" and _MODEL_WORDS.search(left + " " + right):
        return "model_size", "params", 0, "scaled_model"
    if _DATA_WORDS.search(first_words(right, 3)) or _DATA_WORDS.search(left):
        return "data_size", "samples", 0, "scaled_data"
    return None


def _bare(quantity: Quantity, left: str, right: str) -> Decision | None:
    """Numbers without unit: scores named by a metric ('0.279 RMSE'), '+0.53', 'by 0.1 to 0.65'."""
    if quantity.is_year():
        return None  # a year ("DAVIS 2016 (92.5%)", "from 2019 to 2023")
    if quantity.plus:
        return "gain", "", 0, "bare_plus"
    out_of = _OUT_OF.match(right)
    if out_of and not left.rstrip().endswith("("):  # "42% (34 out of 80)" restates the 42%
        return "score", out_of.group(1).split()[-1].lower(), out_of.end(), "out_of"
    if _CHANGE_OF_END.search(left[-_TAIL:]) and _governing_cue(left) == "gain":
        return "gain", "", 0, "bare_gain_of"  # "a gain of 3.54 BLEU"
    fractional = quantity.decimal  # "71.0" is written as a measured value, "71" may be a count
    if fractional and _BY_END.search(left[-_TAIL:]) and last_cue(left) in ("gain", "score", "") \
            and not left.rstrip().endswith("BY"):  # "CC BY 4.0" is a licence
        if _rise_of_lower_is_better(" ".join(left.split()[-6:]) + " " + first_words(right, 4)):
            return "reduction", "", 0, "bare_rise_of_lower_is_better"  # "increases FID by 0.3"
        return "gain", "", 0, "bare_by"  # "surpassing X by 0.7 mIoU", "improves the acceptance rate by 0.1 to 0.65"
    head = first_words(right, 3)
    if head and metric_near(head, 0) and _LETTER_NEXT.match(right):
        words_before_metric = right.lower().find(head.split()[0].lower())
        if words_before_metric <= 2:
            return "score", "", 0, "bare_metric_after"
    if quantity.from_to:
        return "score", "", 0, "bare_before_after"
    if _METRIC_IS.search(left[-_TAIL:]) and metric_near(left[-40:], 40) and (fractional or not right.lstrip().startswith(")")):
        return "score", "", 0, "metric_is"  # "a FID of 2.27", "execution accuracy was 79.9", "(FID of 4.88)"
    if fractional and _ON_A_NAME.match(right):
        return "score", "", 0, "bare_on_benchmark"  # "scores 71.3 on FooBench", "2.22 (512x512) on ImageNet"
    if not fractional:
        return None  # the rules below read measured values, written with decimals
    if _VERSUS_AFTER.match(right) or _VERSUS_BEFORE.search(left[-_TAIL:]):
        return "score", "", 0, "bare_versus"  # "AIME24 (80.3 vs. 79.8)"
    if _SCORE_VERB_END.search(left[-_TAIL:]):
        return "score", "", 0, "bare_after_score_verb"  # "scoring 4.49 and 7.83, respectively"
    near = _kind_of(first_cue(first_words(_up_to_next_number(right), 2)))
    if near in ("gain", "reduction"):
        return near, "", 0, "bare_cue_after"  # "a 0.26 decrease on DPG", "a 1.2 improvement"
    return None
