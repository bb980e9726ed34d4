"""Every metric a programme's criteria can use (docs/domain.md §6 and QĐ 28/2025/QĐ-TTg), registered by key.

Adding a metric here makes it selectable in the admin; programmes (criteria sets) are data and need no code.
"""

from django.db.models import Count, Exists, FilteredRelation, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.utils.translation import gettext_lazy as _

from communes.models import (
    Commune,
    DrugPlantEradication,
    Hamlet,
    Hotspot,
    ProgrammePlan,
    SteeringCommittee,
    TraffickingRoute,
)
from pledges.models import PreventionModel
from progress.tallies import HamletPledgeTally, HouseholdTally, PledgeTally
from residents.models import (
    ArrestedSuspect,
    DrugTest,
    Household,
    Incident,
    ManagementStop,
    Person,
    PostRehabManagement,
    Suspicion,
    Treatment,
    UserManagement,
)
from residents.models.records import LEAVING_REASONS

from .base import Column, CountMetric, Figure, Kind, Metric, RateMetric, ShareMetric, hamlet_tallies

S = Person.Status

PERSON_COLUMNS = (
    Column(_("Họ và tên"), lambda p: p.full_name),
    Column(_("Năm sinh"), lambda p: p.year_of_birth),
    Column(_("Thôn"), lambda p: p.hamlet.full_name),
    Column(_("Tình trạng"), lambda p: p.get_status_display()),
)


# The statuses the status-only person metrics count; one grouped query over them serves every such metric.
COUNTED_STATUSES = (S.POSITIVE, S.USER, S.ADDICT, S.IN_TREATMENT, S.POST_REHAB)


def status_counts(moment, commune_ids, *, by_hamlet: bool) -> dict[int, dict[str, int]]:
    """{commune (or hamlet) id: {status: people}} for the people under management, one query per moment and
    grouping, read from the index on (commune, status) of people under management (person_managed_idx)."""
    group = "hamlet_id" if by_hamlet else "commune_id"
    key = ("person_statuses", group, tuple(commune_ids) if commune_ids is not None else None)
    if key not in moment.memo:
        people = Person.objects.filter(status__in=COUNTED_STATUSES)
        if commune_ids is not None:
            people = people.filter(commune_id__in=list(commune_ids))
        counts: dict[int, dict[str, int]] = {}
        for unit, status, n in people.order_by().values_list(group, "status").annotate(Count("pk")):
            counts.setdefault(unit, {})[status] = n
        moment.memo[key] = counts
    return moment.memo[key]


class PersonRate(RateMetric):
    gap_columns = PERSON_COLUMNS
    gap_select_related = ("hamlet",)
    statuses: tuple[str, ...] = ()
    met_statuses: tuple[str, ...] = ()

    def population(self, moment):
        return Person.objects.filter(status__in=self.statuses)

    def met(self, moment):
        return Q(status__in=self.met_statuses)

    def figures(self, moment, commune_ids=None, *, by_hamlet=False):
        """From the status counts the other status-only metrics share (the population is a set of statuses)."""
        self._group_field(by_hamlet)
        figures = {}
        for unit, counts in status_counts(moment, commune_ids, by_hamlet=by_hamlet).items():
            denominator = sum(counts.get(status, 0) for status in self.statuses)
            if denominator:
                figures[unit] = Figure(sum(counts.get(status, 0) for status in self.met_statuses), denominator)
        return figures


class AddictsInTreatment(PersonRate):
    key = "addicts_in_treatment"
    short_label = _("Cai nghiện, điều trị")
    label = _("Người nghiện được phát hiện, lập hồ sơ quản lý và áp dụng biện pháp cai nghiện/điều trị phù hợp")
    description = _("Người nghiện đang cai nghiện hoặc điều trị ÷ tổng số người nghiện đang quản lý tại xã.")
    gap_title = _("Người nghiện chưa cai nghiện/điều trị")
    statuses = (S.ADDICT, S.IN_TREATMENT)
    met_statuses = (S.IN_TREATMENT,)


class UsersWithDecision(PersonRate):
    key = "users_with_decision"
    short_label = _("Quyết định quản lý")
    label = _("Người sử dụng trái phép có quyết định quản lý")
    description = _(
        "Người sử dụng đã có quyết định quản lý (Mẫu 07) ÷ người sử dụng (kể cả người dương tính chờ quyết định)."
    )
    gap_title = _("Người dương tính chưa có quyết định quản lý")
    statuses = (S.POSITIVE, S.USER)
    met_statuses = (S.USER,)


