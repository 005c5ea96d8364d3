"""Eligibility rules as data, and the one function that applies them. Plain Python: no Django.

A programme's rules are a list of JSON objects, each one test a child must pass; a child is eligible
when every rule passes (an empty list takes every child). Each result says why, in plain words
("aged 14 on 3 March 2026; POWER takes ages 8–13"), so a practitioner can check the reasoning.

Rule kinds
- {"kind": "age", "min": 8, "max": 13}
      age in completed years on the date asked about, within the band (either end may be left out).
- {"kind": "level", "min": 2, "max": 3}
      the level of need decided for the child (1 universal … 4 specialist), within the range.
- {"kind": "known_to", "label": "known to police", "involvements": ["police_contact"],
   "events": ["police_incident", "asb", "arrest", "domestic_abuse_notification"], "months": 12}
      an involvement of one of those kinds open on the date, or an event of one of those kinds in the
      `months` up to the date. "The 12 months to 3 March 2026" run from 4 March 2025 to 3 March 2026,
      as "the 12 months to 31 March" start on 1 April: an event dated exactly 12 months before the date
      is outside them. (When the earlier month is shorter its last day stands in: the 3 months to 31 May
      start on 1 March.)
- {"kind": "not_open", "label": "not already supported by youth justice, CAMHS or social care",
   "involvements": ["youth_justice", "camhs", "cin", "cp_plan", "looked_after"]}
      none of those involvements open on the date.
- {"kind": "locality", "in": ["North Shireford", "East Shireford"]}
      the child lives in one of those localities (compared without regard to case or spacing).

Every rule may carry a "label", the short name results show; a known_to rule must (it says what the
involvements and events mean). Codes are those of continuum.vocabulary: INVOLVEMENT_KIND for
involvements, EVENT_KIND for events. `problems(rules)` says what is wrong with a rule set, including
one no child could ever pass; `describe(rule)` says what a rule asks, as a sentence.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from continuum import vocabulary as v

KINDS = ("age", "level", "known_to", "not_open", "locality")
MAX_AGE = 25
MAX_MONTHS = 120
ALLOWED_SETTINGS = {
    "age": frozenset({"kind", "label", "min", "max"}),
    "level": frozenset({"kind", "label", "min", "max"}),
    "known_to": frozenset({"kind", "label", "involvements", "events", "months"}),
    "not_open": frozenset({"kind", "label", "involvements"}),
    "locality": frozenset({"kind", "label", "in"}),
}


@dataclass(frozen=True)
class Event:
    kind: str
    date: datetime.date


@dataclass(frozen=True)
class ChildFacts:
    """What the rules may ask about one child, on one date."""

    id: str
    as_of: datetime.date
    date_of_birth: datetime.date | None
    level_of_need: int | None = None
    open_involvements: frozenset[str] = frozenset()
    events: tuple[Event, ...] = ()
    locality: str = ""


@dataclass(frozen=True)
class RuleResult:
    rule: str
    passed: bool
    reason: str

    def as_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "passed": self.passed, "reason": self.reason}


@dataclass(frozen=True)
class Eligibility:
    programme: str
    child: str
    rules: tuple[RuleResult, ...] = field(default_factory=tuple)

    @property
    def eligible(self) -> bool:
        return all(r.passed for r in self.rules)

    @property
    def failed(self) -> tuple[RuleResult, ...]:
        return tuple(r for r in self.rules if not r.passed)

    def as_json(self, programme_slug: str | None = None) -> dict[str, Any]:
        return {
            "id": self.child,
            "programme": programme_slug or self.programme,
            "eligible": self.eligible,
            "rules": [r.as_json() for r in self.rules],
        }


def age_on(date_of_birth: datetime.date, on: datetime.date) -> int:
    """Age in completed years: a child born on 29 February is a year older on 1 March in other years."""
    return on.year - date_of_birth.year - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` earlier, or the last day of that month when it is shorter (31 May - 3 = 28 Feb)."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has a 28th")


def window_start(day: datetime.date, months: int) -> datetime.date:
    """The first day of "the `months` months to `day`": the day after the same day `months` earlier."""
    return months_before(day, months) + datetime.timedelta(days=1)


def when(day: datetime.date) -> str:
    """A date as GOV.UK writes it: 3 March 2026."""
    return f"{day.day} {day:%B %Y}"


def _band(low: int | None, high: int | None, one: str, many: str) -> str:
    if low is not None and high is not None:
        return f"{many} {low}–{high}" if low != high else f"{one} {low} only"
    if low is not None:
        return f"{many} {low} and over"
    return f"{many} up to {high}"


def _in_sentence(label: str) -> str:
    """A label as it reads inside a sentence: "Youth justice" becomes "youth justice", "CAMHS" stays."""
    first = label.split(" ", 1)[0]
    return label if first.isupper() or not label else label[0].lower() + label[1:]


def _either(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _labels(code_list: v.Codes, values: list[str]) -> str:
    """Codes in words, joined with "or": "youth justice, CAMHS or looked after"."""
    return _either([_in_sentence(v.label(code_list, c)) for c in values])


def rule_name(rule: dict[str, Any]) -> str:
    """A rule's short name in results: its label, or what it tests."""
    if rule.get("label"):
        return str(rule["label"])
    return {
        "age": "age",
        "level": "level of need",
        "known_to": "known to services",
        "not_open": "not already supported",
        "locality": "where the child lives",
    }.get(rule.get("kind", ""), str(rule.get("kind")))


