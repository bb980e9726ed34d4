"""Lifecycle actions on a person's file: only the transitions allowed from the current status are offered."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.scopes import require_write
from communes.records import form_page, subject_context
from residents.forms import lifecycle as forms
from residents.selectors import person_for_user
from residents.services import lifecycle
from residents.services.lifecycle import ACTION_LABELS, Action, allowed_actions

FLAG_PSYCHOSIS, CLEAR_PSYCHOSIS, REINTEGRATION = "flag_psychosis", "clear_psychosis", "record_reintegration"
LABELS = {
    **ACTION_LABELS,
    FLAG_PSYCHOSIS: gettext_lazy("Ghi nhận biểu hiện loạn thần"),
    CLEAR_PSYCHOSIS: gettext_lazy("Ghi nhận hết biểu hiện loạn thần"),
    REINTEGRATION: gettext_lazy("Ghi nhận chấp hành xong án trở về (tái hòa nhập)"),
}


def _decision(data, prefix: str) -> lifecycle.ManagementDecision | None:
    if not data.get(f"{prefix}number"):
        return None
    decided_on = data[f"{prefix}decided_on"]
    return lifecycle.ManagementDecision(
        number=data[f"{prefix}number"], decided_on=decided_on, starts_on=data.get(f"{prefix}starts_on") or decided_on
    )


def _end_treatment(actor, person, data):
    return lifecycle.person_end_treatment(
        actor=actor,
        person=person,
        ended_on=data["ended_on"],
        outcome=data["outcome"],
        post_rehab_decision=_decision(data, "post_rehab_"),
        stop_reason=data["stop_reason"] or lifecycle.EndReason.OTHER,
        note=data["note"],
        seen_version=data["seen_version"],
    )


def _start_management(actor, person, data):
    decision = lifecycle.ManagementDecision(
        number=data["number"], decided_on=data["decided_on"], starts_on=data["starts_on"]
    )
    return lifecycle.person_start_management(
        actor=actor,
        person=person,
        decision=decision,
        team_leader=data["team_leader"],
        team_members=data["team_members"],
        note=data["note"],
        seen_version=data["seen_version"],
    )


def _plain(service):
    return lambda actor, person, data: service(actor=actor, person=person, **data)


# action -> (form, how its cleaned data reaches the service)
ACTIONS = {
    Action.LIST_SUSPECT: (forms.ListSuspectForm, _plain(lifecycle.person_list_as_suspect)),
    Action.RECORD_TEST: (forms.RecordTestForm, _plain(lifecycle.person_record_test)),
    Action.ISSUE_MANAGEMENT_DECISION: (forms.ManagementDecisionForm, _start_management),
    Action.RECORD_ASSESSMENT: (forms.AssessmentForm, _plain(lifecycle.person_record_assessment)),
    Action.START_TREATMENT: (forms.StartTreatmentForm, _plain(lifecycle.person_start_treatment)),
    Action.END_TREATMENT: (forms.EndTreatmentForm, _end_treatment),
    Action.END_POST_REHAB: (forms.EndPostRehabForm, _plain(lifecycle.person_end_post_rehab)),
    Action.STOP_MANAGEMENT: (forms.StopManagementForm, _plain(lifecycle.person_stop_management)),
    Action.RECORD_RESIDENCE_CHECK: (forms.ResidenceCheckForm, _plain(lifecycle.person_record_residence_check)),
    FLAG_PSYCHOSIS: (forms.FlagPsychosisForm, _plain(lifecycle.person_flag_psychosis)),
    CLEAR_PSYCHOSIS: (forms.ClearPsychosisForm, _plain(lifecycle.person_clear_psychosis)),
    REINTEGRATION: (forms.ReintegrationForm, _plain(lifecycle.person_record_reintegration)),
}


def file_actions(person) -> list[tuple[str, str]]:
    """The actions the file offers: the legal transitions from the current status, then the risk flag and
    reintegration, which are facts about the person rather than legal statuses."""
    actions = allowed_actions(person)
    actions += [CLEAR_PSYCHOSIS if person.psychosis_risk else FLAG_PSYCHOSIS, REINTEGRATION]
    return [(action, LABELS[action]) for action in actions]


@require_http_methods(["GET", "POST"])
def person_action(request, pk: int, action: str):
    require_write(request.user)
    person = person_for_user(request.user, pk)
    if action not in ACTIONS:
        raise Http404
    if action not in dict(file_actions(person)):
        messages.error(
            request,
            _("Không thể “%(action)s” khi người này đang ở tình trạng “%(status)s”.")
            % {"action": LABELS[action], "status": person.get_status_display()},
        )
        return redirect(person)
    form_class, run = ACTIONS[action]

    def save(data):
        run(request.user, person, {k: v for k, v in data.items() if k not in ("ends_on", "post_rehab_ends_on")})
        return person

    # The legal ends (ends_on, post_rehab_ends_on) are shown only: the service computes them from the configured period.
    return form_page(
        request,
        form_class(request.POST or None, person=person, choice=request.GET),
        save,
        success=lambda saved: _("Đã lưu: %(action)s.") % {"action": LABELS[action]},
        template="residents/action_form.html",
        title=LABELS[action],
        action=action,
        **subject_context(person),
    )
