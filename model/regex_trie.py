"""Word lists as regex tries: the same matches as a longest-first alternation, faster.

Python's `re` tries a flat alternation ("rp|r/p|subj|...") alternative by alternative at
every position of a text; the same strings as a trie are tried letter by letter, so a
position that starts no string is left after one character. Normalisation, negation cues
and the rules' word lists all use it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
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


_PLAIN = re.compile(r"(?:[a-z0-9 '\-&]\??)+")


def _split_top(regex: str) -> list[str]:
    """`regex` split at its top-level `|`."""
    parts, depth, in_class, escaped, start = [], 0, False, False, 0
    for i, char in enumerate(regex):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(regex[start:i])
            start = i + 1
    parts.append(regex[start:])
    return parts


def _expand_plain(alternative: str) -> list[str] | None:
    """The literal strings a plain alternative (letters and `x?`) stands for, or None."""
    if not _PLAIN.fullmatch(alternative) or alternative.count("?") > 4:
        return None
    strings = [""]
    i = 0
    while i < len(alternative):
        char = alternative[i]
        optional = i + 1 < len(alternative) and alternative[i + 1] == "?"
        strings = [s + char for s in strings] + (strings if optional else [])
        i += 2 if optional else 1
    return [s for s in strings if s]


def plain_strings(alternatives: Sequence[str]) -> list[str]:
    """The literal words among regex alternatives ("guns?" gives "gun" and "guns")."""
    out: list[str] = []
    for alternative in alternatives:
        for part in _split_top(alternative):
            out.extend(_expand_plain(part) or ())
    return out


def compact_alternation(alternatives: Sequence[str]) -> str:
    """`(?:a|b|...)` with its plain-word alternatives merged into a trie (same matches)."""
    literals: list[str] = []
    others: list[str] = []
    for alternative in alternatives:
        for part in _split_top(alternative):
            expanded = _expand_plain(part)
            if expanded is None:
                others.append(part)
            else:
                literals.extend(expanded)
    branches = ([literal_trie(literals)] if literals else []) + others
    return "(?:" + "|".join(f"(?:{branch})" for branch in branches) + ")"
