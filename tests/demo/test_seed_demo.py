"""The seed story: the units and hamlets the sample files name, and the facts of docs/domain.md §1."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from communes.models import Commune, DrugPlantEradication, Hamlet, TraffickingRoute
from demo.story.data import KHU_PHO_SOI_LIST
from imports.models import ImportRun
from pledges.models import EmulationCompact, PreventionModel
from progress.metrics import REGISTRY, Moment
from progress.models import CommuneSnapshot
from progress.selectors import today
from progress.services import previous_month
from residents.models import ArrestedSuspect, DrugCase, Household, Person
from residents.models.people import ACTIVE_STATUSES

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "samples" / "ho_gia_dinh_khu_pho_soi.xlsx"
NGOC_LAC_HAMLETS = {
    "Thôn Quang Thắng", "Thôn Quang Hợp", "Thôn Quang Thái", "Thôn Quang Hưng", "Thôn Quang Lợi",
    "Thôn Quang Thịnh", "Thôn Quang Phúc", "Thôn Quang Vinh", "Thôn Quang Minh", "Thôn Quang Sơn",
    "Thôn Quang Hòa", "Thôn Quang Tiến",
}  # fmt: skip


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    """The demo seeded once for the module (seeding takes seconds), in a transaction rolled back at its end; each
    test runs in a savepoint inside it, so what one test changes the next does not see."""
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(DEBUG=True):  # a developer's machine: the published password is allowed
            out = StringIO()
            call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seeded_once, db, settings):
    settings.DEBUG = True  # seeding again in a test is allowed the published password too
    return seeded_once


def test_seed_prints_a_login_for_every_role(seeded):
    for role in Role:
        assert User.objects.filter(role=role).exists()
        assert str(role.label) in seeded
    assert "cand.quanson" in seeded and "demo-Khongmatuy-2026" in seeded


@override_settings(TWO_FACTOR_REQUIRED_FOR_ADMINISTRATORS=False)  # what DEBUG (make run) has by default
def test_every_demo_account_can_sign_in_with_the_printed_password(seeded):
    for user in User.objects.all():
        client = Client()  # through the login form: the lockout backend needs the request
        credentials = {"username": user.username, "password": "demo-Khongmatuy-2026"}
        response = client.post(reverse("accounts:login"), credentials)
        assert response.status_code == 302 and response["Location"] == reverse("home"), user.username


def test_only_officers_and_the_administrator_open_the_admin(seeded):
    staff = set(User.objects.filter(is_staff=True).values_list("username", flat=True))
    assert staff == {"cand.quanson", "cand.ngoclac", "ct.quanson", "quantri"}


def test_khu_pho_soi_has_89_households_415_people_70_percent_ethnic_minorities(seeded):
    soi = Hamlet.objects.get(commune__code="15016", name="Khu phố Sỏi")
    households = Household.objects.filter(hamlet=soi)
    totals = households.aggregate(n=Count("id"), members=Sum("members_count"))
    assert totals == {"n": 89, "members": 415}
    assert Person.objects.filter(hamlet=soi).count() == 415
    minorities = Person.objects.filter(hamlet=soi, ethnicity__in=["Mường", "Thái", "Dao"]).count()
    assert 0.6 <= minorities / 415 <= 0.8


def test_khu_pho_soi_is_the_sample_list_loaded_through_the_import(seeded):
    assert KHU_PHO_SOI_LIST.read_bytes() == SAMPLE.read_bytes()
    run = ImportRun.objects.get(commune__code="15016")
    assert (run.status, run.created_count, run.created_by.username) == ("done", 89, "cand.quanson")
    household = Household.objects.get(commune__code="15016", code="SOI-001")
    assert (household.head_name, household.head_cccd, household.members_count) == ("Đặng Thị Lan", "038146967958", 7)
    head = Person.objects.get(cccd="038146967958")
    assert (head.household, head.sex, head.birth_date.strftime("%d/%m/%Y")) == (household, "female", "30/03/1946")


def test_importing_the_khu_pho_soi_sample_over_the_demo_changes_no_head_and_nothing_else(seeded):
    out, err = StringIO(), StringIO()

    call_command("import_households", str(SAMPLE), "--commune", "15016", "--dry-run", stdout=out, stderr=err)

    assert "đổi chủ hộ" not in out.getvalue()
    assert out.getvalue().strip().splitlines()[-1] == "created=0 updated=0 unchanged=89 invalid=0"


def test_quan_son_story_model_compact_and_cases(seeded):
    model = PreventionModel.objects.get(commune__code="15016", name="Khu phố sạch về ma túy")
    assert (model.launched_on.year, model.launched_on.month) == (2024, 4)
    assert EmulationCompact.objects.get(commune__code="15016").teams.count() == 2
    cases = DrugCase.objects.filter(commune__code="15016", detected_on__year__gte=2023)
    assert cases.count() == 3
    assert ArrestedSuspect.objects.filter(case__in=cases).count() == 6


def test_quan_son_has_plants_destroyed_and_a_trafficking_route(seeded):
    eradications = DrugPlantEradication.objects.filter(commune__code="15016")
    assert set(eradications.values_list("plant_kind", flat=True)) == {"poppy", "cannabis"}
    assert eradications.filter(hamlet__name="Bản Na Nghịu").count() == 2
    assert TraffickingRoute.objects.active_on(timezone.localdate()).filter(commune__code="15016").count() == 1


def test_a_database_seeded_before_the_plants_existed_gets_them_once(seeded):
    DrugPlantEradication.objects.all().delete()
    TraffickingRoute.objects.all().delete()
    for _ in range(2):
        call_command("seed_demo", stdout=StringIO())
    assert (DrugPlantEradication.objects.count(), TraffickingRoute.objects.count()) == (3, 1)


def test_ngoc_lac_has_its_12_hamlets_committee_and_plan(seeded):
    ngoc_lac = Commune.objects.get(code="15061")
    assert set(ngoc_lac.hamlets.values_list("name", flat=True)) == NGOC_LAC_HAMLETS
    assert ngoc_lac.steering_committee.head_title == "Bí thư Đảng ủy"
    plan = ngoc_lac.plans.get()
    assert (plan.number, plan.issued_on.strftime("%d/%m/%Y")) == ("70/KH-BCĐ", "14/12/2024")


def test_every_situation_of_the_lifecycle_is_present(seeded):
    statuses = set(Person.objects.filter(commune__code__in=["15016", "15061"]).values_list("status", flat=True))
    assert set(ACTIVE_STATUSES) | {"ended"} <= statuses
    forms = set(
        Person.objects.filter(status="in_treatment")
        .values_list("treatments__form", flat=True)
        .filter(treatments__ended_on__isnull=True)
    )
    assert forms == {"home", "facility", "methadone", "compulsory"}
    assert Person.objects.filter(Q(psychosis_risk=True)).exists()


def test_seeding_twice_changes_nothing(seeded):
    def counts():
        return [
            model.objects.count()
            for model in (Household, Person, User, Commune, DrugPlantEradication, TraffickingRoute)
        ]

    before = counts()
    call_command("seed_demo", stdout=StringIO())
    assert counts() == before


def test_seeding_again_lifts_a_demo_account_lockout(seeded):
    for _ in range(5):
        Client().post(reverse("accounts:login"), {"username": "cand.quanson", "password": "sai-mat-khau"})
    call_command("seed_demo", stdout=StringIO())
    credentials = {"username": "cand.quanson", "password": "demo-Khongmatuy-2026"}
    assert Client().post(reverse("accounts:login"), credentials).status_code == 302


def test_seed_says_how_the_demo_administrator_signs_in(seeded):
    # The suite runs as production does (DEBUG off): the administrator must enrol, and the output says how to skip it.
    assert "TWO_FACTOR_REQUIRED_FOR_ADMINISTRATORS=0" in seeded


def test_each_story_commune_has_the_one_missed_user_the_story_means(seeded):
    # Users found through the commune's list are not missed; the one found in the district's raid is.
    communes = list(Commune.objects.filter(code__in=["15016", "15061"]))
    moment = Moment(timezone.localdate())
    missed = REGISTRY["missed_users"]
    assert {c.code: missed.figures(moment, [c.pk])[c.pk].numerator for c in communes} == {"15016": 1, "15061": 1}
    for commune in communes:
        [person] = missed.gap_list(moment, commune)
        assert person.drugtests.get().performed_by.startswith("Công an huyện") and person.status == "user"


def test_the_recognition_chapter_khu_pho_soi_recognised_quan_son_in_appraisal(seeded):
    from recognition.models import Recognition
    from recognition.selectors import unit_status

    soi = Recognition.objects.get(hamlet__name="Khu phố Sỏi")
    assert (soi.status, soi.decision.signed_on.strftime("%m/%Y"), soi.decision.number) == (
        "recognised",
        "04/2024",
        "45/QĐ-UBND",
    )
    quan_son = Recognition.objects.get(commune__code="15016", hamlet__isnull=True)
    assert unit_status(quan_son.commune).label == "Đang thẩm định"
    dossier = quan_son.dossiers.get()
    assert dossier.criteria.count() == dossier.criteria.filter(verdict__isnull=False).count() > 0
    assert dossier.inspections.count() == 1


def test_quan_son_dossier_went_through_the_services_and_meets_their_submission_rules(seeded):
    """The submitted dossier is one the application itself would have accepted: every criterion (and every "at least
    k of n" group) met, the chairman's approval, then the officer's submission; the council asks for evidence only."""
    from recognition.models import Recognition, Verdict
    from recognition.rules import shortfall
    from recognition.services.appraisal import supplement_requests

    quan_son = Recognition.objects.get(commune__code="15016", hamlet__isnull=True)
    dossier = quan_son.dossiers.get()
    assert (quan_son.status, dossier.state) == ("in_appraisal", "submitted")
    assert not shortfall(dossier.criteria.all())
    assert not dossier.criteria.filter(met=False).exists()
    states = [(row.state, row.history_user.username) for row in dossier.history.order_by("history_date", "history_id")]
    assert states[-2:] == [("approved", "ct.quanson"), ("submitted", "cand.quanson")]
    requests = supplement_requests(dossier)
    assert requests and {v.result for v in requests} == {Verdict.Result.SUPPLEMENT}
    assert all("minh chứng" in v.comment for v in requests)


def test_quan_son_gaps_today_came_after_its_dossier_and_the_demo_still_shows_gaps(seeded):
    """What Quan Sơn's live criteria miss today began after the dossier's date (so the dossier could not have seen
    it), and both communes' dashboards still have unmet criteria."""
    from progress.selectors import criteria_of, evaluate_communes
    from recognition.freezing import programme_for
    from recognition.models import Recognition

    quan_son = Recognition.objects.get(commune__code="15016", hamlet__isnull=True)
    as_of = quan_son.dossiers.get().as_of
    moment = Moment(timezone.localdate())
    communes = list(Commune.objects.filter(code__in=["15016", "15061"]).order_by("code"))
    rows = evaluate_communes(criteria_of(programme_for(quan_son)), communes, moment)
    unmet = {row.unit.code: [r for r in row.results if not r.met] for row in rows}
    assert unmet["15016"] and unmet["15061"]
    for result in unmet["15016"]:
        for person in result.metric.gap_list(moment, communes[0]):
            dates = [*person.suspicions.values_list("listed_on", flat=True)]
            dates += person.drugtests.values_list("tested_on", flat=True)
            assert min(dates) > as_of, (result.criterion.metric_key, person.pk)


def test_seed_demo_freezes_last_month_once(seeded):
    frozen = CommuneSnapshot.objects.filter(month=previous_month(today()))
    # Đề án 3822's 11 criteria and QĐ 28/2025's 24.
    assert frozen.filter(commune__code="15016").count() == 11 + 24
    count = frozen.count()
    call_command("seed_demo", stdout=StringIO())
    assert CommuneSnapshot.objects.count() == count
