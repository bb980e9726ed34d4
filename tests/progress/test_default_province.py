"""The one rule for the province dashboards and the progress admin open on (progress.selectors.default_province)."""

from datetime import date

import pytest

from accounts.models import Role
from communes.models import District
from progress.models import Programme
from progress.selectors import default_province
from tests import factories as f


@pytest.mark.parametrize("persona", ["officer_a", "officer_b", "viewer_a", "reviewer", "reviewer_personal"])
def test_users_with_an_area_open_on_their_own_province(persona, places, personas):
    assert default_province(getattr(personas, persona)) == places.province


def test_a_cluster_reviewer_opens_on_the_clusters_province(places):
    cluster = District.objects.create(province=places.other_province, name="Cụm Nghệ Thử")
    reviewer = f.user("cum_nghethu", Role.REVIEWER, district=cluster)
    assert default_province(reviewer) == places.other_province


def test_administrator_opens_on_the_newest_active_provincial_programme(places, personas):
    Programme.objects.create(
        name="Bộ tiêu chí Nghệ An",
        legal_document="KH 1/CAT",
        province=places.other_province,
        period_start=date(2099, 1, 1),
        period_end=date(2099, 12, 31),
    )
    assert default_province(personas.admin) == places.other_province


def test_administrator_without_any_provincial_programme_opens_on_the_first_province_with_communes(places, personas):
    Programme.objects.update(is_active=False)
    f.province("01", "Hà Nội")  # no communes: not a province to open on
    assert default_province(personas.admin) == places.province
