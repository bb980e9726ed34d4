from axes.utils import reset as reset_login_failures
from django.conf import settings
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
            # A presenter who mistyped the password five times gets back in by seeding again.
            reset_login_failures(username=username)
        if settings.TWO_FACTOR_REQUIRED_FOR_ADMINISTRATORS:
            self.stdout.write(
                "  quantri: lần đăng nhập đầu tiên phải cài xác thực hai bước (quét mã QR bằng ứng dụng xác thực). "
                "Bỏ yêu cầu này khi chạy demo: TWO_FACTOR_REQUIRED_FOR_ADMINISTRATORS=0."
            )
        else:
            self.stdout.write("  Xác thực hai bước không bắt buộc ở chế độ demo (DEBUG); tự bật ở menu tài khoản.")