class SuspectsTested(RateMetric):
    key = "suspects_tested"
    short_label = _("Xét nghiệm")
    label = _("Người có căn cứ nghi sử dụng được lập danh sách và xét nghiệm")
    description = _(
        "Người trong danh sách nghi sử dụng (lập trong 12 tháng gần nhất hoặc còn mở) đã được xét nghiệm ÷ tổng số; "
        "mỗi người tính một lần."
    )
    gap_title = _("Người nghi sử dụng chưa được xét nghiệm")
    gap_columns = PERSON_COLUMNS
    gap_select_related = ("hamlet",)

    def population(self, moment):
        listed = Suspicion.objects.filter(person=OuterRef("pk")).filter(
            Q(listed_on__gte=moment.window_start, listed_on__lte=moment.as_of) | Q(closed_on__isnull=True)
        )
        # A person whose management was stopped (moved away, prison, death) before a test is no longer reachable.
        return Person.objects.filter(Exists(listed)).exclude(status=S.ENDED)

    def met(self, moment):
        # Recording a test (or an addiction assessment) closes the open suspicion.
        return ~Exists(Suspicion.objects.filter(person=OuterRef("pk"), closed_on__isnull=True))


class PostRehabManaged(RateMetric):
    key = "post_rehab_managed"
    short_label = _("Quản lý sau cai")
    label = _("Người sau cai nghiện được quản lý sau cai nghiện")
    description = _("Người sau cai nghiện có quyết định quản lý sau cai (Mẫu 51) ÷ người sau cai nghiện.")
    gap_title = _("Người sau cai nghiện chưa có quyết định quản lý")
    gap_columns = PERSON_COLUMNS
    gap_select_related = ("hamlet",)

    def population(self, moment):
        return Person.objects.filter(status=S.POST_REHAB)

    def met(self, moment):
        decided = PostRehabManagement.objects.filter(person=OuterRef("pk"), ended_on__isnull=True).exclude(
            decision_number=""
        )
        return Exists(decided)


class HouseholdsPledged(RateMetric):
    key = "households_pledged"
    short_label = _("Hộ ký cam kết")
    label = _("Hộ gia đình ký cam kết không tham gia tội phạm, tệ nạn ma túy")
    description = _("Hộ đang cư trú có đại diện ký cam kết trong năm ÷ tổng số hộ đang cư trú.")
    gap_title = _("Hộ chưa ký cam kết")
    gap_columns = (
        Column(_("Mã hộ"), lambda h: h.code),
        Column(_("Chủ hộ"), lambda h: h.head_name),
        Column(_("Thôn"), lambda h: h.hamlet.full_name),
        Column(_("Địa chỉ"), lambda h: h.address),
        Column(_("Số nhân khẩu"), lambda h: h.members_count),
    )
    gap_select_related = ("hamlet",)

    def population(self, moment):
        # One LEFT JOIN on (household, year), unique by constraint: no per-row subquery.
        return Household.objects.residing().annotate(
            pledge_this_year=FilteredRelation("pledges", condition=Q(pledges__year=moment.year))
        )

    def met(self, moment):
        return Q(pledge_this_year__isnull=False)

    def figures(self, moment, commune_ids=None, *, by_hamlet=False):
        """Per commune from the tallies the database keeps (progress.tallies: residing households, and the year's
        pledges of residing households): counting a million households and their pledges costs more than the rest
        of a province dashboard. One UNION ALL query over two small tables. Per hamlet from the hamlet tallies
        (the households read with the population, see base.hamlet_tallies, and one query for the pledges).
        """
        if by_hamlet:
            return self._hamlet_figures(moment, commune_ids)
        zero = Value(0, output_field=IntegerField())
        residing = self._restrict(HouseholdTally.objects.all(), commune_ids)
        pledged = self._restrict(PledgeTally.objects.filter(year=moment.year), commune_ids)
        rows = residing.values_list("commune_id", "households", zero).union(
            pledged.values_list("commune_id", zero, "pledges"), all=True
        )
        totals: dict[int, list[int]] = {}
        for commune_id, households, pledges in rows:
            total = totals.setdefault(commune_id, [0, 0])
            total[0] += households
            total[1] += pledges
        return {commune_id: Figure(pledges, households) for commune_id, (households, pledges) in totals.items()}

    def _hamlet_figures(self, moment, commune_ids):
        pledged = HamletPledgeTally.objects.filter(year=moment.year, pledges__gt=0)
        if commune_ids is not None:
            pledged = pledged.filter(hamlet__commune_id__in=list(commune_ids))
        pledges = dict(pledged.values_list("hamlet_id", "pledges"))
        households = {hamlet: n for hamlet, (_commune, n, _members) in hamlet_tallies(moment, commune_ids).items()}
        return {hamlet: Figure(pledges.get(hamlet, 0), households.get(hamlet, 0)) for hamlet in {*households, *pledges}}


