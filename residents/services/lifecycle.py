"""The legal lifecycle of a person under management (docs/domain.md §4) as services with allowed transitions.

Each action checks the person's current status against TRANSITIONS, writes the dated record(s), closes the periods
the law says it closes and moves Person.status. Anything else is refused with a message in Vietnamese.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.audit import audited_save
from drugfree.concurrency import ensure_unchanged
from residents import periods
from residents.models import (
    AddictionAssessment,
    DrugTest,
    ManagementStop,
    Person,
    PostRehabManagement,
    Reintegration,
    ResidenceCheck,
    RiskFlag,
    Suspicion,
    Treatment,
    UserManagement,
)
from residents.models.people import ACTIVE_STATUSES
from residents.models.records import EndReason
from residents.selectors import re_use_tests

S = Person.Status


class Action:
    LIST_SUSPECT = "list_suspect"
    RECORD_TEST = "record_test"
    ISSUE_MANAGEMENT_DECISION = "issue_management_decision"
    RECORD_ASSESSMENT = "record_assessment"
    START_TREATMENT = "start_treatment"
    END_TREATMENT = "end_treatment"
    END_POST_REHAB = "end_post_rehab"
    STOP_MANAGEMENT = "stop_management"
    RECORD_RESIDENCE_CHECK = "record_residence_check"


TRANSITIONS: dict[str, set[str]] = {
    Action.LIST_SUSPECT: {S.NONE, S.ENDED},
    Action.RECORD_TEST: {S.NONE, S.SUSPECTED, S.POSITIVE, S.USER, S.POST_REHAB, S.ENDED},
    Action.ISSUE_MANAGEMENT_DECISION: {S.POSITIVE, S.USER},
    Action.RECORD_ASSESSMENT: {S.SUSPECTED, S.POSITIVE, S.USER, S.POST_REHAB},
    Action.START_TREATMENT: {S.ADDICT},
    Action.END_TREATMENT: {S.IN_TREATMENT},
    Action.END_POST_REHAB: {S.POST_REHAB},
    Action.STOP_MANAGEMENT: set(ACTIVE_STATUSES),
    Action.RECORD_RESIDENCE_CHECK: {S.USER, S.ADDICT, S.IN_TREATMENT, S.POST_REHAB},
}

ACTION_LABELS = {
    Action.LIST_SUSPECT: _("Đưa vào danh sách nghi sử dụng"),
    Action.RECORD_TEST: _("Ghi kết quả xét nghiệm"),
    Action.ISSUE_MANAGEMENT_DECISION: _("Ra quyết định quản lý người sử dụng"),
    Action.RECORD_ASSESSMENT: _("Ghi kết quả xác định tình trạng nghiện"),
    Action.START_TREATMENT: _("Bắt đầu cai nghiện/điều trị"),
    Action.END_TREATMENT: _("Kết thúc cai nghiện/điều trị"),
    Action.END_POST_REHAB: _("Kết thúc quản lý sau cai nghiện"),
    Action.STOP_MANAGEMENT: _("Dừng/chấm dứt quản lý"),
    Action.RECORD_RESIDENCE_CHECK: _("Ghi kiểm tra cư trú"),
}


def allowed_actions(person: Person) -> list[str]:
    return [action for action, statuses in TRANSITIONS.items() if person.status in statuses]


def _require(person: Person, action: str) -> None:
    if person.status not in TRANSITIONS[action]:
        raise ValidationError(
            _("Không thể “%(action)s” khi người này đang ở tình trạng “%(status)s”."),
            code="invalid_transition",
            params={"action": ACTION_LABELS[action], "status": person.get_status_display()},
        )


def _not_future(day: date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("Ngày không được ở tương lai.")}, code="future_date")


def _set_status(person: Person, status: str, *, actor) -> None:
    person.status = status
    audited_save(person, actor=actor, validate=False)


def _close_open(model, person: Person, *, on: date, actor, **fields) -> None:
    """Close the open period of `model` (at most one, by constraint) on `on`."""
    date_field = "closed_on" if model is Suspicion else "ended_on"
    for record in model.objects.filter(person=person, **{f"{date_field}__isnull": True}).select_for_update():
        start = getattr(record, "starts_on", None) or getattr(record, "listed_on", None)
        setattr(record, date_field, max(on, start) if start else on)
        for name, value in fields.items():
            setattr(record, name, value)
        audited_save(record, actor=actor, validate=False)


def _open_period_ending(model, person: Person, ended_on: date):
    """The person's open period of `model`, locked, with `ended_on` set once it is known not to precede the start."""
    record = model.objects.select_for_update().get(person=person, ended_on__isnull=True)
    if ended_on < record.starts_on:
        message = _("Ngày kết thúc không được trước ngày bắt đầu (%(start)s).")
        raise ValidationError(
            {"ended_on": ValidationError(message, params={"start": record.starts_on.strftime("%d/%m/%Y")})}
        )
    record.ended_on = ended_on
    return record


