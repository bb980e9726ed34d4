"""What the admin offers: its home page lists an administrator's (or officer's) everyday tasks, and nothing the
domain never deletes can be deleted there (the services end, withdraw or stop instead)."""

import pytest
from django.urls import reverse

from accounts.models import AccessLog, SecurityEvent, User
from communes.models import Commune, Hamlet
from imports.models import ImportRun
from pledges.models import HamletCommitment, HouseholdPledge
from progress.models import CommuneProgress, CommuneSnapshot, MonthReview
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
from residents.models import (
    AddictionAssessment,
    DrugTest,
    Household,
    Person,
    PostRehabManagement,
    Reintegration,
    ResidenceCheck,
    RiskFlag,
    Suspicion,
    Treatment,
    UserManagement,
)

# The module-scoped world of test_admin_access (an object of every registered model in each commune), shared.
from tests.test_admin_access import world as world

# Households move away, people leave management, decisions and tests are corrected, pledges are withdrawn on the
# checklist, figures are frozen: none of them is ever deleted.
NEVER_DELETED = [Household, Person, Suspicion, DrugTest, UserManagement, AddictionAssessment, Treatment,
                 PostRehabManagement, Reintegration, ResidenceCheck, RiskFlag, HouseholdPledge, HamletCommitment,
                 CommuneSnapshot, MonthReview, CommuneProgress, ImportRun,
                 # The recognition cycle keeps every record of every attempt (README "Recognition").
                 Recognition, Dossier, DossierCriterion, Evidence, Verdict, FieldInspection, Decision, Revocation,
                 MaintenanceReview, Alert, ProvinceTarget]  # fmt: skip


def _admin_url(model, page, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}", args=args)


@pytest.mark.parametrize("model", NEVER_DELETED, ids=lambda m: m._meta.label)
@pytest.mark.parametrize("role", ["admin", "officer_a"])
def test_the_admin_never_offers_to_delete_what_the_domain_keeps(model, role, db, world, client):
    obj = world.objects[model]["a"]
    client.force_login(getattr(world.personas, role))
    changelist = client.get(_admin_url(model, "changelist")).content.decode()
    assert 'value="delete_selected"' not in changelist
    assert "Xóa các" not in changelist
    assert client.get(_admin_url(model, "delete", obj.pk)).status_code == 403
    assert client.post(_admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    bulk = client.post(_admin_url(model, "changelist"), {"action": "delete_selected", "_selected_action": [obj.pk],
                                                          "post": "yes"})  # fmt: skip
    assert bulk.status_code in (200, 302)
    assert model._default_manager.filter(pk=obj.pk).exists()


def _task_links(client) -> set[str]:
    content = client.get(reverse("admin:index")).content.decode()
    block = content.split('id="admin-tasks"', 1)[1].split("</div>", 1)[0] if 'id="admin-tasks"' in content else ""
    return {url for url in _all_task_urls() if f'href="{url}"' in block}


def _all_task_urls():
    return {
        _admin_url(Household, "import"),
        _admin_url(ImportRun, "changelist"),
        _admin_url(User, "changelist"),
        _admin_url(Commune, "changelist"),
        _admin_url(Hamlet, "changelist"),
        _admin_url(AccessLog, "changelist"),
        _admin_url(SecurityEvent, "changelist"),
    }


def test_the_admin_home_leads_the_administrator_to_imports_accounts_units_and_the_logs(db, world, client):
    client.force_login(world.personas.admin)
    assert _task_links(client) == _all_task_urls()


def test_an_officer_sees_only_the_tasks_they_may_do(db, world, client):
    client.force_login(world.personas.officer_a)
    links = _task_links(client)
    assert links == {_admin_url(Household, "import"), _admin_url(ImportRun, "changelist"),
                     _admin_url(Commune, "changelist"), _admin_url(Hamlet, "changelist")}  # fmt: skip
    for url in links:
        assert client.get(url).status_code == 200, url
