"""Word lists as regex tries: the same matches as a longest-first alternation, faster.

Python's `re` tries a flat alternation ("rp|r/p|subj|...") alternative by alternative at
every position of a text; the same strings as a trie are tried letter by letter, so a
position that starts no string is left after one character. Normalisation, negation cues
and the rules' word lists all use it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

_STOP = ""  # trie key: a string ends here


def literal_trie(strings: Iterable[str], end: Callable[[str], str] | None = None) -> str:
    """A regex (no outer group) matching any of `strings`, the longest that fits first.

    `end(string)`, if given, is a regex that must follow that string (e.g. a word end for
    strings ending in a letter): a longer string whose condition fails gives way to a
    shorter one, exactly as a longest-first alternation `s1(?:end1)|s2(?:end2)|...` would.
    """
    trie: dict[str, Any] = {}
    for string in strings:
        node = trie
        for char in string:
            node = node.setdefault(char, {})
        node[_STOP] = {}

    def build(node: dict[str, Any], prefix: str) -> str:
        branches = [re.escape(char).replace("\\ ", " ") + build(child, prefix + char)
                    for char, child in sorted(node.items()) if char != _STOP]
        stop = end(prefix) if end is not None and _STOP in node else ""
        if stop:  # tried after every longer string through this node, as greedy `?` is
            branches.append(stop)
        elif _STOP in node and branches:
            body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
            return f"(?:{body})?"
        if not branches:
            return ""
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return build(trie, "")
