"""Patterns that must end the text ("... by", "a factor of", "from the"), searched from the end.

``re`` tries an end-anchored pattern at every position of the text, each try failing only
near the end; these patterns run several times per number. The regex module's reverse search
(``(?r)``) starts at the end, so a try is made where a match can be and the other positions
fail at once. Reverse search needs ``\\Z`` to fail fast; after a final ``\\s*`` or ``\\s+``,
``\\Z`` and ``$`` match the same texts.
"""

from __future__ import annotations

from typing import Final

import regex

_END: Final = (r"\s*$", r"\s+$")


def ending(pattern: str, flags: int = 0) -> regex.Pattern:
    """``pattern`` (which ends with ``\\s*$`` or ``\\s+$``) compiled to search from the end.

    >>> bool(ending(r"\\bby\\s*$", regex.IGNORECASE).search("improves accuracy BY "))
    True
    >>> bool(ending(r"\\bby\\s*$").search("by the way"))
    False
    """
    if not pattern.endswith(_END) or "|" in pattern.rsplit(")", 1)[-1]:
        raise ValueError(f"not a single pattern ending in \\s*$ or \\s+$: {pattern!r}")
    return regex.compile("(?r)" + pattern[:-1] + r"\Z", flags)
