"""`continuum demo` tells people the address the server will really listen on."""

from __future__ import annotations

from continuum.web.management.commands.demo import Command, sign_in_url


def test_the_demo_prints_the_address_make_demo_serves_on():
    opts = Command().create_parser("continuum", "demo").parse_args(["--host", "192.0.2.10", "--port", "8123"])
    assert sign_in_url(opts.host, opts.port) == "http://192.0.2.10:8123/accounts/login/"


def test_without_options_the_demo_prints_the_default_address():
    opts = Command().create_parser("continuum", "demo").parse_args([])
    assert sign_in_url(opts.host, opts.port) == "http://127.0.0.1:8000/accounts/login/"


def test_an_ipv6_address_is_printed_in_brackets():
    assert sign_in_url("::1", 8000) == "http://[::1]:8000/accounts/login/"