def describe(rule: dict[str, Any]) -> str:
    """What a (sound) rule asks, as a sentence for the programme's page."""
    kind = rule["kind"]
    lead = f"{rule['label']}: " if rule.get("label") else ""
    if kind == "age":
        low, high = rule.get("min"), rule.get("max")
        if low is not None and high is not None:
            band = f"aged {low}" if low == high else f"aged {low} to {high}"
        else:
            band = f"aged {low} or over" if low is not None else f"aged {high} or under"
        body = f"{band}, in completed years on the date asked about"
    elif kind == "level":
        low, high = rule.get("min") or 1, rule.get("max") or 4
        body = (
            f"a level of need of {_level(low)}"
            if low == high
            else f"a level of need from {_level(low)} to {_level(high)}"
        )
    elif kind == "known_to":
        body = _wanted(rule, "the date asked about")
    elif kind == "not_open":
        body = f"not open to {_labels(v.INVOLVEMENT_KIND, rule['involvements'])}"
    elif kind == "locality":
        body = f"lives in {_either([str(p) for p in rule['in']])}"
    else:
        raise ValueError(f"unknown rule kind {kind!r}")
    sentence = lead + body
    return f"{sentence[0].upper()}{sentence[1:]}."


def _level(n: int) -> str:
    """A level with its short name: "2 (early help)", from "Level 2: early help, additional needs"."""
    name = v.label(v.LEVEL_OF_NEED, str(n)).split(": ", 1)[-1]
    return f"{n} ({name.split(',')[0].split(' (')[0]})"


def _wanted(rule: dict[str, Any], up_to: str) -> str:
    """What a known_to rule looks for: "an open involvement (known to police) or an event (arrest) in the …"."""
    either = []
    if rule.get("involvements"):
        either.append(f"an open involvement ({_labels(v.INVOLVEMENT_KIND, rule['involvements'])})")
    if rule.get("events"):
        months = rule.get("months", 12)
        either.append(f"an event ({_labels(v.EVENT_KIND, rule['events'])}) in the {months} months to {up_to}")
    return " or ".join(either)


def evaluate(rules: list[dict[str, Any]], child: ChildFacts, *, programme: str) -> Eligibility:
    """Apply every rule to the child; the programme's name goes into the reasons."""
    return Eligibility(
        programme=programme, child=child.id, rules=tuple(_apply(rule, child, programme) for rule in rules)
    )


def _apply(rule: dict[str, Any], child: ChildFacts, programme: str) -> RuleResult:
    kind = rule["kind"]
    name = rule_name(rule)
    on = when(child.as_of)
    if kind == "age":
        low, high = rule.get("min"), rule.get("max")
        takes = f"{programme} takes {_band(low, high, 'age', 'ages')}"
        if child.date_of_birth is None:
            return RuleResult(name, False, f"date of birth not known; {takes}")
        age = age_on(child.date_of_birth, child.as_of)
        if age < 0:
            return RuleResult(name, False, f"not yet born on {on}; {takes}")
        passed = (low is None or age >= low) and (high is None or age <= high)
        return RuleResult(name, passed, f"aged {age} on {on}; {takes}")
    if kind == "level":
        low, high = rule.get("min"), rule.get("max")
        takes = f"{programme} takes {_band(low, high, 'level', 'levels')}"
        if child.level_of_need is None:
            return RuleResult(name, False, f"no level of need decided; {takes}")
        level = child.level_of_need
        passed = (low is None or level >= low) and (high is None or level <= high)
        return RuleResult(name, passed, f"level of need {level}; {takes}")
    if kind == "known_to":
        involvements = [i for i in rule.get("involvements", []) if i in child.open_involvements]
        if involvements:
            return RuleResult(name, True, f"open on {on}: {_labels(v.INVOLVEMENT_KIND, involvements)}")
        months = int(rule.get("months", 12))
        since = window_start(child.as_of, months)
        recent = sorted(
            (e for e in child.events if e.kind in rule.get("events", []) and since <= e.date <= child.as_of),
            key=lambda e: e.date,
            reverse=True,
        )
        if recent:
            latest = recent[0]
            more = f" and {len(recent) - 1} more" if len(recent) > 1 else ""
            event = _labels(v.EVENT_KIND, [latest.kind])
            return RuleResult(name, True, f"{event} on {when(latest.date)}{more} in the {months} months to {on}")
        return RuleResult(name, False, f"none found; {programme} needs {_wanted(rule, on)}")
    if kind == "not_open":
        excluded = rule["involvements"]
        open_now = [i for i in excluded if i in child.open_involvements]
        if open_now:
            return RuleResult(
                name,
                False,
                f"open to {_labels(v.INVOLVEMENT_KIND, open_now)} on {on}; "
                f"{programme} does not take children open to {_labels(v.INVOLVEMENT_KIND, excluded)}",
            )
        return RuleResult(name, True, f"not open to {_labels(v.INVOLVEMENT_KIND, excluded)} on {on}")
    if kind == "locality":
        places = [str(p) for p in rule["in"]]
        passed = _place(child.locality) in {_place(p) for p in places}
        where = f"lives in {child.locality.strip()}" if child.locality.strip() else "no locality recorded"
        return RuleResult(name, passed, f"{where}; {programme} works in {_either(places)}")
    raise ValueError(f"unknown rule kind {kind!r}")


