"""Sessions: Django's database sessions, with the session's row read by a statement compiled once.

Every signed-in request reads its session row first; Django builds and compiles that query each time (~0.3 ms of
Python, issue 17). The statement here is the ORM's own (drugfree.prepared_querysets), with the same conditions:
the key and an expiry after now. Everything else (saving, expiry, cycling the key at login, flushing at logout) is
Django's.
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from drugfree.prepared_querysets import PreparedQuery

_session_row = PreparedQuery(lambda key, now: Session.objects.filter(session_key=key, expire_date__gt=now))


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        session = next(iter(_session_row(key=self.session_key, now=timezone.now())), None)
        if session is None:
            self._session_key = None
        return session
