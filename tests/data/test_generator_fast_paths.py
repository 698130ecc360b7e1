"""The generator's speed-ups keep its meaning: compiled grammar odds, CSV text, draws."""

from __future__ import annotations

import io
from collections import Counter

import numpy as np
import pytest

from data.generator.compose import RULES
from data.generator.frame import CSV_DATE_FORMAT, chunk_csv, generate_chunk
from data.generator.grammar import Choice, compile_rules, render
from data.generator.questionnaire import answer_table
from data.generator.rng import Rng
from data.schema import QUESTION_KEYS


def _odds(choice: Choice) -> dict[str, float]:
    counts = Counter(choice)
    return {text: count / len(choice) for text, count in counts.items()}


def test_flattened_alternatives_keep_the_odds_of_choosing_step_by_step() -> None:
    rules = compile_rules({"r": ["[a|b [c|d]]"]}, "plain")
    assert _odds(rules["r"]) == {"a": 0.5, "b c": 0.25, "b d": 0.25}


def test_a_rule_gives_each_template_equal_odds_and_inlines_into_others() -> None:
    rules = compile_rules({"one": ["x", "[y|z|w]"], "two": ["<{one}>"]}, "plain")
    assert _odds(rules["two"]) == {"<x>": 0.5, "<y>": 1 / 6, "<z>": 1 / 6, "<w>": 1 / 6}


def test_context_slots_are_filled_at_render_time_and_win_over_rules() -> None:
    rules = compile_rules({"r": ["{he} [runs|walks]"], "he": ["nobody"]}, "plain",
                          context={"he"})
    rng = Rng(1)
    texts = {render("r", rng, {"he": "she"}, rules) for _ in range(50)}
    assert texts == {"she runs", "she walks"}


def test_style_rules_replace_generic_ones_and_bad_templates_are_refused() -> None:
    source = {"r": ["plain words"], "r@cad": ["CAD WORDS"]}
    assert render("r", Rng(0), {}, compile_rules(source, "cad")) == "CAD WORDS"
    assert render("r", Rng(0), {}, compile_rules(source, "plain")) == "plain words"
    for bad in ("[a|b", "a]", "a}", "{nowhere}"):
        with pytest.raises(ValueError):
            compile_rules({"r": [bad]}, "plain")


def test_large_products_stay_nested_and_still_render() -> None:
    big = "[" + "|".join(f"w{i}" for i in range(40)) + "]"
    rules = compile_rules({"r": [f"{big} {big} {big}"]}, "plain")
    text = render("r", Rng(3), {}, rules)
    assert len(text.split()) == 3 and all(word.startswith("w") for word in text.split())


def test_every_shipped_rule_renders_in_every_style() -> None:
    context = {name: f"<{name}>" for name in
               ("he", "him", "his", "business", "rp", "man_word", "subj", "s", "role",
                "where")}
    for style, rules in RULES.items():
        for name in rules:
            text = render(name, Rng(7), context, rules)
            assert "{" not in text and "[" not in text, (style, name, text)


def test_chunk_csv_is_the_text_pandas_writes_for_the_chunk() -> None:
    for with_facts in (False, True):
        frame = generate_chunk(5, 3, 2500, with_facts=with_facts)
        expected = io.StringIO()
        frame.to_csv(expected, index=False, date_format=CSV_DATE_FORMAT)
        written = chunk_csv(5, 3, 2500, with_facts=with_facts, header=True)
        assert written == expected.getvalue().encode()
    assert not chunk_csv(5, 3, 10).startswith(b"call_id,")


def test_distinct_draws_are_distinct_and_cover_the_sequence() -> None:
    rng = Rng(11)
    seen: Counter[str] = Counter()
    for _ in range(3000):
        picked = rng.distinct("abcde", 2)
        assert len(set(picked)) == 2
        seen.update(picked)
    assert set(seen) == set("abcde")
    assert max(seen.values()) / min(seen.values()) < 1.2
    assert rng.distinct((1, 2, 3), 0) == []
    assert sorted(rng.distinct((1, 2, 3), 3)) == [1, 2, 3]


def test_answers_say_yes_only_for_known_facts_and_no_only_without_them() -> None:
    facts = [frozenset(), frozenset({"firearm"}), frozenset({"intox", "self_harm"})] * 400
    table = answer_table(facts, np.random.default_rng(0))
    assert table.shape == (len(facts), len(QUESTION_KEYS))
    weapons, intox = QUESTION_KEYS.index("weapons"), QUESTION_KEYS.index("intoxication")
    assert set(table[0::3, weapons]) <= {"no", "unknown"}
    assert set(table[1::3, weapons]) <= {"yes", "unknown"}
    assert set(table[2::3, intox]) <= {"yes", "unknown"}
    complete = (table != "unknown").all(axis=1).mean()
    assert 0.25 < complete < 0.42  # the fully answered third
