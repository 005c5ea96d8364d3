"""An attacker's test of the population page: read every table off the HTML and try every subtraction.

The reader signs in as the analyst, takes the number of children and each table as the page shows them,
and for each table that adds up to the number of children tries every way of filling in the suppressed
counts, both as someone who only subtracts and as someone who knows the suppression rule. No suppressed
count may come out as a single number.
"""

from __future__ import annotations

import datetime
import random
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from continuum import vocabulary as v
from continuum.disclosure import FEWER_THAN, SUPPRESSED, TableDiscloses
from continuum.people.models import Person, age_on
from continuum.people.selectors import AGE_BANDS
from continuum.people.services import person_create
from tests.suppression_attacks import Published, publish, same_publication, two_values_each, values_by_subtraction

ADDING_UP_TO_THE_CHILDREN = ("Children by age band", "Sex", "Ethnic group", "Special educational needs")


class PageReader(HTMLParser):
    """The page as a reader sees it: the number of children, each table by caption, the chart's labels."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.children = ""
        self.tables: dict[str, list[tuple[str, str]]] = {}
        self.chart: list[str] = []
        self._in: str | None = None
        self._caption = ""
        self._row: list[str] = []
        self._text = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "span" and ("data-chart-text", None) in attrs:
            self._in, self._text = "chart", ""
        elif tag == "span" and ("id", "children-total") in attrs or tag in ("caption", "th", "td"):
            self._in, self._text = tag, ""
        elif tag == "tr":
            self._row = []

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self._in == "chart":
            tag = "chart"
        if tag != self._in:
            if tag == "tr" and self._row and self._caption and len(self._row) == 2 and self._row[0] != "Group":
                self.tables.setdefault(self._caption, []).append((self._row[0], self._row[1]))
            return
        text, self._in = " ".join(self._text.split()), None
        if tag == "span":
            self.children = text
        elif tag == "caption":
            self._caption = text
        elif tag == "chart":
            self.chart.append(text)
        else:
            self._row.append(text)


def read(shown: str) -> int | None:
    return None if shown in (SUPPRESSED, FEWER_THAN) else int(shown.replace(",", ""))


def true_tables() -> dict[str, tuple[int, ...]]:
    """What the tables would say unsuppressed, from the database: to check the reader's reasoning fits."""
    today = datetime.date.today()
    children = [
        (age_on(p.date_of_birth, today), p)
        for p in Person.objects.all()
        if p.date_of_birth and age_on(p.date_of_birth, today) <= 17
    ]
    send = [code for code, _ in v.SEND_STATUS] + [""]
    return {
        "Children by age band": tuple(sum(low <= age <= high for age, _ in children) for low, high in AGE_BANDS),
        "Sex": tuple(sum(p.sex == code for _, p in children) for code, _ in v.SEX),
        "Ethnic group": tuple(
            sum(v.ETHNICITY_GROUP.get(p.ethnicity, "Not known") == group for _, p in children)
            for group in ("White", "Mixed", "Asian", "Black", "Other", "Not known")
        ),
        "Special educational needs": tuple(sum(p.send_status == code for _, p in children) for code in send),
    }


def attack_the_page(client) -> PageReader:
    page = PageReader(client.get(reverse("people:population")).content.decode())
    truth = true_tables()
    number_of_children = sum(truth["Sex"])
    # A number of children too small to print could still be narrowed down: assume the reader knows it.
    total = read(page.children) or number_of_children
    assert total == number_of_children
    assert set(ADDING_UP_TO_THE_CHILDREN) < set(page.tables)
    for caption in ADDING_UP_TO_THE_CHILDREN:
        shown = [count for _, count in page.tables[caption]]
        published: Published = tuple(read(count) for count in shown)
        assert all(count == SUPPRESSED for count in shown if read(count) is None), caption
        assert publish(truth[caption]) == published, caption  # the page shows the rule applied to the truth
        for i, values in values_by_subtraction(published, total).items():
            assert len(values) >= 2, f"{caption}: {published} of {total} gives row {i} as {values}"
        for i, values in two_values_each(published, same_publication(published, total)).items():
            assert len(values) >= 2, f"{caption}: {published} of {total} could only be {values} in row {i}"
    return page


def add_children(world, rng: random.Random, how_many: int) -> None:
    today = datetime.date.today()
    ethnicities = [code for code, _ in v.ETHNICITY]
    for i in range(how_many):
        person_create(
            actor=world.frontdoor,
            given_name=f"Child{i}",
            family_name="Sample",
            date_of_birth=today.replace(day=1) - datetime.timedelta(days=rng.randint(0, 17 * 365)),
            sex=rng.choices(["F", "M", "U"], weights=[10, 10, 1])[0],
            ethnicity=rng.choices(ethnicities, weights=[30] + [1] * (len(ethnicities) - 1))[0],
            send_status=rng.choices(["", "N", "K", "E"], weights=[2, 20, 3, 1])[0],
        )


def test_no_suppressed_count_on_the_page_can_be_worked_out_with_four_children(world, client_for):
    page = attack_the_page(client_for("analyst"))
    assert page.children == FEWER_THAN  # four children: too few to print


def add_five_toddlers(world) -> None:
    """The example from the issue: 9 children, 2 girls, 7 boys, none of unknown sex."""
    for i in range(5):
        person_create(
            actor=world.frontdoor,
            given_name=f"Toddler{i}",
            family_name="Count",
            date_of_birth=datetime.date.today().replace(day=1) - datetime.timedelta(days=800),
            sex="M",
            ethnicity="APKN",
        )


def test_total_minus_boys_no_longer_gives_the_girls(world, client_for):
    add_five_toddlers(world)
    page = attack_the_page(client_for("analyst"))
    assert page.children == "9"
    assert page.tables["Sex"] == [("Male", SUPPRESSED), ("Female", SUPPRESSED), ("Not known or not stated", "0")]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_suppressed_count_can_be_worked_out_in_a_larger_county(world, client_for, seed):
    add_children(world, random.Random(seed), 40)
    page = attack_the_page(client_for("manager"))
    assert page.children == "44"


def test_the_chart_hides_what_the_table_hides(world, client_for):
    add_five_toddlers(world)  # ages 0 to 4: 5; 5 to 10: ben and dan; 11 to 15: amy and cara
    page = attack_the_page(client_for("analyst"))
    chart = list(zip(page.chart[0::2], page.chart[1::2], strict=True))
    assert chart == page.tables["Children by age band"]
    assert [shown for _, shown in chart] == ["5", SUPPRESSED, SUPPRESSED, "0"]


def test_a_table_that_cannot_be_protected_is_not_shown_and_neither_is_its_chart(world, client_for, monkeypatch):
    from continuum.people.selectors import population

    def nothing_protects(rows, *, total):
        if total is None:
            return original(rows, total=None)
        raise TableDiscloses("for this test")

    original = population.suppress_table
    monkeypatch.setattr(population, "suppress_table", nothing_protects)
    html = client_for("analyst").get(reverse("people:population")).content.decode()
    assert html.count("Not shown: there are too few children") == 4
    assert "continuum-chart" not in html
    assert "Children with an open involvement" in html
