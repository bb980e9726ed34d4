"""What recognition adds to progress's province dashboard (progress.extensions): the roadmap's link and where the
province stands against the national goal (RECOGNITION_TARGET_PERCENT of its communes by RECOGNITION_TARGET_YEAR)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from progress.extensions import Summary

from .selectors import roadmap_goal


def roadmap_summary(user, province) -> Summary:
    goal = roadmap_goal(province)
    url = reverse("recognition:roadmap")
    if user.is_administrator:
        url += f"?province={province.pk}"
    values = {
        "held": goal.held,
        "communes": goal.communes,
        "share": goal.share_display,
        "percent": goal.percent,
        "goal": goal.goal,
        "year": goal.year,
    }
    text = (
        _(
            "Xã không ma túy: %(held)s/%(communes)s xã được công nhận còn hiệu lực (%(share)s); mục tiêu ít nhất "
            "%(percent)s %% số xã (%(goal)s xã) đến hết năm %(year)s."
        )
        % values
    )
    if goal.reached:
        text += " " + _("Đã đạt mục tiêu.")
    else:
        text += " " + _("Còn %(remaining)s xã.") % {"remaining": goal.remaining}
    return Summary("roadmap", _("Lộ trình công nhận đến %(year)s") % {"year": goal.year}, url, text)
