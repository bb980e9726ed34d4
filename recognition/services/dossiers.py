"""The commune's side: freeze a dossier, attach evidence, the leader's approval, submission, supplements."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audited_save
from recognition.files import EXTENSIONS, check_evidence_file, sha256_of
from recognition.freezing import frozen_criteria, programme_for
from recognition.models import Dossier, DossierCriterion, Evidence, Recognition
from recognition.rules import Shortfall, shortfall

from .transitions import Action, lock, may_approve, move, require


def _require_commune_writer(user, recognition: Recognition) -> None:
    if not (user.can_write_records and (user.is_administrator or user.commune_id == recognition.commune_id)):
        raise PermissionDenied("only the commune's officers prepare its dossiers")


def _editable(dossier: Dossier) -> Dossier:
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if not dossier.is_editable:
        raise ValidationError(_("Hồ sơ đã nộp không được sửa; hãy lập hồ sơ bổ sung."))
    return dossier


@transaction.atomic
def freeze_dossier(*, recognition: Recognition, as_of: date, actor) -> Dossier:
    """Freeze every criterion on `as_of` into the cycle's open dossier: a new one (the first, or a supplement after
    a return), or the draft again, whose approval then lapses since its figures changed."""
    _require_commune_writer(actor, recognition)
    recognition = lock(recognition)
    require(recognition, Action.FREEZE_DOSSIER)
    if as_of > timezone.localdate():
        raise ValidationError(_("Ngày chốt số liệu không được sau hôm nay."))
    programme = programme_for(recognition)
    if programme is None:
        raise ValidationError(_("Chưa có bộ tiêu chí đang áp dụng cho cấp này."))
    dossier = recognition.dossiers.filter(state__in=Dossier.EDITABLE).first()
    evidence_metrics = {}
    if dossier is None:
        dossier = _new_dossier(recognition, actor)
    else:
        evidence_metrics = _discard_figures(dossier, actor)
    dossier.programme, dossier.programme_name, dossier.as_of = programme, programme.name, as_of
    dossier.frozen_by, dossier.state, dossier.approved_by, dossier.approved_at = actor, Dossier.State.DRAFT, None, None
    audited_save(dossier, actor=actor)
    rows = frozen_criteria(recognition, programme, as_of)
    for row in rows:
        row.dossier = dossier
    DossierCriterion.objects.bulk_create(rows)
    _relink(dossier, evidence_metrics, actor)
    if dossier.previous_id:
        _carry_evidence(dossier, actor)
    return dossier


def _new_dossier(recognition: Recognition, actor) -> Dossier:
    previous = recognition.dossiers.order_by("-number").first()
    if previous is not None and previous.state != Dossier.State.RETURNED:
        raise ValidationError(_("Hồ sơ đã nộp đang chờ thẩm định."))
    return Dossier(
        recognition=recognition,
        number=(previous.number + 1) if previous else 1,
        previous=previous,
        self_assessment=previous.self_assessment if previous else "",
        proposal=previous.proposal if previous else "",
    )


def _discard_figures(dossier: Dossier, actor) -> dict[int, tuple[str, str]]:
    """A draft frozen again: its old figures go; returns {evidence id: (group, metric)} so evidence follows its
    criterion."""
    evidence_metrics = {}
    for evidence in dossier.evidence.select_related("criterion").filter(criterion__isnull=False):
        evidence_metrics[evidence.pk] = evidence.criterion.slot
        evidence.criterion = None
        audited_save(evidence, actor=actor, validate=False, update_fields=["criterion"])
    # Unfrozen figures of a draft: the model refuses one-by-one deletion, which would hide a submitted dossier's.
    dossier.criteria.all().delete()
    return evidence_metrics


def _relink(dossier: Dossier, evidence_metrics: dict[int, tuple[str, str]], actor) -> None:
    by_metric = {c.slot: c for c in dossier.criteria.all()}
    for evidence in dossier.evidence.filter(pk__in=evidence_metrics):
        evidence.criterion = by_metric.get(evidence_metrics[evidence.pk])
        audited_save(evidence, actor=actor, validate=False, update_fields=["criterion"])


def _carry_evidence(dossier: Dossier, actor) -> None:
    """A supplement starts with the returned version's evidence (same stored files; they are never deleted)."""
    if dossier.evidence.exists():
        return
    by_metric = {c.slot: c for c in dossier.criteria.all()}
    for old in dossier.previous.evidence.select_related("criterion"):
        copy = Evidence(
            dossier=dossier,
            criterion=by_metric.get(old.criterion.slot) if old.criterion_id else None,
            kind=old.kind,
            title=old.title,
            file=old.file.name,
            original_name=old.original_name,
            content_type=old.content_type,
            size=old.size,
            sha256=old.sha256,
            uploaded_by=old.uploaded_by,
        )
        audited_save(copy, actor=actor, validate=False)


