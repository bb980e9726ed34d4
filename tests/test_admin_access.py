"""Every admin URL × every role × objects of two communes.

The URLs come from the admin site itself (`admin.site.get_urls()` and each ModelAdmin's `get_urls()`), so a page
added by a new admin, a third-party mixin (django-simple-history, django-import-export…) or a Django upgrade is
walked too, and `test_every_admin_url_is_classified` fails until someone decides what it may show.

Outside the user's scope the answer is 302 to the admin login (no admin for that role), 403 or 404 — never the
object — and no POST saves anything. Inside, officers and administrators get their pages. The objects are built
once for the module (a rolled-back transaction around it), each test runs in its own savepoint.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.admin import AdministratorsOnly
from accounts.admin_scoping import ScopedAdminMixin
from accounts.audit import log_access
from accounts.models import AccessLog, SecurityEvent, User
from accounts.services import unlock_account
from communes.models import (
    District,
    Hotspot,
    ProgrammePlan,
    Province,
    SecurityTeam,
    SteeringCommittee,
)
from communes.services import hotspot_save
from imports.models import ImportRun
from pledges.models import EmulationCompact, HamletCommitment, PreventionModel
from progress.models import CommuneProgress, Programme
from progress.services import mark_month_reviewed, take_snapshots
from recognition.models import (
    Alert,
    Decision,
    Dossier,
    DossierCriterion,
    Evidence,
    FieldInspection,
    MaintenanceReview,
    ProvinceTarget,
    Recognition,
    Revocation,
    Verdict,
)
from residents.models import ArrestedSuspect, DrugCase, Incident, Treatment
from residents.services import lifecycle as L
from tests import factories as f
from tests.access import PERSONAS
from tests.conftest import build_personas, build_places

TODAY = timezone.localdate()
ROLES = ("anonymous", *PERSONAS)
# Viewers and reviewers read in the application's pages; the admin sends them (and strangers) to its login.
WITHOUT_ADMIN = {"anonymous", "viewer_a", "reviewer", "reviewer_personal"}
# Reference data every officer may read (units above the commune, criteria sets) and the accounts' own models.
REFERENCE_MODELS = {Province, District, Programme}
# Province-level records, shared by both communes (same province); another province's are tested in
# tests/recognition/test_admin.py.
PROVINCE_MODELS = {ProvinceTarget}
ADMINISTRATORS_ONLY_MODELS = {User, AccessLog, SecurityEvent}

# Page kinds a ModelAdmin may expose, by the suffix of its URL name; anything else fails the classification test.
OBJECT_KINDS = {"change", "delete", "history", "simple_history", "password_change"}
MODEL_KINDS = {"changelist", "add", "import"}
# Walked by test_admin_site_pages_answer_each_role, except autocomplete and view_on_site (walked per model).
SITE_NAMES = {"index", "login", "logout", "password_change", "password_change_done", "autocomplete", "jsi18n",
              "view_on_site", "app_list"}  # fmt: skip
# Unnamed patterns: each ModelAdmin's old-style "<pk>/" redirect to the change page, and the site's catch-all.
UNNAMED_ROUTES = {"<path:object_id>/", "(?P<url>.*)$"}


def _kind(model_admin, url_name: str) -> str | None:
    opts = model_admin.model._meta
    for prefix in (f"{opts.app_label}_{opts.model_name}_", "auth_user_"):
        if url_name.startswith(prefix) and url_name[len(prefix) :] in OBJECT_KINDS | MODEL_KINDS:
            return url_name[len(prefix) :]
    return None


# --- the world: every registered model with an object in commune A and one in commune B ---


def _people(hamlet, officer, prefix: str, cccd: str):
    """A person in every lifecycle record, written by the services as an officer would."""
    person = f.person(hamlet, full_name=f"{prefix} Văn Tám", cccd=cccd, birth_year=1990, sex="male")
    L.person_list_as_suspect(actor=officer, person=person, listed_on=TODAY - timedelta(days=300), trigger="tip")
    L.person_record_test(actor=officer, person=person, tested_on=TODAY - timedelta(days=290), result="positive")
    day = TODAY - timedelta(days=285)
    L.person_start_management(
        actor=officer, person=person, decision=L.ManagementDecision(number="7/QĐ", decided_on=day, starts_on=day)
    )
    L.person_record_residence_check(actor=officer, person=person, checked_on=TODAY - timedelta(days=250), present=True)
    L.person_record_assessment(
        actor=officer, person=person, assessed_on=TODAY - timedelta(days=240), facility="TTYT", criteria_met=4
    )
    L.person_start_treatment(
        actor=officer, person=person, form=Treatment.Form.HOME_COMMUNITY, starts_on=TODAY - timedelta(days=230)
    )
    L.person_end_treatment(
        actor=officer, person=person, ended_on=TODAY - timedelta(days=30), outcome=Treatment.Outcome.COMPLETED
    )
    L.person_flag_psychosis(actor=officer, person=person, flagged_on=TODAY - timedelta(days=20))
    L.person_record_reintegration(actor=officer, person=person, released_on=TODAY - timedelta(days=400))
    return person


def _commune_objects(commune, hamlet, officer, prefix: str, cccd: str) -> dict:
    household = f.household(hamlet, code=f"{prefix}-001", head_name=f"{prefix} Thị Chủ Hộ")
    person = _people(hamlet, officer, prefix, cccd)
    case = DrugCase.objects.create(commune=commune, hamlet=hamlet, detected_on=date(2024, 5, 2), offence="Tàng trữ")
    team = SecurityTeam.objects.create(hamlet=hamlet, name=f"Tổ ANTT {prefix}")
    compact = EmulationCompact.objects.create(commune=commune, title=f"Giao ước {prefix}", signed_on=date(2024, 4, 1))
    compact.teams.add(team)
    hotspot = hotspot_save(
        actor=officer,
        record=Hotspot(commune=commune, hamlet=hamlet, kind="use", location=f"Lán {prefix}", detected_on=TODAY),
    )
    records = {
        "person": person,
        "household": household,
        "householdpledge": f.pledge(household),
        "drugcase": case,
        "arrestedsuspect": ArrestedSuspect.objects.create(
            case=case, person=person, full_name=person.full_name, arrested_on=date(2024, 5, 2)
        ),
        "incident": Incident.objects.create(
            commune=commune, occurred_on=date(2024, 6, 1), severity="serious", person=person, description="Gây rối"
        ),
        "importrun": ImportRun.objects.create(commune=commune, created_by=officer, file_name=f"{prefix}.xlsx"),
        "commune": commune,
        "communeprogress": CommuneProgress.objects.get(pk=commune.pk),
        "hamlet": hamlet,
        "securityteam": team,
        "emulationcompact": compact,
        "steeringcommittee": SteeringCommittee.objects.create(commune=commune, head_name=f"{prefix} Văn Bí Thư"),
        "programmeplan": ProgrammePlan.objects.create(
            commune=commune, number="70/KH-BCĐ", issued_on=date(2024, 12, 14), target_year=2026
        ),
        "hotspot": hotspot,
        "drugplanteradication": f.plant_eradication(commune, destroyed_on=TODAY, plants=300),
        "traffickingroute": f.trafficking_route(commune, identified_on=date(2024, 1, 1)),
        "preventionmodel": PreventionModel.objects.create(commune=commune, name="Khu phố sạch", launched_on=TODAY),
        "hamletcommitment": HamletCommitment.objects.create(
            hamlet=hamlet, year=2025, registered_on=date(2025, 1, 5), signed_by="Trưởng thôn"
        ),
    }
    for related in ("suspicions", "drugtests", "usermanagements", "addictionassessments", "treatments",
                    "postrehabmanagements", "reintegrations", "residencechecks", "riskflags"):  # fmt: skip
        record = getattr(person, related).first()
        records[record._meta.model_name] = record
    return records


def _recognition_objects(commune, officer, admin_user, person) -> dict:
    """A cycle with a record of every recognition model, written directly (the admin reads them; the services'
    rules are tested in tests/recognition). The frozen gap list names the commune's person."""
    recognition = Recognition.objects.create(
        commune=commune, target_year=TODAY.year, registered_on=TODAY, registered_by=officer, status="recognised"
    )
    dossier = Dossier.objects.create(
        recognition=recognition,
        programme=Programme.objects.first(),
        programme_name="Đề án 3822",
        as_of=TODAY,
        frozen_by=officer,
        approved_by=officer,
        self_assessment="Biên bản tự đánh giá",
    )
    criterion = DossierCriterion.objects.create(
        dossier=dossier, order=1, title="Không bỏ sót người sử dụng", metric_key="missed_users", comparison="eq",
        target=0, target_display="= 0", value=1, value_display="1", numerator=1, gap_size=1, met=False,
        gap_title="Người bị bỏ sót", gap_columns=["Họ tên", "CCCD"], gap_rows=[{"id": person.pk, "cells": [
            person.full_name, person.cccd]}],
    )  # fmt: skip
    evidence = Evidence(
        dossier=dossier, criterion=criterion, kind="plan", title="Kế hoạch 70/KH-BCĐ", original_name="kh.pdf",
        content_type="application/pdf", size=9, sha256="0" * 64, uploaded_by=officer,
    )  # fmt: skip
    evidence.file.save("kh.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    dossier.state, dossier.submitted_by, dossier.submitted_at = "submitted", officer, timezone.now()
    dossier.save()
    decision = Decision.objects.create(
        recognition=recognition, dossier=dossier, outcome="recognised", number="15/QĐ-UBND", signed_on=TODAY,
        signer="Chủ tịch", valid_from=TODAY, valid_until=TODAY + timedelta(days=364), recorded_by=admin_user,
    )  # fmt: skip
    return {
        "recognition": recognition,
        "dossier": dossier,
        "dossiercriterion": criterion,
        "evidence": evidence,
        "verdict": Verdict.objects.create(criterion=criterion, result="pass", given_by=admin_user),
        "fieldinspection": FieldInspection.objects.create(
            dossier=dossier, inspected_on=TODAY, members="Đoàn tỉnh", findings="Đúng thực tế", recorded_by=admin_user
        ),
        "decision": decision,
        "maintenancereview": MaintenanceReview.objects.create(
            recognition=recognition, year=TODAY.year, reviewed_on=TODAY, outcome="confirmed", reviewed_by=admin_user
        ),
        "alert": Alert.objects.create(
            recognition=recognition,
            commune=commune,
            metric_key="active_hotspots",
            criterion_title="Tụ điểm",
            object_type="communes.hotspot",
            object_id="1",
            event="Phát hiện tụ điểm",
        ),  # fmt: skip
        "revocation": Revocation.objects.create(
            recognition=recognition,
            number="21/QĐ-UBND",
            signed_on=TODAY,
            signer="Chủ tịch",
            reasons="Tụ điểm",
            recorded_by=admin_user,
        ),  # fmt: skip
    }


def _security_event(personas):
    unlock_account(actor=personas.admin, user=personas.officer_a)
    return SecurityEvent.objects.latest("pk")


@dataclass
class World:
    places: SimpleNamespace
    personas: SimpleNamespace
    objects: dict  # model -> {"a": obj, "b": obj}
    secrets: dict  # "a"/"b" -> strings that may only be shown inside that commune


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        places = build_places()
        personas = build_personas(places)
        by_commune = {
            "a": _commune_objects(places.commune_a, places.hamlet_a, personas.officer_a, "Lò", "038090000001"),
            "b": _commune_objects(places.commune_b, places.hamlet_b, personas.officer_b, "Bùi", "038090000002"),
        }
        last_month = (TODAY.replace(day=1) - timedelta(days=1)).replace(day=1)
        take_snapshots(month=last_month)
        mark_month_reviewed(actor=personas.admin, commune=places.commune_a, month=last_month)
        mark_month_reviewed(actor=personas.admin, commune=places.commune_b, month=last_month)
        for key, commune in (("a", places.commune_a), ("b", places.commune_b)):
            by_commune[key]["communesnapshot"] = commune.snapshots.first()
            by_commune[key]["monthreview"] = commune.month_reviews.first()
            officer = personas.officer_a if key == "a" else personas.officer_b
            by_commune[key].update(_recognition_objects(commune, officer, personas.admin, by_commune[key]["person"]))
        shared = {
            Province: places.province,
            District: District.objects.create(province=places.province, name="Huyện Quan Sơn (cũ)"),
            Programme: Programme.objects.first(),
            User: personas.officer_a,
            AccessLog: log_access(personas.admin, object_type="test", description="mẫu"),
            SecurityEvent: _security_event(personas),
            ProvinceTarget: ProvinceTarget.objects.create(province=places.province, year=2030, target_communes=80),
        }
        objects = {}
        for model in admin.site._registry:
            if model in shared:
                objects[model] = {"a": shared[model], "b": shared[model]}
            else:
                objects[model] = {key: by_commune[key][model._meta.model_name] for key in ("a", "b")}
        secrets = {
            key: [
                by_commune[key]["person"].full_name,
                by_commune[key]["person"].cccd,
                by_commune[key]["household"].head_name,
            ]
            for key in ("a", "b")
        }
        yield World(places, personas, objects, secrets)
        transaction.set_rollback(True)


# --- the walk ---


@dataclass(frozen=True)
class AdminPage:
    model: type | None
    kind: str
    url_name: str

    def __str__(self):
        return (
            f"{self.url_name}[{self.model._meta.label_lower}]"
            if self.kind in {"view_on_site", "autocomplete"}
            else self.url_name
        )


def _model_pages() -> list[AdminPage]:
    pages = []
    for model, model_admin in admin.site._registry.items():
        for url in model_admin.get_urls():
            kind = "object_redirect" if url.name is None else _kind(model_admin, url.name)
            pages.append(AdminPage(model, kind, f"admin:{url.name}" if url.name else str(url.pattern)))
        pages.append(AdminPage(model, "view_on_site", "admin:view_on_site"))
        pages.append(AdminPage(model, "autocomplete", "admin:autocomplete"))
    return pages


MODEL_PAGES = _model_pages()


def test_every_admin_url_is_classified():
    """A page nobody classified (new ModelAdmin view, third-party mixin, Django upgrade) fails here."""
    unclassified = [page.url_name for page in MODEL_PAGES if page.kind is None]
    assert unclassified == [], "classify these admin pages in tests/test_admin_access.py"
    for url in admin.site.get_urls():
        if hasattr(url, "url_patterns"):  # a ModelAdmin's include: walked above
            continue
        assert url.name in SITE_NAMES or str(url.pattern) in UNNAMED_ROUTES, f"classify admin URL {url.pattern}"
    for model_admin in admin.site._registry.values():
        for url in model_admin.get_urls():
            assert url.name or str(url.pattern) in UNNAMED_ROUTES, f"classify {url.pattern} of {model_admin}"


PROJECT_APPS = {"accounts", "communes", "residents", "pledges", "imports", "progress", "recognition"}


def test_every_registered_admin_applies_the_scope():
    """A scoped model's admin without the scoping mixin (a plain ModelAdmin, a third-party base put first in the
    class list) would answer every page of another commune."""
    for model, model_admin in admin.site._registry.items():
        mro = type(model_admin).__mro__
        if model in ADMINISTRATORS_ONLY_MODELS:
            assert AdministratorsOnly in mro, model
            continue
        assert ScopedAdminMixin in mro, f"{model._meta.label}: its admin must use accounts.admin_scoping"
        for name in ("get_queryset", "has_view_permission", "has_change_permission", "has_delete_permission",
                     "history_view", "history_form_view", "revert_disabled"):  # fmt: skip
            owner = next((klass for klass in mro if name in vars(klass)), None)
            # Only the project's own classes may decide these; a library class earlier in the MRO would win.
            if owner is not None and owner is not ScopedAdminMixin:
                assert owner.__module__.split(".")[0] in PROJECT_APPS, (
                    f"{model._meta.label}.{name} comes from {owner.__module__}"
                )


def _url(world: World, page: AdminPage, commune: str) -> tuple[str, dict]:
    obj = world.objects[page.model][commune] if page.model else None
    opts = page.model._meta if page.model else None
    if page.kind in MODEL_KINDS:
        return reverse(page.url_name), {}
    if page.kind == "simple_history":
        return reverse(page.url_name, args=[obj.pk, obj.history.earliest().history_id]), {}
    if page.kind in OBJECT_KINDS:
        return reverse(page.url_name, args=[obj.pk]), {}
    if page.kind == "object_redirect":
        return f"/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/", {}
    if page.kind == "view_on_site":
        return reverse(page.url_name, args=[ContentType.objects.get_for_model(page.model).pk, obj.pk]), {}
    if page.kind == "autocomplete":
        source = next(
            (field for field in _foreign_keys() if field.related_model is page.model), None
        )  # the page's model as the target of some admin's foreign key
        if source is None:
            return "", {}
        query = {"app_label": source.model._meta.app_label, "model_name": source.model._meta.model_name,
                 "field_name": source.name, "term": ""}  # fmt: skip
        return reverse(page.url_name), query
    raise AssertionError(page)


def _foreign_keys():
    return [
        field
        for model in admin.site._registry
        for field in model._meta.get_fields()
        if field.many_to_one and field.concrete and field.related_model in admin.site._registry
    ]


def _out_of_scope(role: str, page: AdminPage, commune: str) -> bool:
    if page.model in REFERENCE_MODELS | ADMINISTRATORS_ONLY_MODELS | PROVINCE_MODELS:
        return False
    return (role, commune) in {("officer_a", "b"), ("officer_b", "a")}


def _snapshot(model, obj):
    """What a saved POST would change: the row and the number of its history entries."""
    row = model._default_manager.filter(pk=obj.pk).values().first()
    history = obj.history.count() if hasattr(obj, "history") else None
    return row, history


def _assert_refused(response, role, label):
    if role in WITHOUT_ADMIN:
        assert response.status_code == 302, label
        # Strangers meet the site's login (LoginRequiredMiddleware), staff-less accounts the admin's.
        assert response["Location"].startswith((reverse("admin:login"), reverse("accounts:login"))), label
    else:
        assert response.status_code in (403, 404), label


@pytest.mark.parametrize("page", MODEL_PAGES, ids=str)
def test_admin_page_answers_each_role_only_inside_its_scope(page, db, world, client):
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(getattr(world.personas, role))
        # A page about one object is asked for both communes' objects; a list or form page once (its URL is the same).
        for commune in ("a", "b") if page.kind in OBJECT_KINDS | {"object_redirect", "view_on_site"} else ("a",):
            url, query = _url(world, page, commune)
            if not url:
                continue
            label = f"{page} {role} commune {commune}"
            obj = world.objects[page.model][commune]
            before = _snapshot(page.model, obj)
            response = client.get(url, query)
            content = response.content.decode(errors="replace")
            other = "b" if role == "officer_a" else "a"
            if role in {"officer_a", "officer_b"}:
                # A commune's names never appear on another commune's officer's pages, whatever the page.
                assert not any(secret in content for secret in world.secrets[other]), label
            if role in WITHOUT_ADMIN:
                _assert_refused(response, role, label)
            elif page.kind == "object_redirect":
                assert response.status_code == 301 or response.status_code == 302, label
                assert response["Location"].endswith(f"/{obj.pk}/change/"), label
            elif _out_of_scope(role, page, commune) and page.kind in OBJECT_KINDS | {"view_on_site"}:
                _assert_refused(response, role, label)
            else:
                _assert_inside_scope(response, role, page, label)
            if page.kind in OBJECT_KINDS | MODEL_KINDS:
                response = client.post(url, {})
                out_of_scope = page.kind in OBJECT_KINDS and _out_of_scope(role, page, commune)
                if page.kind == "simple_history" or role in WITHOUT_ADMIN or out_of_scope:
                    # Reverting (for anyone), or writing without the admin or outside the scope: refused, unsaved.
                    _assert_refused(response, role, f"POST {label}")
                    assert _snapshot(page.model, obj) == before, f"POST {label} saved"


def _assert_inside_scope(response, role, page, label):
    """Officers and administrators get their pages; what only administrators manage is a 403 for officers."""
    if page.kind == "autocomplete":
        assert response.status_code in (200, 403, 404), label  # 404: the target's admin has no search
    elif page.kind == "view_on_site":
        assert response.status_code in (302, 404), label  # 404: the model has no page outside the admin
    elif page.model in ADMINISTRATORS_ONLY_MODELS and role != "admin":
        assert response.status_code == 403, label
    elif page.kind in {"add", "delete", "import", "password_change"}:
        # Whether the role may add or delete this model is the model's own rule (see test_admin_scope.py).
        assert response.status_code in (200, 403), label
    else:
        assert response.status_code == 200, label


# The site's own pages, for every role: path, then the answer for staff (officers, administrator) and for strangers.
SITE_PAGES = {
    "index": ("admin:index", [], 200),
    "app_list": ("admin:app_list", ["residents"], 200),
    "password_change": ("admin:password_change", [], 200),
    "password_change_done": ("admin:password_change_done", [], 200),
    "jsi18n": ("admin:jsi18n", [], 200),
    "catch_all": ("/admin/khong-co-trang-nay/", None, 404),
}


@pytest.mark.parametrize("name", [*SITE_PAGES, "login", "logout"])
def test_admin_site_pages_answer_each_role(name, db, world, client):
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(getattr(world.personas, role))
        label = f"{name} {role}"
        if name == "login":
            response = client.get(reverse("admin:login"))
            # Staff go on to the index; anyone else gets the form (with "not authorised" when signed in).
            assert response.status_code == (302 if role not in WITHOUT_ADMIN else 200), label
            continue
        if name == "logout":
            assert client.post(reverse("admin:logout")).status_code in (200, 302), label
            continue
        target, args, staff_status = SITE_PAGES[name]
        response = client.get(reverse(target, args=args) if args is not None else target)
        if role in WITHOUT_ADMIN:
            _assert_refused(response, role, label)
        else:
            assert response.status_code == staff_status, label
