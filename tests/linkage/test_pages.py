"""Record linkage's review pages as the front door uses them: the queue, a pair side by side with what the policy
lets the front door read, a decision (and the ways a new user or a second tab gets one wrong), and the history of
merges with the undoing of one."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from continuum.audit.models import AuditEvent
from continuum.linkage import services
from continuum.linkage.models import IdentityChange, Record, ReviewPair
from tests.linkage import review_world
from tests.queries import assert_database_query_count

# Each page: the session, the user and their practitioner profile; the page's own reads; the viewer's agency (for
# the audit row) and the audit row in its savepoint; the session saved in its savepoint.
QUEUE_QUERIES = 12  # the count and the page of pairs (their sources joined)
PAIR_QUERIES = 12  # the pair with both records, their sources and identities; the person's addresses
HISTORY_QUERIES = 12  # the count and the page of changes (with what undid them)
UNDO_QUERIES = 12  # the change; the records it moved (with their sources and people)


@pytest.fixture
def linkage(world):
    return review_world.build(world)


def _text(response) -> str:
    return response.content.decode()


def _visible(html: str) -> str:
    """The words a reader sees: the page without its tags and attributes."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# The queue.


def test_the_queue_lists_pairs_by_source_probability_and_why_naming_no_child(world, client_for, linkage):
    response = client_for("frontdoor").get(reverse("linkage:queue"))
    html = _text(response)
    assert response.status_code == 200
    assert "<title>Records waiting for review" in html
    assert "2 pairs are waiting" in html
    seen = _visible(html)
    # Newest first: amy's pair was queued today, the boy's yesterday.
    assert seen.index("A&amp;E attendances") < seen.index("Police incidents") < seen.index("School attendance")
    assert "93%" in seen and "71%" in seen and "The model was unsure" in seen
    for name in ("Ashdown", "Amie", "Tomasz", "Kowalsk", world.amy.nhs_number, "PN-0042"):
        assert name not in html
    assert reverse("linkage:pair", args=[linkage.amy_pair.pk]) in html
    row = AuditEvent.objects.get(event="linkage.review_queue_view")
    assert row.action == "view" and row.actor_username == "frontdoor"
    assert row.detail["shown"] == [str(linkage.amy_pair.pk), str(linkage.boy_pair.pk)]


def test_the_queue_shows_only_open_pairs_a_page_at_a_time(world, client_for, linkage):
    linkage.boy_pair.status = "rejected"
    linkage.boy_pair.save()
    for n in range(30):
        extra = review_world.source_person("missing", f"M-{n}", given_name="Extra", family_name="Child")
        review_world.pair(
            linkage.police_record,
            Record.objects.create(source_person=extra),
            model=linkage.model,
            run=linkage.run,
            probability=0.5 + n / 100,
            why="band",
            reasons=[],
        )
    client = client_for("frontdoor")
    first = _visible(_text(client.get(reverse("linkage:queue"))))
    assert "31 pairs are waiting" in first and "page 1 of 2" in first
    second = client.get(reverse("linkage:queue"), {"page": 2})
    assert second.status_code == 200 and "page 2 of 2" in _visible(_text(second))
    shown = [row.detail["shown"] for row in AuditEvent.objects.filter(event="linkage.review_queue_view").order_by("at")]
    assert len(shown[0]) == 25 and len(shown[1]) == 6
    assert str(linkage.boy_pair.pk) not in shown[0] + shown[1]
    assert client.get(reverse("linkage:queue"), {"page": "x' OR 1=1"}).status_code == 200


def test_the_queue_takes_the_same_queries_for_two_pairs_or_many(world, client_for, linkage):
    client = client_for("frontdoor")
    client.get(reverse("linkage:queue"))
    with assert_database_query_count(QUEUE_QUERIES):
        client.get(reverse("linkage:queue"))
    for n in range(5):
        extra = review_world.source_person("cin", f"C-{n}", given_name="More", family_name="Child")
        review_world.pair(
            linkage.police_record,
            Record.objects.create(source_person=extra),
            model=linkage.model,
            run=linkage.run,
            probability=0.6,
            why="conflict",
            reasons=[],
        )
    with assert_database_query_count(QUEUE_QUERIES):
        response = client.get(reverse("linkage:queue"))
    assert "7 pairs are waiting" in _text(response)


# A pair.


