"""The access policy: reads and checks access_policy.toml. Plain Python, no Django imports.

The policy answers three questions for any role: which children's records it may open (scope),
through which working relationships, and which categories of information it may read.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from continuum import vocabulary as v

SCOPES = frozenset({"all", "relationship", "none"})
AUDIT_SCOPES = frozenset({"all", "agency", "none"})
# Every key the file may hold: a misspelt one ("break_glas = true") is refused, never silently ignored.
TOP_LEVEL_KEYS = frozenset(
    {
        "version",
        "break_glass",
        "relationships",
        "roles",
        "categories",
        "involvement_categories",
        "agency_kind_categories",
    }
)
ROLE_KEYS = frozenset(
    {"label", "scope", "relationships", "break_glass", "aggregates", "audit", "reviews_break_glass", "manages_accounts"}
)
CATEGORY_KEYS = frozenset({"label", "shared_with", "agreement"})
BREAK_GLASS_KEYS = frozenset({"minutes", "reasons"})


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
    categories: frozenset[str]


@dataclass(frozen=True)
class Policy:
    roles: dict[str, RolePolicy]
    relationships: dict[str, str]
    category_labels: dict[str, str]
    involvement_categories: dict[str, str]
    agency_kind_categories: dict[str, str]
    break_glass_minutes: int
    break_glass_reasons: tuple[tuple[str, str], ...]

    def role(self, code: str | None) -> RolePolicy | None:
        return self.roles.get(code or "")

    def category_of(self, involvement_kind: str) -> str:
        return self.involvement_categories[involvement_kind]

    def category_of_agency_kind(self, agency_kind: str) -> str:
        return self.agency_kind_categories[agency_kind]


def load_policy(path: Path) -> Policy:
    """Read and check a policy file; raise PolicyError naming the entry that is wrong."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
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
    relationships = {str(k): str(val) for k, val in raw.get("relationships", {}).items()}
    categories = raw.get("categories", {})
    role_codes = v.codes(v.ROLE)

    shared: dict[str, frozenset[str] | None] = {}
    for name, entry in categories.items():
        who = entry.get("shared_with")
        if who == "any":
            shared[name] = None
        elif isinstance(who, list) and set(who) <= role_codes:
            shared[name] = frozenset(who)
        else:
            unknown = sorted(set(who or []) - role_codes) if isinstance(who, list) else who
            raise fail(f"categories.{name}", f'shared_with must be "any" or a list of roles; not {unknown!r}')

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
    if "identity" not in categories:
        raise fail("categories", "the identity category must exist")

    glass = raw.get("break_glass", {})
    minutes = glass.get("minutes")
    if not isinstance(minutes, int) or not 1 <= minutes <= 24 * 60:
        raise fail("break_glass", "minutes must be a whole number from 1 to 1440")
    reasons = tuple((str(code), str(text)) for code, text in glass.get("reasons", []))
    if not reasons:
        raise fail("break_glass", "list at least one reason")

    return Policy(
        roles=roles,
        relationships=relationships,
        category_labels={name: str(entry.get("label", name)) for name, entry in categories.items()},
        involvement_categories=involvement_categories,
        agency_kind_categories=agency_kind_categories,
        break_glass_minutes=minutes,
        break_glass_reasons=reasons,
    )


def _known_keys(entry: object, allowed: frozenset[str], where: str, fail: Callable[[str, str], PolicyError]) -> None:
    if not isinstance(entry, dict):
        raise fail(where, "must be a table of settings")
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise fail(where, f"unknown settings {unknown}; the known ones are {sorted(allowed)}")