def _locked(person: Person, seen_version: int | None) -> Person:
    """The person's row, locked for the change. With the `seen_version` the officer's form was opened at, the change
    is refused (EditConflict) when someone saved the person since: their status may no longer allow it."""
    if seen_version is not None:
        ensure_unchanged(person, seen_version)
    return Person.objects.select_for_update().get(pk=person.pk)


@transaction.atomic
def person_list_as_suspect(
    *, actor, person: Person, seen_version: int | None = None, listed_on: date, trigger: str, note: str = ""
) -> Suspicion:
    person = _locked(person, seen_version)
    _require(person, Action.LIST_SUSPECT)
    _not_future(listed_on, "listed_on")
    suspicion = audited_save(
        Suspicion(person=person, listed_on=listed_on, trigger=trigger, note=note, created_by=actor), actor=actor
    )
    _set_status(person, S.SUSPECTED, actor=actor)
    return suspicion


@transaction.atomic
def person_record_test(
    *,
    actor,
    person: Person,
    seen_version: int | None = None,
    tested_on: date,
    result: str,
    method: str = DrugTest.Method.QUICK_URINE,
    substances: str = "",
    performed_by: str = "",
    note: str = "",
) -> DrugTest:
    person = _locked(person, seen_version)
    _require(person, Action.RECORD_TEST)
    _not_future(tested_on, "tested_on")
    suspicion = Suspicion.objects.filter(person=person, closed_on__isnull=True).first()
    test = audited_save(
        DrugTest(
            person=person,
            suspicion=suspicion,
            tested_on=tested_on,
            result=result,
            method=method,
            substances=substances,
            performed_by=performed_by,
            note=note,
            created_by=actor,
        ),
        actor=actor,
    )
    if suspicion is not None:
        _close_open(Suspicion, person, on=tested_on, actor=actor)
    if result == DrugTest.Result.POSITIVE:
        if person.status == S.POST_REHAB:
            # Relapse during post-rehab management: that period ends, management as a user starts again.
            _close_open(PostRehabManagement, person, on=tested_on, actor=actor, end_reason=EndReason.RE_USE)
        if person.status != S.USER:
            _set_status(person, S.POSITIVE, actor=actor)
    elif person.status == S.SUSPECTED:
        _set_status(person, S.NONE, actor=actor)
    return test


@dataclass(frozen=True)
class ManagementDecision:
    number: str
    decided_on: date
    starts_on: date


@transaction.atomic
def person_start_management(
    *,
    actor,
    person: Person,
    seen_version: int | None = None,
    decision: ManagementDecision,
    team_leader=None,
    team_members: str = "",
    note: str = "",
) -> UserManagement:
    """Mẫu 07: one year of management. A user already managed is managed anew (the year restarts) only after a
    positive test dated after the current period started (re-use)."""
    person = _locked(person, seen_version)
    _require(person, Action.ISSUE_MANAGEMENT_DECISION)
    _not_future(decision.decided_on, "decision_date")
    if decision.starts_on < decision.decided_on:
        raise ValidationError({"starts_on": _("Ngày bắt đầu quản lý không được trước ngày quyết định.")})
    current = UserManagement.objects.filter(person=person, ended_on__isnull=True).first()
    if current is not None and not re_use_tests(person=person, managed_since=current.starts_on).exists():
        raise ValidationError(
            _(
                "Người này đang được quản lý từ ngày %(start)s: chỉ ra quyết định quản lý lại khi có kết quả xét "
                "nghiệm dương tính mới sau ngày đó."
            ),
            code="no_new_positive",
            params={"start": current.starts_on.strftime("%d/%m/%Y")},
        )
    positive = person.drugtests.filter(result=DrugTest.Result.POSITIVE).order_by("-tested_on", "-pk").first()
    if positive is None:
        raise ValidationError(_("Chưa có kết quả xét nghiệm dương tính để ra quyết định quản lý."), code="no_positive")
    if positive.tested_on > decision.decided_on:
        raise ValidationError({"decision_date": _("Ngày quyết định không được trước ngày xét nghiệm dương tính.")})
    _close_open(UserManagement, person, on=decision.starts_on, actor=actor, end_reason=EndReason.RE_USE)
    management = audited_save(
        UserManagement(
            person=person,
            positive_test=positive,
            decision_number=decision.number,
            decision_date=decision.decided_on,
            starts_on=decision.starts_on,
            ends_on=periods.user_management_end(decision.starts_on),
            team_leader=team_leader,
            team_members=team_members,
            note=note,
            created_by=actor,
        ),
        actor=actor,
    )
    _set_status(person, S.USER, actor=actor)
    return management


