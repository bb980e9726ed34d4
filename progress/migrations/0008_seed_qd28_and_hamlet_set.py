"""Seed the national QĐ 28/2025/QĐ-TTg set (drug-free area; hotspot classes I, II, III for communes) and Thanh Hóa's
hamlet set "thôn, bản, khu phố sạch về ma túy". Sources and what is not confirmed: docs/recognition.md. Everything
here is data an administrator edits in the admin; nothing in code depends on these thresholds."""

from datetime import date

from django.db import migrations

QD28_DOCUMENT = "Quyết định 28/2025/QĐ-TTg ngày 24/8/2025 của Thủ tướng Chính phủ"
HAMLET_DOCUMENT = "Thôn, bản, khu phố sạch về ma túy (theo Đề án 3822/ĐA-CAT), Công an tỉnh Thanh Hóa"

# Drug-free area: every criterion must be met (ungrouped). Not confirmed against the text: docs/recognition.md.
QD28_DRUG_FREE = [
    ("addicts_in_treatment", "gte", 100),
    ("missed_users", "eq", 0),
    ("active_hotspots", "eq", 0),
    ("psychosis_serious_incidents", "eq", 0),
    ("qd28_plants_destroyed", "eq", 0),
    ("qd28_plants_area", "eq", 0),
]

# (order, name, short name, at least k, [(clause, metric, target)]): every comparison is "≥".
QD28_CLASSES = [
    (
        1,
        "Xã trọng điểm phức tạp về ma túy loại I",
        "Loại I",
        3,
        [
            ("a", "qd28_users_addicts_share", "0.5"),
            ("b", "qd28_use_places", "2"),
            ("c", "qd28_arrested_share", "0.1"),
            ("d", "qd28_plants_destroyed", "3000"),
            ("d", "qd28_plants_area", "750"),
            ("đ", "qd28_trafficking_routes", "1"),
        ],
    ),
    (
        2,
        "Xã trọng điểm phức tạp về ma túy loại II",
        "Loại II",
        3,
        [
            ("a", "qd28_users_addicts_share", "0.3"),
            ("b", "qd28_use_places", "1"),
            ("c", "qd28_arrested_share", "0.05"),
            ("d", "qd28_plants_destroyed", "500"),
            ("d", "qd28_plants_area", "125"),
            ("đ", "qd28_trafficking_routes", "1"),
        ],
    ),
    (
        3,
        "Xã trọng điểm phức tạp về ma túy loại III",
        "Loại III",
        1,
        [
            ("a", "qd28_users_addicts_share", "0.001"),
            ("b", "qd28_use_places", "1"),
            ("c", "qd28_arrested_share", "0.001"),
            ("d", "qd28_plants_destroyed", "1"),
            ("d", "qd28_plants_area", "1"),
            ("đ", "qd28_trafficking_routes", "1"),
        ],
    ),
]

HAMLET_CRITERIA = [
    ("addicts_in_treatment", "gte", 100),
    ("users_with_decision", "gte", 100),
    ("suspects_tested", "gte", 100),
    ("missed_users", "eq", 0),
    ("psychosis_serious_incidents", "eq", 0),
    ("households_pledged", "gte", 100),
    ("post_rehab_managed", "gte", 100),
    ("active_hotspots", "eq", 0),
    ("hamlets_committed", "gte", 100),
]


def seed_qd28(Programme, CriterionGroup, Criterion):
    programme, created = Programme.objects.get_or_create(
        legal_document=QD28_DOCUMENT,
        defaults={
            "name": "Địa bàn không ma túy, xã trọng điểm phức tạp về ma túy (QĐ 28/2025)",
            "province": None,
            "period_start": date(2025, 8, 24),
            "period_end": date(2030, 12, 31),
            "level": "commune",
            "is_active": True,
            "description": (
                "Tiêu chí xác định địa bàn không ma túy (phải đạt tất cả) và phân loại xã trọng điểm phức tạp về "
                "ma túy loại I, II, III (đạt ít nhất k trong các điểm a–đ)."
            ),
        },
    )
    if not created:
        return
    Criterion.objects.bulk_create(
        Criterion(programme=programme, order=order, metric_key=key, comparison=comparison, target=target)
        for order, (key, comparison, target) in enumerate(QD28_DRUG_FREE, start=1)
    )
    order = len(QD28_DRUG_FREE)
    for group_order, name, short_name, at_least, criteria in QD28_CLASSES:
        group = CriterionGroup.objects.create(
            programme=programme, order=group_order, name=name, short_name=short_name, role="class", min_met=at_least
        )
        for clause, key, target in criteria:
            order += 1
            Criterion.objects.create(
                programme=programme,
                group=group,
                clause=clause,
                order=order,
                metric_key=key,
                comparison="gte",
                target=target,
            )


def seed_hamlet_set(Province, Programme, Criterion):
    thanh_hoa, _ = Province.objects.get_or_create(code="38", defaults={"name": "Thanh Hóa"})
    programme, created = Programme.objects.get_or_create(
        legal_document=HAMLET_DOCUMENT,
        defaults={
            "name": "Thôn, bản, khu phố sạch về ma túy",
            "province": thanh_hoa,
            "period_start": date(2024, 1, 1),
            "period_end": date(2030, 12, 31),
            "level": "hamlet",
            "is_active": True,
            "description": "Tiêu chí của Đề án 3822 tính được theo thôn; xã công nhận thôn, bản, khu phố.",
        },
    )
    if created:
        Criterion.objects.bulk_create(
            Criterion(programme=programme, order=order, metric_key=key, comparison=comparison, target=target)
            for order, (key, comparison, target) in enumerate(HAMLET_CRITERIA, start=1)
        )


def seed(apps, schema_editor):
    Programme = apps.get_model("progress", "Programme")
    Criterion = apps.get_model("progress", "Criterion")
    seed_qd28(Programme, apps.get_model("progress", "CriterionGroup"), Criterion)
    seed_hamlet_set(apps.get_model("communes", "Province"), Programme, Criterion)


def unseed(apps, schema_editor):
    apps.get_model("progress", "Programme").objects.filter(legal_document__in=[QD28_DOCUMENT, HAMLET_DOCUMENT]).delete()


class Migration(migrations.Migration):
    dependencies = [("progress", "0007_criteria_groups_and_levels"), ("communes", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
