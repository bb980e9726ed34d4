from django.core.management.base import BaseCommand

from demo.story import DEMO_PASSWORD, Story, demo_accounts


class Command(BaseCommand):
    help = "Tạo dữ liệu demo (Thanh Hóa, Xã Quan Sơn, Xã Ngọc Lặc) và tài khoản demo. Chạy lại không tạo trùng."

    def handle(self, *args, **options):
        Story().build()
        self.stdout.write(self.style.SUCCESS("Dữ liệu demo đã sẵn sàng. Tài khoản demo (mật khẩu chung):"))
        self.stdout.write(f"  mật khẩu: {DEMO_PASSWORD}")
        for username, role, unit in demo_accounts():
            self.stdout.write(f"  {username:<16} {role:<32} {unit}")
