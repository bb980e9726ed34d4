"""The one scoping layer: each persona sees exactly its own part of the country."""

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import Role
from accounts.scopes import require_review, scope_q
from communes.models import Commune, District
from residents.models import Household, Person
from tests import factories as f


@pytest.fixture
def two_communes(places):
    return {
        "a": f.person(places.hamlet_a, full_name="Lò Văn Tám"),
        "b": f.person(places.hamlet_b, full_name="Bùi Văn Hải"),
        "c": f.person(f.hamlet(places.commune_c, "Xóm Một"), full_name="Trần Văn Cư"),
    }


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("officer_a", {"a"}),
        ("viewer_a", {"a"}),
        ("officer_b", {"b"}),
        ("reviewer", set()),  # aggregates only: no names
        ("reviewer_personal", {"a", "b"}),  # Thanh Hóa only, not Nghệ An
        ("admin", {"a", "b", "c"}),
    ],
)
def test_people_are_visible_only_within_scope(persona, visible, personas, two_communes):
    user = getattr(personas, persona)
    expected = {two_communes[key].pk for key in visible}
    assert set(Person.objects.visible_to(user).values_list("pk", flat=True)) == expected


def test_reviewer_counts_households_of_the_whole_province_without_names(places, personas):
    f.household(places.hamlet_a)
    f.household(places.hamlet_b)
    f.household(f.hamlet(places.commune_c, "Xóm Hai"))
    assert Household.objects.filter(scope_q(personas.reviewer, "commune")).count() == 2
    assert Household.objects.visible_to(personas.reviewer).count() == 0


def test_district_reviewer_sees_only_the_communes_of_the_cluster(places):
    cluster = District.objects.create(province=places.province, name="Cụm Quan Sơn")
    places.commune_a.district = cluster
    places.commune_a.save()
    reviewer = f.user("cum_quanson", Role.REVIEWER, district=cluster, may_view_personal_data=True)
    assert list(Commune.objects.visible_to(reviewer)) == [places.commune_a]


def test_inactive_user_sees_nothing(places, personas, two_communes):
    personas.officer_a.is_active = False
    assert not Person.objects.visible_to(personas.officer_a).exists()


def test_write_permission_follows_role(personas):
    assert personas.officer_a.can_write_records
    assert personas.admin.can_write_records
    assert not personas.viewer_a.can_write_records
    assert not personas.reviewer_personal.can_write_records


@pytest.mark.parametrize(
    ("persona", "may_review"),
    [
        ("officer_a", False),
        ("officer_b", False),
        ("viewer_a", False),
        ("reviewer", True),  # confirming a month needs counts, not names
        ("reviewer_personal", True),
        ("admin", True),
    ],
)
def test_only_reviewers_and_administrators_may_review(persona, may_review, personas):
    user = getattr(personas, persona)
    assert user.may_review is may_review
    if may_review:
        require_review(user)
    else:
        with pytest.raises(PermissionDenied):
            require_review(user)
