"""What people type is shown as text, never run as markup."""

from __future__ import annotations

from django.urls import reverse

from continuum.people.services import person_create, relationship_add

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_names_with_markup_are_escaped_on_every_page_that_shows_them(world, client_for):
    evil = person_create(actor=world.frontdoor, given_name=PAYLOAD, family_name="Marks", sex="U")
    relationship_add(
        actor=world.frontdoor, from_person=evil, to_person=world.amy, kind="peer", source=PAYLOAD, confidence="reported"
    )
    client = client_for("frontdoor")
    pages = [
        client.post(reverse("people:search"), {"name": "marks"}, follow=True),
        client.get(reverse("people:record", args=[evil.pk])),
        client.get(reverse("people:record", args=[world.amy.pk])),  # a link to the related person
        client_for("alice").get(reverse("people:record", args=[world.amy.pk])),  # plain text: alice cannot open it
    ]
    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        assert PAYLOAD not in html
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;" in html and "&amp;lt;" not in html  # escaped once, not twice