def test_a_pair_shows_both_records_side_by_side_with_the_nhs_number_withheld_from_the_front_door(
    world, client_for, linkage
):
    response = client_for("frontdoor").get(reverse("linkage:pair", args=[linkage.amy_pair.pk]))
    html = _text(response)
    assert response.status_code == 200
    assert "<title>Are these records the same person?" in html
    title = html[html.index("<title>") : html.index("</title>")]
    assert "Ashdown" not in title and "Amy" not in title
    seen = _visible(html)
    assert "Amy" in seen and "Amie" in seen and "Ashdown" in seen
    assert world.amy.date_of_birth.strftime("%-d %B %Y") in seen
    assert "93%" in seen
    # The front door does not read health detail: NHS numbers and the A&E record's own reference are withheld,
    # but the page still says the NHS numbers agree.
    assert world.amy.nhs_number not in html and "AE-7731" not in html
    nhs_row = seen[seen.index("NHS number") :][:200]
    assert nhs_row.count("Not shared with your role") == 2 and "Agree" in nhs_row
    assert "Health detail" in seen  # which category is withheld, by its label in the policy
    given_row = seen[seen.index("Given name") :][:120]
    assert "Disagree" in given_row
    # The model's reasons, in words.
    assert "NHS numbers agree: very strong evidence for" in seen
    assert "Given names are similar: some evidence for" in seen
    assert f'name="state" value="{linkage.amy_pair.state}"' in html
    for label in ("Same person", "Not the same person", "Not sure"):
        assert label in seen
    assert reverse("people:record", args=[world.amy.pk]) in html
    rows = AuditEvent.objects.filter(event="linkage.review_pair_view")
    assert [(r.action, r.object_id, r.person_id) for r in rows] == [("view", str(linkage.amy_pair.pk), world.amy.pk)]
    assert rows[0].detail["withheld"] == ["health"]


def test_a_pair_shows_police_and_school_detail_the_front_door_reads(world, client_for, linkage):
    seen = _visible(_text(client_for("frontdoor").get(reverse("linkage:pair", args=[linkage.boy_pair.pk]))))
    assert "PN-0042" in seen  # police intelligence: the front door reads it
    assert "H801200001999 (its check letter is wrong: not compared)" in seen
    assert "100001" in seen
    assert "7 March 2014" in seen and "3 July 2014" in seen
    assert "Dates of birth have day and month the other way round: some evidence for" in seen
    assert "Not shared with your role" not in seen
    postcode_row = seen[seen.index("Postcode") :][:120]
    assert "Cannot compare" in postcode_row and "Not compared by the model" in postcode_row
    assert "Not linked yet: waiting for a decision" in seen
    row = AuditEvent.objects.get(event="linkage.review_pair_view")
    assert row.person_id is None and row.detail["records"] == [
        str(linkage.police_record.pk),
        str(linkage.school_record.pk),
    ]


def test_a_pair_of_two_people_already_known_is_recorded_against_both(world, client_for, linkage):
    from continuum.linkage.models import Identity

    ben_record = Record.objects.create(
        person=world.ben, identity=Identity.objects.create(person=world.ben, created_at=linkage.run.started_at)
    )
    both = review_world.pair(
        linkage.amy_record, ben_record, model=linkage.model, run=linkage.run, probability=0.97, why="people", reasons=[]
    )
    seen = _visible(_text(client_for("frontdoor").get(reverse("linkage:pair", args=[both.pk]))))
    assert "Both are people already in the platform" in seen and "Benjamin" in seen and "Amy" in seen
    assert "1 Test Street, Testbury" in seen  # amy's current address: only the platform's people have one
    assert "The model gave no reasons for this pair" in seen
    rows = AuditEvent.objects.filter(event="linkage.review_pair_view", object_id=str(both.pk))
    assert sorted(str(r.person_id) for r in rows) == sorted([str(world.amy.pk), str(world.ben.pk)])


def test_a_deployment_that_does_not_share_police_intelligence_with_the_front_door_withholds_the_police_reference(
    world, client_for, linkage, settings, tmp_path
):
    from tests.agencies.test_policy import SHIPPED

    narrowed = tmp_path / "policy.toml"
    narrowed.write_text(
        SHIPPED.read_text().replace(
            'shared_with = ["police_liaison", "front_door"]', 'shared_with = ["police_liaison"]'
        )
    )
    settings.ACCESS_POLICY_PATH = narrowed
    html = _text(client_for("frontdoor").get(reverse("linkage:pair", args=[linkage.boy_pair.pk])))
    assert "PN-0042" not in html and "Tomasz" in html
    assert "Police intelligence" in _visible(html)