class HamletsCommitted(RateMetric):
    key = "hamlets_committed"
    short_label = _("Thôn cam kết")
    label = _("Thôn, khu phố đăng ký cam kết xây dựng địa bàn không ma túy")
    description = _("Thôn, khu phố có đăng ký cam kết trong năm ÷ tổng số thôn, khu phố.")
    gap_title = _("Thôn, khu phố chưa đăng ký cam kết")
    hamlet_field = "id"
    gap_columns = (Column(_("Thôn, khu phố"), lambda h: h.name), Column(_("Trưởng thôn"), lambda h: h.head_name))

    def population(self, moment):
        return Hamlet.objects.annotate(
            commitment_this_year=FilteredRelation("commitments", condition=Q(commitments__year=moment.year))
        )

    def met(self, moment):
        return Q(commitment_this_year__isnull=False)


def _missed_reason(person) -> str:
    return _("dương tính ngày %(day)s khi chưa có trong danh sách nghi sử dụng và không đang được quản lý") % {
        "day": f"{person.missed_on:%d/%m/%Y}"
    }


class MissedUsers(CountMetric):
    key = "missed_users"
    short_label = _("Sót, lọt")
    label = _("Không để sót, lọt người sử dụng, người nghiện ngoài danh sách")
    description = _(
        "Đếm số người có kết quả xét nghiệm dương tính trong 12 tháng gần nhất khi chưa có trong danh sách nghi sử "
        "dụng và không đang được quản lý (sử dụng, cai nghiện, sau cai), mỗi người một lần, trừ người đã dừng quản "
        "lý vì chuyển đi, đi tù hoặc chết sau lần xét nghiệm đó."
    )
    gap_title = _("Người sử dụng, người nghiện phát hiện ngoài danh sách")
    gap_columns = (*PERSON_COLUMNS, Column(_("Vì sao tính"), _missed_reason))
    gap_select_related = ("hamlet",)

    def records(self, moment):
        return Person.objects.filter(Exists(self._outside_the_list(moment)))

    def gap_list(self, moment, commune):
        """The people, each with the day of their first positive test outside the list (the reason they count)."""
        first = self._outside_the_list(moment).order_by("tested_on").values("tested_on")[:1]
        return super().gap_list(moment, commune).annotate(missed_on=Subquery(first))

    def _outside_the_list(self, moment):
        """Positive tests of a person (OuterRef "pk") in the window, found outside the list and outside management."""
        test = OuterRef("tested_on")
        person = OuterRef("person_id")

        def covering(model):
            return model.objects.filter(person=person, starts_on__lte=test).filter(
                Q(ended_on__isnull=True) | Q(ended_on__gte=test)
            )

        return DrugTest.objects.filter(
            person=OuterRef("pk"),
            result=DrugTest.Result.POSITIVE,
            suspicion__isnull=True,
            tested_on__gte=moment.window_start,
            tested_on__lte=moment.as_of,
        ).filter(
            # Three NOT EXISTS rather than NOT (… OR …): PostgreSQL turns each into an anti-join instead of running
            # three subqueries per positive test.
            ~Exists(covering(UserManagement)),
            ~Exists(covering(Treatment)),
            ~Exists(covering(PostRehabManagement)),
            # Stopped (Mẫu 09) for moving away, prison or death after this test and by as_of: the person has left
            # the commune, which did not miss them. A positive test after the stop (they came back) counts again.
            ~Exists(
                ManagementStop.objects.filter(
                    person=person, reason__in=LEAVING_REASONS, stopped_on__gte=test, stopped_on__lte=moment.as_of
                )
            ),
        )


