"""A tiny phrase grammar: `[a|b|c]` picks one alternative, `{slot}` fills a named part.

A context slot (named when the rules are compiled) is filled from the call's context,
facts fixed for this call such as the subject's pronouns or the caller; any other slot
is filled from the grammar, where a style-specific rule (`name@cad`) wins over the
generic one.

Speed matters (a million narratives in well under a minute on two cores), so rules are
compiled once at import into as few random draws as possible. A context slot stays in
the text as a `str.format` field (`{he}`), filled in one `format_map` call per render;
every run of text between rule slots, such as `{s} [is|has been] [seeing|hearing]`, is
expanded ahead of time into a `Choice` of all its texts (one entry per equally likely
outcome, so the odds are those of choosing alternative by alternative); and a rule slot
whose rule expands that way is inlined. Rendering a sentence is then a draw or two, not
one per bracket.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Callable, Collection, Mapping

#: A flattened choice with more entries than this stays nested (memory, compile time).
MAX_CHOICE = 256


class Slot(str):
    """`{name}` naming a rule that could not be inlined: rendered when it is reached."""

    __slots__ = ()


class Choice(tuple):
    """Texts of which one is drawn uniformly; repeats carry the odds of nested choices."""

    __slots__ = ()


class Alt(tuple):
    """Alternatives (each a `Part`) that involve rule slots, so cannot be expanded ahead."""

    __slots__ = ()


Node = str | Slot | Choice | Alt
Seq = tuple  # of Node
#: One template or alternative: its `Choice` if it has no rule slot, else its `Seq`.
Part = Choice | Seq
#: A compiled rule: one `Choice` when it has no rule slot, else its templates' `Part`s.
Rule = Choice | tuple
Rules = dict[str, Rule]
_Raw = tuple  # parsed, not yet compiled: str | ("a", tuple[_Raw, ...]) | ("s", name)


def parse_template(text: str) -> _Raw:
    """Parse one template; raise `ValueError` naming the template on unbalanced brackets."""
    return _parse_seq(text, 0, inside=False)[0]


def _parse_seq(text: str, position: int, *, inside: bool) -> tuple[_Raw, int]:
    items: list = []
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            items.append("".join(buffer))
            buffer.clear()

    while position < len(text):
        char = text[position]
        if char == "[":
            flush()
            alternatives, position = _parse_alternatives(text, position + 1)
            items.append(("a", alternatives))
            continue
        if char == "{":
            end = text.index("}", position)
            flush()
            items.append(("s", text[position + 1:end]))
            position = end + 1
            continue
        if inside and char in "|]":
            break
        if char == "}" or (char == "]" and not inside):
            raise ValueError(f"unbalanced {char!r} in template {text!r}")
        buffer.append(char)
        position += 1
    flush()
    return tuple(items), position


def _parse_alternatives(text: str, position: int) -> tuple[tuple[_Raw, ...], int]:
    alternatives: list[_Raw] = []
    while True:
        seq, position = _parse_seq(text, position, inside=True)
        alternatives.append(seq)
        if position >= len(text):
            raise ValueError(f"unclosed '[' in template {text!r}")
        if text[position] == "]":
            return tuple(alternatives), position + 1
        position += 1  # past "|"


# ------------------------------------------------------------------ flattening


def _reduced(texts: list[str]) -> Choice:
    """The same odds in the fewest entries: divide every text's count by their gcd."""
    counts = Counter(texts)
    divisor = math.gcd(*counts.values())
    return Choice(text for text, count in counts.items() for _ in range(count // divisor))


def _union(choices: list[Choice]) -> Choice | None:
    """One choice giving each of `choices` equal odds, or None if it would be too large."""
    common = math.lcm(*(len(choice) for choice in choices))
    if common * len(choices) > MAX_CHOICE * 8:
        return None
    merged = _reduced([text for choice in choices for text in choice
                       for _ in range(common // len(choice))])
    return merged if len(merged) <= MAX_CHOICE else None


def _product(first: Choice, second: Choice) -> Choice:
    return _reduced([a + b for a in first for b in second])


def _as_choice(seq: Seq) -> Choice | None:
    """The choice a compiled sequence amounts to, if it needs no slot."""
    if not seq:
        return Choice(("",))
    if len(seq) == 1 and seq[0].__class__ in (str, Choice):
        return seq[0] if seq[0].__class__ is Choice else Choice(seq)
    return None


def _all_choices(parts: tuple[Part, ...]) -> bool:
    return all(part.__class__ is Choice for part in parts)


def _joined(nodes: list[Node]) -> Seq:
    """Multiply neighbouring slot-free nodes into one choice while it stays small."""
    out: list[Node] = []
    for node in nodes:
        previous = out[-1] if out else None
        if node.__class__ in (str, Choice) and previous.__class__ in (str, Choice):
            merged = _product(_as_choice((previous,)), _as_choice((node,)))
            if len(merged) <= MAX_CHOICE:
                out[-1] = merged[0] if len(merged) == 1 else merged
                continue
        out.append(node)
    return tuple(out)


class _Compiler:
    """Compiles one style's rule table, inlining every rule that flattens to a choice."""

    def __init__(self, templates: Mapping[str, tuple[_Raw, ...]],
                 context: Collection[str]) -> None:
        self.templates, self.context = templates, frozenset(context)
        self.rules: Rules = {}
        self.active: set[str] = set()

    def rule(self, name: str) -> Rule:
        if name not in self.rules:
            if name in self.active:
                raise ValueError(f"rule {name!r} refers to itself")
            self.active.add(name)
            parts = self.parts(self.templates[name])
            self.active.discard(name)
            union = _union(list(parts)) if _all_choices(parts) else None
            self.rules[name] = union if union is not None else parts
        return self.rules[name]

    def parts(self, raws: tuple[_Raw, ...]) -> tuple[Part, ...]:
        """Compiled templates or alternatives, each a `Choice` where it can be."""
        seqs = [self.seq(raw) for raw in raws]
        return tuple(_as_choice(seq) or seq for seq in seqs)

    def seq(self, raw: _Raw) -> Seq:
        return _joined([self.node(item) for item in raw])

    def node(self, item: str | tuple) -> Node:
        if item.__class__ is str:
            return item
        kind, value = item
        if kind == "s":
            if value in self.context:
                return "{" + value + "}"  # a format field, filled by `render`
            if value not in self.templates:
                raise ValueError(f"no rule or context slot named {value!r}")
            rule = self.rule(value)
            return rule if rule.__class__ is Choice else Slot(value)
        parts = self.parts(value)
        union = _union(list(parts)) if _all_choices(parts) else None
        if union is None:
            return Alt(parts)
        return union[0] if len(union) == 1 else union


def compile_rules(source: Mapping[str, list[str] | tuple[str, ...]], style: str,
                  context: Collection[str] = ()) -> Rules:
    """Compile a rule table for one style: `name@style` replaces `name` where present.

    `context` names the slots that `render`'s context fills; it must hold each one a
    rendered rule uses (a context slot wins over a rule of the same name).
    """
    templates: dict[str, tuple[_Raw, ...]] = {}
    for name, texts in source.items():
        base, _, only = name.partition("@")
        if only and only != style:
            continue
        if not only and base in templates:
            continue  # a style-specific rule already replaced it
        templates[base] = tuple(parse_template(text) for text in texts)
    compiler = _Compiler(templates, context)
    return {name: compiler.rule(name) for name in templates}


# ------------------------------------------------------------------- rendering


def _expand(seq: Seq, draw: Callable[[], float], rules: Rules, out: list[str]) -> None:
    # `seq[int(draw() * len(seq))]` is a uniform draw (bias below 2**-45 for these
    # sizes) at half the cost of `Random.choice`.
    for item in seq:
        kind = item.__class__
        if kind is str:
            out.append(item)
            continue
        options = rules[item] if kind is Slot else item  # a rule, a `Choice` or an `Alt`
        if options.__class__ is Choice:
            out.append(options[int(draw() * len(options))])
            continue
        part = options[int(draw() * len(options))]  # a rule's template or an alternative
        if part.__class__ is Choice:
            out.append(part[int(draw() * len(part))])
        else:
            _expand(part, draw, rules, out)


def render(name: str, rng: random.Random, context: Mapping[str, str], rules: Rules) -> str:
    """Expand the rule `name` to text, its context slots filled from `context`."""
    draw = rng.random
    part = rules[name]
    if part.__class__ is not Choice:
        part = part[int(draw() * len(part))]  # one of its templates
    if part.__class__ is Choice:
        text = part[int(draw() * len(part))]
    else:
        out: list[str] = []
        _expand(part, draw, rules, out)
        text = "".join(out)
    return text.format_map(context) if "{" in text else text