def test_the_pair_page_takes_a_fixed_number_of_queries(world, client_for, linkage):
    client = client_for("frontdoor")
    url = reverse("linkage:pair", args=[linkage.amy_pair.pk])
    client.get(url)
    with assert_database_query_count(PAIR_QUERIES):
        response = client.get(url)
    assert response.status_code == 200


def _decide(client, pair: ReviewPair, **data):
    posted = {"state": pair.state, **data}
    return client.post(reverse("linkage:pair", args=[pair.pk]), posted, follow=True)


def test_same_person_is_recorded_and_the_reviewer_returns_to_the_queue(world, client_for, linkage):
    response = _decide(client_for("frontdoor"), linkage.amy_pair, decision="accepted", reason="")
    assert response.redirect_chain == [(reverse("linkage:queue"), 302)]
    assert "Decision recorded: same person" in _text(response)
    linkage.amy_pair.refresh_from_db()
    assert linkage.amy_pair.status == "accepted" and linkage.amy_pair.decided_by == world.frontdoor
    assert "1 pair is waiting" in _text(response)


@pytest.mark.parametrize(
    ("decision", "message"),
    [
        ("rejected", "Give the reason these are not the same person"),
        ("not_sure", "Give the reason you are not sure"),
        ("", "Select whether these records are the same person"),
        ("maybe", "Select whether these records are the same person"),
    ],
)
def test_a_decision_that_needs_a_reason_or_a_choice_says_so_and_saves_nothing(
    world, client_for, linkage, decision, message
):
    response = _decide(client_for("frontdoor"), linkage.amy_pair, decision=decision, reason="   ")
    html = _text(response)
    assert response.status_code == 200 and response.redirect_chain == []
    assert "<title>Error: Are these records the same person?" in html
    assert "govuk-error-summary" in html and message in html
    linkage.amy_pair.refresh_from_db()
    assert linkage.amy_pair.status == "open" and linkage.amy_pair.decided_by is None
    assert not AuditEvent.objects.filter(event="linkage.review_decide").exists()


def test_not_the_same_person_with_a_reason_is_recorded(world, client_for, linkage):
    response = _decide(
        client_for("frontdoor"), linkage.boy_pair, decision="rejected", reason="Different schools and years"
    )
    assert response.redirect_chain == [(reverse("linkage:queue"), 302)]
    linkage.boy_pair.refresh_from_db()
    assert linkage.boy_pair.status == "rejected" and linkage.boy_pair.reason == "Different schools and years"


def test_a_decision_on_a_pair_that_changed_since_it_was_opened_is_refused_and_nothing_is_saved(
    world, client_for, linkage
):
    client = client_for("frontdoor")
    opened = linkage.amy_pair.state
    ReviewPair.objects.filter(pk=linkage.amy_pair.pk).update(state="f" * 64)  # a new run changed the pair meanwhile
    response = client.post(
        reverse("linkage:pair", args=[linkage.amy_pair.pk]), {"state": opened, "decision": "accepted", "reason": ""}
    )
    html = _text(response)
    assert response.status_code == 200
    assert "govuk-error-summary" in html and "This pair has changed since you opened it" in html
    assert f'name="state" value="{"f" * 64}"' in html  # the page now shows the pair as it is, to decide again
    linkage.amy_pair.refresh_from_db()
    assert linkage.amy_pair.status == "open"
    assert not AuditEvent.objects.filter(event="linkage.review_decide").exists()
    # A forged or missing state is the same.
    for state in ("", "x" * 500):
        again = client.post(
            reverse("linkage:pair", args=[linkage.amy_pair.pk]), {"state": state, "decision": "accepted"}
        )
        assert again.status_code == 200 and "govuk-error-summary" in _text(again)
    linkage.amy_pair.refresh_from_db()
    assert linkage.amy_pair.status == "open"


def test_a_decision_after_a_feed_sent_a_record_again_changed_is_refused_and_nothing_is_saved(
    world, client_for, linkage
):
    client = client_for("frontdoor")
    shown = client.get(reverse("linkage:pair", args=[linkage.amy_pair.pk]))
    assert "Amie" in _text(shown)
    linkage.health.given_name = "Amelia"  # the A&E feed re-sends the record, the name corrected
    linkage.health.save()
    response = _decide(client, linkage.amy_pair, decision="accepted", reason="")
    html = _text(response)
    assert response.redirect_chain == [] and "This pair has changed since you opened it" in html
    assert "sent again" in html and "Amelia" in html
    linkage.amy_pair.refresh_from_db()
    assert linkage.amy_pair.status == "open"
    assert Record.objects.get(pk=linkage.health_record.pk).identity_id is None


