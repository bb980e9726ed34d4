import getpass
import logging
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from backups import engines

logger = logging.getLogger("backups")


class Command(BaseCommand):
    help = _(
        "Khôi phục cơ sở dữ liệu từ tệp do `manage.py backup` tạo, trong một giao dịch (lỗi thì không đổi gì), "
        "rồi kiểm tra migration và đếm lại bảng đếm (recount_tallies). Từ chối cơ sở dữ liệu đích đã có dữ liệu, "
        "trừ khi có --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help=_("tệp sao lưu"))
        parser.add_argument(
            "--force", action="store_true", help=_("thay toàn bộ nội dung của cơ sở dữ liệu đích đã có dữ liệu")
        )

    def handle(self, *args, path, force=False, **options):
        source = Path(path)
        engines.check_backup_file(source, using="default")
        tables = engines.table_names()
        if tables and not force:
            raise CommandError(
                _(
                    "Cơ sở dữ liệu đích không trống (%(count)d bảng). Không khôi phục để không ghi đè dữ liệu; "
                    "nếu thật sự muốn thay toàn bộ nội dung bằng bản sao lưu, chạy lại với --force."
                )
                % {"count": len(tables)}
            )
        engines.restore(source, using="default", replace=bool(tables))
        logger.warning(
            "database restored from %s by %s%s",
            source.resolve(), getpass.getuser(), " (replacing its content)" if tables else "",
        )  # fmt: skip
        self.stdout.write(_("Đã khôi phục từ %(path)s.") % {"path": source})

        pending = engines.pending_migrations()
        if pending:
            # The tallies' tables may not exist yet at that schema: migrate first, then recount.
            raise CommandError(
                _(
                    "Bản sao lưu cũ hơn mã nguồn: còn %(count)d migration chưa áp dụng (%(names)s). "
                    "Chạy `manage.py migrate` rồi `manage.py recount_tallies`."
                )
                % {"count": len(pending), "names": ", ".join(pending)}
            )
        self.stdout.write(_("Migration: đã áp dụng đủ."))
        call_command("recount_tallies", stdout=self.stdout)
