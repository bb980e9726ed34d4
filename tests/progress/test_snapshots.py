"""Monthly snapshots: taken by a command, idempotent, immutable; a reviewer marks a commune's month as reviewed."""

from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from progress.models import CommuneSnapshot, MonthReview
from progress.selectors import today
from progress.services import first_of_month, mark_month_reviewed, previous_month, take_snapshots
from tests import factories as f

THIS_MONTH = first_of_month(today())


def _take(*args):
    out = StringIO()
    call_command("take_snapshots", *args, stdout=out)
    return out.getvalue()


def test_take_snapshots_freezes_every_commune_of_the_province_for_every_criterion(story, places, programme):
    output = _take("--month", f"{THIS_MONTH:%Y-%m}")
    # Thanh Hóa's communes A and B × 11 criteria of Đề án 3822 (the Nghệ An commune is not in its province), and
    # the three communes × 24 criteria of the national QĐ 28/2025 (6 for a drug-free area, 3 classes × 6); the
    # hamlet set is not frozen.
    assert "94 snapshot rows created" in output
    assert CommuneSnapshot.objects.filter(criterion__programme__level="hamlet").count() == 0
    pledged = CommuneSnapshot.objects.get(commune=places.commune_a, criterion__metric_key="households_pledged")
    assert (pledged.numerator, pledged.denominator, pledged.gap_size, pledged.met) == (2, 3, 1, False)
    assert float(pledged.value) == pytest.approx(66.667)
    assert str(pledged.target) == "100.000" and pledged.comparison == "gte"


def test_take_snapshots_twice_changes_nothing_even_after_records_change(story, places, programme):
    take_snapshots(month=THIS_MONTH)
    f.pledge(story.households.h3, year=today().year)
    assert take_snapshots(month=THIS_MONTH) == 0
    frozen = CommuneSnapshot.objects.get(commune=places.commune_a, criterion__metric_key="households_pledged")
    assert frozen.numerator == 2


def test_default_month_is_the_one_that_just_ended(places, programme):
    assert f"{previous_month(today()):%m/%Y}: 94 snapshot rows created" in _take()


def test_bad_or_future_month_is_refused(places, programme):
    with pytest.raises(CommandError):
        _take("--month", "2026/01")
    with pytest.raises(CommandError):
        _take("--month", f"{today().year + 1}-01")


def test_a_snapshot_cannot_be_changed_or_deleted(places, programme):
    take_snapshots(month=THIS_MONTH)
    snapshot = CommuneSnapshot.objects.first()
    snapshot.numerator = 999
    with pytest.raises(ValidationError):
        snapshot.save()
    with pytest.raises(ValidationError):
        snapshot.delete()
    with pytest.raises(ValidationError):
        CommuneSnapshot.objects.update(met=True)
    with pytest.raises(ValidationError):
        CommuneSnapshot.objects.all().delete()
    assert CommuneSnapshot.objects.get(pk=snapshot.pk).numerator != 999


def test_reviewer_marks_a_frozen_month_reviewed_once(places, personas, programme):
    with pytest.raises(ValidationError):
        mark_month_reviewed(actor=personas.reviewer, commune=places.commune_a, month=THIS_MONTH)
    take_snapshots(month=THIS_MONTH)
    review = mark_month_reviewed(
        actor=personas.reviewer, commune=places.commune_a, month=THIS_MONTH, note="Đã kiểm tra"
    )
    assert (review.reviewed_by, review.month) == (personas.reviewer, THIS_MONTH)
    with pytest.raises(ValidationError):
        mark_month_reviewed(actor=personas.reviewer, commune=places.commune_a, month=THIS_MONTH)
    with pytest.raises(PermissionDenied):
        mark_month_reviewed(actor=personas.officer_a, commune=places.commune_b, month=THIS_MONTH)
    assert MonthReview.objects.count() == 1


def test_a_review_note_longer_than_its_column_is_refused_and_nothing_is_written(places, personas, programme):
    take_snapshots(month=THIS_MONTH)

    with pytest.raises(ValidationError) as refused:
        mark_month_reviewed(actor=personas.reviewer, commune=places.commune_a, month=THIS_MONTH, note="x" * 501)

    assert "note" in refused.value.message_dict
    assert not MonthReview.objects.exists()


def test_snapshots_are_read_only_in_the_admin(places, personas, programme, client_for):
    take_snapshots(month=THIS_MONTH)
    snapshot = CommuneSnapshot.objects.filter(commune=places.commune_a).first()
    client = client_for(personas.admin)
    assert client.get(reverse("admin:progress_communesnapshot_changelist")).status_code == 200
    response = client.post(
        reverse("admin:progress_communesnapshot_change", args=[snapshot.pk]), {"numerator": 999, "met": "on"}
    )
    assert response.status_code == 403
    assert (
        client.post(reverse("admin:progress_communesnapshot_delete", args=[snapshot.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert CommuneSnapshot.objects.get(pk=snapshot.pk).numerator == snapshot.numerator
