"""The checks of a file's rows before they are compared with the database: what each cell must fit, the hamlet it
names, a head on file in another commune, and the duplicates within the file."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communes.models import Hamlet
from drugfree.text import compact_key

from .headers import HEAD_NAME
from .rows import PlannedRow

if TYPE_CHECKING:
    from .planning import Planner

# A head whose CCCD is on file in another commune: the same words as the person form (residents/models/transfers.py).
ON_FILE_ELSEWHERE = gettext_lazy(
    "Số CCCD này cần cán bộ theo dõi cấp trên xác minh trước khi lập hồ sơ ở xã; khi nhập các dòng hợp lệ, "
    "yêu cầu xác minh được gửi cho cán bộ theo dõi."
)
# Database limits a cell must fit (CharField max_length, PositiveSmallIntegerField).
_MAX_LENGTHS = {"code": 30, HEAD_NAME: 100, "address": 255, "ethnicity": 50}
_MAX_MEMBERS = 32767

# Words hamlet names start with; "Quang Thắng" finds "Thôn Quang Thắng" when no other hamlet has that name.
_HAMLET_KINDS = ("todanpho", "khudancu", "tieukhu", "khupho", "khoipho", "thon", "ban", "lang", "buon", "xom", "khom")
_HAMLET_KINDS_AP = ("ap",)


def hamlet_lookup(hamlets: Iterable[Hamlet]) -> dict[str, int]:
    """compact key -> hamlet id; also the name without its kind word when that is unambiguous."""
    exact: dict[str, int] = {}
    bare: dict[str, set[int]] = {}
    for hamlet in hamlets:
        key = hamlet.name_key or compact_key(hamlet.name)
        exact[key] = hamlet.id
        for prefix in _HAMLET_KINDS + _HAMLET_KINDS_AP:
            if key.startswith(prefix) and len(key) > len(prefix) + 1:
                bare.setdefault(key[len(prefix) :], set()).add(hamlet.id)
                break
        else:
            bare.setdefault(key, set()).add(hamlet.id)
    lookup = {key: ids.pop() for key, ids in bare.items() if len(ids) == 1 and key not in exact}
    lookup.update(exact)
    return lookup


def _find_hamlet(lookup: dict[str, int], name: str) -> int | None:
    key = compact_key(name)
    if key in lookup:
        return lookup[key]
    for prefix in _HAMLET_KINDS + _HAMLET_KINDS_AP:
        if key.startswith(prefix) and key[len(prefix) :] in lookup:
            return lookup[key[len(prefix) :]]
    return None


def check_cells(planner: Planner, rows: list[PlannedRow]) -> None:
    """Each cell fits its column; each row names its household and a hamlet of the commune; a head's CCCD on file
    in another commune is for a reviewer."""
    single_hamlet = next(iter(planner.hamlet_names)) if len(planner.hamlet_names) == 1 else None
    hamlet_ids: dict[str, int | None] = {}  # a file names its few hamlets over and over
    for row in rows:
        data = row.data
        for field_name, limit in _MAX_LENGTHS.items():
            if len(data.get(field_name) or "") > limit:
                planner.error(row, field_name, _("Dài quá %(limit)d ký tự.") % {"limit": limit})
        if (data.get("members_count") or 0) > _MAX_MEMBERS:
            planner.error(row, "members_count", _("Số nhân khẩu không hợp lý: %(value)s") % {
                "value": data["members_count"]
            })  # fmt: skip
        if not data.get("code") and not data.get("head_cccd") and data.get(HEAD_NAME):
            field_name = "head_cccd" if "head_cccd" in planner.mapped else "code"
            planner.error(row, field_name, _("Cần mã hộ hoặc số CCCD của chủ hộ để nhận ra hộ."))
        if name := data.get("hamlet"):
            if name not in hamlet_ids:
                hamlet_ids[name] = _find_hamlet(planner.hamlets, name)
            row.hamlet_id = hamlet_ids[name]
            if row.hamlet_id is None:
                planner.error(
                    row,
                    "hamlet",
                    _("Thôn/khu phố “%(name)s” không có trong %(commune)s.")
                    % {"name": data["hamlet"], "commune": planner.commune.name},
                )
        elif single_hamlet is not None:
            row.hamlet_id = single_hamlet
        person = planner.people.get(data.get("head_cccd") or "")
        if person is not None and person["commune_id"] != planner.commune.id:
            # Neither where nor whose: the officer learns only that a reviewer must check it (README, "Access
            # and audit"); importing the valid rows sends the reviewer a transfer request for this one.
            row.on_file_elsewhere = person["id"]
            planner.error(row, "head_cccd", str(ON_FILE_ELSEWHERE))


def mark_duplicates(planner: Planner, rows: list[PlannedRow], matched: list[dict | None]) -> None:
    """A later row with the same household (its code, else its head's CCCD; or the same household on file, found
    by another key: one row by its code, another by its head's CCCD) or the same head is an error naming the first
    row: the one duplicate check of a file (tests/imports/test_duplicates.py). The first rows are kept on the
    planner (row numbers only), so that a stream's later batches are checked against the earlier ones.

    So no valid row touches what an earlier row writes (a household, its head, its pledges, a person by CCCD): each
    batch of a stream plans against the database as it was before the import, whatever the batches before it wrote
    (which is what lets `plan_ahead` look a batch up before the one before it is written)."""
    first_key = planner.first_key
    first_cccd = planner.first_cccd
    first_household = planner.first_household
    for row, household in zip(rows, matched, strict=True):
        code, cccd = row.data.get("code"), row.data.get("head_cccd")
        key = code or cccd
        if key:
            earlier = first_key.setdefault(key, row.row_number)
            if earlier != row.row_number:
                planner.error(
                    row,
                    "code" if code else "head_cccd",
                    _("Trùng với dòng %(row)d (hộ %(key)s).") % {"row": earlier, "key": key},
                )
                continue
        if cccd:
            earlier = first_cccd.setdefault(cccd, row.row_number)
            if earlier != row.row_number:
                planner.error(
                    row,
                    "head_cccd",
                    _("Số CCCD trùng với chủ hộ ở dòng %(row)d.") % {"row": earlier},
                )
                continue
        if household is not None:
            earlier = first_household.setdefault(household["id"], row.row_number)
            if earlier != row.row_number:
                planner.error(
                    row,
                    "code" if code else "head_cccd",
                    _("Trùng với dòng %(row)d (hộ %(key)s).") % {"row": earlier, "key": household["code"]},
                )