def test_a_pair_already_decided_shows_the_decision_and_takes_no_other(world, client_for, linkage):
    client = client_for("frontdoor")
    _decide(client, linkage.boy_pair, decision="rejected", reason="Different schools and years")
    page = _visible(_text(client.get(reverse("linkage:pair", args=[linkage.boy_pair.pk]))))
    assert "Not the same person: decided by Frontdoor Tester" in page and "Different schools and years" in page
    assert "Record the decision" not in page
    second = _decide(client, linkage.boy_pair, decision="accepted", reason="")
    assert "This pair has already been decided: nothing was recorded" in _text(second)
    linkage.boy_pair.refresh_from_db()
    assert linkage.boy_pair.status == "rejected" and linkage.boy_pair.reason == "Different schools and years"


def test_not_sure_leaves_the_pair_in_the_queue_with_the_reviewers_reason_for_someone_surer(world, client_for, linkage):
    client = client_for("frontdoor")
    done = _decide(client, linkage.boy_pair, decision="not_sure", reason="Could be cousins: ask the school")
    queue = _visible(_text(done))
    assert "Decision recorded: not sure" in queue and "2 pairs are waiting" in queue
    assert "A reviewer was not sure" in queue and "cousins" not in queue  # the reason may name a child: not here
    linkage.boy_pair.refresh_from_db()
    page = _visible(_text(client.get(reverse("linkage:pair", args=[linkage.boy_pair.pk]))))
    assert "A reviewer was not sure: Frontdoor Tester" in page and "Could be cousins: ask the school" in page
    assert "Record the decision" in page
    surer = _decide(client, linkage.boy_pair, decision="rejected", reason="The school says they are cousins")
    assert surer.redirect_chain == [(reverse("linkage:queue"), 302)]
    linkage.boy_pair.refresh_from_db()
    assert linkage.boy_pair.status == "rejected"


def test_a_decision_without_the_csrf_token_is_refused_recorded_and_saves_nothing(world, client_for, linkage):
    client = client_for("frontdoor", csrf=True)
    response = client.post(
        reverse("linkage:pair", args=[linkage.amy_pair.pk]),
        {"state": linkage.amy_pair.state, "decision": "accepted"},
    )
    assert response.status_code == 403
    linkage.amy_pair.refresh_from_db()
    assert linkage.amy_pair.status == "open"
    assert AuditEvent.objects.filter(action="refused", purpose__contains="CSRF").exists()


# The history of merges and splits.


def _merge(world, linkage) -> IdentityChange:
    """The police record's identity merged into amy's (as a reviewer or the command line would)."""
    return services.merge_identities(
        actor=world.frontdoor,
        keep=linkage.amy_identity.pk,
        merge=linkage.police_record.identity_id,
        reason="Same child: confirmed with the school",
    )


def test_the_history_shows_a_merge_with_its_reason_and_an_undo_link_to_a_reviewer(world, client_for, linkage):
    change = _merge(world, linkage)
    response = client_for("frontdoor").get(reverse("linkage:history"))
    html = _text(response)
    seen = _visible(html)
    assert response.status_code == 200 and "<title>Merges and splits" in html
    assert "Merged" in seen and "Same child: confirmed with the school" in seen
    assert reverse("linkage:undo", args=[change.pk]) in html and "Undo this merge" in seen
    assert "Kowalski" not in html and "Ashdown" not in html
    assert AuditEvent.objects.filter(event="linkage.history_view", actor_username="frontdoor").count() == 1


def test_an_administrator_reads_the_history_without_reasons_names_or_the_undo(world, client_for, linkage):
    change = _merge(world, linkage)
    client = client_for("admin")
    html = _text(client.get(reverse("linkage:history")))
    seen = _visible(html)
    assert "Merged" in seen and "frontdoor" in seen.lower()
    assert "Same child" not in html and "Undo this merge" not in html
    assert reverse("linkage:undo", args=[change.pk]) not in html
    assert "Ashdown" not in html and "Kowalski" not in html
    assert client.get(reverse("linkage:undo", args=[change.pk])).status_code == 404
    response = client.post(reverse("linkage:undo", args=[change.pk]), {"reason": "An administrator tries"})
    assert response.status_code == 404
    assert not IdentityChange.objects.filter(kind="unmerge").exists()


