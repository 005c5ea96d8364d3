import datetime
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from continuum.agencies.access import SystemActor
from continuum.audit.selectors import AuditFilter, audit_csv


class Command(BaseCommand):
    help = "Work with the audit trail."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="write the audit trail out")
        export.add_argument("--since", type=datetime.date.fromisoformat, required=True, help="YYYY-MM-DD")
        export.add_argument("--until", type=datetime.date.fromisoformat, help="YYYY-MM-DD (default: today)")
        export.add_argument("--format", choices=["csv"], default="csv")
        export.add_argument("--out", type=Path, help="file to write (default: standard output)")

    def handle(self, *args: Any, **opts: Any) -> None:
        since: datetime.date = opts["since"]
        until: datetime.date | None = opts["until"]
        if until and until < since:
            raise CommandError("--until must be on or after --since")
        lines = audit_csv(
            viewer=SystemActor(),
            filters=AuditFilter(since=since, until=until),
            purpose="Audit trail export (command line)",
        )
        out = opts["out"].open("w", newline="", encoding="utf-8") if opts["out"] else sys.stdout
        try:
            for line in lines:
                out.write(line)
        finally:
            if opts["out"]:
                out.close()