def _place(text: str) -> str:
    return " ".join(text.lower().split())


def problems(rules: Any) -> list[str]:
    """Everything wrong with a rule set, each in a sentence; empty when it is sound.

    Besides malformed rules, it refuses a set no child could pass: an empty age or level band, two
    bands that do not meet, localities that have no place in common, or a "known to" rule that only an
    involvement another rule excludes could meet.
    """
    if not isinstance(rules, list):
        return ["the rules must be a list"]
    found: list[str] = []
    for n, rule in enumerate(rules, start=1):
        found += [f"rule {n}: {p}" for p in _rule_problems(rule)]
    if found:
        return found
    for kind in ("age", "level"):
        bands = [r for r in rules if r["kind"] == kind]
        low = max((r["min"] for r in bands if r.get("min") is not None), default=None)
        high = min((r["max"] for r in bands if r.get("max") is not None), default=None)
        if low is not None and high is not None and low > high:
            found.append(f"no child can pass: the {kind} rules leave no {kind} between {low} and {high}")
    places = [{_place(p) for p in r["in"]} for r in rules if r["kind"] == "locality"]
    if places and not set.intersection(*places):
        found.append("no child can pass: the locality rules have no locality in common")
    excluded = {i for r in rules if r["kind"] == "not_open" for i in r["involvements"]}
    for n, rule in enumerate(rules, start=1):
        if rule["kind"] == "known_to" and not rule.get("events") and set(rule.get("involvements", [])) <= excluded:
            found.append(f"no child can pass: rule {n} needs an involvement that another rule excludes")
    return found


def _rule_problems(rule: Any) -> list[str]:
    if not isinstance(rule, dict):
        return ["each rule is an object with a kind"]
    kind = rule.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        return [f"kind must be one of {', '.join(KINDS)}, not {kind!r}"]
    out = [f"unknown setting {key!r} for a {kind} rule" for key in sorted(set(rule) - ALLOWED_SETTINGS[kind])]
    if "label" in rule and (not isinstance(rule["label"], str) or not rule["label"].strip()):
        out.append("label must be words")
    if kind in ("age", "level"):
        top = MAX_AGE if kind == "age" else 4
        bottom = 0 if kind == "age" else 1
        low, high = rule.get("min"), rule.get("max")
        for key, value in (("min", low), ("max", high)):
            if value is not None and (not _whole(value) or not bottom <= value <= top):
                out.append(f"{key} must be a whole number from {bottom} to {top}")
        if low is None and high is None:
            out.append("give a min, a max or both")
        elif _whole(low) and _whole(high) and low > high:
            out.append(f"no child can pass: min {low} is more than max {high}")
    if kind in ("known_to", "not_open"):
        out += _codes(rule, "involvements", v.INVOLVEMENT_KIND, required=kind == "not_open")
    if kind == "known_to":
        out += _codes(rule, "events", v.EVENT_KIND, required=False)
        if not rule.get("involvements") and not rule.get("events"):
            out.append("name the involvements or events that count")
        if not rule.get("label"):
            out.append('give a label that says what it means, e.g. "known to police"')
        months = rule.get("months", 12)
        if not _whole(months) or not 1 <= months <= MAX_MONTHS:
            out.append(f"months must be a whole number from 1 to {MAX_MONTHS}")
    if kind == "locality":
        places = rule.get("in")
        if not isinstance(places, list) or not places or not all(isinstance(p, str) and p.strip() for p in places):
            out.append("in must list at least one locality")
    return out


