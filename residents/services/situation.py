"""Writes of the commune's situation records that name people: drug cases with their arrested suspects, incidents."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.audit import audited_delete, audited_edit
from residents.models import ArrestedSuspect, DrugCase, Incident


@transaction.atomic
def drug_case_save(
    *,
    actor,
    record: DrugCase,
    seen_version: int | None = None,
    suspects: Iterable[tuple[ArrestedSuspect | None, dict]] = (),
    removed_suspects: Iterable[ArrestedSuspect] = (),
    **fields,
) -> DrugCase:
    """A case, new or edited (refused on a colleague's save since `seen_version`), with its arrested suspects in the
    same transaction: `suspects` are rows added (None) or edited, with their fields; `removed_suspects` are deleted."""
    case = audited_edit(record, actor=actor, seen_version=seen_version, **fields)
    for suspect, suspect_fields in suspects:
        audited_edit(suspect or ArrestedSuspect(case=case), actor=actor, **suspect_fields)
    for suspect in removed_suspects:
        if suspect.case_id != case.pk:
            raise ValidationError(_("Đối tượng này không thuộc vụ án."))
        audited_delete(suspect, actor=actor)
    return case


@transaction.atomic
def incident_save(*, actor, record: Incident, seen_version: int | None = None, **fields) -> Incident:
    """An incident, new or edited (refused on a colleague's save since `seen_version`); `person` links who caused it
    when they have a file in the commune."""
    return audited_edit(record, actor=actor, seen_version=seen_version, **fields)