@transaction.atomic
def update_dossier_texts(*, dossier: Dossier, self_assessment: str, proposal: str, actor) -> Dossier:
    """The self-assessment minutes and the steering committee's proposal; the leader approves them again."""
    _require_commune_writer(actor, dossier.recognition)
    dossier = _editable(dossier)
    dossier.self_assessment, dossier.proposal = self_assessment, proposal
    dossier.state, dossier.approved_by, dossier.approved_at = Dossier.State.DRAFT, None, None
    return audited_save(dossier, actor=actor)


@transaction.atomic
def attach_evidence(
    *, dossier: Dossier, upload, kind: str, title: str, criterion: DossierCriterion | None, actor
) -> Evidence:
    """Store a document checked by its content and size, under a name of our making (never the uploader's)."""
    _require_commune_writer(actor, dossier.recognition)
    dossier = _editable(dossier)
    if criterion is not None and criterion.dossier_id != dossier.pk:
        raise ValidationError(_("Tiêu chí không thuộc hồ sơ này."))
    content_type = check_evidence_file(upload)
    evidence = Evidence(
        dossier=dossier,
        criterion=criterion,
        kind=kind,
        title=title or upload.name,
        original_name=upload.name[:255],
        content_type=content_type,
        size=upload.size,
        sha256=sha256_of(upload),
        uploaded_by=actor,
    )
    evidence.file.save(f"{dossier.recognition.commune.code}.{EXTENSIONS[content_type]}", upload, save=False)
    return audited_save(evidence, actor=actor)


@transaction.atomic
def approve_dossier(*, dossier: Dossier, actor) -> Dossier:
    """The commune leader's approval of the submission."""
    if not may_approve(actor, dossier.recognition):
        raise PermissionDenied("only the commune's leader approves its dossier")
    dossier = _editable(dossier)
    dossier.state, dossier.approved_by, dossier.approved_at = Dossier.State.APPROVED, actor, timezone.now()
    return audited_save(dossier, actor=actor)


def _gap_message(c: DossierCriterion) -> str:
    return _("Chưa đạt “%(title)s”: %(value)s (chỉ tiêu %(target)s), còn %(gap)s trong danh sách.") % {
        "title": c.title,
        "value": c.value_display,
        "target": c.target_display,
        "gap": c.gap_size,
    }


class GapsRemain(ValidationError):
    """Submission refused: the unmet criteria, each with the size of its gap, and the unmet "at least k of n"
    groups, each with its members (recognition/rules.py)."""

    def __init__(self, missing: Shortfall):
        self.unmet, self.groups = missing.criteria, missing.groups
        super().__init__(missing.messages(_gap_message))


@transaction.atomic
def submit_dossier(*, dossier: Dossier, actor) -> Dossier:
    """Refused while an ungrouped criterion or a requirement group is unmet (with the list) or the leader has not
    approved; then immutable."""
    _require_commune_writer(actor, dossier.recognition)
    recognition = lock(dossier.recognition)
    require(recognition, Action.SUBMIT)
    dossier = _editable(dossier)
    missing = shortfall(dossier.criteria.all())
    if missing:
        raise GapsRemain(missing)
    if dossier.state != Dossier.State.APPROVED:
        raise ValidationError(_("Hồ sơ chưa được lãnh đạo xã phê duyệt."))
    dossier.state, dossier.submitted_by, dossier.submitted_at = Dossier.State.SUBMITTED, actor, timezone.now()
    audited_save(dossier, actor=actor)
    move(recognition, Action.SUBMIT, actor=actor)
    return dossier
