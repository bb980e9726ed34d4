"""The Locust scenario of `make bench-load` (started by benchmarks/bench_load.py, never on its own): commune officers
each signed in with their own session, going through the real pages and forms (CSRF token, the version they saw)
as a browser would.

The plan (officers, their hamlet, their own suspects, the files and names of their commune) comes as JSON from the
file in LOAD_PLAN; every response time goes to the JSON file in LOAD_SAMPLES when the run ends. The server is
reached as it would be behind the TLS proxy: `X-Forwarded-Proto: https` on every request.
"""

import itertools
import json
import os
import random
import re
import time
from html.parser import HTMLParser
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from urllib.parse import urlsplit

import gevent
from gevent.event import Event
from locust import HttpUser, between, events, task

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text(encoding="utf-8"))
OFFICERS = int(os.environ["LOAD_USERS"])
MIX_SECONDS = float(os.environ["LOAD_MIX_SECONDS"])
_next_officer = itertools.count()
_signed_in = itertools.count(1)
# The mix is measured with every officer signed in: 50 logins at once (PBKDF2, slow on purpose) are the morning's
# start, not the working day, and would otherwise fill the first half-minute of the two.
_everyone_in = Event()
SAMPLES: list[tuple[str, float, bool]] = []
MIX: dict[str, float] = {}  # when the mix started and ended (time.time()), for the host's CPU over that window
SAVED = "Đã lưu"
_return_ok_secure = DefaultCookiePolicy.return_ok_secure


def _loopback_counts_as_secure(policy, cookie, request):
    """The cookies are Secure (production settings) and the proxy is played by this process: it sends them back over
    the plain loopback connection, and only there. (requests builds a fresh cookie jar, with the default policy, for
    every request and redirect, so the policy itself has to change.)"""
    if urlsplit(request.get_full_url()).hostname == "127.0.0.1":
        return True
    return _return_ok_secure(policy, cookie, request)


DefaultCookiePolicy.return_ok_secure = _loopback_counts_as_secure


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, **kwargs):
    if _everyone_in.is_set() or name.startswith("login"):
        SAMPLES.append((name, response_time, exception is not None))


def _end_of_the_mix(environment):
    MIX["ended"] = time.time()
    Path(os.environ["LOAD_SAMPLES"]).write_text(json.dumps({"samples": SAMPLES, **MIX}), encoding="utf-8")
    environment.runner.quit()


class FormReader(HTMLParser):
    """The fields a browser would submit for the page's own form (the first POST form without an action: the menu's
    language and logout forms have one), with their current values; `unchecked` lists the unticked checkboxes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inside = self.done = False
        self.fields: dict[str, str] = {}
        self.unchecked: list[str] = []
        self.options: dict[str, list[str]] = {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.done and (a.get("method") or "").lower() == "post" and not a.get("action"):
            self.inside = True
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields[name] = a.get("value", "on")
                elif kind == "checkbox":
                    self.unchecked.append(name)
                else:
                    self.options.setdefault(name, []).append(a.get("value", ""))
            elif kind not in ("submit", "button", "file"):
                self.fields[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select = name
            self.options[name] = []
        elif tag == "option" and self._select:
            self.options[self._select].append(a.get("value", ""))
            if "selected" in a or self._select not in self.fields:
                self.fields[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self.inside:
            self.inside, self.done = False, True


def read_form(html: str) -> FormReader:
    reader = FormReader()
    reader.feed(html)
    return reader


class Officer(HttpUser):
    # Think time between two actions (LOAD_THINK "min,max" seconds, default 0.5–2 s): the brisk officer;
    # reading a file or filling a form usually takes longer, so this errs on the heavy side.
    wait_time = between(*(float(x) for x in os.environ.get("LOAD_THINK", "0.5,2").split(",")))

    def on_start(self):
        self.plan = PLAN["officers"][next(_next_officer) % len(PLAN["officers"])]
        self.origin = "https://" + self.host.split("://", 1)[1]
        self.client.headers["X-Forwarded-Proto"] = "https"
        login = self.client.get("/accounts/login/", name="login form")
        form = read_form(login.text)
        form.fields.update(username=self.plan["username"], password=PLAN["password"])
        with self._post("/accounts/login/", form.fields, name="login") as response:
            if "/accounts/login/" in response.url:
                response.failure(f"{self.plan['username']} could not sign in")
        if next(_signed_in) == OFFICERS:
            MIX["started"] = time.time()
            _everyone_in.set()
            gevent.spawn_later(MIX_SECONDS, _end_of_the_mix, self.environment)
        _everyone_in.wait()

    def _post(self, path, data, *, name):
        headers = {"Origin": self.origin, "Referer": self.origin + path}
        return self.client.post(path, data=data, headers=headers, name=name, catch_response=True)

    # The mix (weights): work queue, search and a person's file 4 each, hamlet list and commune dashboard 2 each,
    # and two writes through their forms, 1 each (2 actions in 18, ~11 %), plus the reference static file (1).

    @task(4)
    def work_queue(self):
        """The officer's home page: what is due in their commune."""
        self.client.get("/", name="work queue")

    @task(4)
    def search(self):
        """Types a name (without diacritics) in the search box; htmx asks for the results as the officer types."""
        term = random.choice(PLAN["search_terms"])
        self.client.get("/residents/search/", params={"q": term}, name="search")

    @task(4)
    def open_a_file(self):
        person = random.choice(PLAN["communes"][self.plan["commune"]]["people"])
        self.client.get(f"/residents/people/{person}/", name="open a file")

    @task(1)
    def record_a_test(self):
        """Opens the test form for one of their own suspects, keeps the defaults (today), ticks negative, saves."""
        person = random.choice(self.plan["suspects"])
        path = f"/residents/people/{person}/actions/record_test/"
        page = self.client.get(path, name="record a test: form")
        form = read_form(page.text)
        if "seen_version" not in form.fields:
            return
        form.fields["result"] = "negative"
        form.fields["performed_by"] = "Công an xã"
        with self._post(path, form.fields, name="record a test: save") as response:
            if SAVED not in response.text:
                response.failure("the test was not saved")

    @task(1)
    def tick_a_pledge(self):
        """Opens their hamlet's checklist, ticks the next household that has not signed (meeting date: today)."""
        path = f"/pledges/hamlets/{self.plan['hamlet']}/{PLAN['year']}/"
        page = self.client.get(path, name="tick a pledge: checklist")
        form = read_form(page.text)
        unticked = [name for name in form.unchecked if re.fullmatch(r"pledges-\d+-signed", name)]
        if not unticked:
            return
        form.fields[unticked[0]] = "on"
        with self._post(path, form.fields, name="tick a pledge: save") as response:
            if SAVED not in response.text:
                response.failure("the pledge was not saved")

    @task(2)
    def hamlet_list(self):
        self.client.get(f"/workspace/{self.plan['commune']}/hamlets/", name="hamlet list")

    @task(2)
    def commune_dashboard(self):
        self.client.get(f"/progress/communes/{self.plan['commune']}/", name="commune dashboard")

    @task(1)
    def static_file(self):
        """The reference: the stylesheet, served from the same workers by WhiteNoise (no database, no session)."""
        self.client.get(PLAN["static_path"], name="static file")
