"""The rules override layer: floors that no model output can lower.

A rule sets a minimum responder (`co_response` or `police`, never `heart`) when the
call-taker's answers and/or the narrative say so (RESPONSE-POLICY.md). Rules live in a
YAML file (`model/rules.yaml` by default) so an auditor can read them and a change is a
new `rules_version` (the file's sha256). Everything is checked at load: a bad file fails
with a message naming the file, the rule and the field, never at the first call.

The final recommendation is computed only by `escalate(model_choice, floors)`, which can
only raise the model's choice.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from data.errors import FifthBranchError
from data.schema import ANSWERS, QUESTION_KEYS, RESPONDER_RANK, RESPONDERS, CallRecord
from model.decision import Override
from model.negation import typo_variants
from model.phrases import PatternError, PhraseMatcher
from model.regex_trie import compact_alternation, plain_strings
from model.scanner import Scan, Scanner

DEFAULT_RULES_PATH = Path(__file__).with_name("rules.yaml")
FLOORS: tuple[str, ...] = ("co_response", "police")
QUESTIONNAIRE_ONLY_SUFFIX = ":questionnaire-only"
#: Longest narrative excerpt quoted in an override's reason.
EVIDENCE_CHARS = 80

#: Loaded rule sets by (file, version): a RuleSet is immutable, so it is shared.
_LOADED: dict[tuple[str, str], RuleSet] = {}

# What a rule's questionnaire part leaves to do for one call.
_SKIP, _PLAIN, _TEXT = 0, 1, 2

_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
_REFERENCE = re.compile(r"\{(~?[a-z_][a-z0-9_']*)\}")


class RulesFileError(FifthBranchError):
    """A rules file that cannot be used; the message names the file, rule and field."""


def escalate(model_choice: str, floors: Iterable[str]) -> str:
    """The highest of the model's choice and every floor: rules only ever raise."""
    choice = _responder(model_choice)
    for floor in floors:
        if RESPONDER_RANK[_responder(floor)] > RESPONDER_RANK[choice]:
            choice = floor
    return choice


def _responder(name: str) -> str:
    if name not in RESPONDER_RANK:
        raise ValueError(f"unknown responder {name!r}; expected one of {', '.join(RESPONDERS)}")
    return name


# -- the file format (validated with pydantic, extra fields refused) --------------------
class NarrativeSpec(BaseModel):
    """Narrative evidence: regexes over the normalised text, with negation respected."""

    model_config = ConfigDict(extra="forbid")

    patterns: list[str] = Field(default_factory=list)
    phrases: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    unless_clause: list[str] = Field(default_factory=list)
    unless_before: list[str] = Field(default_factory=list)
    negation: bool = True


