import os

from axes.utils import reset as reset_login_failures
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.story import Story
from demo.story.accounts import DEMO_PASSWORD, demo_accounts
from progress.selectors import today
from progress.services import previous_month, take_snapshots

# The demo accounts' password when this variable is set; required when DEBUG is off.
PASSWORD_VARIABLE = "DEMO_PASSWORD"


def demo_password() -> str:
    """The published password is for a developer's machine only: a server (DEBUG off) must be given another one,
    or anyone who read the README could sign in as its administrator."""
    chosen = os.environ.get(PASSWORD_VARIABLE, "")
    if chosen and chosen == DEMO_PASSWORD and not settings.DEBUG:
        raise CommandError(f"{PASSWORD_VARIABLE} là mật khẩu demo đã công bố: khi DEBUG tắt hãy đặt một mật khẩu khác.")
    if chosen:
        return chosen
    if not settings.DEBUG:
        raise CommandError(
            "Không tạo tài khoản demo với mật khẩu đã công bố khi DEBUG tắt (máy chủ thật). "
            f"Đặt mật khẩu riêng trong biến môi trường {PASSWORD_VARIABLE}, hoặc chạy với DEBUG=1 trên máy phát triển."
        )
    return DEMO_PASSWORD


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu demo (Thanh Hóa, Xã Quan Sơn, Xã Ngọc Lặc) và tài khoản demo. Chạy lại không tạo trùng. "
        f"Khi DEBUG tắt, mật khẩu của tài khoản demo phải đặt trong biến môi trường {PASSWORD_VARIABLE}."
    )

    def handle(self, *args, **options):
        password = demo_password()  # before anything is written
        Story(password=password).build()
        # Last month frozen, so the dashboards have a month to compare with and a reviewer a month to confirm.
        take_snapshots(month=previous_month(today()))
        self.stdout.write(self.style.SUCCESS("Dữ liệu demo đã sẵn sàng. Tài khoản demo (mật khẩu chung):"))
        if password == DEMO_PASSWORD:
            self.stdout.write(f"  mật khẩu: {DEMO_PASSWORD}")
        else:
            self.stdout.write(f"  mật khẩu: giá trị của biến môi trường {PASSWORD_VARIABLE}")
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
