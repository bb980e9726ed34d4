import getpass
import logging
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from backups import engines

logger = logging.getLogger("backups")


class Command(BaseCommand):
    help = _(
        "Sao lưu toàn bộ cơ sở dữ liệu vào một tệp: PostgreSQL bằng pg_dump (định dạng custom), SQLite bằng "
        "API sao lưu trực tuyến. Ứng dụng vẫn chạy trong lúc sao lưu."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", help=_("tệp sao lưu (mặc định drugfree-<ngày giờ Việt Nam>.dump hoặc .sqlite3)")
        )

    def handle(self, *args, path=None, **options):
        if path is None:
            path = f"drugfree-{timezone.localtime():%Y-%m-%d-%H%M%S}{engines.extension()}"
        target = Path(path)
        if target.exists():
            message = _("Tệp %(path)s đã có; chọn tên khác để không ghi đè bản sao lưu cũ.")
            raise CommandError(message % {"path": target})
        if not target.parent.is_dir():
            raise CommandError(_("Thư mục %(path)s không tồn tại.") % {"path": target.parent})
        engines.backup(target, using="default")
        # A backup holds every person's record: who took it, and where it went, belongs in the log.
        logger.info("backup written to %s by %s", target.resolve(), getpass.getuser())
        size = target.stat().st_size
        self.stdout.write(_("Đã sao lưu vào %(path)s (%(size).1f MB).") % {"path": target, "size": size / 1_000_000})