class SeriousPsychosisIncidents(CountMetric):
    key = "psychosis_serious_incidents"
    short_label = _("Vụ việc do loạn thần")
    label = _("Không xảy ra vụ việc rất nghiêm trọng, đặc biệt nghiêm trọng do người có biểu hiện loạn thần gây ra")
    description = _(
        "Số vụ việc rất nghiêm trọng, đặc biệt nghiêm trọng do người loạn thần gây ra trong 12 tháng gần nhất."
    )
    gap_title = _("Vụ việc nghiêm trọng do người loạn thần gây ra")
    gap_columns = (
        Column(_("Ngày xảy ra"), lambda i: i.occurred_on),
        Column(_("Mức độ"), lambda i: i.get_severity_display()),
        Column(_("Thôn"), lambda i: i.hamlet.full_name if i.hamlet else ""),
        Column(_("Diễn biến"), lambda i: i.description),
    )
    gap_select_related = ("hamlet",)

    def records(self, moment):
        return Incident.objects.filter(
            caused_by_psychosis=True,
            severity__in=[Incident.Severity.VERY_SERIOUS, Incident.Severity.ESPECIALLY_SERIOUS],
            occurred_on__gte=moment.window_start,
            occurred_on__lte=moment.as_of,
        )


def _shared(moment, name, commune_ids, by_hamlet, compute):
    """A grouped read several metrics share, once per moment, communes and grouping."""
    key = (name, by_hamlet, tuple(commune_ids) if commune_ids is not None else None)
    if key not in moment.memo:
        moment.memo[key] = compute()
    return moment.memo[key]


def open_hotspots(moment, commune_ids, *, by_hamlet: bool) -> dict[int, dict[str, int]]:
    """{commune (or hamlet) id: {kind: hotspots not cleared}}: ActiveHotspots and QĐ 28's use places read it."""
    group = "hamlet_id" if by_hamlet else "commune_id"

    def compute():
        hotspots = Hotspot.objects.exclude(status=Hotspot.Status.CLEARED)
        if commune_ids is not None:
            hotspots = hotspots.filter(commune_id__in=list(commune_ids))
        counts: dict[int, dict[str, int]] = {}
        for unit, kind, n in hotspots.order_by().values_list(group, "kind").annotate(Count("pk")):
            counts.setdefault(unit, {})[kind] = n
        return counts

    return _shared(moment, "open_hotspots", commune_ids, by_hamlet, compute)


class HotspotCount(CountMetric):
    kinds: tuple[str, ...] | None = None  # None: every kind

    def figures(self, moment, commune_ids=None, *, by_hamlet=False):
        self._group_field(by_hamlet)
        figures = {}
        for unit, kinds in open_hotspots(moment, commune_ids, by_hamlet=by_hamlet).items():
            n = sum(count for kind, count in kinds.items() if self.kinds is None or kind in self.kinds)
            if n:
                figures[unit] = Figure(n)
        return figures


HOTSPOT_COLUMNS = (
    Column(_("Địa điểm"), lambda h: h.location),
    Column(_("Loại"), lambda h: h.get_kind_display()),
    Column(_("Thôn"), lambda h: h.hamlet.full_name if h.hamlet else ""),
    Column(_("Trạng thái"), lambda h: h.get_status_display()),
    Column(_("Ngày phát hiện"), lambda h: h.detected_on),
)


class ActiveHotspots(HotspotCount):
    key = "active_hotspots"
    short_label = _("Tụ điểm")
    label = _("Không còn điểm, tụ điểm phức tạp về ma túy")
    description = _("Số điểm, tụ điểm phức tạp về ma túy chưa được triệt xóa.")
    gap_title = _("Điểm, tụ điểm chưa triệt xóa")
    gap_columns = HOTSPOT_COLUMNS
    gap_select_related = ("hamlet",)

    def records(self, moment):
        return Hotspot.objects.exclude(status=Hotspot.Status.CLEARED)


class ActivePreventionModels(CountMetric):
    key = "active_prevention_models"
    short_label = _("Mô hình")
    label = _("Có ít nhất một mô hình phòng, chống ma túy được duy trì")
    description = _("Số mô hình phòng, chống ma túy đang duy trì tại xã.")
    gap_title = _("Mô hình đang duy trì")
    hamlet_field = None  # a model may cover several hamlets or the whole commune
    gap_columns = (
        Column(_("Tên mô hình"), lambda m: m.name),
        Column(_("Ngày ra mắt"), lambda m: m.launched_on),
        Column(_("Số quyết định"), lambda m: m.decision_number),
    )

    def records(self, moment):
        return PreventionModel.objects.active()

    def gap_size(self, figure):
        # What is missing is a model, not the models that exist.
        return 0 if figure.numerator else 1


