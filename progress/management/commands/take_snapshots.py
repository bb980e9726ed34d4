"""`manage.py take_snapshots [--month YYYY-MM]`: freeze each commune's monthly figures (idempotent)."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from progress.selectors import today
from progress.services import previous_month, take_snapshots


def parse_month(text: str):
    try:
        return datetime.strptime(text, "%Y-%m").date()
    except ValueError as exc:
        raise CommandError(f"--month must be YYYY-MM, not {text!r}") from exc


class Command(BaseCommand):
    help = "Chốt số liệu tháng của mọi xã theo các bộ tiêu chí đang áp dụng (mặc định: tháng vừa qua)."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM; default: the month that just ended")

    def handle(self, *args, month=None, **options):
        target = parse_month(month) if month else previous_month(today())
        try:
            created = take_snapshots(month=target)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"{target:%m/%Y}: {created} snapshot rows created")
