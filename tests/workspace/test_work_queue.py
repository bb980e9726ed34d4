import re
from datetime import date, timedelta

from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.models import AccessLog
from residents.services import lifecycle
from tests import factories as f
from workspace.queue import Section, Task


def _sections(response) -> dict:
    return {section.key: section for section in response.context["queue"]}


def _positive(person, officer, days_ago):
    tested = timezone.localdate() - timedelta(days=days_ago)
    lifecycle.person_record_test(actor=officer, person=person, tested_on=tested, result="positive")
    return tested


def test_positive_test_waits_for_a_decision_and_is_overdue_after_three_working_days(places, personas, client_for):
    recent = f.person(places.hamlet_a, full_name="Lò Văn Mới")
    late = f.person(places.hamlet_a, full_name="Lò Văn Muộn")
    _positive(recent, personas.officer_a, 0)
    _positive(late, personas.officer_a, 10)
    section = _sections(client_for(personas.officer_a).get("/"))["decision"]
    tasks = {task.subject: task for task in section.tasks}
    assert not tasks["Lò Văn Mới"].overdue
    assert tasks["Lò Văn Muộn"].overdue
    assert tasks["Lò Văn Muộn"].url == reverse("residents:person_action", args=[late.pk, "issue_management_decision"])


def test_the_decision_task_disappears_once_the_decision_is_issued(places, personas, client_for):
    person = f.person(places.hamlet_a, full_name="Lò Văn Tám")
    tested = _positive(person, personas.officer_a, 2)
    decision = lifecycle.ManagementDecision(number="5/QĐ", decided_on=tested, starts_on=tested)
    lifecycle.person_start_management(actor=personas.officer_a, person=person, decision=decision)
    assert _sections(client_for(personas.officer_a).get("/"))["decision"].tasks == []


def test_a_managed_users_new_positive_test_awaits_a_restart_decision(places, personas, client_for):
    officer = personas.officer_a
    relapsed = f.person(places.hamlet_a, full_name="Tái Sử Dụng")
    steady = f.person(places.hamlet_a, full_name="Đang Quản Lý")
    start = date(2026, 6, 1)
    for person in (relapsed, steady):
        lifecycle.person_record_test(actor=officer, person=person, tested_on=start, result="positive")
        decision = lifecycle.ManagementDecision(number="7/QĐ", decided_on=start, starts_on=start)
        lifecycle.person_start_management(actor=officer, person=person, decision=decision)
    lifecycle.person_record_test(actor=officer, person=relapsed, tested_on=date(2026, 8, 17), result="positive")
    client = client_for(officer)
    [task] = _sections(client.get("/"))["decision"].tasks
    assert task.subject == "Tái Sử Dụng"
    # Monday 17/08/2026 plus 3 working days, as for a first decision.
    assert task.detail == (
        "Tái sử dụng khi đang quản lý: xét nghiệm dương tính 17/08/2026; hạn ra quyết định quản lý lại 20/08/2026"
    )
    assert (task.due, task.overdue) == (date(2026, 8, 20), True)
    assert task.url == reverse("residents:person_action", args=[relapsed.pk, "issue_management_decision"])
    restart = date(2026, 8, 19)
    decision = lifecycle.ManagementDecision(number="9/QĐ", decided_on=restart, starts_on=restart)
    lifecycle.person_start_management(actor=officer, person=relapsed, decision=decision)
    assert _sections(client.get("/"))["decision"].tasks == []


def test_periods_ending_within_thirty_days_or_overdue_are_listed(places, personas, client_for):
    ending = f.person(places.hamlet_a, full_name="Sắp Hết")
    fresh = f.person(places.hamlet_a, full_name="Mới Quản Lý")
    for person, days_ago in ((ending, 350), (fresh, 10)):
        tested = _positive(person, personas.officer_a, days_ago)
        decision = lifecycle.ManagementDecision(number="1/QĐ", decided_on=tested, starts_on=tested)
        lifecycle.person_start_management(actor=personas.officer_a, person=person, decision=decision)
    subjects = [task.subject for task in _sections(client_for(personas.officer_a).get("/"))["periods"].tasks]
    assert subjects == ["Sắp Hết"]


