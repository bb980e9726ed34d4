"""Registration (start of the year) and the province's roadmap."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audited_save
from communes.models import Commune, Hamlet, Province
from recognition.models import ProvinceTarget, Recognition


@transaction.atomic
def register(*, commune: Commune, hamlet: Hamlet | None = None, target_year: int, note: str = "", actor) -> Recognition:
    """The commune registers the year it aims for recognition, for itself or one of its hamlets."""
    if not (actor.can_write_records and (actor.is_administrator or actor.commune_id == commune.pk)):
        raise PermissionDenied("only the commune's officers register it")
    if hamlet is not None and hamlet.commune_id != commune.pk:
        raise ValidationError(_("Thôn không thuộc xã này."))
    today = timezone.localdate()
    if target_year < today.year:
        raise ValidationError(_("Năm đăng ký đạt không được trước năm nay."))
    recognition = Recognition(
        commune=commune,
        hamlet=hamlet,
        target_year=target_year,
        registered_on=today,
        registered_by=actor,
        note=note,
    )
    return audited_save(recognition, actor=actor)


def may_set_targets(user, province: Province) -> bool:
    """The province's reviewers (province level, not a cluster) and administrators set its roadmap."""
    if not user.is_active:
        return False
    return user.is_administrator or (user.may_review and not user.district_id and user.province_id == province.pk)


@transaction.atomic
def set_target(*, province: Province, year: int, target_communes: int, note: str = "", actor) -> ProvinceTarget:
    if not may_set_targets(actor, province):
        raise PermissionDenied("only the province sets its roadmap")
    target = ProvinceTarget.objects.select_for_update().filter(province=province, year=year).first()
    target = target or ProvinceTarget(province=province, year=year)
    target.target_communes, target.note = target_communes, note
    return audited_save(target, actor=actor)
