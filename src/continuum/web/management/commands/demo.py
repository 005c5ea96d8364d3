import csv
import datetime
import os
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count, Q
from rich.console import Console
from rich.table import Table

from continuum.agencies.access import SystemActor
from continuum.agencies.models import Agency, Allocation, Involvement, Practitioner
from continuum.agencies.services import practitioner_account_set
from continuum.casework.models import Episode
from continuum.console import progress_bar
from continuum.county.load import LoadFailed, county_load
from continuum.linkage.services import LinkageError, run_linkage
from continuum.signals.services import (
    GapFinderError,
    IndicatorsError,
    load_feed_folder,
    raise_attendance_alerts,
    refresh_indicators,
    run_gap_finder,
)
from continuum.synth import generate

# One demo account per role, in the agency where that role works; two of some so that
# "another agency's child" can be tried.
DEMO_ACCOUNTS = (
    ("frontdoor", "front_door", "early_help"),
    ("eh.practitioner", "practitioner", "early_help"),
    ("eh.manager", "team_manager", "early_help"),
    ("csc.socialworker", "practitioner", "childrens_social_care"),
    ("csc.manager", "team_manager", "childrens_social_care"),
    ("school.dsl", "school_dsl", "school"),
    ("school2.dsl", "school_dsl", "school"),
    ("police.liaison", "police_liaison", "police"),
    ("health.practitioner", "health_practitioner", "health"),
    ("camhs.clinician", "health_practitioner", "camhs"),
    ("yjs.officer", "practitioner", "youth_justice"),
    ("vcs.worker", "practitioner", "voluntary"),
    ("panel.chair", "panel_chair", "early_help"),
    ("analyst", "analyst", "council"),
    ("admin", "administrator", "council"),
    ("admin2", "administrator", "council"),  # a second administrator approves changes that give access
)


