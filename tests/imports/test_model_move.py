"""ImportRun moved from residents to imports (imports.0001, residents.0016): a database holding runs keeps them."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from imports.models import ImportRun

RESIDENTS_BEFORE = ("residents", "0015_person_transfer_and_retention")
CONTENT_TYPES = ("contenttypes", "0002_remove_content_type_name")
PERMISSIONS = ("auth", "0012_alter_user_first_name_max_length")


def _migrate_back():
    executor = MigrationExecutor(connection)
    executor.migrate([RESIDENTS_BEFORE, ("imports", None)])
    return executor.loader.project_state([RESIDENTS_BEFORE, CONTENT_TYPES, PERMISSIONS]).apps


@pytest.mark.django_db(transaction=True)
def test_runs_and_their_permissions_survive_the_move():
    old = _migrate_back()
    try:
        Province = old.get_model("communes", "Province")
        District = old.get_model("communes", "District")
        Commune = old.get_model("communes", "Commune")
        province, _ = Province.objects.get_or_create(code="38", defaults={"name": "Thanh Hóa"})
        district = District.objects.create(code="390", name="Quan Sơn", province=province)
        commune = Commune.objects.create(code="26001", name="Trung Sơn", province=province, district=district)
        OldRun = old.get_model("residents", "ImportRun")
        run = OldRun.objects.create(
            commune=commune, file_name="ds-trung-son.xlsx", status="done", mode="all", total_rows=120,
            errors=[{"row": 7, "field": "head_birth", "message": "Ngày sinh không hợp lệ"}], summary={"pledges": 3},
        )  # fmt: skip
        ContentType = old.get_model("contenttypes", "ContentType")
        Permission = old.get_model("auth", "Permission")
        content_type, _ = ContentType.objects.get_or_create(app_label="residents", model="importrun")
        permission, _ = Permission.objects.get_or_create(
            codename="view_importrun", content_type=content_type, defaults={"name": "Can view lần nhập"}
        )
        old.get_model("auth", "Group").objects.create(name="Xem lần nhập").permissions.add(permission)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    moved = ImportRun.objects.get(pk=run.pk)
    assert (moved.commune_id, moved.file_name, moved.status, moved.total_rows) == (commune.pk, "ds-trung-son.xlsx",
                                                                                    "done", 120)  # fmt: skip
    assert moved.errors[0]["row"] == 7 and moved.summary == {"pledges": 3}
    assert list(Group.objects.get(name="Xem lần nhập").permissions.values_list(
        "content_type__app_label", "codename")) == [("imports", "view_importrun")]  # fmt: skip
