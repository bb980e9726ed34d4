"""What a frozen dossier must meet: every ungrouped criterion, and every requirement group's "at least k of n".

A criteria set's groups (progress.CriterionGroup) are frozen with each criterion (DossierCriterion.group_*), so the
rules below read the dossier alone, as it stood on its date. The same rules judge the figures (submission) and the
council's verdicts (the decision): only what counts as "met" differs.

- An ungrouped criterion must be met.
- A requirement group is met when at least k (`group_min_met`) of its n clauses are; a clause is met when one of its
  criteria is (QĐ 28's "≥ 3.000 cây hoặc ≥ 750 m²" is one clause). A member unmet inside a met group blocks nothing.
- A class group (QĐ 28's hotspot classes I, II, III) classifies the unit and blocks nothing, as in
  progress.selectors.CommuneResult.met_all; the dossier shows the class.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from progress.models import CriterionGroup

from .models import DossierCriterion

Met = Callable[[DossierCriterion], bool]


def _frozen_met(criterion: DossierCriterion) -> bool:
    return criterion.met


@dataclass
class FrozenGroup:
    """One "at least k of n" group of a dossier: its clauses, each a list of alternative criteria."""

    order: int
    name: str
    short_name: str
    role: str
    min_met: int
    clauses: list[list[DossierCriterion]]
    is_met: Met = _frozen_met

    @property
    def size(self) -> int:
        return len(self.clauses)

    @property
    def met_count(self) -> int:
        return sum(any(self.is_met(c) for c in clause) for clause in self.clauses)

    @property
    def met(self) -> bool:
        return self.met_count >= self.min_met

    @property
    def is_requirement(self) -> bool:
        return self.role == CriterionGroup.Role.REQUIREMENT

    @property
    def criteria(self) -> list[DossierCriterion]:
        return [c for clause in self.clauses for c in clause]

    @property
    def rule(self) -> str:
        return _("đạt ít nhất %(k)s trong %(n)s điểm") % {"k": self.min_met, "n": self.size}

    @property
    def result_text(self) -> str:
        """ "Đạt 3/5 điểm": the group's count, then whether it holds (or the class applies)."""
        counted = _("%(met)s/%(n)s điểm") % {"met": self.met_count, "n": self.size}
        if self.is_requirement:
            verdict = _("Đạt") if self.met else _("Chưa đạt")
        else:
            verdict = _("Thuộc %(group)s") % {"group": self.short_name} if self.met else _("Không thuộc")
        return f"{counted} — {verdict}"


def frozen_groups(criteria: Iterable[DossierCriterion], is_met: Met = _frozen_met) -> list[FrozenGroup]:
    """The groups of a dossier's criteria in the groups' order; criteria keep their order inside each clause."""
    groups: dict[str, FrozenGroup] = {}
    clauses: dict[str, dict[str, list[DossierCriterion]]] = {}
    for criterion in sorted(criteria, key=lambda c: (c.order, c.pk or 0)):
        if not criterion.group_name:
            continue
        if criterion.group_name not in groups:
            groups[criterion.group_name] = FrozenGroup(
                order=criterion.group_order or 0,
                name=criterion.group_name,
                short_name=criterion.group_short_name or criterion.group_name,
                role=criterion.group_role,
                min_met=criterion.group_min_met or 1,
                clauses=[],
                is_met=is_met,
            )
            clauses[criterion.group_name] = {}
        clauses[criterion.group_name].setdefault(criterion.clause_key, []).append(criterion)
    for name, group in groups.items():
        group.clauses = list(clauses[name].values())
    return sorted(groups.values(), key=lambda g: (g.order, g.name))


@dataclass
class Shortfall:
    """What stops a dossier: its unmet ungrouped criteria and its unmet requirement groups."""

    criteria: list[DossierCriterion]
    groups: list[FrozenGroup]

    def __bool__(self):
        return bool(self.criteria or self.groups)

    def messages(self, criterion_message: Callable[[DossierCriterion], str]) -> list[str]:
        return [criterion_message(c) for c in self.criteria] + [group_message(g) for g in self.groups]


def shortfall(criteria: Iterable[DossierCriterion], is_met: Met = _frozen_met) -> Shortfall:
    criteria = list(criteria)
    return Shortfall(
        criteria=[c for c in criteria if not c.group_name and not is_met(c)],
        groups=[g for g in frozen_groups(criteria, is_met) if g.is_requirement and not g.met],
    )


def classification(groups: list[FrozenGroup]) -> FrozenGroup | None:
    """The first class group (in order) the unit meets: QĐ 28's loại I, else II, else III; None when none."""
    return next((g for g in groups if not g.is_requirement and g.met), None)


def member_line(criterion: DossierCriterion, is_met: Met = _frozen_met) -> str:
    clause = f"{criterion.clause}) " if criterion.clause else ""
    return _("%(clause)s%(title)s: %(value)s (chỉ tiêu %(target)s) — %(result)s") % {
        "clause": clause,
        "title": criterion.title,
        "value": criterion.value_display,
        "target": criterion.target_display,
        "result": _("đạt") if is_met(criterion) else _("chưa đạt"),
    }


def group_message(group: FrozenGroup) -> str:
    """ "Chưa đạt nhóm “…”: đạt 1/3 điểm, cần ít nhất 2. Các tiêu chí của nhóm: a) …; b) …"."""
    text = _(
        "Chưa đạt nhóm “%(group)s”: đạt %(met)s/%(n)s điểm, cần ít nhất %(k)s. Các tiêu chí của nhóm: %(members)s."
    )
    return text % {
        "group": group.name,
        "met": group.met_count,
        "n": group.size,
        "k": group.min_met,
        "members": "; ".join(member_line(c, group.is_met) for c in group.criteria),
    }
