"""Seed the province level of QĐ 28/2025/QĐ-TTg as a national criteria set (level "province"): the drug-free goal
(the share of the province's communes recognised, KL 132 / NQ 93) and the class "tỉnh trọng điểm phức tạp về ma
túy". Sources and what is not confirmed: docs/recognition.md, "The province level". Data an administrator edits in
the admin; nothing in code depends on these thresholds."""

from datetime import date

from django.db import migrations

# Told apart from the commune set's (progress 0008), which names the decision alone.
QD28_DOCUMENT = "Tiêu chí cấp tỉnh của Quyết định 28/2025/QĐ-TTg ngày 24/8/2025 của Thủ tướng Chính phủ"

# Ungrouped: must be met. The national goal, ≥ 50 % of communes (confirmed for the country by 2030; applied here to
# each province, which is our reading).
DRUG_FREE = [("recognised_communes_share", "gte", "50")]

# The hotspot province: at least k of these clauses (every comparison "≥"). The indicators are confirmed from the
# government's summary; k and clause d's threshold are not (placeholders an administrator sets).
HOTSPOT_PROVINCE = (
    "Tỉnh, thành phố trọng điểm phức tạp về ma túy",
    "Tỉnh trọng điểm",
    2,
    [
        ("a", "qd28_users_addicts_share", "0.2"),
        ("b", "qd28_use_places", "5"),
        ("c", "qd28_arrested_share", "0.05"),
        ("d", "qd28_hotspot_communes_share", "20"),
    ],
)


def seed(apps, schema_editor):
    Programme = apps.get_model("progress", "Programme")
    CriterionGroup = apps.get_model("progress", "CriterionGroup")
    Criterion = apps.get_model("progress", "Criterion")
    programme, created = Programme.objects.get_or_create(
        legal_document=QD28_DOCUMENT,
        level="province",
        defaults={
            "name": "Tỉnh không ma túy, tỉnh trọng điểm phức tạp về ma túy (QĐ 28/2025, cấp tỉnh)",
            "province": None,
            "period_start": date(2025, 8, 24),
            "period_end": date(2030, 12, 31),
            "is_active": True,
            "description": (
                "Cấp tỉnh: tỷ lệ xã được công nhận không ma túy so với mục tiêu (phải đạt) và phân loại tỉnh trọng "
                "điểm phức tạp về ma túy (đạt ít nhất k trong các điểm a–d). Số liệu tỉnh là tổng số liệu các xã."
            ),
        },
    )
    if not created:
        return
    for order, (key, comparison, target) in enumerate(DRUG_FREE, start=1):
        Criterion.objects.create(programme=programme, order=order, metric_key=key, comparison=comparison, target=target)
    name, short_name, at_least, clauses = HOTSPOT_PROVINCE
    group = CriterionGroup.objects.create(
        programme=programme, order=1, name=name, short_name=short_name, role="class", min_met=at_least
    )
    for order, (clause, key, target) in enumerate(clauses, start=len(DRUG_FREE) + 1):
        Criterion.objects.create(
            programme=programme, group=group, clause=clause, order=order, metric_key=key, comparison="gte", target=target
        )


def unseed(apps, schema_editor):
    apps.get_model("progress", "Programme").objects.filter(legal_document=QD28_DOCUMENT, level="province").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("recognition", "0004_dossier_criteria_groups"),
        ("progress", "0008_seed_qd28_and_hamlet_set"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
