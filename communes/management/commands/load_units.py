from django.core.management.base import BaseCommand, CommandError

from communes.units import load_province_units, province_codes


class Command(BaseCommand):
    help = "Nạp tỉnh và các xã/phường từ gói vietnam-provinces (danh mục sau 01/07/2025). Chạy lại không tạo trùng."

    def add_arguments(self, parser):
        parser.add_argument("--province", type=int, action="append", help="Mã tỉnh (2 chữ số), ví dụ 38")
        parser.add_argument("--all", action="store_true", help="Nạp tất cả 34 tỉnh, thành phố")

    def handle(self, *args, province=None, all=False, **options):
        codes = province_codes() if all else (province or [])
        if not codes:
            raise CommandError("Cần --province <mã> hoặc --all.")
        for code in codes:
            try:
                result = load_province_units(code)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(
                f"{result.province.code} {result.province.name}: created={result.created} "
                f"updated={result.updated} unchanged={result.unchanged}"
            )
