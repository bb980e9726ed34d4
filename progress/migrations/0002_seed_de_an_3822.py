"""Seed Thanh Hóa's Đề án 3822 with every criterion of docs/domain.md §6, so a fresh database has it."""

from datetime import date

from django.db import migrations

LEGAL_DOCUMENT = "Đề án 3822/ĐA-CAT, Công an tỉnh Thanh Hóa"

# (metric key, comparison, target): criteria 1–6, then what the plan also tracks.
CRITERIA = [
    ("addicts_in_treatment", "gte", 100),
    ("suspects_tested", "gte", 100),
    ("missed_users", "eq", 0),
    ("psychosis_serious_incidents", "eq", 0),
    ("households_pledged", "gte", 100),
    ("active_prevention_models", "gte", 1),
    ("users_with_decision", "gte", 100),
    ("post_rehab_managed", "gte", 100),
    ("active_hotspots", "eq", 0),
    ("steering_committee_and_plan", "gte", 100),
    ("hamlets_committed", "gte", 100),
]


def seed(apps, schema_editor):
    Province = apps.get_model("communes", "Province")
    Programme = apps.get_model("progress", "Programme")
    Criterion = apps.get_model("progress", "Criterion")
    # load_units updates the name from vietnam-provinces by code later; the code is what matters here.
    thanh_hoa, _ = Province.objects.get_or_create(code="38", defaults={"name": "Thanh Hóa"})
    programme, created = Programme.objects.get_or_create(
        legal_document=LEGAL_DOCUMENT,
        defaults={
            "name": "Xây dựng xã, phường, thị trấn không ma túy (Đề án 3822)",
            "province": thanh_hoa,
            "period_start": date(2024, 1, 1),
            "period_end": date(2025, 12, 31),
            "is_active": True,
            "description": "Tiêu chí theo Đề án 3822/ĐA-CAT giai đoạn 2024–2025.",
        },
    )
    if created:
        Criterion.objects.bulk_create(
            Criterion(programme=programme, order=order, metric_key=key, comparison=comparison, target=target)
            for order, (key, comparison, target) in enumerate(CRITERIA, start=1)
        )


def unseed(apps, schema_editor):
    apps.get_model("progress", "Programme").objects.filter(legal_document=LEGAL_DOCUMENT).delete()


class Migration(migrations.Migration):
    dependencies = [("progress", "0001_initial"), ("communes", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