@transaction.atomic
def person_record_assessment(
    *,
    actor,
    person: Person,
    seen_version: int | None = None,
    assessed_on: date,
    facility: str,
    criteria_met: int,
    document_number: str = "",
    note: str = "",
) -> AddictionAssessment:
    person = _locked(person, seen_version)
    _require(person, Action.RECORD_ASSESSMENT)
    _not_future(assessed_on, "assessed_on")
    addicted = criteria_met >= 3
    assessment = audited_save(
        AddictionAssessment(
            person=person,
            assessed_on=assessed_on,
            facility=facility,
            criteria_met=criteria_met,
            result=AddictionAssessment.Result.ADDICTED if addicted else AddictionAssessment.Result.NOT_ADDICTED,
            document_number=document_number,
            note=note,
            created_by=actor,
        ),
        actor=actor,
    )
    if addicted:
        # Mẫu 09: management as a user stops when the person is confirmed addicted.
        _close_open(UserManagement, person, on=assessed_on, actor=actor, end_reason=EndReason.ADDICTED)
        _close_open(PostRehabManagement, person, on=assessed_on, actor=actor, end_reason=EndReason.RE_USE)
        _close_open(Suspicion, person, on=assessed_on, actor=actor)
        _set_status(person, S.ADDICT, actor=actor)
    return assessment


@transaction.atomic
def person_start_treatment(
    *,
    actor,
    person: Person,
    seen_version: int | None = None,
    form: str,
    starts_on: date,
    planned_end_on: date | None = None,
    registered_on: date | None = None,
    facility: str = "",
    decision_number: str = "",
    decision_date: date | None = None,
    note: str = "",
) -> Treatment:
    person = _locked(person, seen_version)
    _require(person, Action.START_TREATMENT)
    _not_future(starts_on, "starts_on")
    is_minor = person.is_minor_on(periods.treatment_age_day(starts_on=starts_on, decision_date=decision_date))
    treatment = audited_save(
        Treatment(
            person=person,
            form=form,
            starts_on=starts_on,
            registered_on=registered_on,
            facility=facility,
            planned_end_on=planned_end_on or periods.treatment_planned_end(form, starts_on, is_minor=is_minor),
            decision_number=decision_number,
            decision_date=decision_date,
            note=note,
            created_by=actor,
        ),
        actor=actor,
    )
    _set_status(person, S.IN_TREATMENT, actor=actor)
    return treatment


@transaction.atomic
def person_end_treatment(
    *,
    actor,
    person: Person,
    seen_version: int | None = None,
    ended_on: date,
    outcome: str,
    post_rehab_decision: ManagementDecision | None = None,
    stop_reason: str = EndReason.OTHER,
    note: str = "",
) -> PostRehabManagement | None:
    """Completed treatment starts post-rehab management (Mẫu 51); dropping out makes the person an addict again."""
    person = _locked(person, seen_version)
    _require(person, Action.END_TREATMENT)
    _not_future(ended_on, "ended_on")
    treatment = _open_period_ending(Treatment, person, ended_on)
    treatment.outcome = outcome
    if note:
        treatment.note = f"{treatment.note}\n{note}".strip()
    audited_save(treatment, actor=actor)
    if outcome == Treatment.Outcome.DROPPED_OUT:
        _set_status(person, S.ADDICT, actor=actor)
        return None
    if outcome == Treatment.Outcome.STOPPED:
        _stop_all(person, on=ended_on, reason=stop_reason, actor=actor)
        return None
    starts_on = post_rehab_decision.starts_on if post_rehab_decision else ended_on
    is_adult = not person.is_minor_on(
        periods.treatment_age_day(starts_on=treatment.starts_on, decision_date=treatment.decision_date)
    )
    post_rehab = audited_save(
        PostRehabManagement(
            person=person,
            treatment=treatment,
            starts_on=starts_on,
            ends_on=periods.post_rehab_end(
                starts_on, after_adult_compulsory=treatment.form == Treatment.Form.COMPULSORY and is_adult
            ),
            decision_number=post_rehab_decision.number if post_rehab_decision else "",
            decision_date=post_rehab_decision.decided_on if post_rehab_decision else None,
            created_by=actor,
        ),
        actor=actor,
    )
    _set_status(person, S.POST_REHAB, actor=actor)
    return post_rehab


