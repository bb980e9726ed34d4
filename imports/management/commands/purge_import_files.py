from django.conf import settings
from django.core.management.base import BaseCommand

from imports.retention import purge_import_files


class Command(BaseCommand):
    help = (
        "Xóa tệp danh sách hộ đã tải lên (và các dòng xem trước chép từ tệp) của các lần nhập đã kết thúc quá "
        "IMPORT_FILE_RETENTION_DAYS ngày. Chạy hằng đêm qua Celery beat; có thể chạy tay."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Chỉ liệt kê, không xóa.")

    def handle(self, *args, dry_run=False, **options):
        runs = purge_import_files(dry_run=dry_run)
        verb = "sẽ xóa" if dry_run else "đã xóa"
        for run in runs:
            self.stdout.write(f"#{run.pk} {run.commune.code} {run.file_name}: {verb} tệp")
        days = settings.IMPORT_FILE_RETENTION_DAYS
        self.stdout.write(f"{verb} tệp của {len(runs)} lần nhập (giữ {days} ngày sau khi kết thúc)")
