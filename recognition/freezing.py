"""Freezing a unit's criteria into a dossier: figures and gap lists read through progress's public functions."""

from datetime import date

from django.utils.formats import date_format

from progress.metrics import Moment
from progress.models import Level, Programme
from progress.selectors import criteria_of, evaluate_communes, evaluate_hamlets, programme_for_province, today

from .models import DossierCriterion, Recognition
from .rules import shortfall

# A gap list is frozen up to this many rows (its size is always frozen whole): a dossier ready for submission has
# none, and a long list belongs to the live gap page.
GAP_ROWS_FROZEN = 200


def programme_for(recognition: Recognition) -> Programme | None:
    """The active criteria set of the unit's level in its province (else a national one): a commune's cycle uses a
    commune set, a hamlet's the "sạch về ma túy" set."""
    level = Level.HAMLET if recognition.hamlet_id else Level.COMMUNE
    return programme_for_province(recognition.commune.province_id, level=level)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _gap_rows(metric, moment: Moment, recognition: Recognition) -> list[dict]:
    records = metric.gap_list(moment, recognition.commune)
    if records is None:
        return []
    if recognition.hamlet_id and metric.hamlet_field:
        records = records.filter(**{metric.hamlet_field: recognition.hamlet_id})
    return [
        {"id": record.pk, "cells": [_cell(column.value(record)) for column in metric.gap_columns]}
        for record in records[:GAP_ROWS_FROZEN]
    ]


def frozen_criteria(recognition: Recognition, programme: Programme, as_of: date) -> list[DossierCriterion]:
    """Unsaved DossierCriterion rows: every criterion of the programme for the unit on `as_of`."""
    moment = Moment(as_of)
    criteria = criteria_of(programme)
    if recognition.hamlet_id:
        criteria, rows = evaluate_hamlets(criteria, recognition.commune, moment)
        row = next(r for r in rows if r.unit.pk == recognition.hamlet_id)
    else:
        [row] = evaluate_communes(criteria, [recognition.commune], moment)
    return [
        DossierCriterion(
            criterion=result.criterion,
            order=index,
            title=result.criterion.title,
            metric_key=result.criterion.metric_key,
            comparison=result.criterion.comparison,
            target=result.criterion.target,
            target_display=result.criterion.target_display,
            value=round(float(result.value), 3),
            value_display=result.value_display,
            numerator=result.figure.numerator,
            denominator=result.figure.denominator,
            gap_size=result.gap_size,
            met=result.met,
            gap_title=str(result.metric.gap_title),
            gap_columns=[str(column.header) for column in result.metric.gap_columns],
            gap_rows=_gap_rows(result.metric, moment, recognition),
            **_group_fields(result.criterion),
        )
        for index, result in enumerate(row.results, start=1)
    ]


def _group_fields(criterion) -> dict:
    """The criterion's "at least k of n" group, copied into the dossier (recognition/rules.py reads it)."""
    group = criterion.group
    if group is None:
        return {}
    return {
        "group_name": group.name,
        "group_short_name": group.short_name,
        "group_order": group.order,
        "group_role": group.role,
        "group_min_met": group.min_met,
        "clause": criterion.clause,
    }


def live_unmet(recognition: Recognition) -> list[str]:
    """What the unit does not meet today, by the dossier's rules (the yearly maintenance review records it): the
    titles of unmet ungrouped criteria and the names of unmet requirement groups."""
    programme = programme_for(recognition)
    if programme is None:
        return []
    missing = shortfall(frozen_criteria(recognition, programme, today()))
    return [row.title for row in missing.criteria] + [group.name for group in missing.groups]
