"""Read a spreadsheet in a child process that may die without taking the web server or the Celery worker with it.

The readers are native code (calamine is Rust): a hostile file can make them abort (a failed allocation aborts,
it raises nothing), panic or run for minutes. The read runs in a process forked from a `forkserver` (not from the
web or worker process, which may hold threads and connections; the server has Django set up once, so a read
starts in milliseconds), under RLIMIT_AS (address space) and RLIMIT_CPU. It returns its result or a refusal
through a pipe; a child that died instead ends as a SpreadsheetError with a reason, and the run fails with it.
"""

import logging
import multiprocessing
import queue
import resource
import signal
import threading
import traceback
from collections.abc import Callable
from itertools import islice
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from .limits import ReadLimits

logger = logging.getLogger(__name__)

# Seconds of wall-clock time the parent waits beyond the CPU limit (a child blocked on I/O uses no CPU).
_WALL_MARGIN = 30
_context: Any = None
# Rows per message of a streamed result (`_send_stream`), and messages queued ahead of the importing process.
STREAM_CHUNK = 500
STREAM_AHEAD = 40
# Peak memory (ru_maxrss, KB) of the last reading child whose stream ended, for the benchmark to print.
last_stream_peak_kb: int | None = None


def _forkserver():
    global _context
    if _context is None:
        context = multiprocessing.get_context("forkserver")
        # Imported once by the server: Django's setup, the readers. Each child is then a fork of a ready process.
        context.set_forkserver_preload(["imports.reader_process"])
        _context = context
    return _context


class ReaderRefused(Exception):
    """The reading function refused the file while its rows were streamed (`code`, Vietnamese `message`)."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


class ReaderDied(Exception):
    """The child ended without an answer; `code` and `message` (Vietnamese) say how."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def _child(connection, limits: ReadLimits, language: str | None, function: Callable, args: tuple, kwargs: dict):
    from .reader_process import prepare

    _lower_limit(resource.RLIMIT_AS, limits.memory_mb * 1024 * 1024)
    # SIGXCPU at the soft limit ends the child; the hard limit (SIGKILL) is the backstop.
    _lower_limit(resource.RLIMIT_CPU, limits.cpu_seconds, hard_margin=5)
    prepare()
    try:
        with translation.override(language):
            answer = ("ok", function(*args, **kwargs))
            rows = getattr(answer[1], "rows", None)
            if rows is not None and not isinstance(rows, list):
                answer = _send_stream(connection, answer[1], rows)
    except MemoryError:
        answer = ("memory", None)
    except BaseException as exc:  # a Rust panic is a BaseException: the parent reports it
        refused = getattr(exc, "code", None) and getattr(exc, "message", None)
        crashed = ("crashed", (repr(exc)[:300], traceback.format_exc()[-5000:]))
        answer = ("refused", (str(exc.message), exc.code)) if refused else crashed
    try:
        connection.send(answer)
    except MemoryError:
        connection.send(("memory", None))
    connection.close()


def _send_stream(connection, result, rows) -> tuple:
    """The result without its rows first, then its rows STREAM_CHUNK at a time as they are made: the parent works on
    one chunk while this process makes the next (the pipe holds little, so it is never far ahead)."""
    result.rows = []
    connection.send(("stream", result))
    iterator = iter(rows)
    while chunk := list(islice(iterator, STREAM_CHUNK)):
        connection.send(("rows", chunk))
    return ("end", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def _lower_limit(kind: int, value: int, *, hard_margin: int = 0) -> None:
    """Set a resource limit, never above the hard limit the process already has (a container may set one)."""
    _soft, hard = resource.getrlimit(kind)
    if hard == resource.RLIM_INFINITY:
        resource.setrlimit(kind, (value, value + hard_margin))
    else:
        resource.setrlimit(kind, (min(value, hard), min(value + hard_margin, hard)))


def run_in_child(function: Callable, *args, limits: ReadLimits, file_name: str, **kwargs):
    """`function(*args, **kwargs)` in a child process under the limits. Its own refusals (exceptions with `code` and
    `message`) come back as ("refused", (message, code)); a child that died raises ReaderDied. A result whose `rows`
    is an iterator comes back at once with `rows` a generator of the rows the child sends as it makes them
    (`_send_stream`), the child living until they are all read or the generator is closed."""
    context = _forkserver()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=_child, args=(sender, limits, translation.get_language(), function, args, kwargs), daemon=True
    )
    process.start()
    sender.close()
    answer, timed_out = _receive(receiver, limits)
    if answer is not None and answer[0] == "stream":
        answer[1].rows = _received_rows(process, receiver, limits, file_name)
        return ("ok", answer[1])
    _end(process, receiver)
    if answer is not None and answer[0] in ("ok", "refused"):
        return answer
    raise _death(answer, process.exitcode, timed_out=timed_out, limits=limits, file_name=file_name)


