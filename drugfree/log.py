"""Logging: one line per event on stderr, in Vietnam's time, tagged with the request (or background job) it served."""

import contextvars
import logging
import re
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

_request_id = contextvars.ContextVar("request_id", default="-")
# A caller's own id (a proxy's X-Request-ID) is kept only if it is short and plain, so it cannot forge log lines.
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def current_request_id() -> str:
    return _request_id.get()


def bind_request_id(value: str) -> contextvars.Token:
    return _request_id.set(value)


def release_request_id(token: contextvars.Token) -> None:
    _request_id.reset(token)


class RequestIdMiddleware:
    """Gives every request an id (the proxy's X-Request-ID when it sends one), logged with each line it causes
    and returned in the response's X-Request-ID, so a user's report can be matched with the log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get("X-Request-ID", "")
        request.request_id = offered if _SAFE_ID.match(offered) else uuid.uuid4().hex[:16]
        token = bind_request_id(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            release_request_id(token)
        response["X-Request-ID"] = request.request_id
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = _request_id.get()
        return True


class OneLineFormatter(logging.Formatter):
    """A traceback folded into its event's line (newlines as " ⏎ "), so one event is one line for log tools."""

    def formatTime(self, record, datefmt=None):
        return datetime.fromtimestamp(record.created, tz=_VIETNAM).isoformat(timespec="milliseconds")

    def format(self, record):
        return super().format(record).replace("\r\n", "\n").replace("\n", " ⏎ ")
