"""A link reversed once per page is the link Django reverses for each object."""

from django.urls import reverse

from drugfree.links import ID, LinkPattern


def test_a_pattern_gives_the_address_reverse_gives_for_every_id():
    person, action = LinkPattern("residents:person", ID), LinkPattern("residents:person_action", ID, "record_test")
    printed = LinkPattern("pledges:print_form", ID, 2026)
    for pk in (1, 7, 98765432, 987654321, 9876543210):
        assert person(pk) == reverse("residents:person", args=[pk])
        assert action(pk) == reverse("residents:person_action", args=[pk, "record_test"])
        assert printed(pk) == reverse("pledges:print_form", args=[pk, 2026])