def test_residence_check_this_month_clears_the_task(places, personas, client_for):
    person = f.person(places.hamlet_a, full_name="Lò Văn Tám")
    tested = _positive(person, personas.officer_a, 60)
    decision = lifecycle.ManagementDecision(number="1/QĐ", decided_on=tested, starts_on=tested)
    lifecycle.person_start_management(actor=personas.officer_a, person=person, decision=decision)
    client = client_for(personas.officer_a)
    [task] = _sections(client.get("/"))["residence"].tasks
    assert task.overdue  # managed for 60 days and never checked
    lifecycle.person_record_residence_check(
        actor=personas.officer_a, person=person, checked_on=timezone.localdate(), present=True
    )
    assert _sections(client.get("/"))["residence"].tasks == []


def test_untested_suspects_link_to_recording_a_test(places, personas, client_for):
    person = f.person(places.hamlet_a, full_name="Lò Văn Tám")
    lifecycle.person_list_as_suspect(
        actor=personas.officer_a, person=person, listed_on=timezone.localdate(), trigger="tip"
    )
    [task] = _sections(client_for(personas.officer_a).get("/"))["untested"].tasks
    assert task.url == reverse("residents:person_action", args=[person.pk, "record_test"])


def test_viewers_queue_links_to_the_file_not_to_the_action(places, personas, client_for):
    person = f.person(places.hamlet_a, full_name="Lò Văn Tám")
    lifecycle.person_list_as_suspect(
        actor=personas.officer_a, person=person, listed_on=timezone.localdate(), trigger="tip"
    )
    [task] = _sections(client_for(personas.viewer_a).get("/"))["untested"].tasks
    assert task.url == reverse("residents:person", args=[person.pk])


def test_households_without_a_pledge_this_year_are_counted_per_hamlet(places, personas, client_for):
    year = timezone.localdate().year
    signed = f.household(places.hamlet_a)
    f.household(places.hamlet_a)
    f.household(places.hamlet_a)
    f.household(places.hamlet_a, status="moved_away")
    f.pledge(signed, year=year, signed_on=date(year, 1, 1))
    f.pledge(f.household(places.hamlet_a2), year=year - 1, signed_on=date(year - 1, 1, 1))  # last year's
    tasks = _sections(client_for(personas.officer_a).get("/"))["pledges"].tasks
    assert [(task.subject, task.detail) for task in tasks] == [
        ("Bản Na Nghịu", "1 hộ chưa ký"),
        ("Khu phố Sỏi", "2 hộ chưa ký"),
    ]
    assert tasks[1].url == reverse("pledges:checklist", args=[places.hamlet_a.pk, year])


def test_the_pledge_badge_counts_households_not_hamlets(places, personas, client_for):
    for hamlet, n in ((places.hamlet_a, 7), (places.hamlet_a2, 5)):
        for _ in range(n):
            f.household(hamlet)
    response = client_for(personas.officer_a).get("/")
    assert _sections(response)["pledges"].count == 12
    header = re.search(r'id="queue-pledges".*?</h2>(.*?)</div>', response.text, re.S).group(1)
    assert re.findall(r'badge[^"]*">(\d+)<', header) == ["12"]


def test_other_communes_records_are_not_in_the_queue(places, personas, client_for):
    person = f.person(places.hamlet_b, full_name="Người Ngọc Lặc")
    lifecycle.person_list_as_suspect(
        actor=personas.officer_b, person=person, listed_on=timezone.localdate(), trigger="tip"
    )
    assert _sections(client_for(personas.officer_a).get("/"))["untested"].tasks == []


def test_home_uses_a_constant_number_of_queries(places, personas, client_for, django_assert_num_queries):
    officer = personas.officer_a
    for n in range(30):
        household = f.household(places.hamlet_a if n % 2 else places.hamlet_a2)
        person = f.person(household.hamlet, full_name=f"Người {n}", household_=household)
        tested = _positive(person, officer, 40 + n)
        if n % 3:
            decision = lifecycle.ManagementDecision(number=f"{n}/QĐ", decided_on=tested, starts_on=tested)
            lifecycle.person_start_management(actor=officer, person=person, decision=decision)
        if n % 3 == 1:
            lifecycle.person_record_residence_check(actor=officer, person=person, checked_on=tested, present=True)
        if n % 3 == 2:  # re-use during management: awaits a restart decision
            lifecycle.person_record_test(
                actor=officer, person=person, tested_on=tested + timedelta(days=5), result="positive"
            )
    client = client_for(officer)
    # session, user (with their commune), awaiting decision, 3 kinds of period ending, residence checks, untested
    # suspects, households without a pledge per hamlet, access log insert (the people the tasks name)
    with django_assert_num_queries(10):
        response = client.get("/")
    assert len(_sections(response)["decision"].tasks) == 20  # 10 first decisions, 10 restarts


