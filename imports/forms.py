from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from communes.models import Commune
from imports.models import ImportRun

from .headers import FIELD_LABELS
from .limits import preview_columns
from .workbooks import SPREADSHEET_EXTENSIONS


def writable_communes(user):
    """Communes the user may import into: their own for an officer, any for an administrator."""
    if user.is_administrator:
        return Commune.objects.order_by("name")
    if user.can_write_records and user.commune_id:
        return Commune.objects.filter(pk=user.commune_id)
    return Commune.objects.none()


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp danh sách hộ"),
        help_text=_(
            "Excel (.xlsx, .xls), OpenDocument (.ods), CSV hoặc văn bản (.csv, .txt: UTF-8, UTF-16 hay Windows-1258, "
            "phân cách bằng dấu phẩy, chấm phẩy hoặc tab)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(SPREADSHEET_EXTENSIONS)}),
    )
    commune = forms.ModelChoiceField(label=_("Xã/phường"), queryset=Commune.objects.none())
    full_list = forms.BooleanField(
        label=_("Đây là danh sách đầy đủ của xã"),
        required=False,
        help_text=_(
            "Hộ đang cư trú có trong hệ thống mà không có trong tệp sẽ được liệt kê để kiểm tra (không bị xóa)."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        communes = writable_communes(user)
        self.fields["commune"].queryset = communes
        if not user.is_administrator:
            self.fields["commune"].initial = user.commune_id
            self.fields["commune"].disabled = True

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        limit = getattr(settings, "HOUSEHOLD_IMPORT_MAX_BYTES", 50 * 1024 * 1024)
        if uploaded.size > limit:
            raise forms.ValidationError(
                _("Tệp quá lớn (%(size).1f MB); giới hạn là %(limit).0f MB. Hãy chia danh sách thành nhiều tệp."),
                params={"size": uploaded.size / 1024 / 1024, "limit": limit / 1024 / 1024},
            )
        return uploaded


def field_choices():
    return [("", _("— không nhập cột này —")), *((name, label) for name, label in FIELD_LABELS.items())]


def shown_columns(headers: list[str], mapping: dict[int, str | None]) -> list[int]:
    """The columns offered for mapping: every mapped one, then those with a header text, then blank ones, up to
    HOUSEHOLD_IMPORT_PREVIEW_COLUMNS in all (a sheet running on to column XFD rendered 16,384 selects, 15 MB)."""
    mapped = {index for index, field in mapping.items() if field}
    named = [index for index, text in enumerate(headers) if text and index not in mapped]
    blank = [index for index, text in enumerate(headers) if not text and index not in mapped]
    room = max(preview_columns() - len(mapped), 0)
    return sorted(mapped | set((named + blank)[:room]))


class MappingForm(forms.Form):
    """The sheet, the header row and what each column holds, as recognised; the user corrects what is wrong."""

    sheet = forms.ChoiceField(label=_("Trang tính"))
    header_row_number = forms.IntegerField(label=_("Dòng tiêu đề"), min_value=1, max_value=1000)
    full_list = forms.BooleanField(label=_("Đây là danh sách đầy đủ của xã"), required=False)

    def __init__(self, *args, run: ImportRun, **kwargs):
        super().__init__(*args, **kwargs)
        self.run = run
        sheets = run.summary.get("sheets") or [run.sheet_name]
        self.fields["sheet"].choices = [(name, name) for name in sheets]
        self.fields["sheet"].initial = run.sheet_name
        self.fields["header_row_number"].initial = run.header_row_number
        self.fields["full_list"].initial = run.full_list
        mapping = run.column_mapping()
        self.column_fields: dict[str, int] = {}  # form field -> column index
        shown = shown_columns(run.headers, mapping)
        self.hidden_columns = len(run.headers) - len(shown)
        for index in shown:
            name = f"column_{index}"
            header = run.headers[index] if index < len(run.headers) else ""
            self.fields[name] = forms.ChoiceField(
                label=header or _("Cột %(number)d") % {"number": index + 1},
                choices=field_choices(),
                required=False,
                initial=mapping.get(index) or "",
            )
            self.column_fields[name] = index

    def columns(self):
        return [self[name] for name in self.column_fields]

    def clean(self):
        cleaned = super().clean()
        chosen = [cleaned.get(name) for name in self.column_fields if cleaned.get(name)]
        duplicates = {name for name in chosen if chosen.count(name) > 1}
        if duplicates:
            labels = ", ".join(str(FIELD_LABELS[name]) for name in sorted(duplicates))
            raise forms.ValidationError(
                _("Mỗi trường chỉ lấy từ một cột; đang chọn nhiều cột cho: %(fields)s."), params={"fields": labels}
            )
        if chosen and "head_name" not in chosen:
            raise forms.ValidationError(_("Hãy chọn cột chứa họ tên chủ hộ."))
        return cleaned

    def mapping(self) -> dict[int, str | None]:
        """The shown columns as chosen; a column not shown is not imported."""
        return {index: self.cleaned_data.get(name) or None for name, index in self.column_fields.items()}

    def layout_changed(self) -> bool:
        """A different sheet or header row means different columns: the mapping is recognised again."""
        return (
            self.cleaned_data["sheet"] != self.run.sheet_name
            or self.cleaned_data["header_row_number"] != self.run.header_row_number
        )


class ConfirmForm(forms.Form):
    mode = forms.ChoiceField(choices=ImportRun.Mode.choices)
    # Its own confirmation: a household whose head becomes another person is never changed silently.
    confirm_head_changes = forms.BooleanField(required=False)
