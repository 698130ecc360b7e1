"""Where each regex alternative of the narrative matchers can possibly match, in one pass.

Every match of a narrative pattern starts with one of a known set of words and contains
some word from a small set the pattern requires (the rarest one: "violent" rather than
"is"), either whole ("gun") or as the start of a word ("burglar" in "burglarized"). Both
sets are read off the parsed regex (CPython's `re._parser`; a test fails if the shipped
patterns stop taking this path). One pass over a text's tokens, cached per distinct
token, tells which alternatives can match and where to try them. Exact: the prefilter
never changes a result (tests compare it with plain search).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as sre_parser  # type: ignore[attr-defined]
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from model.phrases import PhraseMatcher


_SPACE = ord(" ")
_ZERO_WIDTH = (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT)
_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT,
            sre_constants.POSSESSIVE_REPEAT)
_COMMON = frozenset({
    "the", "and", "with", "has", "have", "had", "his", "her", "him", "she", "they", "them",
    "was", "were", "are", "for", "that", "this", "not", "from", "but", "you", "who",
    "will", "just", "been", "being", "into", "out", "caller", "reporting", "party",
    "subject", "says", "said", "states", "per", "then", "also", "now", "is", "at", "in",
    "on", "to", "a", "an", "of", "he", "it", "got", "get", "all",
})
#: A required word: the word, and whether it is whole (else a word starting so).
Word = tuple[str, bool]
Cover = frozenset[Word] | None


def _cost(cover: Cover) -> float:
    if cover is None:
        return float("inf")
    total = 0.0
    for word, whole in cover:
        if word in _COMMON:
            total += 1000
        elif not whole:
            total += 100 if len(word) <= 3 else 1
        else:
            total += 30 if len(word) <= 2 else (3 if len(word) == 3 else 1)
    return total


def _better(a: Cover, b: Cover) -> Cover:
    return b if _cost(b) < _cost(a) else a


def _class_chars(items: list[Any]) -> set[str] | None:
    chars: set[str] = set()
    for op, av in items:
        if op is sre_constants.LITERAL:
            chars.add(chr(av))
        elif op is sre_constants.RANGE and av[1] - av[0] < 12:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        else:
            return None
    return chars if chars and len(chars) <= 12 else None


#: How deep `_first_words` follows nested groups (a word list as a trie nests a group per
#: letter); deeper, it gives up and the alternative is searched the plain way.
_MAX_DEPTH = 64


def _first_words(items: list[Any], prefix: str = "", depth: int = 0,
                 whole_at_end: bool = True) -> set[Word] | None:
    """The first word of any match of `items` (which start at a word)."""
    for i, (op, av) in enumerate(items):
        if op is sre_constants.LITERAL:
            if av == _SPACE:
                return {(prefix, True)} if prefix else None
            prefix += chr(av)
            continue
        if op in _ZERO_WIDTH:
            continue
        found = None
        if depth < _MAX_DEPTH:
            found = _first_words_at(op, av, list(items[i + 1:]), prefix, depth, whole_at_end)
        if found is None or any(not word for word, _ in found):
            return {(prefix, False)} if prefix else None
        return found
    return {(prefix, whole_at_end)} if prefix else None


def _first_words_at(op: Any, av: Any, rest: list[Any], prefix: str, depth: int,
                    whole_at_end: bool) -> set[Word] | None:
    """`_first_words` from a group, class or repeat onwards."""
    branches: list[tuple[list[Any], str]]
    if op is sre_constants.IN:
        chars = _class_chars(av)
        if chars is None:
            return None
        branches = [(rest, prefix + char) for char in chars]
    elif op is sre_constants.SUBPATTERN:
        branches = [(list(av[-1]) + rest, prefix)]
    elif op is sre_constants.BRANCH:
        branches = [(list(branch) + rest, prefix) for branch in av[1]]
    elif op in _REPEATS:
        low, _high, body = av
        branches = [(list(body) + rest, prefix)] + ([(rest, prefix)] if low == 0 else [])
    else:
        return None
    out: set[Word] = set()
    for items, start in branches:
        found = _first_words(items, start, depth + 1, whole_at_end)
        if found is None:
            return None
        out |= found
    return out


def _ends_with_space(items: Sequence[Any]) -> bool:
    for op, av in reversed(items):
        if op in _ZERO_WIDTH:
            continue
        if op is sre_constants.LITERAL:
            return av == _SPACE
        if op is sre_constants.SUBPATTERN:
            return _ends_with_space(av[-1])
        if op is sre_constants.BRANCH:
            return all(_ends_with_space(branch) for branch in av[1])
        if op in _REPEATS:
            return _ends_with_space(av[2])
        return False
    return False


def _cover(items: Sequence[Any], at_word: bool, whole_at_end: bool, depth: int = 0) -> Cover:
    """The cheapest set of words one of which every match of `items` contains.

    Looks inside groups only two levels deep: enough for the rules' patterns, and the
    analysis of big word lists stays fast.
    """
    best: Cover = None
    inside = depth < 2
    for i, (op, av) in enumerate(items):
        if at_word and not (op is sre_constants.LITERAL and av == _SPACE) \
                and op not in _ZERO_WIDTH:
            found = _first_words(list(items[i:]), whole_at_end=whole_at_end)
            best = _better(best, None if found is None else frozenset(found))
        if not inside:
            pass
        elif op is sre_constants.SUBPATTERN:
            best = _better(best, _cover(av[-1], at_word, False, depth + 1))
        elif op is sre_constants.BRANCH:
            parts = [_cover(branch, at_word, False, depth + 1) for branch in av[1]]
            if all(part is not None for part in parts):
                best = _better(best, frozenset().union(*parts))  # type: ignore[arg-type]
        elif op in _REPEATS and av[0] >= 1:
            best = _better(best, _cover(av[2], at_word, False, depth + 1))
        if op in _ZERO_WIDTH:
            continue
        if op is sre_constants.LITERAL:
            at_word = av == _SPACE
        elif op in _REPEATS and av[0] == 0:
            at_word = at_word and _ends_with_space(av[2])
        else:
            at_word = _ends_with_space([(op, av)])
    return best


def tree_cover(tree: Any) -> Cover:
    """Words one of which every match of a parsed regex contains (None: no such set)."""
    return _cover(list(tree), True, True)


def pattern_cover(patterns: Sequence[str]) -> Cover:
    """Words one of which every match of any of `patterns` contains (None: no such set)."""
    words: set[Word] = set()
    for pattern in patterns:
        found = tree_cover(sre_parser.parse(pattern))
        if found is None:
            return None
        words |= found
    return frozenset(words)


_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def first_words_of(tree: Any) -> frozenset[Word] | None:
    """The words every match of a parsed regex starts with (None: not known)."""
    found = _first_words(list(tree))
    return None if found is None else frozenset(found)



def _word_index(entries: Iterable[tuple[Word, int]]) -> dict[str, dict[bool, set[int]]]:
    index: dict[str, dict[bool, set[int]]] = {}
    for (word, whole), owner in entries:
        index.setdefault(word, {}).setdefault(whole, set()).add(owner)
    return index


def _lookup(index: dict[str, dict[bool, set[int]]], rest: str) -> set[int]:
    """Owners of the words `rest` (text from a word start) begins with."""
    out: set[int] = set()
    for k in range(1, len(rest) + 1):
        entry = index.get(rest[:k])
        if entry:
            out |= entry.get(False, set())
            if k == len(rest) or rest[k] not in _ALNUM:
                out |= entry.get(True, set())
    return out


class Scanner:
    """Where in a text each alternative of several matchers may match, in one pass.

    An alternative can only match where one of its first words starts, and only in a
    text that holds one of the words it requires (its cover: "violent" rather than
    "is"). Both come from the regex itself, so nothing is missed. Per distinct token the
    answer is computed once and cached, as bit masks over all alternatives.
    """

    CACHE_LIMIT = 200_000

    def __init__(self, matchers: Sequence[PhraseMatcher]) -> None:
        self.matchers = tuple(matchers)
        self._alternative: list[int] = []  # bit -> alternative index within its matcher
        self._owner: list[tuple[int, int]] = []  # bit -> (matcher, alternative)
        self._matcher_bits: list[int] = []  # matcher -> mask of its alternatives
        self._idiom_bit: list[int] = []  # matcher -> bit set when its idioms may occur
        starts: list[tuple[Word, int]] = []
        covers: list[tuple[Word, int]] = []
        always = 0
        for matcher in self.matchers:
            bits = 0
            for a, (first, cover) in enumerate(zip(matcher.first_words, matcher.covers,
                                                   strict=True)):
                bit = len(self._alternative)
                self._alternative.append(a)
                self._owner.append((len(self._matcher_bits), a))
                bits |= 1 << bit
                starts += [(word, bit) for word in first or ()]
                if cover is None:
                    always |= 1 << bit
                covers += [(word, bit) for word in cover or ()]
            self._matcher_bits.append(bits)
            bit = len(self._alternative)
            self._alternative.append(-1)
            self._owner.append((-1, -1))
            self._idiom_bit.append(bit)
            if matcher.idiom_cover is None:
                always |= 1 << bit
            covers += [(word, bit) for word in matcher.idiom_cover or ()]
        self._starts = _word_index(starts)
        self._covers = _word_index(covers)
        self._always = always
        self._cache: dict[str, _TokenInfo] = {}
        #: Live start bits of one word -> its alternatives grouped by matcher (`Scan`).
        self._groups: dict[int, tuple[tuple[int, tuple[int, ...]], ...]] = {}

    def __getstate__(self) -> tuple[PhraseMatcher, ...]:
        return self.matchers

    def __setstate__(self, state: tuple[PhraseMatcher, ...]) -> None:
        self.__init__(state)  # type: ignore[misc]

    def _token(self, token: str) -> _TokenInfo:
        cover = start_bits = 0
        starts: list[tuple[int, int]] = []
        for j, char in enumerate(token):
            if not (char == "'" or (char in _ALNUM and (j == 0 or token[j - 1] not in _ALNUM))):
                continue
            rest = token[j:]
            for bit in _lookup(self._covers, rest):
                cover |= 1 << bit
            bits = _lookup(self._starts, rest)
            if bits:
                mask = sum(1 << bit for bit in bits)
                starts.append((j, mask))
                start_bits |= mask
        if not cover and not start_bits:
            return _EMPTY
        return cover, start_bits, tuple(starts)

    def scan(self, text: str) -> Scan:
        """One pass over `text`: the words it holds and where alternatives may start."""
        cache = self._cache
        if len(cache) > self.CACHE_LIMIT:
            cache.clear()
        covered = self._always
        started = 0
        hits: list[tuple[int, _TokenInfo]] = []
        offset = 0
        for token in text.split(" "):
            info = cache.get(token)
            if info is None:
                info = cache[token] = self._token(token)
            if info is not _EMPTY:
                covered |= info[0]
                if info[1]:
                    started |= info[1]
                    hits.append((offset, info))
            offset += len(token) + 1
        return Scan(self, covered, started, hits)

    def candidates(self, text: str) -> list[tuple[list[tuple[int, tuple[int, ...]]], bool]]:
        """Per matcher: `Scan.of` (positions with alternatives to try, idioms possible)."""
        scan = self.scan(text)
        return [scan.of(m) for m in range(len(self.matchers))]


#: Per token: words it holds (mask), alternatives starting in it (mask), and where.
_TokenInfo = tuple[int, int, tuple[tuple[int, int], ...]]
_EMPTY: _TokenInfo = (0, 0, ())


class Scan:
    """What `Scanner.scan` learnt about one text."""

    def __init__(self, scanner: Scanner, covered: int, started: int,
                 hits: list[tuple[int, _TokenInfo]]) -> None:
        self.scanner = scanner
        self.covered = covered
        self.hits = hits
        self._live = covered & started
        self._positions: dict[int, list[tuple[int, tuple[int, ...]]]] | None = None

    def active(self, m: int) -> bool:
        """Whether matcher `m` can match at all (some alternative covered and started;
        always for a matcher searched the plain way)."""
        if not self.scanner.matchers[m].anchored:
            return True
        return bool(self._live & self.scanner._matcher_bits[m])

    def of(self, m: int) -> tuple[list[tuple[int, tuple[int, ...]]], bool]:
        """Matcher `m`: (position, alternatives) in text order, and whether an idiom of
        its may occur in the text."""
        scanner = self.scanner
        idioms = bool(self.covered >> scanner._idiom_bit[m] & 1)
        if self._positions is None:
            self._positions = self._all_positions()
        return self._positions.get(m, []), idioms

    def _all_positions(self) -> dict[int, list[tuple[int, tuple[int, ...]]]]:
        live = self._live
        scanner = self.scanner
        groups = scanner._groups
        if len(groups) > scanner.CACHE_LIMIT:
            groups.clear()
        out: dict[int, list[tuple[int, tuple[int, ...]]]] = {}
        for offset, (_, start_bits, starts) in self.hits:
            if not start_bits & live:
                continue
            for j, bits in starts:
                wanted = bits & live
                if not wanted:
                    continue
                grouped = groups.get(wanted)
                if grouped is None:
                    grouped = groups[wanted] = _group_bits(wanted, scanner._owner)
                for m, alternatives in grouped:
                    out.setdefault(m, []).append((offset + j, alternatives))
        return out


def _group_bits(wanted: int, owner: Sequence[tuple[int, int]]
                ) -> tuple[tuple[int, tuple[int, ...]], ...]:
    """The set bits of `wanted`, lowest first (matcher order, then pattern), as
    (matcher, its alternatives) pairs: the same for every word with these bits, so cached."""
    grouped: list[tuple[int, list[int]]] = []
    while wanted:
        low = wanted & -wanted
        wanted ^= low
        m, a = owner[low.bit_length() - 1]
        if not grouped or grouped[-1][0] != m:
            grouped.append((m, []))
        grouped[-1][1].append(a)
    return tuple((m, tuple(alternatives)) for m, alternatives in grouped)
