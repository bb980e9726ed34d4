"""Sessions: Django's database sessions, with the session's row read by a statement compiled once.

Every signed-in request reads its session row first; Django builds and compiles that query each time (~0.3 ms of
Python, issue 17). The statement here is the ORM's own (drugfree.prepared), with the same conditions: the key and
an expiry after now. Everything else (saving, expiry, cycling the key at login, flushing at logout) is Django's.
"""

from datetime import UTC, datetime

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from drugfree.prepared import Marker, Prepared

# Values no request asks for: they mark the key's and the instant's places in the compiled statement.
_session_row = Prepared(
    lambda key, now: Session.objects.filter(session_key=key, expire_date__gt=now),
    Marker(Session._meta.get_field("session_key"), "prepared-statement-marker"),
    Marker(Session._meta.get_field("expire_date"), datetime(1901, 1, 1, tzinfo=UTC)),
)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        session = _session_row.first(self.session_key, timezone.now())
        if session is None:
            self._session_key = None
        return session
