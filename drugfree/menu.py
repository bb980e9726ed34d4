"""`{% per_user %}…{% endper_user %}`: a piece of the menu rendered once per user and language, then reused;
`{% per_language %}…{% endper_language %}`: a piece of the base template rendered once per language.

The menu (templates/_nav.html and each app's `_nav_items.html`) is the same on every page a user opens: about
twenty-five `{% url %}`, as many `{% translate %}` and the includes of six apps, a fifth to a quarter of a small
signed-in page's time (cProfile, issue 17). What it shows depends only on the user's own row (role, unit, flags)
and their unit's name and code, which every request loads anyway (accounts.backends), and on the language. The key
holds all of these, so a change of role, unit, right or name shows at once; nothing else is cached. A block must
read nothing but `user` and the language: counts and anything of the request (the recognition alerts' badge) stay
outside it.

The base template (templates/base.html) around the menu is the same kind of thing: the static files' addresses
(the manifest's hashed names, fixed for the life of the process), the labels, the account menu's links. Its
`{% translate %}`, `{% static %}` and `{% url %}` cost ~0.5 ms of a signed-in page's Python; rendered once per
language (or, for the account menu's name, role and unit, once per user) they cost a dictionary lookup. What
depends on the request (the CSRF token, the page's address, the messages, the page's own blocks) stays outside.
A `{% per_language %}` block must read nothing but the language and what is fixed for the process.
"""

import threading
from collections import OrderedDict
from functools import lru_cache
from operator import attrgetter

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

# The fields of the user's row that change nothing the menu shows: the key leaves them out.
_NOT_SHOWN = frozenset({"password", "last_login"})
_KEY_OF_PAGE = "drugfree.menu.user_key"


@lru_cache
def _shown_columns(model) -> attrgetter:
    return attrgetter(*(field.attname for field in model._meta.concrete_fields if field.name not in _NOT_SHOWN))


def _user_key(user) -> tuple:
    if not getattr(user, "is_authenticated", False):
        return ("anonymous",)
    row = _shown_columns(user._meta.model)(user)
    # The unit was fetched with the user (accounts.backends): its name and code are in the key, not another query.
    units = tuple((unit.pk, unit.code, str(unit)) if unit else None for unit in _units(user))
    return (row, units)


def _units(user):
    return [
        getattr(user, name) if getattr(user, f"{name}_id") else None for name in ("commune", "district", "province")
    ]


class PerUserNode(template.Node):
    """The block's HTML by key, the oldest dropped past `KEPT` (one node per block, shared by the process)."""

    KEPT = 2048

    def __init__(self, nodelist, *, by_user: bool = True):
        self.nodelist = nodelist
        self.by_user = by_user
        self._rendered: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def render(self, context):
        key = (get_language(), self._user_key(context) if self.by_user else None)
        html = self._rendered.get(key)
        if html is None:
            html = self.nodelist.render(context)
            with self._lock:
                self._rendered[key] = html
                while len(self._rendered) > self.KEPT:
                    self._rendered.popitem(last=False)
        return mark_safe(html)

    @staticmethod
    def _user_key(context):
        """The user's key, read once per page: the base template and the menu have several blocks."""
        render_context = context.render_context
        user = context.get("user")
        kept = render_context.get(_KEY_OF_PAGE)
        if kept is None or kept[0] is not user:
            kept = render_context[_KEY_OF_PAGE] = (user, _user_key(user))
        return kept[1]


@register.tag
def per_user(parser, token):
    nodelist = parser.parse(("endper_user",))
    parser.delete_first_token()
    return PerUserNode(nodelist)


@register.tag
def per_language(parser, token):
    nodelist = parser.parse(("endper_language",))
    parser.delete_first_token()
    return PerUserNode(nodelist, by_user=False)