@transaction.atomic
def person_end_post_rehab(
    *, actor, person: Person, seen_version: int | None = None, ended_on: date, note: str = ""
) -> PostRehabManagement:
    """Mẫu 10: the post-rehab period is over; the person leaves management."""
    person = _locked(person, seen_version)
    _require(person, Action.END_POST_REHAB)
    _not_future(ended_on, "ended_on")
    record = _open_period_ending(PostRehabManagement, person, ended_on)
    record.end_reason = EndReason.COMPLETED
    record.note = f"{record.note}\n{note}".strip()
    audited_save(record, actor=actor)
    _set_status(person, S.ENDED, actor=actor)
    return record


def _stop_all(person: Person, *, on: date, reason: str, actor) -> None:
    # The stop itself is dated, whatever was open: the missed-users criterion asks who had left by a given day.
    audited_save(ManagementStop(person=person, stopped_on=on, reason=reason, created_by=actor), actor=actor)
    for model in (UserManagement, PostRehabManagement):
        _close_open(model, person, on=on, actor=actor, end_reason=reason)
    _close_open(Treatment, person, on=on, actor=actor, outcome=Treatment.Outcome.STOPPED)
    _close_open(Suspicion, person, on=on, actor=actor)
    _set_status(person, S.ENDED, actor=actor)


@transaction.atomic
def person_stop_management(
    *, actor, person: Person, seen_version: int | None = None, stopped_on: date, reason: str, note: str = ""
) -> Person:
    """Mẫu 09: prison, death, moving away… closes every open period."""
    person = _locked(person, seen_version)
    _require(person, Action.STOP_MANAGEMENT)
    _not_future(stopped_on, "stopped_on")
    if reason not in EndReason.values:
        raise ValidationError({"reason": _("Lý do không hợp lệ.")})
    _stop_all(person, on=stopped_on, reason=reason, actor=actor)
    if note:
        person.note = f"{person.note}\n{note}".strip()
        audited_save(person, actor=actor, validate=False)
    return person


@transaction.atomic
def person_record_residence_check(
    *, actor, person: Person, seen_version: int | None = None, checked_on: date, present: bool, note: str = ""
) -> ResidenceCheck:
    person = _locked(person, seen_version)
    _require(person, Action.RECORD_RESIDENCE_CHECK)
    _not_future(checked_on, "checked_on")
    return audited_save(
        ResidenceCheck(
            person=person, checked_on=checked_on, present=present, checked_by=actor, note=note, created_by=actor
        ),
        actor=actor,
    )


@transaction.atomic
def person_flag_psychosis(
    *, actor, person: Person, seen_version: int | None = None, flagged_on: date, note: str = ""
) -> RiskFlag:
    person = _locked(person, seen_version)
    _not_future(flagged_on, "flagged_on")
    flag = audited_save(RiskFlag(person=person, flagged_on=flagged_on, note=note, created_by=actor), actor=actor)
    person.psychosis_risk = True
    audited_save(person, actor=actor, validate=False)
    return flag


@transaction.atomic
def person_clear_psychosis(*, actor, person: Person, seen_version: int | None = None, cleared_on: date) -> None:
    person = _locked(person, seen_version)
    for flag in RiskFlag.objects.filter(person=person, cleared_on__isnull=True).select_for_update():
        if cleared_on < flag.flagged_on:
            raise ValidationError({"cleared_on": _("Ngày hết biểu hiện không được trước ngày ghi nhận.")})
        flag.cleared_on = cleared_on
        audited_save(flag, actor=actor, validate=False)
    person.psychosis_risk = False
    audited_save(person, actor=actor, validate=False)


@transaction.atomic
def person_record_reintegration(
    *,
    actor,
    person: Person,
    seen_version: int | None = None,
    released_on: date,
    prison: str = "",
    offence: str = "",
    support: str = "",
    note: str = "",
) -> Reintegration:
    """Back from prison for a drug crime (NĐ 49/2020): not a legal status, so allowed whatever the status."""
    person = _locked(person, seen_version)
    _not_future(released_on, "released_on")
    return audited_save(
        Reintegration(
            person=person,
            released_on=released_on,
            prison=prison,
            offence=offence,
            support=support,
            note=note,
            created_by=actor,
        ),
        actor=actor,
    )
