from django import forms
from django.utils.translation import gettext_lazy as _

from communes.models import District, Province
from drugfree.text import search_key

from .models import Programme

SORTS = [("name", _("Tên xã")), ("met", _("Số tiêu chí đạt"))]


class AreaFilterForm(forms.Form):
    """The area dashboard's choices: which area and programme, how to filter and sort the table."""

    STATUS_CHOICES = [("", _("Tất cả")), ("met", _("Đạt tất cả tiêu chí")), ("unmet", _("Chưa đạt"))]

    province = forms.ModelChoiceField(Province.objects.none(), required=False, label=_("Tỉnh"))
    district = forms.ModelChoiceField(District.objects.none(), required=False, label=_("Huyện/cụm"))
    programme = forms.ModelChoiceField(Programme.objects.none(), required=False, label=_("Bộ tiêu chí"))
    q = forms.CharField(required=False, label=_("Tìm xã"))
    status = forms.ChoiceField(choices=STATUS_CHOICES, required=False, label=_("Kết quả"))
    unmet = forms.IntegerField(required=False, widget=forms.HiddenInput)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)
    desc = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, province, **kwargs):
        super().__init__(*args, **kwargs)
        if user.is_administrator:
            self.fields["province"].queryset = Province.objects.filter(communes__isnull=False).distinct()
        else:
            del self.fields["province"]
        districts = District.objects.filter(province=province) if province else District.objects.none()
        if user.district_id:
            districts = districts.filter(pk=user.district_id)
        self.fields["district"].queryset = districts
        self.fields["programme"].queryset = Programme.objects.for_province(province.pk if province else None)

    @property
    def choices(self) -> dict:
        """The valid choices, or none at all when the query string is not valid."""
        return self.cleaned_data if self.is_valid() else {}

    @property
    def sort_key(self) -> str:
        # Worst first by default: the communes a reviewer must chase.
        return self.choices.get("sort") or "met"

    @property
    def descending(self) -> bool:
        return bool(self.choices.get("desc"))

    def unmet_criterion(self, overview):
        return _criterion(overview, self.choices.get("unmet"))

    def rows(self, overview) -> list:
        """The overview's rows this form's filter keeps, in the order it asks for."""
        data = self.choices
        rows = overview.rows
        if data.get("q"):
            key = search_key(data["q"])
            rows = [row for row in rows if key in search_key(row.unit.name)]
        if data.get("status") == "met":
            rows = [row for row in rows if row.met_all]
        elif data.get("status") == "unmet":
            rows = [row for row in rows if not row.met_all]
        unmet = self.unmet_criterion(overview)
        if unmet is not None:
            rows = [row for row in rows if not row.results[unmet[0]].met]
        return self._sorted(overview, rows)

    def _sorted(self, overview, rows):
        """Communes without data come last whatever the order: they have no figure to rank (and 164 of them
        would otherwise bury the communes that do)."""
        sort, sign = self.sort_key, -1 if self.descending else 1
        if sort == "met":
            return sorted(rows, key=lambda row: (not row.has_data, sign * row.met_count))
        column = _criterion(overview, sort[1:]) if sort.startswith("c") else None
        if column is not None:
            return sorted(rows, key=lambda row: (not row.has_data, sign * row.results[column[0]].value))
        return list(reversed(rows)) if self.descending else rows

    def sort_links(self, query, overview) -> dict[str, str]:
        """Column header links: a second click on the same column reverses the order."""
        links = {}
        for key in ["name", "met", *(f"c{c.pk}" for c in overview.criteria)]:
            desc = key == self.sort_key and not self.descending
            links[key] = with_query(query, sort=key, desc="1" if desc else "")
        return links


def with_query(query, **changes) -> str:
    """The current query string (a QueryDict) with some parameters changed, as a link."""
    query = query.copy()
    for name, value in changes.items():
        query[name] = value
    return f"?{query.urlencode()}"


def _criterion(overview, criterion_id):
    """(index, criterion) of the overview's criterion with this id, or None."""
    if criterion_id in (None, ""):
        return None
    for index, criterion in enumerate(overview.criteria):
        if str(criterion.pk) == str(criterion_id):
            return index, criterion
    return None