def _receive(receiver, limits: ReadLimits) -> tuple[Any, bool]:
    """The child's next message, or None when it died (or timed out: True)."""
    try:
        if receiver.poll(limits.cpu_seconds + _WALL_MARGIN):
            return receiver.recv(), False
        return None, True
    except (EOFError, OSError):
        return None, False  # the child died before or while answering


def _end(process, receiver) -> None:
    receiver.close()
    process.join(5)
    if process.is_alive():
        process.kill()
        process.join()


def _received_rows(process, receiver, limits: ReadLimits, file_name: str):
    """A streamed result's rows as the child sends them. A refusal raises ReaderRefused, the child's death
    ReaderDied; leaving the loop early (an error in the import) ends the child.

    A thread of this process takes the child's messages off the pipe as they come and queues up to STREAM_AHEAD of
    them: the child then reads on while this process plans and writes (a pipe holds one message, so without the
    queue the child would wait for every batch to be written, and the database for every batch to be read)."""
    global last_stream_peak_kb
    messages: queue.Queue = queue.Queue(maxsize=STREAM_AHEAD)
    stop = threading.Event()

    def take() -> None:
        while not stop.is_set():
            answer, timed_out = _receive(receiver, limits)
            while not stop.is_set():
                try:
                    messages.put((answer, timed_out), timeout=1)
                    break
                except queue.Full:
                    continue
            if answer is None or answer[0] != "rows":
                return

    taker = threading.Thread(target=take, name="reader-stream", daemon=True)
    taker.start()
    try:
        while True:
            answer, timed_out = messages.get()
            if answer is None or answer[0] not in ("rows", "end", "refused"):
                _end(process, receiver)
                raise _death(answer, process.exitcode, timed_out=timed_out, limits=limits, file_name=file_name)
            if answer[0] == "refused":
                message, code = answer[1]
                raise ReaderRefused(message, code=code)
            if answer[0] == "end":
                last_stream_peak_kb = answer[1]
                return
            yield from answer[1]
    finally:
        stop.set()
        if process.is_alive():
            process.kill()  # a child still reading: the import stopped early
        taker.join(5)
        _end(process, receiver)


def _death(answer, exitcode: int | None, *, timed_out: bool, limits: ReadLimits, file_name: str) -> ReaderDied:
    signal_number = -exitcode if exitcode and exitcode < 0 else None
    signal_name = signal.Signals(signal_number).name if signal_number in signal.Signals._value2member_map_ else ""
    if answer and answer[0] == "crashed":
        detail, trace = answer[1]
        # An exception the reader did not expect (a Rust panic, a bug): its traceback, as if it were raised here.
        logger.error("Spreadsheet reader for %r raised %s\n%s", file_name, detail, trace)
    else:
        detail = signal_name or f"exit {exitcode}"
        logger.warning("Spreadsheet reader for %r ended without a result: %s (exit %s)", file_name, detail, exitcode)
    name = {"name": file_name}
    if timed_out or signal_number == signal.SIGXCPU:
        return ReaderDied(
            _("Đọc tệp “%(name)s” quá %(seconds)d giây nên đã bị dừng. Hãy chia danh sách thành nhiều tệp nhỏ hơn.")
            % {**name, "seconds": limits.cpu_seconds},
            code="reader_timeout",
        )
    if (answer and answer[0] == "memory") or signal_number == signal.SIGKILL:
        # Python's MemoryError, or the kernel's OOM killer.
        return ReaderDied(
            _(
                "Đọc tệp “%(name)s” cần quá %(limit)d MB bộ nhớ nên đã bị dừng. Hãy xóa các ô, dòng, cột thừa (kể cả ô "
                "lạc ở xa danh sách) hoặc chia danh sách thành nhiều tệp."
            )
            % {**name, "limit": limits.memory_mb},
            code="reader_memory",
        )
    if signal_number == signal.SIGABRT:
        # A failed allocation in Rust aborts (it raises nothing): under RLIMIT_AS that is the usual cause.
        return ReaderDied(
            _(
                "Trình đọc bảng tính bị dừng đột ngột khi đọc tệp “%(name)s” (SIGABRT), thường do tệp cần quá "
                "%(limit)d MB bộ nhớ; dữ liệu không bị thay đổi. Hãy xóa các ô, dòng, cột thừa (kể cả ô lạc ở xa "
                "danh sách), hoặc mở bằng Excel, lưu lại rồi tải lên lại."
            )
            % {**name, "limit": limits.memory_mb},
            code="reader_crashed",
        )
    return ReaderDied(
        _(
            "Trình đọc bảng tính gặp lỗi nghiêm trọng với tệp “%(name)s” (%(detail)s) và đã dừng; dữ liệu không bị "
            "thay đổi. Hãy mở tệp bằng Excel, lưu lại thành .xlsx rồi tải lên lại."
        )
        % {**name, "detail": detail},
        code="reader_crashed",
    )
