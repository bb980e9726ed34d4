from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.services import reset_second_factor


class Command(BaseCommand):
    help = (
        "Xóa thiết bị xác thực hai bước của một tài khoản (mất điện thoại). Lần đăng nhập sau người đó cài lại; "
        "tài khoản quản trị bắt buộc cài lại trước khi làm việc khác."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="tên đăng nhập")

    def handle(self, *args, username, **options):
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist as exc:
            raise CommandError(f"Không có tài khoản “{username}”.") from exc
        removed = reset_second_factor(actor=None, user=user)
        if removed:
            self.stdout.write(self.style.SUCCESS(f"Đã xóa {removed} thiết bị xác thực hai bước của “{username}”."))
        else:
            self.stdout.write(f"Tài khoản “{username}” chưa có thiết bị xác thực hai bước; không có gì để xóa.")
