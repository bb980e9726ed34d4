from django.core.management.base import BaseCommand

from progress.tallies import HamletPledgeTally, HamletTally, recount


class Command(BaseCommand):
    help = "Đếm lại số hộ đang cư trú và số bản cam kết của từng xã, từng thôn (bảng đếm dùng cho bảng theo dõi)."

    def handle(self, *args, **options):
        communes, commune_years = recount()
        self.stdout.write(f"households={communes} pledges={commune_years}")
        if options["verbosity"] > 1:
            hamlets, hamlet_years = HamletTally.objects.count(), HamletPledgeTally.objects.count()
            self.stdout.write(f"hamlets={hamlets} hamlet_pledges={hamlet_years}")