class Command(BaseCommand):
    help = "Set up the demonstration: database, static files, a synthetic county and one account per role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--children", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=1)
        # Only for the address printed at the end: `make demo` passes what it gives the server.
        parser.add_argument("--host", default="127.0.0.1", help="the address the server will listen on")
        parser.add_argument("--port", type=int, default=8000, help="the port the server will listen on")

    def handle(self, *args: Any, **opts: Any) -> None:
        console = Console(width=max(Console().width, 120))  # keep each account on one line
        console.print("[bold]Preparing the database and static files[/bold]")
        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        county = Path(settings.VAR_DIR) / f"county-{opts['children']}-seed{opts['seed']}"
        if not (county / "manifest.json").exists() or not (county / "feeds").is_dir():  # (or from before the feeds)
            with progress_bar(f"Generating a county of {opts['children']:,} children") as progress:
                generate(
                    county,
                    children=opts["children"],
                    seed=opts["seed"],
                    as_of=datetime.date.today(),
                    progress=progress,
                )
        try:
            with progress_bar("Loading the county") as progress:
                county_load(county, actor=SystemActor("demo setup"), progress=progress)
        except LoadFailed as exc:  # the problems, named by file, row and field, without a traceback
            raise CommandError(str(exc)) from None
        with progress_bar("Loading the agency feeds") as progress:  # schools, police, health, social care ...
            feeds = load_feed_folder(actor=SystemActor("demo setup"), directory=county / "feeds", progress=progress)
        errors = [str(problem) for result in feeds.values() for problem in result.errors]
        if errors:
            raise CommandError("the county's agency feeds have errors:\n" + "\n".join(errors[:20]))
        try:
            with progress_bar("Linking the feeds' records to people") as progress:  # the first time; then the new
                run_linkage(actor=SystemActor("demo setup"), progress=progress)
        except LinkageError as exc:
            raise CommandError(str(exc)) from None
        # The night's scheduled work after the feeds and linkage (docs/attendance-protocol.md has the cron lines)
        try:
            with progress_bar("Computing each child's indicators") as progress:
                run = refresh_indicators(actor=SystemActor("demo setup"), progress=progress)
            with progress_bar("Finding children falling through the gap") as progress:
                gaps = run_gap_finder(actor=SystemActor("demo setup"), progress=progress)
        except (IndicatorsError, GapFinderError) as exc:
            raise CommandError(str(exc)) from None
        console.print(f"Indicators: {run.rows:,} values for {run.children:,} children, as at {run.as_of:%d %B %Y}")
        console.print(f"Falling through the gap: {gaps.flagged_children:,} children flagged")
        # The attendance protocol's nightly run (its emails: files under var/mail in `make demo`)
        with progress_bar("Raising attendance alerts") as progress:
            alerts = raise_attendance_alerts(actor=SystemActor("demo setup"), progress=progress)
        console.print(f"Attendance alerts: {alerts.raised:,} for {alerts.recipients:,} workers")
        accounts = self._accounts()
        self._show(console, accounts, sign_in_url(opts["host"], opts["port"]))

    def _accounts(self) -> list[dict[str, str]]:
        actor = SystemActor("demo setup")
        taken: set[uuid.UUID] = set()  # practitioners already given an account, and schools already covered
        rows = []
        chosen: dict[str, Practitioner] = {}
        for username, role, agency_kind in DEMO_ACCOUNTS:
            if username == "eh.practitioner":
                practitioner = self._caseworker(taken) or self._practitioner(role, agency_kind, taken)
            elif username == "eh.manager" and "eh.practitioner" in chosen:
                practitioner = self._manager_of(chosen["eh.practitioner"], taken) or self._practitioner(
                    role, agency_kind, taken
                )
            else:
                practitioner = self._practitioner(role, agency_kind, taken)
            chosen[username] = practitioner
            taken |= {practitioner.pk, practitioner.agency_id} if agency_kind == "school" else {practitioner.pk}
            _, password = practitioner_account_set(actor=actor, practitioner=practitioner, username=username)
            rows.append({"username": username, "password": password, "role": role, "agency": practitioner.agency.name})
        path = Path(settings.VAR_DIR) / "demo-users.csv"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=["username", "password", "role", "agency"])
            writer.writeheader()
            writer.writerows(rows)
        return rows

    def _caseworker(self, taken: set[uuid.UUID]) -> Practitioner | None:
        """The early-help practitioner whose caseload shows the most: open episodes (with sessions, goals and
        an entry SDQ), one ready to close (its exit SDQ done), and children allocated with no episode yet."""
        best: tuple[tuple[int, ...], Practitioner] | None = None
        candidates = Practitioner.objects.filter(role="practitioner", agency__kind="early_help").exclude(pk__in=taken)
        for practitioner in candidates.order_by("family_name", "pk"):
            episodes = Episode.objects.filter(lead_practitioner=practitioner, end_date__isnull=True)
            with_episode = set(episodes.values_list("person_id", flat=True))
            allocated = set(
                Allocation.objects.current()
                .filter(practitioner=practitioner, kind="lead")
                .values_list("person_id", flat=True)
            )
            ready = episodes.filter(questionnaires__timepoint="exit").distinct().count()
            live = episodes.filter(questionnaires__timepoint="entry").filter(sessions__isnull=False).distinct().count()
            score = (int(ready > 0 and bool(allocated - with_episode)), live)
            if best is None or score > best[0]:
                best = (score, practitioner)
        return best[1] if best else None

    def _manager_of(self, practitioner: Practitioner, taken: set[uuid.UUID]) -> Practitioner | None:
        """The team manager of the practitioner's team, so the manager's view shows the same caseload."""
        if practitioner.team_id is None:
            return None
        return (
            Practitioner.objects.filter(role="team_manager", team_id=practitioner.team_id)
            .exclude(pk__in=taken)
            .order_by("family_name", "pk")
            .first()
        )

    def _practitioner(self, role: str, agency_kind: str, taken: set[uuid.UUID]) -> Practitioner:
        """The practitioner of this role and kind of agency with the most open work, so the demo shows something."""
        candidates = (
            Practitioner.objects.filter(role=role, agency__kind=agency_kind)
            .exclude(pk__in=taken)
            .exclude(agency_id__in=taken)
            .annotate(open_work=Count("allocations", filter=Q(allocations__in=Allocation.objects.current())))
            .order_by("-open_work", "family_name", "pk")
        )
        if role == "school_dsl":
            candidates = candidates.annotate(
                pupils=Count("agency__involvements", filter=Q(agency__involvements__in=Involvement.objects.current()))
            ).order_by("-pupils", "pk")
        found = candidates.first()
        if found:
            return found
        agency = Agency.objects.filter(kind=agency_kind).order_by("name").first()
        if agency is None:
            raise RuntimeError(f"the county has no {agency_kind} agency for the {role} demo account")
        return Practitioner.objects.create(
            given_name="Demo",
            family_name=role.replace("_", " ").title(),
            role=role,
            agency=agency,
            email=f"{role}@example.org",
        )

    def _show(self, console: Console, rows: list[dict[str, str]], url: str) -> None:
        table = Table(title=f"Demo accounts (also in {Path(settings.VAR_DIR) / 'demo-users.csv'})")
        for column in ("username", "password", "role", "agency"):
            table.add_column(column)
        for row in rows:
            table.add_row(row["username"], row["password"], row["role"], row["agency"])
        console.print(table)
        console.print(f"Sign in at [bold]{url}[/bold] (all data is synthetic).")


def sign_in_url(host: str, port: int) -> str:
    """The sign-in page on the address the server listens on (an IPv6 address in brackets)."""
    return f"http://{f'[{host}]' if ':' in host else host}:{port}/accounts/login/"
