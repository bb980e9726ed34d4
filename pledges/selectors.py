"""Reads behind the pledge pages: one query each, whatever the number of households."""

from django.db.models import Count, F, FilteredRelation, Q

from communes.models import Commune, Hamlet
from residents.models import Household


def checklist_households(hamlet: Hamlet, year: int):
    """The hamlet's residing households, each with its pledge for `year` (if any) joined in, not fetched per row."""
    return (
        Household.objects.residing()
        .filter(hamlet=hamlet)
        .annotate(
            pledge_of_year=FilteredRelation("pledges", condition=Q(pledges__year=year)),
            pledge_id=F("pledge_of_year__id"),
            pledge_signed_on=F("pledge_of_year__signed_on"),
            pledge_representative=F("pledge_of_year__representative_name"),
        )
        .order_by("code")
    )


def checklist_counts(households) -> dict[str, int | None]:
    """household_counts() of the hamlet, read off the checklist's own rows (checklist_households(): every residing
    household, with its pledge of the year if any) rather than counted again by the database."""
    rows = list(households)
    signed = sum(household.pledge_id is not None for household in rows)
    return {"residing": len(rows), "signed": signed, "percentage": percentage(signed, len(rows))}


def _signed_in(year: int, prefix: str = "") -> Q:
    return Q(**{f"{prefix}status": Household.Status.RESIDING, f"{prefix}pledges__year": year})


def household_counts(households, year: int) -> dict[str, int | None]:
    """Residing and signed households of a queryset (criterion 5's denominator and numerator), and the percentage."""
    counts = households.aggregate(
        residing=Count("id", filter=Q(status=Household.Status.RESIDING), distinct=True),
        signed=Count("id", filter=_signed_in(year), distinct=True),
    )
    return {**counts, "percentage": percentage(counts["signed"], counts["residing"])}


def commune_hamlet_counts(commune: Commune, year: int):
    """Every hamlet of the commune with its residing and signed households for `year`."""
    return (
        Hamlet.objects.filter(commune=commune)
        .annotate(
            residing=Count("households", filter=Q(households__status=Household.Status.RESIDING), distinct=True),
            signed=Count("households", filter=_signed_in(year, "households__"), distinct=True),
        )
        .annotate(unsigned=F("residing") - F("signed"))
        .order_by("name")
    )


def percentage(part: int, whole: int) -> int | None:
    """Whole percentage rounded down, so 99.6 % never shows as a target-meeting 100 %; None for 0 households."""
    return 100 * part // whole if whole else None


def commitment_coverage(commune: Commune, year: int) -> dict[str, int | None]:
    """Hamlets that registered their commitment for `year` over all hamlets of the commune (one query)."""
    counts = Hamlet.objects.filter(commune=commune).aggregate(
        hamlets=Count("id", distinct=True),
        registered=Count("id", filter=Q(commitments__year=year), distinct=True),
    )
    return {**counts, "year": year, "percentage": percentage(counts["registered"], counts["hamlets"])}


def hamlets_without_commitment(commune: Commune, year: int):
    """Who is missing behind the percentage: the hamlets that have not registered for `year`."""
    return Hamlet.objects.filter(commune=commune).exclude(commitments__year=year).order_by("name")
