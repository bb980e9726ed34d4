"""A realistic mix of situations, built through the lifecycle services so that history is consistent.

Each chapter takes `person(age=…)`, which returns the next person to place in the story, and the officer who records.
The chapters run in this order; the random draws and the people they take depend on it.

Some situations began less than `SINCE_THE_DOSSIER` days ago: Xã Quan Sơn froze its recognition dossier on that day
(demo/story/recognition.py) with every criterion met, and these are what the commune has had on its desk since (its
work queue and its live criteria show them; its submitted dossier does not). A dossier's figures are read when it is
frozen, and people's statuses are read as they stand, so Quan Sơn builds its people in two parts around the freezing
(`until_the_dossier`, then `since_the_dossier`); Ngọc Lặc, with no dossier, builds them all in one go.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from accounts.models import User
from residents.models import DrugTest, Person, Treatment
from residents.models.records import EndReason
from residents.services import lifecycle
from residents.services.lifecycle import ManagementDecision

if TYPE_CHECKING:
    from demo.story import Story

NextPerson = Callable[..., Person]


# Xã Quan Sơn's dossier is frozen as of this many days ago (demo/story/recognition.py).
SINCE_THE_DOSSIER = 20


def managed_people(story: Story, person: NextPerson, officer: User) -> None:
    """Every situation, in the chapters' order."""
    for chapter, _since in CHAPTERS:
        chapter(story, person, officer)


def until_the_dossier(story: Story, person: NextPerson, officer: User) -> None:
    """The situations that began before the dossier's day, in the chapters' order."""
    for chapter, since in CHAPTERS:
        if not since:
            chapter(story, person, officer)


def since_the_dossier(story: Story, person: NextPerson, officer: User) -> None:
    """The situations that began after the dossier's day: each one leaves a criterion unmet today."""
    for chapter, since in CHAPTERS:
        if since:
            chapter(story, person, officer)


def _listed(story: Story, p: Person, officer: User, *, tested: int) -> None:
    """Listed as suspected a few days before the test that found them: the commune's list did its job, so they are
    not "missed" (criterion 3 counts only the users a test found outside the list)."""
    lifecycle.person_list_as_suspect(actor=officer, person=p, listed_on=story.days_ago(tested + 3), trigger="signs")


def _addict(story: Story, p: Person, officer: User, *, tested: int, assessed: int, criteria_met: int, substances=""):
    """Listed, a positive test, then the district health centre's assessment (days ago): an addict when
    criteria_met ≥ 3."""
    _listed(story, p, officer, tested=tested)
    lifecycle.person_record_test(
        actor=officer, person=p, tested_on=story.days_ago(tested), result="positive", substances=substances
    )
    lifecycle.person_record_assessment(
        actor=officer,
        person=p,
        assessed_on=story.days_ago(assessed),
        facility="Trung tâm Y tế huyện",
        criteria_met=criteria_met,
    )


def _untested_suspects(story: Story, person: NextPerson, officer: User) -> None:
    """Suspected, not yet tested (work queue: "chưa xét nghiệm")."""
    for _ in range(2):
        lifecycle.person_list_as_suspect(actor=officer, person=person(), listed_on=story.days_ago(12), trigger="tip")


def _tested_negative(story: Story, person: NextPerson, officer: User) -> None:
    p = person(age=24)
    lifecycle.person_list_as_suspect(actor=officer, person=p, listed_on=story.days_ago(40), trigger="signs")
    lifecycle.person_record_test(actor=officer, person=p, tested_on=story.days_ago(38), result=DrugTest.Result.NEGATIVE)


def _positive_awaiting_decision(story: Story, person: NextPerson, officer: User) -> None:
    """Positive, management decision overdue (more than 3 working days)."""
    p = person(age=27)
    lifecycle.person_list_as_suspect(actor=officer, person=p, listed_on=story.days_ago(15), trigger="caught")
    lifecycle.person_record_test(
        actor=officer,
        person=p,
        tested_on=story.days_ago(10),
        result=DrugTest.Result.POSITIVE,
        substances="Methamphetamine",
    )


