import datetime
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from continuum.audit.exports import csv_lines
from continuum.audit.models import AuditAction, AuditEvent
from continuum.audit.services import SystemActor, audit_record


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
        events = AuditEvent.objects.filter(at__date__gte=since).order_by("at", "id")
        if until:
            events = events.filter(at__date__lte=until)
        with transaction.atomic():
            # The export is itself recorded, before the rows are read, so it appears in later exports.
            audit_record(
                actor=SystemActor(),
                action=AuditAction.EXPORT,
                object_type="audit_trail",
                purpose="Audit trail export (command line)",
                detail={"since": since.isoformat(), "until": until.isoformat() if until else None},
            )
        out = opts["out"].open("w", newline="", encoding="utf-8") if opts["out"] else sys.stdout
        try:
            for line in csv_lines(events):
                out.write(line)
        finally:
            if opts["out"]:
                out.close()
