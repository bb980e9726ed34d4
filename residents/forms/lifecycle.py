"""One form per lifecycle action, with dates and legal periods pre-filled from settings.DRUGFREE_LEGAL_PERIODS."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from drugfree.concurrency import VersionedFormMixin, changes_since
from drugfree.forms import dates_as_text
from residents import periods
from residents.models import DrugTest, Person, PostRehabManagement, Suspicion, Treatment
from residents.models.records import EndReason
from residents.selectors import re_use_tests


def _d(day) -> str:
    return date_format(day, "d/m/Y")


class ActionForm(VersionedFormMixin, forms.Form):
    """Carries the version of the person the officer saw: an action on a file changed meanwhile is refused.

    A form with a `recomputed_field` (a legal end) recomputes it whenever one of `recomputed_from` changes:
    action_form.html fetches the form again over htmx with those values in `choice` (the query string).
    """

    recomputed_field = ""
    recomputed_from: tuple[str, ...] = ()

    def __init__(self, *args, person: Person, choice=None, **kwargs):
        kwargs.setdefault("record", person)
        super().__init__(*args, **kwargs)
        self.person = person
        self.today = timezone.localdate()
        # Also the posted values: a form sent back with errors shows the legal end of the dates the officer typed.
        self.choice = choice or self.data
        dates_as_text(self)

    def chosen_date(self, name: str):
        """The date typed so far in field `name` (htmx refresh), or None when empty or not a date."""
        try:
            return self.fields[name].to_python(self.choice.get(name))
        except ValidationError:
            return None

    def _rebase_kwargs(self):
        return {"person": self.person}

    def conflict_differences(self, current):
        # "Yours" is the file as the officer saw it when opening the form; "theirs" is the file now.
        return changes_since(current, self.cleaned_data["seen_version"])

    def explanation(self) -> str:
        return ""


class ListSuspectForm(ActionForm):
    listed_on = forms.DateField(label=_("Ngày lập danh sách"))
    trigger = forms.ChoiceField(label=_("Căn cứ"), choices=Suspicion.Trigger.choices)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["listed_on"].initial = self.today

    def explanation(self):
        return _("Người có căn cứ nghi sử dụng phải được xét nghiệm.")


class RecordTestForm(ActionForm):
    tested_on = forms.DateField(label=_("Ngày xét nghiệm"))
    result = forms.ChoiceField(label=_("Kết quả"), choices=DrugTest.Result.choices, widget=forms.RadioSelect)
    method = forms.ChoiceField(label=_("Phương pháp"), choices=DrugTest.Method.choices)
    substances = forms.CharField(label=_("Chất ma túy"), required=False, max_length=200)
    performed_by = forms.CharField(label=_("Đơn vị/người thực hiện"), required=False, max_length=150)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tested_on"].initial = self.today

    def explanation(self):
        due = periods.management_decision_due(self.today)
        return _(
            "Kết quả dương tính: Chủ tịch UBND xã ra quyết định quản lý (Mẫu 07) trong %(days)s ngày làm việc "
            "(xét nghiệm hôm nay thì hạn là %(due)s)."
        ) % {"days": periods.period("management_decision_working_days"), "due": _d(due)}


class ManagementDecisionForm(ActionForm):
    number = forms.CharField(label=_("Số quyết định"), max_length=50)
    decided_on = forms.DateField(label=_("Ngày quyết định"))
    starts_on = forms.DateField(label=_("Quản lý từ ngày"))
    ends_on = forms.DateField(
        label=_("Đến ngày (theo quy định)"), required=False, disabled=True, help_text=_("Tính tự động từ ngày bắt đầu.")
    )
    team_leader = forms.ModelChoiceField(label=_("Tổ trưởng tổ quản lý"), queryset=User.objects.none(), required=False)
    team_members = forms.CharField(label=_("Thành viên tổ quản lý"), required=False, max_length=255)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    recomputed_field = "ends_on"
    recomputed_from = ("decided_on", "starts_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        decided_on = self.chosen_date("decided_on") or self.today
        starts_on = self.chosen_date("starts_on") or decided_on
        self.fields["decided_on"].initial = decided_on
        self.fields["starts_on"].initial = starts_on
        self.fields["ends_on"].initial = periods.user_management_end(starts_on)
        # The team is led by a commune police officer of the person's commune.
        self.fields["team_leader"].queryset = User.objects.filter(
            commune_id=self.person.commune_id, role=Role.COMMUNE_OFFICER, is_active=True
        ).order_by("full_name", "username")

    def explanation(self):
        months = periods.period("user_management_months")
        text = _("Thời hạn quản lý %(months)s tháng kể từ ngày bắt đầu; tái sử dụng thì quản lý lại từ đầu.") % {
            "months": months
        }
        current = self.person.usermanagements.filter(ended_on__isnull=True).first()
        if current is None:
            positive = self.person.drugtests.filter(result=DrugTest.Result.POSITIVE).order_by("-tested_on").first()
        else:
            text += " " + _("Đang quản lý từ %(start)s đến %(end)s.") % {
                "start": _d(current.starts_on),
                "end": _d(current.ends_on),
            }
            positive = re_use_tests(person=self.person, managed_since=current.starts_on).order_by("-tested_on").first()
            if positive is None:
                restart_rule = _("Chỉ quản lý lại khi có kết quả xét nghiệm dương tính mới sau ngày bắt đầu quản lý.")
                return f"{text} {restart_rule}"
        if positive:
            text += " " + _("Xét nghiệm dương tính ngày %(on)s: hạn ra quyết định %(due)s.") % {
                "on": _d(positive.tested_on),
                "due": _d(periods.management_decision_due(positive.tested_on)),
            }
        return text


class AssessmentForm(ActionForm):
    assessed_on = forms.DateField(label=_("Ngày xác định"))
    facility = forms.CharField(label=_("Cơ sở y tế"), max_length=200)
    criteria_met = forms.IntegerField(label=_("Số tiêu chuẩn chẩn đoán đáp ứng"), min_value=0, max_value=11)
    document_number = forms.CharField(label=_("Số phiếu kết quả"), required=False, max_length=50)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessed_on"].initial = self.today

    def explanation(self):
        due = periods.treatment_registration_due(self.today)
        return _(
            "Từ 3 tiêu chuẩn trở lên là người nghiện: phải đăng ký hình thức cai nghiện trong %(days)s ngày làm việc "
            "(xác định hôm nay thì hạn là %(due)s)."
        ) % {"days": periods.period("treatment_registration_working_days"), "due": _d(due)}


class StartTreatmentForm(ActionForm):
    form = forms.ChoiceField(label=_("Hình thức"), choices=Treatment.Form.choices)
    starts_on = forms.DateField(label=_("Ngày bắt đầu"))
    planned_end_on = forms.DateField(
        label=_("Dự kiến kết thúc"),
        required=False,
        help_text=_("Điền sẵn theo thời hạn quy định của hình thức đã chọn."),
    )
    registered_on = forms.DateField(label=_("Ngày đăng ký"), required=False)
    facility = forms.CharField(label=_("Cơ sở/nơi thực hiện"), required=False, max_length=200)
    decision_number = forms.CharField(label=_("Số quyết định"), required=False, max_length=50)
    decision_date = forms.DateField(label=_("Ngày quyết định"), required=False)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    recomputed_field = "planned_end_on"
    recomputed_from = ("form", "starts_on", "decision_date")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = self.choice.get("form")
        form = chosen if chosen in Treatment.Form.values else Treatment.Form.HOME_COMMUNITY
        starts_on = self.chosen_date("starts_on") or self.today
        self.fields["form"].initial = form
        self.fields["starts_on"].initial = starts_on
        age_day = periods.treatment_age_day(starts_on=starts_on, decision_date=self.chosen_date("decision_date"))
        is_minor = self.person.is_minor_on(age_day)
        self.fields["planned_end_on"].initial = periods.treatment_planned_end(form, starts_on, is_minor=is_minor)
        if form == Treatment.Form.COMPULSORY and self.person.minority_presumed_on(age_day):
            self.fields["planned_end_on"].help_text = self._presumed_minor_notice(age_day)

    def _presumed_minor_notice(self, age_day) -> str:
        if self.person.year_of_birth:
            known = _("Chỉ biết năm sinh (%(year)s), chưa biết ngày sinh") % {"year": self.person.year_of_birth}
        else:
            known = _("Chưa có ngày sinh, năm sinh")
        return _(
            "%(known)s: có thể chưa đủ 18 tuổi vào ngày %(day)s nên được tính như người chưa thành niên (có lợi cho "
            "người bị áp dụng). Bổ sung ngày sinh vào hồ sơ để tính chính xác."
        ) % {"known": known, "day": _d(age_day)}

    def explanation(self):
        voluntary = periods.period("voluntary_treatment_min_months"), periods.period("voluntary_treatment_max_months")
        adult = periods.period("compulsory_treatment_adult_months")
        minor = periods.period("compulsory_treatment_minor_months")
        return _(
            "Tự nguyện: %(v1)s–%(v2)s tháng. Bắt buộc: %(a1)s–%(a2)s tháng (người thành niên), %(m1)s–%(m2)s tháng "
            "(12 đến dưới 18 tuổi). Methadone: rà soát sau 12 tháng."
        ) % {"v1": voluntary[0], "v2": voluntary[1], "a1": adult[0], "a2": adult[1], "m1": minor[0], "m2": minor[1]}


class EndTreatmentForm(ActionForm):
    ended_on = forms.DateField(label=_("Ngày kết thúc"))
    outcome = forms.ChoiceField(label=_("Kết quả"), choices=Treatment.Outcome.choices, widget=forms.RadioSelect)
    stop_reason = forms.ChoiceField(
        label=_("Lý do dừng (nếu dừng)"),
        required=False,
        choices=[("", "—")]
        + [(r.value, r.label) for r in (EndReason.PRISON, EndReason.DEATH, EndReason.MOVED, EndReason.OTHER)],
    )
    post_rehab_number = forms.CharField(
        label=_("Số quyết định quản lý sau cai (Mẫu 51)"), required=False, max_length=50
    )
    post_rehab_decided_on = forms.DateField(label=_("Ngày quyết định"), required=False)
    post_rehab_starts_on = forms.DateField(label=_("Quản lý sau cai từ ngày"), required=False)
    post_rehab_ends_on = forms.DateField(
        label=_("Đến ngày (theo quy định)"),
        required=False,
        disabled=True,
        help_text=_("Tính tự động từ ngày bắt đầu quản lý sau cai (nếu hoàn thành)."),
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    # The Mẫu 51 decision's legal end follows its dates like the Mẫu 07 form's (the service computes the same).
    recomputed_field = "post_rehab_ends_on"
    recomputed_from = ("ended_on", "post_rehab_decided_on", "post_rehab_starts_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.treatment = self.person.treatments.filter(ended_on__isnull=True).first()
        planned = self.treatment.planned_end_on if self.treatment else self.today
        ended_on = self.chosen_date("ended_on") or min(planned, self.today)
        self.fields["ended_on"].initial = ended_on
        # As person_end_treatment: from the decision's start, else its date, else the end of treatment.
        starts_on = self.chosen_date("post_rehab_starts_on") or self.chosen_date("post_rehab_decided_on") or ended_on
        self.fields["post_rehab_ends_on"].initial = periods.post_rehab_end(
            starts_on, after_adult_compulsory=self._after_adult_compulsory()
        )

    def _after_adult_compulsory(self) -> bool:
        if self.treatment is None or self.treatment.form != Treatment.Form.COMPULSORY:
            return False
        age_day = periods.treatment_age_day(
            starts_on=self.treatment.starts_on, decision_date=self.treatment.decision_date
        )
        return not self.person.is_minor_on(age_day)

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("post_rehab_number")) != bool(cleaned.get("post_rehab_decided_on")):
            raise ValidationError(_("Quyết định quản lý sau cai cần cả số và ngày quyết định (hoặc để trống cả hai)."))
        if cleaned.get("outcome") == Treatment.Outcome.STOPPED and not cleaned.get("stop_reason"):
            self.add_error("stop_reason", _("Chọn lý do dừng."))
        return cleaned

    def explanation(self):
        if self.treatment is None:
            return ""
        adult_compulsory = self._after_adult_compulsory()
        months = periods.period("post_rehab_after_adult_compulsory_months" if adult_compulsory else "post_rehab_months")
        return _(
            "%(form)s từ %(start)s, dự kiến kết thúc %(end)s. Hoàn thành thì chuyển sang quản lý sau cai nghiện "
            "%(months)s tháng."
        ) % {
            "form": self.treatment.get_form_display(),
            "start": _d(self.treatment.starts_on),
            "end": _d(self.treatment.planned_end_on),
            "months": months,
        }


class EndPostRehabForm(ActionForm):
    ended_on = forms.DateField(label=_("Ngày kết thúc"))
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.period = PostRehabManagement.objects.filter(person=self.person, ended_on__isnull=True).first()
        self.fields["ended_on"].initial = min(self.period.ends_on, self.today) if self.period else self.today

    def explanation(self):
        if self.period is None:
            return ""
        return _("Quản lý sau cai nghiện từ %(start)s đến %(end)s (Mẫu 10 khi hết thời hạn).") % {
            "start": _d(self.period.starts_on),
            "end": _d(self.period.ends_on),
        }


class StopManagementForm(ActionForm):
    stopped_on = forms.DateField(label=_("Ngày dừng"))
    reason = forms.ChoiceField(
        label=_("Lý do (Mẫu 09)"),
        choices=[(r.value, r.label) for r in (EndReason.PRISON, EndReason.DEATH, EndReason.MOVED, EndReason.OTHER)],
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stopped_on"].initial = self.today

    def explanation(self):
        return _("Mọi thời hạn quản lý, cai nghiện đang mở sẽ kết thúc vào ngày dừng.")


class ResidenceCheckForm(ActionForm):
    checked_on = forms.DateField(label=_("Ngày kiểm tra"))
    present = forms.BooleanField(label=_("Có mặt tại nơi cư trú"), required=False, initial=True)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checked_on"].initial = self.today

    def explanation(self):
        return _("Kiểm tra cư trú ít nhất mỗi tháng một lần.")


class FlagPsychosisForm(ActionForm):
    flagged_on = forms.DateField(label=_("Ngày ghi nhận"))
    note = forms.CharField(label=_("Biểu hiện"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["flagged_on"].initial = self.today


class ClearPsychosisForm(ActionForm):
    cleared_on = forms.DateField(label=_("Ngày hết biểu hiện"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cleared_on"].initial = self.today


class ReintegrationForm(ActionForm):
    released_on = forms.DateField(label=_("Ngày chấp hành xong án"))
    prison = forms.CharField(label=_("Trại giam/nơi chấp hành"), required=False, max_length=200)
    offence = forms.CharField(label=_("Tội danh"), required=False, max_length=200)
    support = forms.CharField(label=_("Hỗ trợ tái hòa nhập"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def explanation(self):
        return _("Người chấp hành xong án phạt tù về tội phạm ma túy trở về địa phương (NĐ 49/2020).")
