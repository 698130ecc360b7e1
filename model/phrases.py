"""Narrative evidence: a phrase found in a normalised narrative that nothing takes back.

`PhraseMatcher` is what the rules (`model.rules`) and `model.medical` share: regex
alternatives for the phrases, idioms that only look like them ("my back is killing me"),
clause-level exclusions, and negation scope (`model.negation`). Matching is exact and
fast: each alternative is compiled anchored and tried only where `model.scanner` says it
can start; tests hold the result equal to a plain regex search (`reference_evidence`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from re import _compiler as sre_compiler  # type: ignore[attr-defined]
from re import _parser as sre_parser  # type: ignore[attr-defined]
from typing import Any

from model.negation import clause_start, is_negated, segment
from model.scanner import Scanner, first_words_of, pattern_cover, tree_cover

#: How far (characters) from a phrase an idiom that swallows it is looked for.
IDIOM_REACH = 60


def word_regex(alternatives: Sequence[str]) -> str:
    """One regex for several alternatives, matched on whole words only."""
    return _WORD_START + _alternation(alternatives) + r"(?![a-z0-9])"


def _alternation(alternatives: Sequence[str]) -> str:
    return "(?:" + "|".join(f"(?:{alternative})" for alternative in alternatives) + ")"


#: A match starts at a word start, or at an apostrophe ("'ll kill").
_WORD_START = r"(?:(?<![a-z0-9])|(?='))"


class PhraseMatcher:
    """Compiled narrative evidence: phrases, idioms to ignore, exclusions, negation.

    `ignore`: spans that only look like evidence ("flu shot", "my back is killing me").
    `unless_clause`: the phrase does not count when its clause or list item also says
    this (past, hearsay of a delusion). `unless_before`: the phrase does not count when
    these words come right before it in its clause (a future or a fear: "he will hit
    her" is a threat, not violence).
    """

    def __init__(self, patterns: Sequence[str], *, ignore: Sequence[str] = (),
                 unless_clause: Sequence[str] = (), unless_before: Sequence[str] = (),
                 negation: bool = True) -> None:
        """Compile regex alternatives (raises `PatternError` naming a bad one)."""
        self._args = (tuple(patterns), tuple(ignore), tuple(unless_clause),
                      tuple(unless_before), negation)
        self.patterns = tuple(patterns)
        self.negation = negation
        # Each alternative is parsed once: compiled anchored (tried only where one of its
        # first words starts) and analysed for the words it requires (see `Scanner`).
        trees = [_parse("patterns", i, f"(?:{p})(?![a-z0-9])") for i, p in enumerate(patterns)]
        self.alternatives = tuple(sre_compiler.compile(tree) for tree in trees)
        self.first_words = tuple(first_words_of(tree) for tree in trees)
        self.covers = tuple(tree_cover(tree) for tree in trees)
        #: Whether every alternative has known first words (else plain search is used).
        self.anchored = all(words is not None for words in self.first_words)
        self.ignore = _compile_list("ignore", ignore, word_regex)
        self.unless_clause = _compile_list("unless_clause", unless_clause, word_regex)
        self.unless_before = _compile_list(
            "unless_before", unless_before,
            lambda items: _WORD_START + _alternation(items) + r"\s*$")
        #: Words one of which any idiom needs: no idiom search in a text without them.
        self.idiom_cover = pattern_cover(ignore) if ignore else frozenset()
        self._pattern: re.Pattern[str] | None = None
        self._scanner: Scanner | None = None

    @property
    def pattern(self) -> re.Pattern[str]:
        """All alternatives as one whole-word regex (the plain-search reference)."""
        if self._pattern is None:
            self._pattern = re.compile(word_regex(self.patterns))
        return self._pattern

    @classmethod
    def build(cls, patterns: Sequence[str], **options: Any) -> PhraseMatcher:
        return cls(patterns, **options)

    def __getstate__(self) -> tuple[Any, ...]:
        return self._args

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        patterns, ignore, unless_clause, unless_before, negation = state
        self.__init__(patterns, ignore=ignore, unless_clause=unless_clause,  # type: ignore[misc]
                      unless_before=unless_before, negation=negation)

    def counts(self, text: str, start: int, end: int, idioms: bool = True) -> bool:
        """Whether the match `text[start:end]` is evidence (not an idiom, excluded, denied).

        An idiom is looked for within `IDIOM_REACH` characters of the match (unless
        `idioms` is False: the text holds none of the words an idiom needs).
        """
        if self.ignore is not None and idioms:
            lo, hi = max(0, start - IDIOM_REACH), min(len(text), end + IDIOM_REACH)
            if any(m.start() < end and start < m.end()
                   for m in self.ignore.finditer(text, lo, hi)):
                return False
        if self.negation and is_negated(text, start, end):
            return False
        if self.unless_clause is not None or self.unless_before is not None:
            lo, hi = segment(text, start, end)
            if self.unless_clause is not None and self.unless_clause.search(text[lo:hi]):
                return False
            if self.unless_before is not None and self.unless_before.search(
                    text[clause_start(text, start):start]):
                return False
        return True

    def evidence(self, text: str) -> str | None:
        """The first phrase in `text` that counts as evidence, or None."""
        if self._scanner is None:
            self._scanner = Scanner([self])
        return self.evidence_at(text, *self._scanner.scan(text).of(0))

    def evidence_at(self, text: str, candidates: Sequence[tuple[int, Sequence[int]]],
                    idioms: bool = True) -> str | None:
        """`evidence`, trying only `candidates`: (position, alternatives) in text order.

        The same matches as `self.pattern.finditer(text)`, found faster. `idioms`: whether
        the text may hold an idiom (see `Scanner`).
        """
        if not self.anchored:
            return self.reference_evidence(text)
        resume = 0
        for position, alternatives in candidates:
            if position < resume:
                continue
            for index in alternatives:
                found = self.alternatives[index].match(text, position)
                if found is not None:
                    break
            else:
                continue
            start, end = found.span()
            if self.counts(text, start, end, idioms):
                return found.group(0)
            resume = end
        return None

    def reference_evidence(self, text: str) -> str | None:
        """`evidence` by plain search of the whole pattern (slow; the reference)."""
        for found in self.pattern.finditer(text):
            if self.counts(text, *found.span()):
                return found.group(0)
        return None


class PatternError(ValueError):
    """A regex that does not compile: which list, which item, and why."""

    def __init__(self, field: str, index: int, error: re.error) -> None:
        super().__init__(f"{field}[{index}]: {error}")
        self.field = field
        self.index = index
        self.error = error


def _parse(field: str, index: int, pattern: str) -> Any:
    try:
        return sre_parser.parse(pattern)
    except re.error as error:
        raise PatternError(field, index, error) from error


def _compile_list(field: str, items: Sequence[str],
                  join: Callable[[Sequence[str]], str]) -> re.Pattern[str] | None:
    if not items:
        return None
    try:
        return re.compile(join(items))
    except re.error:
        for index, item in enumerate(items):  # name the one at fault
            _parse(field, index, item)
        raise
