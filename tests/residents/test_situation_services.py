"""A drug case and its arrested suspects are saved together or not at all, each row validated and attributed."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from residents.models import ArrestedSuspect, DrugCase
from residents.services.situation import drug_case_save

CASE = {"detected_on": date(2024, 2, 3), "offence": "Mua bán trái phép chất ma túy"}


def test_a_suspect_arrested_in_the_future_saves_neither_the_case_nor_any_suspect(places, personas):
    tomorrow = timezone.localdate() + timedelta(days=1)
    suspects = [
        (None, {"full_name": "Lò Văn Tám", "arrested_on": date(2024, 2, 3)}),
        (None, {"full_name": "Hà Văn Bảy", "arrested_on": tomorrow}),
    ]

    with pytest.raises(ValidationError) as refused:
        drug_case_save(actor=personas.officer_a, record=DrugCase(commune=places.commune_a), suspects=suspects, **CASE)

    assert "arrested_on" in refused.value.message_dict
    assert not DrugCase.objects.exists() and not ArrestedSuspect.objects.exists()


def test_a_suspect_of_another_case_cannot_be_removed_through_this_one(places, personas):
    case, other = (DrugCase.objects.create(commune=places.commune_a, **CASE) for _ in range(2))
    theirs = ArrestedSuspect.objects.create(case=other, full_name="Lò Văn Tám", arrested_on=date(2024, 2, 3))

    with pytest.raises(ValidationError):
        drug_case_save(actor=personas.officer_a, record=case, seen_version=case.version, removed_suspects=[theirs])

    assert ArrestedSuspect.objects.filter(pk=theirs.pk).exists()
