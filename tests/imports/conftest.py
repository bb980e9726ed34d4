from pathlib import Path

import pytest

from tests import factories as f

SAMPLES = Path(__file__).resolve().parent.parent / "fixtures" / "samples"
KHU_PHO_SOI = SAMPLES / "ho_gia_dinh_khu_pho_soi.xlsx"
NGOC_LAC = SAMPLES / "ho_gia_dinh_ngoc_lac.xls"
WITH_ERRORS = SAMPLES / "ho_gia_dinh_co_loi.xlsx"
NGOC_LAC_HAMLETS = [
    "Thắng", "Hợp", "Thái", "Hưng", "Lợi", "Thịnh", "Phúc", "Vinh", "Minh", "Sơn", "Hòa", "Tiến",
]  # fmt: skip


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def ngoc_lac_hamlets(places):
    return [f.hamlet(places.commune_b, f"Thôn Quang {name}") for name in NGOC_LAC_HAMLETS]