def test_undoing_a_merge_needs_a_reason_then_puts_every_record_back(world, client_for, linkage):
    change = _merge(world, linkage)
    client = client_for("frontdoor")
    url = reverse("linkage:undo", args=[change.pk])
    page = _visible(_text(client.get(url)))
    assert "Tomasz Kowalski" in page and "Police incidents" in page
    assert "Same child: confirmed with the school" in page
    refused = client.post(url, {"reason": "  "})
    assert refused.status_code == 200 and "Give the reason for undoing this merge" in _text(refused)
    assert Record.objects.get(pk=linkage.police_record.pk).identity_id == linkage.amy_identity.pk
    done = client.post(url, {"reason": "The school confirmed a different child"}, follow=True)
    assert done.redirect_chain == [(reverse("linkage:history"), 302)]
    assert "Merge undone" in _text(done)
    assert Record.objects.get(pk=linkage.police_record.pk).identity_id != linkage.amy_identity.pk
    again = client.post(url, {"reason": "Twice"})
    assert "This is not a merge that can be undone: nothing was changed" in _text(again)
    assert IdentityChange.objects.filter(kind="unmerge").count() == 1
    assert "Merge undone" in _visible(_text(client.get(reverse("linkage:history"))))


def test_same_person_on_two_known_people_merges_them_and_the_history_undoes_it(world, client_for, linkage):
    from continuum.linkage.models import Identity
    from continuum.people.models import Relationship

    ben_identity = Identity.objects.create(person=world.ben, created_at=linkage.run.started_at)
    ben_record = Record.objects.create(person=world.ben, identity=ben_identity, how="person")
    both = review_world.pair(
        linkage.amy_record, ben_record, model=linkage.model, run=linkage.run, probability=0.96, why="people", reasons=[]
    )
    before = sorted(Relationship.objects.values_list("pk", "from_person_id", "to_person_id"))
    client = client_for("frontdoor")
    done = _decide(client, both, decision="accepted", reason="The school confirms one child")
    assert done.redirect_chain == [(reverse("linkage:queue"), 302)]
    merge = IdentityChange.objects.get(kind="merge")
    assert merge.review_pair_id == both.pk
    # The older identity is kept (ben's, made with the run); amy's own record moves into it.
    assert merge.identity_id == ben_identity.pk and merge.other_id == linkage.amy_identity.pk
    assert Record.objects.get(pk=linkage.amy_record.pk).identity_id == ben_identity.pk
    assert sorted(Relationship.objects.values_list("pk", "from_person_id", "to_person_id")) != before  # mum's moved

    history = _text(client.get(reverse("linkage:history")))
    assert "The school confirms one child" in history and reverse("linkage:undo", args=[merge.pk]) in history
    page = _visible(_text(client.get(reverse("linkage:undo", args=[merge.pk]))))
    assert "Open the pair that was decided" in page and "Amy Ashdown" in page
    undone = client.post(reverse("linkage:undo", args=[merge.pk]), {"reason": "Two children after all"}, follow=True)
    assert "Merge undone" in _text(undone)
    assert Record.objects.get(pk=linkage.amy_record.pk).identity_id == linkage.amy_identity.pk
    assert sorted(Relationship.objects.values_list("pk", "from_person_id", "to_person_id")) == before


def test_the_undo_page_takes_a_fixed_number_of_queries(world, client_for, linkage):
    change = _merge(world, linkage)
    client = client_for("frontdoor")
    url = reverse("linkage:undo", args=[change.pk])
    client.get(url)
    with assert_database_query_count(UNDO_QUERIES):
        assert client.get(url).status_code == 200
    with assert_database_query_count(HISTORY_QUERIES):
        assert client.get(reverse("linkage:history")).status_code == 200


def test_percentages_read_as_a_reviewer_expects():
    from continuum.linkage.selectors.review import percent

    assert [percent(p) for p in (0.5, 0.934, 0.9994, 0.99999, 1.0, 0.0031, 0.0)] == [
        "50%",
        "93%",
        "99.9%",
        "99.9%",
        "100%",
        "0.4%",
        "0%",
    ]


def test_the_menu_offers_the_review_to_the_front_door_and_the_history_to_administrators(world, client_for, linkage):
    front = _text(client_for("frontdoor").get(reverse("home")))
    assert "Linkage review" in front
    admin = _text(client_for("admin").get(reverse("home")))
    assert "Linkage review" not in admin and reverse("linkage:history") in admin
    for username in ("alice", "dsl_north", "analyst", "nurse", "police"):
        html = _text(client_for(username).get(reverse("home")))
        assert reverse("linkage:queue") not in html and reverse("linkage:history") not in html, username
