"""`continuum programmes list` and `continuum programmes eligibility`: the catalogue, and rules tried on
described children without touching anyone's record."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandError, CommandParser

from continuum import vocabulary as v
from continuum.programmes.eligibility import BadLine, ChildFacts, child_from_json, evaluate
from continuum.programmes.selectors import programme_list

EXAMPLE = (
    '{"id": "c1", "as_of": "2026-03-03", "date_of_birth": "2015-06-01", "level_of_need": 2, '
    '"open_involvements": ["police_contact"], "events": [{"kind": "asb", "date": "2026-01-10"}], '
    '"locality": "North Shireford"}'
)


class Command(BaseCommand):
    help = "The programme catalogue, and who its eligibility rules take."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="print the catalogue")
        listing.add_argument("--format", choices=["table", "json"], default="table")
        listing.add_argument("--all", action="store_true", help="include programmes no longer offered")
        check = sub.add_parser(
            "eligibility",
            help="apply a programme's current rules to described children (JSON Lines in, JSON Lines out)",
            description=f"Each line of the file describes one child, for example: {EXAMPLE}",
        )
        check.add_argument("--programme", required=True, metavar="SLUG")
        check.add_argument("--children", required=True, type=Path, metavar="FILE.jsonl")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "list":
            self._list(opts["format"], include_inactive=opts["all"])
        else:
            self._eligibility(opts["programme"], opts["children"])

    def _refuse(self, *lines: str) -> NoReturn:
        """Bad input: the lines alone on standard error and status 1 from the command line (no
        "CommandError:" prefix, so FILE:LINE: messages stay readable by editors); a CommandError in-process."""
        if not getattr(self, "_called_from_command_line", False):
            raise CommandError("\n".join(lines))
        for line in lines:
            self.stderr.write(line)
        sys.exit(1)

    def _list(self, fmt: str, *, include_inactive: bool) -> None:
        programmes = list(programme_list(active=not include_inactive).prefetch_related("rule_sets"))
        entries = [_entry(p) for p in programmes]
        if fmt == "json":
            self.stdout.write(json.dumps(entries, indent=2, ensure_ascii=False))
            return
        modalities = dict(v.MODALITY)
        rows = [("SLUG", "NAME", "AGES", "DELIVERED", "EVIDENCE", "RULES")]
        for e in entries:
            low, high = e["min_age"], e["max_age"]
            ages = (
                f"{low}-{high}"
                if low is not None and high is not None
                else f"{low}+"
                if low is not None
                else f"up to {high}"
                if high is not None
                else "-"
            )
            rows.append(
                (
                    e["slug"],
                    e["name"],
                    ages,
                    ", ".join(modalities[m] for m in e["modalities"]),
                    e["evidence_rating"],
                    f"v{e['rules_version']}" if e["rules_version"] else "none",
                )
            )
        widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            self.stdout.write("  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())

    def _eligibility(self, slug: str, path: Path) -> None:
        found = programme_list(active=False).filter(slug=slug).prefetch_related("rule_sets").first()
        if found is None:
            self._refuse(f"no programme {slug!r} in the catalogue: `continuum programmes list` shows the slugs")
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            self._refuse(f"{path}: no such file")
        except (OSError, UnicodeDecodeError) as exc:
            self._refuse(f"{path}: cannot read it ({getattr(exc, 'strerror', None) or exc})")
        children: list[ChildFacts] = []
        bad: list[str] = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                children.append(child_from_json(line, number))
            except BadLine as exc:
                bad.append(exc.located(str(path)))
        if bad:
            self._refuse(*bad)
        current = max(found.rule_sets.all(), key=lambda r: r.version, default=None)
        rules = current.rules if current else []
        for child in children:
            result = evaluate(rules, child, programme=found.name)
            self.stdout.write(json.dumps(result.as_json(found.slug), ensure_ascii=False))


def _entry(p: Any) -> dict[str, Any]:
    """One programme as `list --format json` prints it, with its current rules."""
    current = max(p.rule_sets.all(), key=lambda r: r.version, default=None)
    cost: Decimal | None = p.unit_cost
    return {
        "slug": p.slug,
        "name": p.name,
        "provider": p.provider,
        "category": p.category,
        "modalities": p.modalities,
        "needs": p.needs,
        "summary": p.summary,
        "min_age": p.min_age,
        "max_age": p.max_age,
        "session_limit": p.session_limit,
        "typical_weeks": p.typical_weeks,
        "duration": p.duration,
        "capacity": p.capacity,
        "unit_cost": str(cost) if cost is not None else None,
        "unit_cost_year": p.unit_cost_year,
        "unit_cost_basis": p.unit_cost_basis,
        "measures": p.measures,
        "evidence_rating": p.evidence_rating,
        "evidence_summary": p.evidence_summary,
        "outcome_figures": p.outcome_figures,
        "source": p.source,
        "active": p.active,
        "rules_version": current.version if current else None,
        "rules": current.rules if current else [],
    }