class RuleSpec(BaseModel):
    """One rule as written in the file."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)
    reason: str = Field(min_length=1)
    floor: str
    combine: Literal["all", "any"] = "all"
    questionnaire: dict[str, list[str]] = Field(default_factory=dict)
    narrative: NarrativeSpec | None = None
    note: str | None = None

    @field_validator("floor")
    @classmethod
    def _floor(cls, value: str) -> str:
        if value == "heart":
            raise ValueError("heart is not a floor (rules only raise): use co_response or police")
        if value not in FLOORS:
            raise ValueError(f"must be one of {', '.join(FLOORS)}")
        return value

    @field_validator("questionnaire", mode="before")
    @classmethod
    def _answers(cls, value: Any) -> Any:
        # YAML 1.1 reads a bare `yes`/`no` as a boolean.
        if not isinstance(value, dict):
            return value
        spelt = {True: "yes", False: "no"}
        out: dict[Any, Any] = {}
        for key, answers in value.items():
            items = answers if isinstance(answers, list) else [answers]
            out[key] = [spelt.get(a, a) if isinstance(a, bool) else a for a in items]
        return out


class RulesFileSpec(BaseModel):
    """The whole file: a format version, shared vocabulary and the rules in order."""

    model_config = ConfigDict(extra="forbid")

    format: Literal[1]
    vocabulary: dict[str, str | list[str]] = Field(default_factory=dict)
    rules: list[Any] = Field(min_length=1)


# -- compiled rules ----------------------------------------------------------------------
@dataclass(frozen=True)
class Rule:
    """A validated, compiled rule."""

    id: str
    floor: str
    reason: str
    combine: str
    questionnaire: tuple[tuple[str, frozenset[str]], ...]
    narrative: PhraseMatcher | None
    note: str | None = None

    @property
    def questionnaire_only(self) -> bool:
        return self.narrative is None

    def override(self, evidence: str | None = None) -> Override:
        """The override this rule reports, quoting the narrative evidence if any."""
        reason = self.reason
        if evidence:
            quoted = evidence[:EVIDENCE_CHARS] + ("..." if len(evidence) > EVIDENCE_CHARS else "")
            reason = f'{reason} (narrative: "{quoted}")'
        # Fields were validated when the file was loaded.
        return Override.model_construct(rule_id=self.id, floor=self.floor, reason=reason)

    def state(self, asked: Sequence[bool]) -> int:
        """What the questionnaire leaves to do: fire, read the narrative, or nothing."""
        if self.narrative is None:
            held = all(asked) if self.combine == "all" else any(asked)
            return _PLAIN if asked and held else _SKIP
        if self.combine == "any":
            return _PLAIN if any(asked) else _TEXT
        return _TEXT if all(asked) else _SKIP

    def state_column(self, asked: Sequence[np.ndarray], n: int) -> np.ndarray:
        """`state` for every row, from one boolean column per questionnaire condition."""
        held_all = np.logical_and.reduce(asked) if asked else np.ones(n, bool)
        held_any = np.logical_or.reduce(asked) if asked else np.zeros(n, bool)
        if self.narrative is None:
            held = held_all if self.combine == "all" else held_any
            return np.where(held & bool(asked), _PLAIN, _SKIP)
        if self.combine == "any":
            return np.where(held_any, _PLAIN, _TEXT)
        return np.where(held_all, _TEXT, _SKIP)


@dataclass(frozen=True)
class RuleSet:
    """The rules of one file, in file order, with the file's version."""

    version: str
    path: Path | None
    rules: tuple[Rule, ...]
    _scanner: Scanner = field(init=False, repr=False, compare=False)
    _slots: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        matchers = [rule.narrative for rule in self.rules if rule.narrative is not None]
        slots, slot = [], 0
        for rule in self.rules:
            slots.append(slot if rule.narrative is not None else -1)
            slot += rule.narrative is not None
        object.__setattr__(self, "_scanner", Scanner(matchers))
        object.__setattr__(self, "_slots", tuple(slots))

    @classmethod
    def load(cls, path: Path | str | None = None) -> RuleSet:
        """Load and validate a rules file (default: the one shipped in the package)."""
        source = Path(path) if path is not None else DEFAULT_RULES_PATH
        try:
            raw = source.read_bytes()
        except OSError as error:
            raise RulesFileError(f"{source}: cannot read rules file: {error.strerror or error}") \
                from error
        version = "sha256:" + hashlib.sha256(raw).hexdigest()
        # Compiling takes seconds; the same bytes always give the same rules, wherever the
        # file lies (the package's copy, a saved model's copy, a downloaded one).
        key = (str(source.resolve()), version)
        if key not in _LOADED:
            same = next((ruleset for (_, other), ruleset in _LOADED.items()
                         if other == version), None)
            rules = same.rules if same is not None else tuple(_parse(source, raw))
            _LOADED[key] = cls(version=version, path=source, rules=rules)
        return _LOADED[key]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(rule.id for rule in self.rules)

    def questionnaire_only(self) -> RuleSet:
        """Only the rules that read the questionnaire alone (the rules-only baseline)."""
        if self.version.endswith(QUESTIONNAIRE_ONLY_SUFFIX):
            return self
        return replace(self, version=self.version + QUESTIONNAIRE_ONLY_SUFFIX,
                       rules=tuple(rule for rule in self.rules if rule.questionnaire_only))

    def evaluate(self, record: CallRecord, normalised: str) -> list[Override]:
        """Every rule that fires for one call, in file order."""
        answers = record.questionnaire
        states = [rule.state([getattr(answers, key) in allowed
                              for key, allowed in rule.questionnaire])
                  for rule in self.rules]
        return self._fire(states, normalised)

    def evaluate_frame(self, frame: pd.DataFrame, normalised: Sequence[str]
                       ) -> list[list[Override]]:
        """`evaluate` for every row of a frame in the file layout (`q_<key>` columns).

        Questionnaire conditions are column comparisons; a text is scanned once for all
        narrative rules and each rule's regex is tried only where it can match, so 100k
        rows take seconds.
        """
        n = len(frame)
        if len(normalised) != n:
            raise ValueError(f"{n} rows but {len(normalised)} normalised narratives")
        columns = {key: _answer_column(frame, f"q_{key}") for key in QUESTION_KEYS}
        states = np.empty((n, len(self.rules)), dtype=np.int8)
        for k, rule in enumerate(self.rules):
            asked = [np.isin(columns[key], list(allowed)) for key, allowed in rule.questionnaire]
            states[:, k] = rule.state_column(asked, n)
        return [self._fire(row, text) for row, text in zip(states.tolist(), normalised,
                                                           strict=True)]

    def _fire(self, states: Sequence[int], text: str) -> list[Override]:
        """The overrides of one call, given each rule's questionnaire state."""
        fired: list[Override] = []
        scan: Scan | None = None
        for rule, state, slot in zip(self.rules, states, self._slots, strict=True):
            if state == _PLAIN:
                fired.append(rule.override())
            elif state == _TEXT:
                if scan is None:
                    scan = self._scanner.scan(text)
                if scan.active(slot):
                    assert rule.narrative is not None
                    evidence = rule.narrative.evidence_at(text, *scan.of(slot))
                    if evidence is not None:
                        fired.append(rule.override(evidence))
        return fired


