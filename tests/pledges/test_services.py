"""The pledges app's services validate what they save (full_clean) whoever calls them, and save all or nothing."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from communes.models import SecurityTeam
from drugfree.concurrency import EditConflict
from pledges.models import EmulationCompact, HamletCommitment, HouseholdPledge, PreventionModel
from pledges.services import PledgeEntry, PledgeRowRefused, pledges_record, programme_record_save
from tests import factories as f

TODAY = timezone.localdate()


def test_a_pledge_the_model_refuses_stops_the_whole_checklist(places, personas):
    first, second = (f.household(places.hamlet_a, head_name=f"Lò Văn {n}") for n in (1, 2))
    entries = [
        PledgeEntry(household=first, signed=True, signed_on=TODAY, representative_name="Lò Văn 1"),
        # Longer than the column: only the model's validation catches it (SQLite would store it).
        PledgeEntry(household=second, signed=True, signed_on=TODAY, representative_name="Lò Văn " + "A" * 100),
    ]

    with pytest.raises(PledgeRowRefused) as refused:
        pledges_record(actor=personas.officer_a, year=TODAY.year, entries=entries)

    assert refused.value.household == second
    assert "representative_name" in refused.value.reasons
    assert not HouseholdPledge.objects.exists()


def test_a_second_commitment_of_a_hamlet_for_the_year_is_refused_by_the_service(places, personas):
    def commitment():
        return programme_record_save(
            actor=personas.officer_a,
            record=HamletCommitment(),
            hamlet=places.hamlet_a,
            year=2025,
            registered_on=date(2025, 1, 10),
            signed_by="Hà Văn Trưởng",
        )

    commitment()
    with pytest.raises(ValidationError):
        commitment()

    assert HamletCommitment.objects.count() == 1


def test_a_compact_is_saved_with_its_teams_and_its_author(places, personas):
    teams = [SecurityTeam.objects.create(hamlet=places.hamlet_a, name=f"Tổ {n}") for n in (1, 2)]

    compact = programme_record_save(
        actor=personas.officer_a,
        record=EmulationCompact(commune=places.commune_a),
        title="Giao ước 2025",
        signed_on=date(2025, 2, 1),
        teams=teams,
    )

    assert set(compact.teams.all()) == set(teams)
    assert compact.history.get().history_user == personas.officer_a


def test_an_edit_of_a_model_someone_saved_meanwhile_is_refused(places, personas):
    model = PreventionModel.objects.create(commune=places.commune_a, name="Khu phố sạch", launched_on=date(2024, 4, 2))
    seen = model.version
    programme_record_save(actor=personas.officer_a, record=model, seen_version=seen, name="Khu phố sạch về ma túy")

    # A second officer's form, opened at the first version.
    with pytest.raises(EditConflict):
        programme_record_save(actor=personas.officer_a, record=model, seen_version=seen, name="Tên khác")

    assert PreventionModel.objects.get().name == "Khu phố sạch về ma túy"
