"""The access policy: reads and checks access_policy.toml. Plain Python, no Django imports.

The policy answers three questions for any user: which children's records their role may open
(scope), through which working relationships, and which categories of information they may read.
A category is read by the roles its information-sharing rule names and, where the rule says so, only
in the kinds of agency it names (statutory services, say, but not the voluntary sector).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from continuum import vocabulary as v

SCOPES = frozenset({"all", "relationship", "none"})
AUDIT_SCOPES = frozenset({"all", "agency", "none"})
# Every key the file may hold: a misspelt one ("break_glas = true") is refused, never silently ignored.
TOP_LEVEL_KEYS = frozenset(
    {
        "version",
        "break_glass",
        "sectors",
        "relationships",
        "roles",
        "categories",
        "involvement_categories",
        "agency_kind_categories",
        "event_categories",
    }
)
ROLE_KEYS = frozenset(
    {
        "label",
        "scope",
        "relationships",
        "break_glass",
        "aggregates",
        "audit",
        "reviews_break_glass",
        "manages_accounts",
        "refers",
        "screens",
        "manages_team",
        "leads_casework",
        "reviews_linkage",
        "raises_concerns",
        "finds_gaps",
    }
)
CATEGORY_KEYS = frozenset({"label", "shared_with", "agencies", "agreement"})
RELATIONSHIP_KEYS = frozenset({"shown", "audit"})
BREAK_GLASS_KEYS = frozenset(
    {"minutes", "search_minutes", "review_within_working_days", "council_reviewers", "reasons"}
)


class PolicyError(ValueError):
    """The policy file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class RolePolicy:
    code: str
    label: str
    scope: str
    relationships: frozenset[str]
    break_glass: bool
    aggregates: bool
    audit: str
    reviews_break_glass: bool
    manages_accounts: bool
    categories: frozenset[str]  # what the role reads in an agency every rule admits
    refers: bool = False  # may refer a child to the front door
    screens: bool = False  # works the front door's queue and decides referrals
    manages_team: bool = False  # manages a team's caseloads, waiting list and the referrals sent to it
    leads_casework: bool = False  # leads episodes of support: assessments, plans, sessions, closure
    reviews_linkage: bool = False  # decides record linkage's clerical review queue; undoes merges
    raises_concerns: bool = False  # marks a child as a cause for concern and calls for triangulation
    finds_gaps: bool = False  # lists children with signals from several agencies and nobody working with them


@dataclass(frozen=True)
class Relationship:
    """A way a working relationship arises, in the words the user reads and the words the audit trail keeps."""

    shown: str
    audit: str


@dataclass(frozen=True)
class BreakGlassRules:
    minutes: int  # how long a grant lasts
    search_minutes: int  # a grant is only for someone the user's own break-glass search found this recently
    review_within_working_days: int  # after this, an unreviewed grant is listed to administrators
    council_reviewers: frozenset[str]  # agency kinds whose reviewing managers take grants nobody else reviews
    reasons: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Policy:
    roles: dict[str, RolePolicy]
    relationships: dict[str, Relationship]
    category_labels: dict[str, str]
    category_agencies: dict[str, frozenset[str] | None]  # category -> agency kinds it is shared with; None: any
    involvement_categories: dict[str, str]
    agency_kind_categories: dict[str, str]
    break_glass: BreakGlassRules
    event_categories: dict[str, str] = field(default_factory=dict)  # an agency feed's kind of event -> category

    @property
    def break_glass_minutes(self) -> int:
        return self.break_glass.minutes

    @property
    def break_glass_reasons(self) -> tuple[tuple[str, str], ...]:
        return self.break_glass.reasons

    def role(self, code: str | None) -> RolePolicy | None:
        return self.roles.get(code or "")

    def category_of(self, involvement_kind: str) -> str:
        return self.involvement_categories[involvement_kind]

    def category_of_agency_kind(self, agency_kind: str) -> str:
        return self.agency_kind_categories[agency_kind]

    def category_of_event(self, event_kind: str) -> str:
        """The category of an agency feed's kind of event (a police incident: police_intelligence)."""
        return self.event_categories[event_kind]

    def categories_for(self, role_code: str | None, agency_kind: str | None) -> frozenset[str]:
        """What a user of this role, working in this kind of agency, may read."""
        role = self.role(role_code)
        if role is None:
            return frozenset()
        return frozenset(
            name
            for name in role.categories
            if (kinds := self.category_agencies.get(name)) is None or (agency_kind or "") in kinds
        )


