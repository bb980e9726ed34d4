from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from communes.models import Commune


def _load(*args):
    out = StringIO()
    call_command("load_units", *args, stdout=out)
    return out.getvalue()


def test_load_units_loads_thanh_hoa_166_communes_idempotently(db):
    assert "created=166" in _load("--province", "38")
    assert "created=0 updated=0 unchanged=166" in _load("--province", "38")
    quan_son = Commune.objects.get(code="15016")
    assert (quan_son.name, quan_son.kind, quan_son.province.name) == ("Xã Quan Sơn", "xa", "Thanh Hóa")
    assert Commune.objects.filter(province__code="38", kind="phuong").exists()


def test_load_units_restores_a_renamed_commune(db):
    _load("--province", "38")
    Commune.objects.filter(code="15061").update(name="Xã Ngọc Lặc cũ")
    assert "updated=1" in _load("--province", "38")
    assert Commune.objects.get(code="15061").name == "Xã Ngọc Lặc"


def test_unknown_province_is_refused_with_a_message(db):
    with pytest.raises(CommandError, match="Không có tỉnh mã 99"):
        _load("--province", "99")