def _under_management(story: Story, person: NextPerson, officer: User) -> None:
    """Users under management; one period ending within 30 days."""
    for started, substance in [(120, "Methamphetamine"), (200, "Heroin"), (350, "Ketamine")]:
        p = person(age=story.rng.randint(20, 40))
        _listed(story, p, officer, tested=started + 2)
        lifecycle.person_record_test(
            actor=officer,
            person=p,
            tested_on=story.days_ago(started + 2),
            result=DrugTest.Result.POSITIVE,
            substances=substance,
        )
        lifecycle.person_start_management(
            actor=officer,
            person=p,
            team_leader=officer,
            team_members="Trưởng thôn; Bí thư chi đoàn",
            decision=ManagementDecision(f"{started}/QĐ-UBND", story.days_ago(started), story.days_ago(started)),
        )
        lifecycle.person_record_residence_check(
            actor=officer, person=p, checked_on=story.days_ago(story.rng.randint(3, 45)), present=True
        )


def _addict_not_in_treatment(story: Story, person: NextPerson, officer: User) -> None:
    _addict(story, person(age=35), officer, tested=16, assessed=8, criteria_met=4, substances="Heroin")


def _in_treatment(story: Story, person: NextPerson, officer: User) -> None:
    """Addicts in each treatment form."""
    for form, started in [
        (Treatment.Form.HOME_COMMUNITY, 90),
        (Treatment.Form.FACILITY, 150),
        (Treatment.Form.METHADONE, 400),
        (Treatment.Form.COMPULSORY, 300),
    ]:
        p = person(age=story.rng.randint(22, 45))
        _addict(story, p, officer, tested=started + 15, assessed=started + 10, criteria_met=5, substances="Heroin")
        lifecycle.person_start_treatment(
            actor=officer,
            person=p,
            form=form,
            starts_on=story.days_ago(started),
            registered_on=story.days_ago(started + 3),
            facility="Cơ sở cai nghiện tỉnh",
        )


def _after_rehab(story: Story, person: NextPerson, officer: User) -> None:
    """Post-rehab: one in the middle of the period, one ending within 30 days."""
    for treated, ended in [(300, 120), (540, 350)]:
        p = person(age=story.rng.randint(25, 45))
        _addict(story, p, officer, tested=treated + 15, assessed=treated + 10, criteria_met=3)
        lifecycle.person_start_treatment(
            actor=officer, person=p, form=Treatment.Form.FACILITY, starts_on=story.days_ago(treated)
        )
        lifecycle.person_end_treatment(
            actor=officer,
            person=p,
            ended_on=story.days_ago(ended),
            outcome=Treatment.Outcome.COMPLETED,
            post_rehab_decision=ManagementDecision(f"{ended}/QĐ-UBND", story.days_ago(ended), story.days_ago(ended)),
        )


def _moved_away(story: Story, person: NextPerson, officer: User) -> None:
    """Ended: moved away during management, with psychosis signs noticed while still under management."""
    p = person(age=31)
    _listed(story, p, officer, tested=250)
    lifecycle.person_record_test(actor=officer, person=p, tested_on=story.days_ago(250), result="positive")
    lifecycle.person_start_management(
        actor=officer, person=p, decision=ManagementDecision("88/QĐ-UBND", story.days_ago(247), story.days_ago(247))
    )
    lifecycle.person_stop_management(actor=officer, person=p, stopped_on=story.days_ago(60), reason=EndReason.MOVED)
    lifecycle.person_flag_psychosis(
        actor=officer, person=p, flagged_on=story.days_ago(100), note="Ảo giác, hoang tưởng"
    )


def _found_outside_the_list(story: Story, person: NextPerson, officer: User) -> None:
    """The commune's one missed user (criterion 3): found positive in the district police's raid on a karaoke bar,
    never listed as suspected, then put under management."""
    p = person(age=23)
    lifecycle.person_record_test(
        actor=officer,
        person=p,
        tested_on=story.days_ago(15),
        result=DrugTest.Result.POSITIVE,
        substances="Methamphetamine",
        performed_by="Công an huyện (kiểm tra quán karaoke)",
    )
    lifecycle.person_start_management(
        actor=officer, person=p, decision=ManagementDecision("13/QĐ-UBND", story.days_ago(13), story.days_ago(13))
    )


# Each chapter, with whether it began after the dossier's day (then every date in it is less than SINCE_THE_DOSSIER
# days ago; tests/demo checks it). The order is the one the story has always had: it decides the random draws and the
# people each chapter takes (in Ngọc Lặc, the names).
CHAPTERS: list[tuple[Callable[[Story, NextPerson, User], None], bool]] = [
    (_untested_suspects, True),
    (_tested_negative, False),
    (_positive_awaiting_decision, True),
    (_under_management, False),
    (_addict_not_in_treatment, True),
    (_in_treatment, False),
    (_after_rehab, False),
    (_moved_away, False),
    (_found_outside_the_list, True),
]