def _whole(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _codes(rule: dict[str, Any], key: str, code_list: v.Codes, *, required: bool) -> list[str]:
    values = rule.get(key)
    if values is None:
        return [f"{key} must list at least one code"] if required else []
    if not isinstance(values, list) or (required and not values) or not all(isinstance(c, str) for c in values):
        return [f"{key} must be a list of codes"]
    unknown = sorted(set(values) - v.codes(code_list))
    return [f"{key}: unknown codes {unknown}"] if unknown else []


CHILD_FIELDS = frozenset({"id", "as_of", "date_of_birth", "level_of_need", "open_involvements", "events", "locality"})


class BadLine(ValueError):
    """A described child that cannot be read: the line, the field (empty when it is the whole line), and why."""

    def __init__(self, line: int, field_name: str, why: str) -> None:
        self.line, self.field, self.why = line, field_name, why
        super().__init__(f"line {line}, field {field_name}: {why}" if field_name else f"line {line}: {why}")

    def located(self, filename: str) -> str:
        """FILE:LINE: field: why, as compilers and linters report, for the command line."""
        return (
            f"{filename}:{self.line}: {self.field}: {self.why}" if self.field else f"{filename}:{self.line}: {self.why}"
        )


def child_from_json(text: str, line: int) -> ChildFacts:
    """One described child from a line of JSON (the format of `continuum programmes eligibility`)."""

    def bad(field_name: str, why: str) -> BadLine:
        return BadLine(line, field_name, why)

    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise bad("", f"not JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise bad("", "not JSON (nested too deeply)") from None
    if not isinstance(raw, dict):
        raise bad("", "each line is one JSON object describing a child")
    unknown = sorted(set(raw) - CHILD_FIELDS)
    if unknown:
        raise bad(unknown[0], f"is not a field of a described child (the fields are {', '.join(sorted(CHILD_FIELDS))})")
    child_id = raw.get("id")
    if not (isinstance(child_id, str) and child_id.strip()) and not _whole(child_id):
        raise bad("id", "is required (text or a whole number)")

    def day(value: Any, name: str, required: bool) -> datetime.date | None:
        if value is None and not required:
            return None
        if value is None:
            raise bad(name, "is required, a date in the form YYYY-MM-DD")
        if not isinstance(value, str) or len(value) != 10:
            raise bad(name, f"{json.dumps(value)} is not a date in the form YYYY-MM-DD")
        try:
            parsed = datetime.date.fromisoformat(value)
        except ValueError:
            raise bad(name, f"{json.dumps(value)} is not a real date") from None
        if parsed.isoformat() != value:
            raise bad(name, f"{json.dumps(value)} is not a date in the form YYYY-MM-DD")
        return parsed

    as_of = day(raw.get("as_of"), "as_of", True)
    assert as_of is not None
    born = day(raw.get("date_of_birth"), "date_of_birth", False)
    if born is not None and born > as_of:
        raise bad("date_of_birth", f"{born.isoformat()} is after as_of {as_of.isoformat()}")
    level = raw.get("level_of_need")
    if level is not None and (not _whole(level) or not 1 <= level <= 4):
        raise bad("level_of_need", f"{json.dumps(level)} is not a level from 1 to 4")
    involvements = raw.get("open_involvements", [])
    if not isinstance(involvements, list) or not all(isinstance(i, str) for i in involvements):
        raise bad("open_involvements", "must be a list of involvement kind codes")
    if unknown_kinds := sorted(set(involvements) - v.codes(v.INVOLVEMENT_KIND)):
        raise bad("open_involvements", f"unknown codes {', '.join(unknown_kinds)}")
    events_raw = raw.get("events", [])
    if not isinstance(events_raw, list):
        raise bad("events", 'must be a list of {"kind": ..., "date": "YYYY-MM-DD"} objects')
    events = []
    for i, item in enumerate(events_raw):
        if not isinstance(item, dict) or set(item) != {"kind", "date"}:
            raise bad(f"events[{i}]", 'each event is {"kind": ..., "date": "YYYY-MM-DD"}')
        if not isinstance(item["kind"], str) or item["kind"] not in v.codes(v.EVENT_KIND):
            raise bad(
                f"events[{i}].kind",
                f"{json.dumps(item['kind'])} is not one of {', '.join(sorted(v.codes(v.EVENT_KIND)))}",
            )
        happened = day(item["date"], f"events[{i}].date", True)
        assert happened is not None
        events.append(Event(item["kind"], happened))
    locality = raw.get("locality", "")
    if locality is None:
        locality = ""
    if not isinstance(locality, str):
        raise bad("locality", "must be text")
    return ChildFacts(
        id=str(child_id),
        as_of=as_of,
        date_of_birth=born,
        level_of_need=level,
        open_involvements=frozenset(involvements),
        events=tuple(events),
        locality=locality,
    )
