"""A tiny phrase grammar: `[a|b|c]` picks one alternative, `{slot}` fills a named part.

Templates are parsed once at import into nested tuples, so expanding one narrative is
a few dozen `random.choice` calls and list appends (about 20 microseconds), which keeps a
million-row history inside the speed budget without giving up compositional variety.
A slot is filled from the call's context first (facts fixed for this call: the
subject's pronouns, the caller) and otherwise from the grammar, where a style-specific
rule (`name@cad`) wins over the generic one.
"""

from __future__ import annotations

import random
from collections.abc import Mapping

Seq = tuple  # of str | ("a", tuple[Seq, ...]) | ("s", name)


def compile_template(text: str) -> Seq:
    """Parse one template; raise `ValueError` naming the template on unbalanced brackets."""
    seq, position = _parse_seq(text, 0, inside=False)
    if position != len(text):
        raise ValueError(f"unbalanced ']' in template {text!r}")
    return seq


def _parse_seq(text: str, position: int, *, inside: bool) -> tuple[Seq, int]:
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
        buffer.append(char)
        position += 1
    flush()
    return tuple(items), position


def _parse_alternatives(text: str, position: int) -> tuple[tuple[Seq, ...], int]:
    alternatives: list[Seq] = []
    while True:
        seq, position = _parse_seq(text, position, inside=True)
        alternatives.append(seq)
        if position >= len(text):
            raise ValueError(f"unclosed '[' in template {text!r}")
        if text[position] == "]":
            return tuple(alternatives), position + 1
        position += 1  # past "|"


Rules = dict[str, tuple[Seq, ...]]


def compile_rules(source: Mapping[str, list[str] | tuple[str, ...]], style: str) -> Rules:
    """Compile a rule table for one style: `name@style` replaces `name` where present."""
    rules: Rules = {}
    for name, templates in source.items():
        base, _, only = name.partition("@")
        if only and only != style:
            continue
        if not only and base in rules:
            continue  # a style-specific rule already replaced it
        rules[base] = tuple(compile_template(template) for template in templates)
    return rules


def expand(seq: Seq, rng: random.Random, context: Mapping[str, str], rules: Rules,
           out: list[str]) -> None:
    """Append the text of `seq` to `out`, choosing alternatives with `rng`."""
    for item in seq:
        if item.__class__ is str:
            out.append(item)
        elif item[0] == "a":
            expand(rng.choice(item[1]), rng, context, rules, out)
        else:
            value = context.get(item[1])
            if value is not None:
                out.append(value)
            else:
                expand(rng.choice(rules[item[1]]), rng, context, rules, out)


def render(name: str, rng: random.Random, context: Mapping[str, str], rules: Rules) -> str:
    """Expand the rule `name` to text."""
    out: list[str] = []
    expand(rng.choice(rules[name]), rng, context, rules, out)
    return "".join(out)
