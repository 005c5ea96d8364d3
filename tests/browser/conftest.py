"""The browser tests' site: the real `continuum demo` set-up and the real granian server, in Chromium.

The site runs in its own process on its own database (a temporary SQLite file, or a temporary
PostgreSQL database when DATABASE_URL is set), with DEBUG off and hashed static files, as a
council would run it.
"""

from __future__ import annotations

import csv
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
CHILDREN = 400
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@dataclass
class Site:
    url: str
    passwords: dict[str, str]
    county: Path
    env: dict[str, str]
    env: dict[str, str]

    def sign_in(self, page: Page, username: str) -> None:
        page.goto(f"{self.url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password", exact=True).fill(self.passwords[username])
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{self.url}/")


@contextmanager
def _database(env: dict[str, str]) -> Iterator[dict[str, str]]:
    """A database of the site's own: SQLite under its var folder, or a new PostgreSQL database dropped afterwards."""
    url = env.get("DATABASE_URL")
    if not url:
        yield env
        return
    import psycopg

    name = f"continuum_browser_{secrets.token_hex(4)}"
    parts = urlsplit(url)
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**env, "DATABASE_URL": urlunsplit(parts._replace(path=f"/{name}"))}
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (.ci/run does)")
    var = tmp_path_factory.mktemp("site-var")
    base_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "continuum.web.settings",
        "CONTINUUM_VAR_DIR": str(var),
        "CONTINUUM_ASSETS_DIR": str(REPO / "var" / "vendor"),
        "CONTINUUM_SECRET_KEY": secrets.token_urlsafe(50),
        "CONTINUUM_HTTPS": "false",
        "CONTINUUM_REQUIRE_2FA": "false",
        "CONTINUUM_DEBUG": "false",
        "CONTINUUM_DEMO": "true",
    }
    base_env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    with _database(base_env) as env:
        setup = subprocess.run(
            [BIN / "continuum", "demo", "--children", str(CHILDREN)], env=env, capture_output=True, text=True
        )
        assert setup.returncode == 0, setup.stdout + setup.stderr
        with (var / "demo-users.csv").open() as f:
            passwords = {row["username"]: row["password"] for row in csv.DictReader(f)}
        with serve(env, var / "server.log") as url:
            yield Site(url=url, passwords=passwords, county=var / f"county-{CHILDREN}-seed1", env=env)


@contextmanager
def serve(env: dict[str, str], log_path: Path) -> Iterator[str]:
    """The production server (granian) on a free loopback port, for as long as the block runs."""
    port = _free_port()
    command = [BIN / "granian", "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", "1", "continuum.web.wsgi:application"]
    with log_path.open("w") as log:
        server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_for(f"{url}/healthz", server, log_path)
            yield url
        finally:
            server.terminate()
            server.wait(timeout=20)


def _wait_for(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the server stopped: {log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback only)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"the server did not answer {url}: {log.read_text()}")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context; any Content-Security-Policy violation or script error fails the test."""
    context = browser.new_context()
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    yield page
    context.close()
    csp = [p for p in problems if "Content Security Policy" in p or "Refused to" in p]
    assert not csp, csp
    assert not [p for p in problems if "404" not in p and "403" not in p], problems


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


def assert_accessible(axe: Axe, page: Page) -> None:
    """axe-core finds no WCAG 2.2 AA violations on the page as it stands."""
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
