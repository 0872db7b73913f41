"""Numbers and values written for people: ``6B params``, ``1.2M pairs``, ``1.75–2.39x``, ``41% → 63%``.

Shared by the explorer's HTML, the leaderboard's text table and chart labels, so a value
reads the same everywhere.
"""

from __future__ import annotations

import math

_SUFFIXES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))
_GLUED_UNITS = frozenset({"x", "%"})  # written without a space: 2.4x, 39.8%


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def shortened(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, the last one "…" when it was longer.

    >>> shortened("Denoising LM: Pushing the Limits", 12), shortened("DeCo", 12)
    ('Denoising L…', 'DeCo')
    """
    return text if len(text) <= limit else text[:limit - 1] + "…"


def human_number(value: float | None) -> str:
    """A number as a person writes it: 4 significant digits below 10,000, else K/M/B/T.

    >>> [human_number(v) for v in (6e9, 1.2e6, 161_000, 1234.5, 88.5, 0.64, 1.75e12, -3.0)]
    ['6B', '1.2M', '161K', '1,234', '88.5', '0.64', '1.75T', '-3']
    >>> human_number(float("nan"))
    ''
    """
    if _missing(value):
        return ""
    number = float(value)  # type: ignore[arg-type]
    size = abs(number)
    if size >= 1e4:
        for scale, suffix in _SUFFIXES:
            if size >= scale:
                return f"{number / scale:.3g}{suffix}"
    return format(number, ",.4g")


def with_unit(number: str, unit: str) -> str:
    """``2.4x``, ``39.8%``, ``6B params``: the unit glued to the number or after a space."""
    if not number or not unit:
        return number
    return f"{number}{unit}" if unit in _GLUED_UNITS else f"{number} {unit}"


def format_value(low: float | None, high: float | None, unit: str) -> str:
    """A claim's value: ``2.39x``, ``1.75–2.39x``, ``6B params``; "" when it has none.

    >>> format_value(1.75, 2.39, "x"), format_value(6e9, 6e9, "params"), format_value(26, 85, "%")
    ('1.75–2.39x', '6B params', '26–85%')
    """
    if _missing(low) and _missing(high):
        return ""
    if _missing(low) or low == high:
        number = human_number(high)
    elif _missing(high):
        number = human_number(low)
    else:
        number = f"{human_number(low)}–{human_number(high)}"
    return with_unit(number, unit)


def format_change(before: float | None, low: float | None, high: float | None, unit: str) -> str:
    """A before -> after pair as such (``41% → 63%``), else the value alone.

    >>> format_change(12.51, 63.91, 63.91, "%"), format_change(float("nan"), 88.5, 88.5, "%")
    ('12.51% → 63.91%', '88.5%')
    """
    after = format_value(low, high, unit)
    if _missing(before):
        return after
    return f"{with_unit(human_number(before), unit)} → {after}"
