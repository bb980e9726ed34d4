"""Gap lists lead to the fix: each row links to the record, the action that closes the gap is one click away and
brings the officer back to the list; aggregates-only reviewers get the gap by hamlet and by cause, without names."""

from urllib.parse import parse_qs, urlsplit

from django.urls import reverse
from django.utils import timezone

from progress.selectors import today
from residents.models import DrugTest
from residents.services import lifecycle as L
from tests import factories as f


def gap_url(places, key):
    return reverse("progress:gap_list", kwargs={"code": places.commune_a.code, "metric_key": key})


def fix_link(content: str, start: str) -> str:
    """The first href in the page that starts with `start`, unescaped."""
    href = content[content.index(f'href="{start}') + 6 :]
    return href[: href.index('"')].replace("&amp;", "&")


def test_untested_suspect_links_to_the_file_and_the_test_form_which_returns_to_the_list(
    story, places, personas, client_for
):
    client = client_for(personas.officer_a)
    gap = gap_url(places, "suspects_tested")
    content = client.get(gap).content.decode()
    person = story.people.untested
    person.refresh_from_db()  # listing it as a suspect changed its version
    assert f'<a href="{person.get_absolute_url()}">Nghi Chưa Test</a>' in content
    action = reverse("residents:person_action", args=[person.pk, "record_test"])
    link = fix_link(content, action)
    assert parse_qs(urlsplit(link).query)["next"] == [gap] and "Ghi kết quả xét nghiệm" in content
    data = {"tested_on": f"{today():%d/%m/%Y}", "result": "negative", "method": "quick_urine"}
    response = client.post(link, {**data, "seen_version": person.version})
    assert response.status_code == 302 and response["Location"] == gap
    assert DrugTest.objects.filter(person=person, result="negative").exists()
    assert "Nghi Chưa Test" not in client.get(gap).content.decode()  # the gap is closed


def test_each_person_gap_offers_the_action_that_closes_it(story, places, personas, client_for):
    client = client_for(personas.officer_a)
    for key, person, action in [
        ("users_with_decision", story.people.awaiting, "issue_management_decision"),
        ("addicts_in_treatment", story.people.addict, "start_treatment"),
    ]:
        content = client.get(gap_url(places, key)).content.decode()
        assert f'href="{person.get_absolute_url()}"' in content
        assert reverse("residents:person_action", args=[person.pk, action]) + "?next=" in content


def test_a_next_to_another_site_is_ignored(story, places, personas, client_for):
    person = story.people.untested
    person.refresh_from_db()
    action = reverse("residents:person_action", args=[person.pk, "record_test"])
    data = {"tested_on": f"{today():%d/%m/%Y}", "result": "negative", "method": "quick_urine"}
    response = client_for(personas.officer_a).post(
        f"{action}?next=https://evil.example/x", {**data, "seen_version": person.version}
    )
    assert response["Location"] == person.get_absolute_url()


def test_household_gap_links_to_the_household_and_the_hamlet_checklist(story, places, personas, client_for):
    client = client_for(personas.officer_a)
    gap = gap_url(places, "households_pledged")
    content = client.get(gap).content.decode()
    household = story.households.h3
    assert f'<a href="{household.get_absolute_url()}">A-3</a>' in content
    checklist = reverse("pledges:checklist", args=[places.hamlet_a.pk, timezone.localdate().year])
    link = fix_link(content, checklist)
    assert parse_qs(urlsplit(link).query)["next"] == [gap]
    assert "Vi Văn Ba" in client.get(link).content.decode()  # the checklist opens with the household's row


def test_viewers_and_reviewers_get_links_but_no_action(story, places, personas, client_for):
    for persona in [personas.viewer_a, personas.reviewer_personal]:
        content = client_for(persona).get(gap_url(places, "suspects_tested")).content.decode()
        assert f'href="{story.people.untested.get_absolute_url()}"' in content
        assert "/actions/" not in content and "Việc cần làm" not in content


def test_aggregates_only_reviewer_sees_the_gap_by_hamlet_and_cause_without_names(story, places, personas, client_for):
    content = client_for(personas.reviewer).get(gap_url(places, "users_with_decision")).content.decode()
    # Positive awaiting a decision: Dương Tính Chờ (Khu phố Sỏi), the only one.
    assert "Dương Tính Chờ" not in content and "/residents/people/" not in content
    by_hamlet = content[content.index('id="gap-by-hamlet"') :]
    assert 'Khu phố Sỏi</td><td class="text-end">1</td>' in by_hamlet
    by_cause = content[content.index('id="gap-by-cause"') :]
    assert "Dương tính" in by_cause


def test_missed_users_say_what_they_count_and_why_each_person_counts(story, places, personas, client_for):
    dashboard = reverse("progress:commune_dashboard", kwargs={"code": places.commune_a.code})
    content = client_for(personas.officer_a).get(dashboard).content.decode()
    assert (
        "Đếm số người có kết quả xét nghiệm dương tính trong 12 tháng gần nhất khi chưa có trong danh sách" in content
    )
    content = client_for(personas.officer_a).get(gap_url(places, "missed_users")).content.decode()
    first = DrugTest.objects.filter(person=story.people.addict).order_by("tested_on").first().tested_on
    assert f"dương tính ngày {first:%d/%m/%Y} khi chưa có trong danh sách nghi sử dụng" in content
    assert "Vì sao tính" in content


def test_gap_list_with_fixes_keeps_its_query_count(story, places, personas, client_for, django_assert_num_queries):
    for n in range(30):
        person = f.person(places.hamlet_a, full_name=f"Nghi {n}")
        L.person_list_as_suspect(actor=personas.officer_a, person=person, listed_on=today(), trigger="tip")
    client = client_for(personas.officer_a)
    # session, user, commune, count, page of people with hamlets, access log insert.
    with django_assert_num_queries(6):
        response = client.get(gap_url(places, "suspects_tested"))
    assert response.content.decode().count("?next=") == 31


def test_aggregate_gap_list_query_count_is_fixed(story, places, personas, client_for, django_assert_num_queries):
    for n in range(30):
        person = f.person(places.hamlet_a2 if n % 2 else places.hamlet_a, full_name=f"Nghi {n}")
        L.person_list_as_suspect(actor=personas.officer_a, person=person, listed_on=today(), trigger="tip")
    client = client_for(personas.reviewer)
    # session, user, commune, count, counts by hamlet, counts by cause.
    with django_assert_num_queries(6):
        response = client.get(gap_url(places, "suspects_tested"))
    assert "Nghi 1" not in response.content.decode()