class SteeringCommitteeAndPlan(Metric):
    key = "steering_committee_and_plan"
    short_label = _("BCĐ, kế hoạch")
    label = _("Thành lập Ban chỉ đạo và ban hành kế hoạch")
    description = _("Hai việc: đã thành lập Ban chỉ đạo; đã ban hành kế hoạch thực hiện (số việc đã làm ÷ 2).")
    kind = Kind.RATE
    commune_field = "id"
    hamlet_field = None

    def figures(self, moment, commune_ids=None, *, by_hamlet=False):
        group = self._group_field(by_hamlet)

        def build():
            has_committee = Exists(SteeringCommittee.objects.filter(commune=OuterRef("pk")))
            has_plan = Exists(ProgrammePlan.objects.filter(commune=OuterRef("pk"), issued_on__lte=moment.as_of))
            # Unordered: the communes' ordering joins the province to sort rows a dict does not need sorted.
            return Commune.objects.order_by().values_list("pk", has_committee, has_plan)

        rows = self._restrict(self._grouped(moment, group, build), commune_ids)
        return {pk: Figure(int(committee) + int(plan), 2) for pk, committee, plan in rows}


SHARE_STATUSES = (S.USER, S.ADDICT, S.IN_TREATMENT, S.POST_REHAB)


def _population_share_people(moment):
    return Person.objects.filter(status__in=SHARE_STATUSES)


class Qd28UsersShare(ShareMetric):
    key = "qd28_users_addicts_share"
    short_label = _("Tỷ lệ nghiện, sử dụng")
    label = _("QĐ 28/2025: người nghiện và người sử dụng có hồ sơ quản lý trên dân số")
    description = _("(Người nghiện + người sử dụng trái phép có hồ sơ quản lý) ÷ dân số cư trú, %; loại I khi ≥ 0,5 %.")
    gap_title = _("Người nghiện, người sử dụng có hồ sơ quản lý")
    gap_columns = PERSON_COLUMNS
    gap_select_related = ("hamlet",)

    def records(self, moment):
        return _population_share_people(moment)

    def counts(self, moment, commune_ids=None, *, by_hamlet=False):
        """From the status counts the status-only person metrics share."""
        self._group_field(by_hamlet)
        shared = status_counts(moment, commune_ids, by_hamlet=by_hamlet)
        counts = {unit: sum(c.get(status, 0) for status in SHARE_STATUSES) for unit, c in shared.items()}
        return {unit: Figure(n) for unit, n in counts.items() if n}


class Qd28ArrestedShare(ShareMetric):
    key = "qd28_arrested_share"
    short_label = _("Tỷ lệ bị bắt")
    label = _("QĐ 28/2025: người phạm tội về ma túy bị bắt trên dân số")
    description = _("Đối tượng bị bắt trong 12 tháng gần nhất ÷ dân số cư trú, %; loại I khi ≥ 0,1 %.")
    gap_title = _("Đối tượng bị bắt trong 12 tháng")
    commune_field = "case__commune_id"
    hamlet_field = "case__hamlet_id"
    gap_columns = (
        Column(_("Họ và tên"), lambda s: s.full_name),
        Column(_("Năm sinh"), lambda s: s.birth_year),
        Column(_("Ngày bắt"), lambda s: s.arrested_on),
        Column(_("Vụ án"), lambda s: str(s.case)),
    )
    gap_select_related = ("case",)

    def records(self, moment):
        return ArrestedSuspect.objects.filter(arrested_on__gte=moment.window_start, arrested_on__lte=moment.as_of)


class Qd28UsePlaces(HotspotCount):
    key = "qd28_use_places"
    short_label = _("Tụ điểm sử dụng")
    label = _("QĐ 28/2025: tụ điểm tổ chức, chứa chấp sử dụng trái phép chất ma túy")
    description = _("Số tụ điểm tổ chức, chứa chấp sử dụng chưa triệt xóa; loại I khi ≥ 2, loại II khi ≥ 1.")
    gap_title = _("Tụ điểm tổ chức, chứa chấp sử dụng")
    gap_columns = HOTSPOT_COLUMNS
    gap_select_related = ("hamlet",)
    kinds = (Hotspot.Kind.USE_ORGANISED, Hotspot.Kind.MIXED)

    def records(self, moment):
        return Hotspot.objects.exclude(status=Hotspot.Status.CLEARED).filter(kind__in=list(self.kinds))