def load_policy(path: Path) -> Policy:
    """Read and check a policy file; raise PolicyError naming the entry that is wrong."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PolicyError(f"{path}: cannot read the access policy: {exc}") from exc

    def fail(where: str, why: str) -> PolicyError:
        return PolicyError(f"{path}: [{where}] {why}")

    if raw.get("version") != 1:
        raise fail("version", "this release understands access policy version 1")
    _known_keys(raw, TOP_LEVEL_KEYS, "the top level", fail)
    _known_keys(raw.get("break_glass", {}), BREAK_GLASS_KEYS, "break_glass", fail)
    for name, entry in raw.get("roles", {}).items():
        _known_keys(entry, ROLE_KEYS, f"roles.{name}", fail)
    for name, entry in raw.get("categories", {}).items():
        _known_keys(entry, CATEGORY_KEYS, f"categories.{name}", fail)
    relationships = _relationships(raw.get("relationships", {}), fail)
    sectors = _sectors(raw.get("sectors", {}), fail)
    categories = raw.get("categories", {})
    role_codes = v.codes(v.ROLE)

    shared: dict[str, frozenset[str] | None] = {}
    agencies: dict[str, frozenset[str] | None] = {}
    for name, entry in categories.items():
        who = entry.get("shared_with")
        if who == "any":
            shared[name] = None
        elif isinstance(who, list) and set(who) <= role_codes:
            shared[name] = frozenset(who)
        else:
            unknown = sorted(set(who or []) - role_codes) if isinstance(who, list) else who
            raise fail(f"categories.{name}", f'shared_with must be "any" or a list of roles; not {unknown!r}')
        agencies[name] = _agency_kinds(entry.get("agencies"), sectors, f"categories.{name}", fail)

    roles: dict[str, RolePolicy] = {}
    for code in sorted(role_codes):
        entry = raw.get("roles", {}).get(code)
        if entry is None:
            raise fail(f"roles.{code}", "every role must be described (missing)")
        if entry.get("scope") not in SCOPES:
            raise fail(f"roles.{code}", f"scope must be one of {sorted(SCOPES)}")
        if entry.get("audit", "none") not in AUDIT_SCOPES:
            raise fail(f"roles.{code}", f"audit must be one of {sorted(AUDIT_SCOPES)}")
        unknown = set(entry.get("relationships", [])) - set(relationships)
        if unknown:
            raise fail(f"roles.{code}", f"unknown relationships {sorted(unknown)}")
        if entry.get("screens") and entry["scope"] != "all":
            raise fail(f"roles.{code}", 'a role that screens referrals must have scope "all"')
        if entry.get("reviews_linkage") and entry["scope"] != "all":
            # A pair in review may be any child's records, whoever works with them.
            raise fail(f"roles.{code}", 'a role that reviews record linkage must have scope "all"')
        if entry.get("finds_gaps") and entry["scope"] != "all":
            # The list is of children nobody is working with: no relationship could admit them.
            raise fail(f"roles.{code}", 'a role that finds children falling through the gap must have scope "all"')
        if entry["scope"] == "relationship" and not entry.get("relationships"):
            raise fail(f"roles.{code}", "a role scoped to relationships must list at least one")
        readable = (
            frozenset(name for name, who in shared.items() if who is None or code in who)
            if entry["scope"] != "none"
            else frozenset()
        )
        roles[code] = RolePolicy(
            code=code,
            label=str(entry.get("label", code)),
            scope=entry["scope"],
            relationships=frozenset(entry.get("relationships", [])),
            break_glass=bool(entry.get("break_glass", False)),
            aggregates=bool(entry.get("aggregates", False)),
            audit=entry.get("audit", "none"),
            reviews_break_glass=bool(entry.get("reviews_break_glass", False)),
            manages_accounts=bool(entry.get("manages_accounts", False)),
            categories=readable,
            refers=bool(entry.get("refers", False)),
            screens=bool(entry.get("screens", False)),
            manages_team=bool(entry.get("manages_team", False)),
            leads_casework=bool(entry.get("leads_casework", False)),
            reviews_linkage=bool(entry.get("reviews_linkage", False)),
            raises_concerns=bool(entry.get("raises_concerns", False)),
            finds_gaps=bool(entry.get("finds_gaps", False)),
        )
    extra = set(raw.get("roles", {})) - role_codes
    if extra:
        raise fail("roles", f"unknown roles {sorted(extra)}")

    involvement_categories = dict(raw.get("involvement_categories", {}))
    missing = v.codes(v.INVOLVEMENT_KIND) - set(involvement_categories)
    if missing:
        raise fail("involvement_categories", f"every involvement kind needs a category; missing {sorted(missing)}")
    for kind, category in involvement_categories.items():
        if category not in categories:
            raise fail("involvement_categories", f"{kind} names unknown category {category!r}")
    agency_kind_categories = dict(raw.get("agency_kind_categories", {}))
    missing = v.codes(v.AGENCY_KIND) - set(agency_kind_categories)
    if missing:
        raise fail("agency_kind_categories", f"every agency kind needs a category; missing {sorted(missing)}")
    for kind, category in agency_kind_categories.items():
        if category not in categories:
            raise fail("agency_kind_categories", f"{kind} names unknown category {category!r}")
    event_categories = dict(raw.get("event_categories", {}))
    for kind, category in event_categories.items():
        if category not in categories:
            raise fail("event_categories", f"{kind} names unknown category {category!r}")
    for required in ("identity", "inferred_relationships"):
        if required not in categories:
            raise fail("categories", f"the {required} category must exist")

    return Policy(
        roles=roles,
        relationships=relationships,
        category_labels={name: str(entry.get("label", name)) for name, entry in categories.items()},
        category_agencies=agencies,
        involvement_categories=involvement_categories,
        agency_kind_categories=agency_kind_categories,
        break_glass=_break_glass(raw.get("break_glass", {}), fail),
        event_categories=event_categories,
    )


Fail = Callable[[str, str], PolicyError]


def _relationships(raw: dict, fail: Fail) -> dict[str, Relationship]:
    out = {}
    for name, entry in raw.items():
        if isinstance(entry, str):
            out[str(name)] = Relationship(shown=entry, audit=entry)
            continue
        _known_keys(entry, RELATIONSHIP_KEYS, f"relationships.{name}", fail)
        if not isinstance(entry.get("shown"), str) or not isinstance(entry.get("audit"), str):
            raise fail(
                f"relationships.{name}", "give the words the user reads (shown) and the audit trail keeps (audit)"
            )
        out[str(name)] = Relationship(shown=entry["shown"], audit=entry["audit"])
    return out


def _sectors(raw: dict, fail: Fail) -> dict[str, frozenset[str]]:
    kinds = v.codes(v.AGENCY_KIND)
    out = {}
    for name, members in raw.items():
        if name in kinds:
            raise fail(f"sectors.{name}", "a sector cannot have the name of a kind of agency")
        if not isinstance(members, list) or not set(members) <= kinds:
            unknown = sorted(set(members) - kinds) if isinstance(members, list) else members
            raise fail(f"sectors.{name}", f"list kinds of agency; not {unknown!r}")
        out[str(name)] = frozenset(members)
    return out


def _agency_kinds(raw: object, sectors: dict[str, frozenset[str]], where: str, fail: Fail) -> frozenset[str] | None:
    """The agency kinds a rule names, directly or through a sector; None when it names none (any agency)."""
    if raw is None:
        return None
    kinds = v.codes(v.AGENCY_KIND)
    if not isinstance(raw, list) or not raw:
        raise fail(where, "agencies must be a list of sectors or kinds of agency")
    out: set[str] = set()
    for name in raw:
        if name in sectors:
            out |= sectors[name]
        elif name in kinds:
            out.add(name)
        else:
            raise fail(where, f"agencies names {name!r}, which is neither a sector nor a kind of agency")
    return frozenset(out)


def _break_glass(glass: dict, fail: Fail) -> BreakGlassRules:
    def whole(key: str, low: int, high: int, default: int | None = None) -> int:
        value = glass.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise fail("break_glass", f"{key} must be a whole number from {low} to {high}")
        return value

    reasons = tuple((str(code), str(text)) for code, text in glass.get("reasons", []))
    if not reasons:
        raise fail("break_glass", "list at least one reason")
    council = glass.get("council_reviewers", [])
    if not isinstance(council, list) or not set(council) <= v.codes(v.AGENCY_KIND):
        raise fail("break_glass", "council_reviewers must be a list of kinds of agency")
    return BreakGlassRules(
        minutes=whole("minutes", 1, 24 * 60),
        search_minutes=whole("search_minutes", 1, 60, default=10),
        review_within_working_days=whole("review_within_working_days", 1, 20, default=2),
        council_reviewers=frozenset(council),
        reasons=reasons,
    )


def _known_keys(entry: object, allowed: frozenset[str], where: str, fail: Fail) -> None:
    if not isinstance(entry, dict):
        raise fail(where, "must be a table of settings")
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise fail(where, f"unknown settings {unknown}; the known ones are {sorted(allowed)}")
