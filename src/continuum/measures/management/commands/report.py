"""`continuum report outcomes --programme SLUG --from DATE --to DATE [--format text|json]`: a programme's outcome
report on the command line, the same figures as the page, small numbers suppressed. The JSON keys are in
docs/outcomes.md."""

from __future__ import annotations

import datetime
import json
import sys
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandError, CommandParser

from continuum.agencies.access import SystemActor
from continuum.disclosure import CountRow
from continuum.measures.selectors import MeasureOutcome, OutcomeReport, UnknownProgramme, programme_outcomes


class Command(BaseCommand):
    help = "Reports over the service's records: `outcomes`, a programme's outcome report for a period."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="report", required=True)
        outcomes = sub.add_parser("outcomes", help="a programme's outcome report for a period (both days included)")
        outcomes.add_argument("--programme", required=True, metavar="SLUG")
        outcomes.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD")
        outcomes.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD")
        outcomes.add_argument("--format", choices=["text", "json"], default="text")

    def _refuse(self, line: str) -> NoReturn:
        """Bad input: one line on standard error and status 1 (a CommandError when called in-process)."""
        if not getattr(self, "_called_from_command_line", False):
            raise CommandError(line)
        self.stderr.write(f"continuum report: {line}")
        sys.exit(1)

    def _date(self, option: str, text: str) -> datetime.date:
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            self._refuse(f"--{option} {text!r} is not a date: write it as YYYY-MM-DD, for example 2026-04-01")

    def handle(self, *args: Any, **opts: Any) -> None:
        start = self._date("from", opts["start"])
        end = self._date("to", opts["end"])
        if end < start:
            self._refuse(f"--to {end.isoformat()} is before --from {start.isoformat()}")
        try:
            report = programme_outcomes(
                viewer=SystemActor("continuum report outcomes"), programme=opts["programme"], start=start, end=end
            )
        except UnknownProgramme:
            self._refuse(
                f"no programme {opts['programme']!r} in the catalogue: `continuum programmes list` shows the slugs"
            )
        if opts["format"] == "json":
            self.stdout.write(json.dumps(report_json(report), indent=2, ensure_ascii=False))
        else:
            self.stdout.write(report_text(report))


def _count(row: CountRow) -> int | str:
    """A count as the JSON gives it: the number, or the words that stand for a suppressed one."""
    return row.shown if row.count is None else row.count


def _rows(rows: list[CountRow] | None) -> list[dict[str, Any]] | None:
    return None if rows is None else [{"label": row.label, "count": _count(row)} for row in rows]


def _round(value: float | None, places: int = 2) -> float | None:
    return None if value is None else round(value, places)


def _measure_json(m: MeasureOutcome) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "key": m.key,
        "group": m.group,
        "title": m.title,
        "higher_is_better": m.higher_is_better,
        "coverage": _rows(m.coverage),
        "enough": m.enough,
        "summary": m.summary,
    }
    c = m.change
    if m.enough and c is not None:
        entry.update(
            {
                "mean_entry": _round(c.mean_entry),
                "mean_exit": _round(c.mean_exit),
                "mean_change": _round(c.mean_change),
                "ci_low": _round(c.ci_low),
                "ci_high": _round(c.ci_high),
                "effect_size": _round(c.effect_size),
                "reliable_difference": _round(c.reliable_difference),
                "reliable_change": _rows(m.reliable),
                "reliable_note": m.reliable_note,
                "started_high": None if m.started_high is None else _count(m.started_high),
                "left_high": _rows(m.left_high),
            }
        )
    return entry


def report_json(report: OutcomeReport) -> dict[str, Any]:
    """The report as `--format json` prints it (documented in docs/outcomes.md)."""
    return {
        "programme": report.programme_slug,
        "programme_name": report.programme_name,
        "from": report.start.isoformat(),
        "to": report.end.isoformat(),
        "children_started": _count(report.children_started),
        "children_closed": _count(report.children_closed),
        "closure_reasons": _rows(report.closure_reasons),
        "sessions": _rows(report.sessions),
        "attendance_rate": report.attendance_rate or None,
        "group_retention": _rows(report.retention),
        "retention_rate": report.retention_rate or None,
        "retention_target": report.retention_target,
        "measures": [_measure_json(m) for m in report.measures],
    }


def report_text(report: OutcomeReport) -> str:
    lines = [
        f"{report.programme_name} ({report.programme_slug}), {report.start.isoformat()} to {report.end.isoformat()}",
        "Counts of 1 to 4 are not shown; no result is given for fewer than 5 children.",
        "",
        f"{report.children_started.label}: {report.children_started.shown}",
        f"{report.children_closed.label}: {report.children_closed.shown}",
    ]
    for title, rows in (("Why episodes closed", report.closure_reasons), ("Sessions", report.sessions)):
        lines.append(f"{title}:")
        if rows is None:
            lines.append("  not shown: too few to show without identifying someone")
        lines.extend(f"  {row.label}: {row.shown}" for row in rows or [])
    lines.append(f"Attendance rate: {report.attendance_rate or 'not shown'}")
    if report.retention:
        lines.append("Group courses that ended in the period:")
        lines.extend(f"  {row.label}: {row.shown}" for row in report.retention)
        lines.append(f"  Retention: {report.retention_rate or 'not shown'}")
    for m in report.measures:
        lines.extend(["", f"{m.group}: {m.title}"])
        lines.extend(f"  {row.label}: {row.shown}" for row in m.coverage or [])
        lines.append(f"  {m.summary}")
        c = m.change
        if not m.enough or c is None:
            continue
        effect = "none" if c.effect_size is None else f"{c.effect_size:.2f}"
        lines.append(
            f"  Mean {c.mean_entry:.1f} at entry, {c.mean_exit:.1f} at exit: change {c.mean_change:+.1f} "
            f"(95% CI {c.ci_low:+.1f} to {c.ci_high:+.1f}), effect size {effect}"
        )
        lines.extend(f"  {row.label}: {row.shown}" for row in m.reliable or [])
        if m.started_high is not None:
            lines.append(f"  {m.started_high.label}: {m.started_high.shown}")
            lines.extend(f"    {row.label}: {row.shown}" for row in m.left_high or [])
    return "\n".join(lines)
