"""The commune's record services validate what they save whoever calls them (not only the forms)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from communes.models import DrugPlantEradication, Hotspot, TraffickingRoute
from communes.services import hotspot_save, place_record_save
from drugfree.concurrency import EditConflict
from tests import factories as f


def test_an_eradication_in_another_communes_hamlet_is_refused_and_nothing_is_written(places, personas):
    with pytest.raises(ValidationError) as refused:
        place_record_save(
            actor=personas.officer_a,
            record=DrugPlantEradication(commune=places.commune_a),
            hamlet=places.hamlet_b,
            destroyed_on=date(2025, 1, 2),
            plant_kind="cannabis",
            plants=40,
            location="Nương",
        )

    assert refused.value.message_dict["hamlet"] == ["Thôn không thuộc xã này."]
    assert not DrugPlantEradication.objects.exists()


def test_a_route_edited_after_a_colleagues_save_is_refused(places, personas):
    route = f.trafficking_route(places.commune_a, identified_on=date(2024, 6, 1))
    seen = route.version
    place_record_save(actor=personas.officer_a, record=route, seen_version=seen, name="Đường mòn Na Mèo")

    with pytest.raises(EditConflict):
        place_record_save(actor=personas.officer_a, record=route, seen_version=seen, name="Tên khác")

    assert TraffickingRoute.objects.get().name == "Đường mòn Na Mèo"


def test_editing_a_hotspot_keeps_its_status_and_its_history(places, personas):
    hotspot = hotspot_save(
        actor=personas.officer_a,
        record=Hotspot(commune=places.commune_a),
        kind=Hotspot.Kind.SELLING,
        location="Quán ngã ba",
        detected_on=date(2025, 1, 2),
    )

    hotspot_save(actor=personas.officer_a, record=hotspot, seen_version=hotspot.version, location="Quán ngã tư")

    hotspot.refresh_from_db()
    assert (hotspot.status, hotspot.location, hotspot.status_changes.count()) == ("detected", "Quán ngã tư", 1)
