"""Filling in a hamlet checklist the way the browser does: start from the rendered rows, change some, post."""

from django.utils.dateformat import format as date_format


def checklist_data(response, *, tick=(), untick=(), rows=None, default_signed_on="") -> dict:
    """POST data for the checklist page in `response`, ticking/unticking households by code.

    `rows` maps a household code to overrides of its fields (signed_on, representative_name).
    """
    formset = response.context["formset"]
    data = {
        f"{formset.prefix}-TOTAL_FORMS": str(len(formset.forms)),
        f"{formset.prefix}-INITIAL_FORMS": str(len(formset.forms)),
        "default_signed_on": default_signed_on,
    }
    for form in formset.forms:
        household = form.household_obj
        initial = form.initial
        data[form.add_prefix("household")] = str(household.pk)
        data[form.add_prefix("seen")] = initial.get("seen", "")
        signed = (initial.get("signed") or household.code in tick) and household.code not in untick
        if signed:
            data[form.add_prefix("signed")] = "on"
        signed_on = initial.get("signed_on")
        data[form.add_prefix("signed_on")] = date_format(signed_on, "d/m/Y") if signed_on else ""
        data[form.add_prefix("representative_name")] = initial.get("representative_name", "")
        for field, value in (rows or {}).get(household.code, {}).items():
            data[form.add_prefix(field)] = value
    return data
