"""The demo accounts (one for every role) and the old districts and commune names the units are found by."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.models import Role, User
from communes.models import Commune, CommuneAlias, District
from demo.story.data import NGOC_LAC, QUAN_SON

if TYPE_CHECKING:
    from demo.story import Story

DEMO_PASSWORD = "demo-Khongmatuy-2026"

_ACCOUNTS = [
    ("cand.quanson", Role.COMMUNE_OFFICER, "Hà Văn Dũng", QUAN_SON, None, False),
    ("cand.ngoclac", Role.COMMUNE_OFFICER, "Lê Minh Tuấn", NGOC_LAC, None, False),
    ("xem.quanson", Role.COMMUNE_VIEWER, "Lương Thị Hạnh", QUAN_SON, None, False),
    ("pc04.thanhhoa", Role.REVIEWER, "Trịnh Văn Quang", None, "province", True),
    ("cum.quanson", Role.REVIEWER, "Bùi Đức Thành", None, "district", False),
    ("quantri", Role.ADMINISTRATOR, "Phạm Thu Hà", None, None, False),
    # The recognition cycle: Quan Sơn's chairman approves its dossiers; the province's council appraises them.
    ("ct.quanson", Role.COMMUNE_OFFICER, "Hà Văn Thành", QUAN_SON, None, False),
    ("hd.thamdinh", Role.APPRAISAL_COUNCIL, "Nguyễn Thị Thẩm", None, "province", True),
]
LEADERS = {"ct.quanson"}


def demo_accounts() -> list[tuple[str, str, str]]:
    """(username, role label, unit) for the README and `make run`."""
    return [
        (u.username, u.get_role_display(), str(u.commune or u.district or u.province or "—"))
        for u in User.objects.filter(username__in=[a[0] for a in _ACCOUNTS])
        .select_related("commune", "district", "province")
        .order_by("role", "username")
    ]


def districts_and_aliases(story: Story) -> None:
    for commune, district_name, old_names in [
        (story.quan_son, "Huyện Quan Sơn (cũ)", ["Thị trấn Sơn Lư", "Xã Sơn Điện"]),
        (story.ngoc_lac, "Huyện Ngọc Lặc (cũ)", ["Thị trấn Ngọc Lặc", "Xã Quang Trung", "Xã Ngọc Sơn"]),
    ]:
        district, _ = District.objects.get_or_create(province=story.province, name=district_name)
        if commune.district_id != district.id:
            commune.district = district
            commune.save(update_fields=["district"])
        for old in old_names:
            CommuneAlias.objects.get_or_create(
                old_name=old, old_district_name=district_name.replace(" (cũ)", ""), defaults={"commune": commune}
            )


def create_accounts(story: Story) -> dict[str, User]:
    users = {}
    for username, role, full_name, commune_code, area, personal in _ACCOUNTS:
        user = User.objects.filter(username=username).first() or User(username=username)
        user.role, user.full_name = role, full_name
        # The admin is for those who keep records or manage units; viewers and reviewers read the site's pages.
        user.is_staff = role in (Role.COMMUNE_OFFICER, Role.ADMINISTRATOR)
        user.commune = Commune.objects.get(code=commune_code) if commune_code else None
        user.province = story.province if area == "province" else None
        user.district = story.quan_son.district if area == "district" else None
        user.may_view_personal_data = personal
        user.is_unit_leader = username in LEADERS
        # A new User() has password "" (which Django counts as usable): give it the demo password too. An
        # account still on the published password takes a chosen one (seed_demo with DEMO_PASSWORD set).
        if not user.password or not user.has_usable_password() or user.check_password(DEMO_PASSWORD):
            user.set_password(story.password)
        user.save()
        users[username] = user
    return users