class Qd28PlantsDestroyed(CountMetric):
    key = "qd28_plants_destroyed"
    short_label = _("Số cây triệt phá")
    label = _("QĐ 28/2025: số cây có chứa chất ma túy bị phát hiện, triệt phá")
    description = _(
        "Tổng số cây có chứa chất ma túy (cần sa, thuốc phiện, côca…) bị triệt phá trong 12 tháng gần nhất; "
        "loại I khi ≥ 3.000 cây."
    )
    gap_title = _("Các vụ triệt phá cây có chứa chất ma túy trong 12 tháng")
    gap_columns = (
        Column(_("Ngày triệt phá"), lambda e: e.destroyed_on),
        Column(_("Loại cây"), lambda e: e.get_plant_kind_display()),
        Column(_("Số cây"), lambda e: e.plants),
        Column(_("Diện tích (m²)"), lambda e: e.area_m2),
        Column(_("Thôn"), lambda e: e.hamlet.full_name if e.hamlet else ""),
        Column(_("Địa điểm"), lambda e: e.location),
    )
    gap_select_related = ("hamlet",)
    sum_field = "plants"

    def records(self, moment):
        # Only the destructions that add to this total (one may record an area without counting plants).
        return DrugPlantEradication.objects.destroyed_between(moment.window_start, moment.as_of).filter(
            **{f"{self.sum_field}__gt": 0}
        )

    def figures(self, moment, commune_ids=None, *, by_hamlet=False):
        """Plants and m² from one grouped read of the window's destructions, each total over its own records."""
        group = self._group_field(by_hamlet)

        def build():
            destroyed = DrugPlantEradication.objects.destroyed_between(moment.window_start, moment.as_of)
            sums = {}
            for field in ("plants", "area_m2"):
                counted = Q(**{f"{field}__gt": 0})
                sums[f"{field}_total"] = Sum(field, filter=counted)
                sums[f"{field}_records"] = Count("pk", filter=counted)
            return destroyed.filter(Q(plants__gt=0) | Q(area_m2__gt=0)).values(group).annotate(**sums).order_by()

        def compute():
            return list(self._restrict(self._grouped(moment, group, build), commune_ids))

        rows = _shared(moment, "plants_destroyed", commune_ids, by_hamlet, compute)
        total, records = f"{self.sum_field}_total", f"{self.sum_field}_records"
        return {row[group]: self._summed(row[total], row[records]) for row in rows if row[records]}


class Qd28PlantsArea(Qd28PlantsDestroyed):
    key = "qd28_plants_area"
    short_label = _("Diện tích triệt phá")
    label = _("QĐ 28/2025: diện tích cây có chứa chất ma túy bị phát hiện, triệt phá (m²)")
    description = _(
        "Tổng diện tích (m², làm tròn xuống) trồng cây có chứa chất ma túy bị triệt phá trong 12 tháng gần nhất; "
        "loại I khi ≥ 750 m², loại II khi từ 125 m²."
    )
    sum_field = "area_m2"


class Qd28TraffickingRoutes(CountMetric):
    key = "qd28_trafficking_routes"
    short_label = _("Tuyến trung chuyển")
    label = _("QĐ 28/2025: địa bàn nằm trên tuyến trung chuyển ma túy")
    description = _("Số tuyến, địa bàn trung chuyển ma túy qua xã đã xác định và chưa chấm dứt; thuộc diện khi ≥ 1.")
    gap_title = _("Tuyến, địa bàn trung chuyển ma túy")
    hamlet_field = None  # a route crosses the commune, not one hamlet
    gap_columns = (
        Column(_("Tuyến, địa bàn"), lambda r: r.name),
        Column(_("Ngày xác định"), lambda r: r.identified_on),
        Column(_("Mô tả"), lambda r: r.description),
    )

    def records(self, moment):
        return TraffickingRoute.objects.active_on(moment.as_of)


METRICS: tuple[Metric, ...] = (
    AddictsInTreatment(),
    SuspectsTested(),
    MissedUsers(),
    SeriousPsychosisIncidents(),
    HouseholdsPledged(),
    ActivePreventionModels(),
    UsersWithDecision(),
    PostRehabManaged(),
    ActiveHotspots(),
    SteeringCommitteeAndPlan(),
    HamletsCommitted(),
    Qd28UsersShare(),
    Qd28UsePlaces(),
    Qd28ArrestedShare(),
    Qd28PlantsDestroyed(),
    Qd28PlantsArea(),
    Qd28TraffickingRoutes(),
)
