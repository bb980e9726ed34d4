"""Loading official units from the `vietnam-provinces` package (post-July-2025 list: 34 provinces)."""

from dataclasses import dataclass

from django.db import transaction
from vietnam_provinces import Province as SourceProvince
from vietnam_provinces import ProvinceCode, Ward

from .models import Commune, Province

_KIND = {"xã": Commune.Kind.XA, "phường": Commune.Kind.PHUONG, "đặc khu": Commune.Kind.DAC_KHU}


@dataclass
class LoadResult:
    province: Province
    created: int
    updated: int
    unchanged: int


@transaction.atomic
def load_province_units(province_code: int) -> LoadResult:
    """Create or update the province and all its communes; idempotent, never deletes."""
    try:
        source = SourceProvince.from_code(ProvinceCode(province_code))
    except ValueError as exc:
        raise ValueError(f"Không có tỉnh mã {province_code:02d} trong danh mục vietnam-provinces.") from exc
    province, _ = Province.objects.update_or_create(code=f"{province_code:02d}", defaults={"name": source.name})
    existing = {c.code: c for c in Commune.objects.filter(province=province)}
    created = updated = unchanged = 0
    for ward in Ward.iter_all():
        if int(ward.province_code) != province_code:
            continue
        code = f"{int(ward.code):05d}"
        kind = _KIND[ward.division_type.value]
        commune = existing.get(code)
        if commune is None:
            Commune.objects.create(province=province, code=code, name=ward.name, kind=kind)
            created += 1
        elif (commune.name, commune.kind) != (ward.name, kind):
            commune.name, commune.kind = ward.name, kind
            commune.save(update_fields=["name", "kind"])
            updated += 1
        else:
            unchanged += 1
    return LoadResult(province, created, updated, unchanged)


def province_codes() -> list[int]:
    return sorted(int(p.code) for p in SourceProvince.iter_all())
