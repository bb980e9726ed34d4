"""What a worker would otherwise do on its first request, done once in gunicorn's master before it forks
(`preload_app` in gunicorn.conf.py): the URL patterns resolved, every template compiled into the cached loaders, the
translation catalogues loaded. Forked workers share the result, so no officer's first request waits for it."""

import logging
from pathlib import Path

from django.conf import settings
from django.forms.renderers import get_default_renderer
from django.template import engines
from django.template.exceptions import TemplateSyntaxError
from django.urls import get_resolver
from django.utils import translation

log = logging.getLogger(__name__)


def _template_names(directory: Path) -> list[str]:
    return sorted(str(path.relative_to(directory)) for path in directory.rglob("*.html"))


def _compile_templates(backend, directories) -> int:
    compiled = 0
    for directory in directories:
        for name in _template_names(Path(directory)):
            try:
                backend.get_template(name)
            except TemplateSyntaxError:
                log.exception("template %s does not compile", name)  # the page using it fails loudly as well
                continue
            compiled += 1
    return compiled


def warm_up() -> None:
    get_resolver().url_patterns  # noqa: B018 (imports every app's views)
    get_resolver().reverse_dict  # noqa: B018 (builds the reverse lookup tables)
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            translation.gettext("")
    compiled = 0
    for backend in (engines["django"], get_default_renderer().engine):  # the site's templates, the widgets'
        compiled += _compile_templates(backend, backend.template_dirs)
    log.info("warmed up: %s templates compiled", compiled)
