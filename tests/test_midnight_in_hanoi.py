"""At every hour "today" is the date in Vietnam: a form, a service, the pledge checklist, an import and the snapshot
command, with the clock pinned on each side of midnight in Hanoi (17:00 UTC) and at 06:59:59 Hanoi time, when the
UTC date is still the day before.

The instants are in the past, so the database's own check (which reads the real clock, see
tests/communes/test_vietnam_today.py) accepts every date these tests expect to be saved.
"""

import os
from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from pledges.models import HouseholdPledge
from progress.models import CommuneSnapshot
from residents.models import DrugTest
from residents.services import lifecycle
from tests import factories as f
from tests.imports.helpers import household_row, write_xlsx
from tests.pledges.checklist import checklist_data

INSTANTS = [
    pytest.param(datetime(2025, 6, 30, 16, 59, 59, tzinfo=UTC), date(2025, 6, 30), id="23:59:59-in-Hanoi"),
    pytest.param(datetime(2025, 6, 30, 17, 0, 0, tzinfo=UTC), date(2025, 7, 1), id="midnight-in-Hanoi"),
    pytest.param(datetime(2025, 6, 30, 23, 59, 59, tzinfo=UTC), date(2025, 7, 1), id="06:59:59-in-Hanoi"),
]


def _d(day: date) -> str:
    return day.strftime("%d/%m/%Y")


@pytest.mark.parametrize(("instant", "hanoi_date"), INSTANTS)
def test_a_form_offers_and_saves_the_hanoi_date_and_refuses_the_next_day(
    places, personas, client_for, at_instant, instant, hanoi_date
):
    person = f.person(places.hamlet_a, full_name="Lò Văn Tám")
    at_instant(instant)
    client = client_for(personas.officer_a)
    url = reverse("residents:person_action", args=[person.pk, "record_test"])

    assert client.get(url).context["form"]["tested_on"].value() == hanoi_date
    tomorrow = client.post(
        url, {"tested_on": _d(hanoi_date + timedelta(days=1)), "result": "negative", "method": "quick_urine",
              "seen_version": person.version},
    )  # fmt: skip
    saved = client.post(
        url, {"tested_on": _d(hanoi_date), "result": "negative", "method": "quick_urine",
              "seen_version": person.version},
    )  # fmt: skip

    assert tomorrow.status_code == 200 and tomorrow.context["form"].errors["tested_on"]
    assert saved.status_code == 302
    assert list(DrugTest.objects.values_list("tested_on", flat=True)) == [hanoi_date]


@pytest.mark.parametrize(("instant", "hanoi_date"), INSTANTS)
def test_a_service_accepts_the_hanoi_date_and_refuses_the_next_day(places, personas, at_instant, instant, hanoi_date):
    person = f.person(places.hamlet_a)
    at_instant(instant)

    with pytest.raises(ValidationError) as refused:
        lifecycle.person_record_test(
            actor=personas.officer_a, person=person, tested_on=hanoi_date + timedelta(days=1), result="negative"
        )
    lifecycle.person_record_test(actor=personas.officer_a, person=person, tested_on=hanoi_date, result="negative")

    assert "tested_on" in refused.value.message_dict
    assert list(DrugTest.objects.values_list("tested_on", flat=True)) == [hanoi_date]


@pytest.mark.parametrize(("instant", "hanoi_date"), INSTANTS)
def test_the_pledge_checklist_dates_pledges_on_the_hanoi_date(
    places, personas, client_for, at_instant, instant, hanoi_date
):
    for n in (1, 2):
        f.household(places.hamlet_a, code=f"SOI-{n:03d}", head_name=f"Lò Văn {n}")
    at_instant(instant)
    client = client_for(personas.officer_a)
    url = reverse("pledges:checklist", args=[places.hamlet_a.pk, hanoi_date.year])

    page = client.get(url)
    response = client.post(url, checklist_data(page, tick={"SOI-001", "SOI-002"}, default_signed_on=_d(hanoi_date)))

    assert page.context["defaults"]["default_signed_on"].value() == hanoi_date
    assert response.status_code == 302
    assert set(HouseholdPledge.objects.values_list("year", "signed_on")) == {(hanoi_date.year, hanoi_date)}


@pytest.mark.parametrize(("instant", "hanoi_date"), INSTANTS)
def test_an_import_dates_undated_pledges_on_the_hanoi_date(places, personas, tmp_path, at_instant, instant, hanoi_date):
    header = ["STT", "Mã hộ", "Họ và tên chủ hộ", "Ngày sinh", "Giới tính", "Số CCCD", "Thôn/Khu phố", "Số nhân khẩu",
              "Đã ký cam kết"]  # fmt: skip
    path = write_xlsx(tmp_path / "ds.xlsx", [household_row(n) + ["x"] for n in (1, 2, 3)], header=header)
    at_instant(instant)

    call_command("import_households", str(path), "--commune", places.commune_a.code, stdout=StringIO())

    assert set(HouseholdPledge.objects.values_list("year", "signed_on")) == {(hanoi_date.year, hanoi_date)}
    assert HouseholdPledge.objects.count() == 3


@pytest.mark.parametrize(
    ("instant", "frozen_month"),
    [
        pytest.param(datetime(2025, 6, 30, 16, 59, 59, tzinfo=UTC), date(2025, 5, 1), id="23:59:59-on-30/06"),
        pytest.param(datetime(2025, 6, 30, 17, 0, 0, tzinfo=UTC), date(2025, 6, 1), id="midnight-into-01/07"),
        pytest.param(datetime(2025, 6, 30, 23, 59, 59, tzinfo=UTC), date(2025, 6, 1), id="06:59:59-on-01/07"),
    ],
)
def test_the_snapshot_command_freezes_the_month_that_just_ended_in_hanoi(places, at_instant, instant, frozen_month):
    at_instant(instant)
    out = StringIO()

    call_command("take_snapshots", stdout=out)

    assert out.getvalue().startswith(f"{frozen_month:%m/%Y}:")
    assert set(CommuneSnapshot.objects.values_list("month", flat=True)) == {frozen_month}


@pytest.mark.skipif(not os.environ.get("EXPECT_HANOI_NIGHT"), reason="only in the night pass (make pytest-hanoi-night)")
def test_the_night_pass_really_runs_between_midnight_and_seven_in_hanoi():
    hanoi, utc = timezone.localtime(), timezone.now()

    assert 0 <= hanoi.hour < 7 and hanoi.date() == utc.date() + timedelta(days=1)