def _answer_column(frame: pd.DataFrame, column: str) -> np.ndarray:
    """Answers as lower-case strings; missing, blank and NaN read as `unknown`."""
    if column not in frame.columns:
        return np.full(len(frame), "unknown", dtype=object)
    values = frame[column].astype("string").str.strip().str.lower()
    values = values.fillna("unknown").replace("", "unknown")
    return values.to_numpy(dtype=object)


# -- loading ----------------------------------------------------------------------------
def _fail(source: Path, rule_id: str | None, field: str, problem: str) -> RulesFileError:
    where = f"rule {rule_id!r}, " if rule_id else ""
    return RulesFileError(f"{source}: {where}field {field!r}: {problem}")


def _location(loc: Sequence[Any]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(rule)"


def _first_problem(error: ValidationError) -> tuple[str, str]:
    """(field, problem) of a validation error's first entry, in the file's own terms."""
    first = error.errors()[0]
    problem = "unknown field" if first["type"] == "extra_forbidden" else first["msg"]
    return _location(first["loc"]), problem


def _parse(source: Path, raw: bytes) -> list[Rule]:
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        raise _fail(source, None, "(file)", f"not valid YAML: {error}") from error
    if not isinstance(data, dict):
        raise _fail(source, None, "(file)", "expected a mapping with 'format' and 'rules'")
    try:
        spec = RulesFileSpec.model_validate(data)
    except ValidationError as error:
        raise _fail(source, None, *_first_problem(error)) from error
    vocabulary = _vocabulary(source, spec.vocabulary)
    rules: list[Rule] = []
    seen: set[str] = set()
    for index, item in enumerate(spec.rules):
        rule_id = str(item.get("id")) if isinstance(item, dict) and item.get("id") else \
            f"#{index + 1}"
        if not isinstance(item, dict):
            raise _fail(source, rule_id, "(rule)", "expected a mapping")
        try:
            rule_spec = RuleSpec.model_validate(item)
        except ValidationError as error:
            raise _fail(source, rule_id, *_first_problem(error)) from error
        if rule_spec.id in seen:
            raise _fail(source, rule_id, "id", "duplicate rule id")
        seen.add(rule_spec.id)
        rules.append(_compile(source, rule_spec, vocabulary))
    return rules


def _vocabulary(source: Path, raw: Mapping[str, str | list[str]]) -> dict[str, str]:
    """Named regex fragments, references (`{name}`) resolved, each checked to compile."""
    for name in raw:
        if not _NAME.match(name):
            raise _fail(source, None, f"vocabulary.{name}", "names are lower_case_with_underscores")
    resolved: dict[str, str] = {}

    def resolve(name: str, trail: tuple[str, ...]) -> str:
        if name in resolved:
            return resolved[name]
        if name in trail:
            raise _fail(source, None, f"vocabulary.{name}",
                        f"refers to itself ({' -> '.join((*trail, name))})")
        value = raw[name]
        alternatives = [value] if isinstance(value, str) else value
        expanded = [_substitute(a, lambda ref: ref_value(ref, (*trail, name)),
                                lambda ref: _fail(source, None, f"vocabulary.{name}",
                                                  f"unknown vocabulary name {{{ref}}}"))
                    for a in alternatives]
        text = compact_alternation(expanded)
        try:
            re.compile(text)
        except re.error as error:
            raise _fail(source, None, f"vocabulary.{name}", f"regex does not compile: {error}") \
                from error
        resolved[name] = text
        # {~name}: the entry, or a one-keystroke slip of one of its words (letters are
        # dropped only from words of six letters or more: "beat" must not become "bat").
        slips = {v for word in plain_strings(expanded) for v in typo_variants(word, 6)}
        resolved["~" + name] = compact_alternation([*sorted(slips), text])
        return text

    def ref_value(ref: str, trail: tuple[str, ...]) -> str | None:
        if ref.startswith("~") and ref[1:] in raw:
            resolve(ref[1:], trail)
            return resolved[ref]
        return resolve(ref, trail) if ref in raw else None

    for name in raw:
        resolve(name, ())
    return resolved


def _substitute(pattern: str, lookup: Callable[[str], str | None],
                unknown: Callable[[str], Exception]) -> str:
    def replace_ref(found: re.Match[str]) -> str:
        name = found.group(1)
        value = lookup(name)
        if value is None and name.startswith("~"):  # {~going}: the word or a slip of it
            return compact_alternation(sorted(typo_variants(name[1:])))
        if value is None:
            raise unknown(found.group(1))
        return value

    return _REFERENCE.sub(replace_ref, pattern)


def _compile(source: Path, spec: RuleSpec, vocabulary: Mapping[str, str]) -> Rule:
    questionnaire: list[tuple[str, frozenset[str]]] = []
    for key, answers in spec.questionnaire.items():
        if key not in QUESTION_KEYS:
            raise _fail(source, spec.id, f"questionnaire.{key}",
                        f"unknown question; expected one of {', '.join(QUESTION_KEYS)}")
        bad = [a for a in answers if a not in ANSWERS]
        if bad or not answers:
            raise _fail(source, spec.id, f"questionnaire.{key}",
                        f"answers must be {', '.join(ANSWERS)}; got {bad or 'nothing'}")
        questionnaire.append((key, frozenset(answers)))
    narrative = None
    if spec.narrative is not None:
        narrative = _narrative(source, spec.id, spec.narrative, vocabulary)
    if not questionnaire and narrative is None:
        raise _fail(source, spec.id, "questionnaire",
                    "a rule needs a questionnaire condition, a narrative condition or both")
    return Rule(id=spec.id, floor=spec.floor, reason=spec.reason.strip(), combine=spec.combine,
                questionnaire=tuple(questionnaire), narrative=narrative, note=spec.note)


def _narrative(source: Path, rule_id: str, spec: NarrativeSpec,
               vocabulary: Mapping[str, str]) -> PhraseMatcher:
    def expand(field: str, items: Sequence[str]) -> list[str]:
        out = []
        for index, item in enumerate(items):
            where = f"narrative.{field}[{index}]"
            if not isinstance(item, str) or not item.strip():
                raise _fail(source, rule_id, where, "must be a non-empty string")
            out.append(_substitute(item, vocabulary.get, lambda ref, where=where: _fail(
                source, rule_id, where, f"unknown vocabulary name {{{ref}}}")))
        return out

    patterns = expand("patterns", spec.patterns)
    for index, phrase in enumerate(spec.phrases):
        if not phrase.strip():
            raise _fail(source, rule_id, f"narrative.phrases[{index}]", "must not be blank")
        patterns.append(" ".join(re.escape(word) for word in phrase.lower().split()))
    if not patterns:
        raise _fail(source, rule_id, "narrative.patterns", "needs at least one pattern or phrase")
    try:
        return PhraseMatcher.build(
            patterns, ignore=expand("ignore", spec.ignore),
            unless_clause=expand("unless_clause", spec.unless_clause),
            unless_before=expand("unless_before", spec.unless_before), negation=spec.negation)
    except PatternError as error:
        field = "phrases" if error.field == "patterns" and error.index >= len(spec.patterns) \
            else error.field
        index = error.index - len(spec.patterns) if field == "phrases" else error.index
        raise _fail(source, rule_id, f"narrative.{field}[{index}]",
                    f"regex does not compile: {error.error}") from error
