"""gunicorn's master warms the application up before forking (gunicorn.conf.py, drugfree/warmup.py): afterwards, a
worker's first pages compile no template."""

import runpy
from pathlib import Path

from django.template import engines

from drugfree.warmup import warm_up


def _cached_templates() -> set:
    loader = engines["django"].engine.template_loaders[0]
    return set(loader.get_template_cache)


def test_after_warming_up_the_first_pages_compile_no_template(client, personas, places):
    engines["django"].engine.template_loaders[0].reset()
    warm_up()
    warmed = _cached_templates()
    assert "base.html" in warmed and "pledges/checklist.html" in warmed

    client.get("/accounts/login/")
    client.force_login(personas.officer_a)
    client.get("/")
    client.get(f"/communes/{places.commune_a.code}/")

    assert _cached_templates() <= warmed


def test_gunicorn_preloads_and_warms_up_in_the_master():
    config = runpy.run_path(str(Path(__file__).resolve().parents[1] / "gunicorn.conf.py"))
    assert config["preload_app"] is True
    assert config["worker_class"] == "sync"  # chosen by measurement (gunicorn.conf.py, README "Production")
    assert callable(config["when_ready"])