def test_reviewers_and_administrators_land_on_a_page_of_their_own(personas, client_for):
    assert client_for(personas.admin).get("/").status_code == 200
    response = client_for(personas.reviewer).get("/")
    assert response.status_code in (200, 302)


def test_the_pledge_counts_follow_moves_withdrawals_and_households_that_leave(places, personas, client_for):
    """The counts come from the hamlet tallies: after every kind of write they equal a direct count."""
    from residents.models import Household
    from residents.services import households as H
    from tests.progress.test_tallies import SIGNED, sign

    officer = personas.officer_a
    households = [f.household(places.hamlet_a) for _ in range(5)]
    sign(officer, *households[:3])
    H.household_move(actor=officer, household=households[0], hamlet=places.hamlet_a2)  # signed, moved
    H.household_move(actor=officer, household=households[4], hamlet=places.hamlet_a2)  # unsigned, moved
    sign(officer, households[1], signed=False)  # withdrawn
    H.household_change_status(actor=officer, household=households[3], status="moved_away", on=SIGNED)

    def direct(hamlet):
        residing = Household.objects.residing().filter(hamlet=hamlet)
        return residing.exclude(pledges__year=SIGNED.year).count()

    tasks = _sections(client_for(officer).get("/"))["pledges"].tasks
    assert [(task.subject, task.count) for task in tasks] == [
        ("Bản Na Nghịu", direct(places.hamlet_a2)),
        ("Khu phố Sỏi", direct(places.hamlet_a)),
    ]
    assert [task.count for task in tasks] == [1, 1]


def test_the_people_the_queue_names_are_logged_in_one_entry_of_their_commune(places, personas, client_for):
    officer = personas.officer_a
    suspects = [f.person(places.hamlet_a, full_name=f"Nghi {n}") for n in range(3)]
    for person in suspects:
        lifecycle.person_list_as_suspect(actor=officer, person=person, listed_on=timezone.localdate(), trigger="tip")
    positive = f.person(places.hamlet_a2, full_name="Dương Tính")
    _positive(positive, officer, 2)
    before = set(AccessLog.objects.values_list("pk", flat=True))  # the log is append-only
    client_for(officer).get("/")
    [entry] = AccessLog.objects.exclude(pk__in=before)
    assert entry.object_type == "residents.person" and entry.commune_id == places.commune_a.pk
    assert sorted(entry.object_ids) == sorted(p.pk for p in [*suspects, positive])
    assert (entry.user, entry.path) == (officer, "/")


# The template loop the lines replace (templates/workspace/_queue.html before issue 17's second pass).
# ruff: noqa: E501
_TASK_LOOP = """{% load i18n %}{% for task in section.tasks %}
<li class="list-group-item d-flex flex-wrap gap-2 align-items-baseline{% if task.overdue %} list-group-item-danger{% endif %}">
  <a class="fw-semibold" href="{{ task.url }}">{{ task.subject }}</a>
  {% if task.hamlet and task.hamlet != task.subject %}<span class="small text-body-secondary">{{ task.hamlet }}</span>{% endif %}
  <span class="small ms-auto">{{ task.detail }}{% if task.overdue %} · <strong>{% translate "quá hạn" %}</strong>{% endif %}</span>
</li>
{% endfor %}"""


def test_a_sections_lines_read_as_the_template_loop_wrote_them():
    tasks = [
        Task("Lò Văn <Tám>", "Xét nghiệm trước 01/12/2026", "/people/1/?a=1&b=2", overdue=True, hamlet="Thôn Na"),
        Task("Lò 'Ba' \"Bốn\"", "<b>&</b>", "/people/4/", hamlet="Thôn <Sỏi> & 'Na'"),
        Task("Thôn Na", "3 hộ chưa ký", "/pledges/3/", hamlet="Thôn Na", count=3),
        Task("Hà Thị Một", gettext_lazy("Chưa xét nghiệm"), "/people/2/"),
    ]
    section = Section("tests", "Xét nghiệm", tasks)
    expected = Template(_TASK_LOOP).render(Context({"section": section}))
    assert " ".join(section.lines().split()) == " ".join(expected.split())
