from django.core.management.base import BaseCommand

from demo.story import DEMO_PASSWORD, Story, demo_accounts
from progress.selectors import today
from progress.services import previous_month, take_snapshots


class Command(BaseCommand):
    help = "Tạo dữ liệu demo (Thanh Hóa, Xã Quan Sơn, Xã Ngọc Lặc) và tài khoản demo. Chạy lại không tạo trùng."

    def handle(self, *args, **options):
        Story().build()
        # Last month frozen, so the dashboards have a month to compare with and a reviewer a month to confirm.
        take_snapshots(month=previous_month(today()))
        self.stdout.write(self.style.SUCCESS("Dữ liệu demo đã sẵn sàng. Tài khoản demo (mật khẩu chung):"))
        self.stdout.write(f"  mật khẩu: {DEMO_PASSWORD}")
        for username, role, unit in demo_accounts():
            self.stdout.write(f"  {username:<16} {role:<32} {unit}")
