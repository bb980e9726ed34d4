from django.core.management.base import BaseCommand

from progress.tallies import recount


class Command(BaseCommand):
    help = "Đếm lại số hộ đang cư trú và số bản cam kết của từng xã (bảng đếm dùng cho bảng theo dõi)."

    def handle(self, *args, **options):
        communes, commune_years = recount()
        self.stdout.write(f"households={communes} pledges={commune_years}")
