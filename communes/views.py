"""A commune's landing page, hotspots (điểm, tụ điểm phức tạp về ma túy), drug plants destroyed and
trafficking routes (QĐ 28/2025's indicators about places)."""

from django.contrib import messages
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.scopes import require_write, scope_q
from drugfree.forms import submit
from drugfree.pagination import paginate

from .forms import (
    DrugPlantEradicationFilterForm,
    DrugPlantEradicationForm,
    HotspotFilterForm,
    HotspotForm,
    HotspotStatusForm,
    TraffickingRouteFilterForm,
    TraffickingRouteForm,
)
from .marks import marks_for
from .models import Commune, DrugPlantEradication, Hotspot, TraffickingRoute
from .records import RecordDetailView, RecordListView, RecordPages
from .services import allowed_statuses, hotspot_change_status, hotspot_save, place_record_save


def index(request):
    """Commune roles go straight to their commune; reviewers and administrators pick one of theirs."""
    if request.user.commune_id:
        return redirect("commune", request.user.commune.code)
    communes = Commune.objects.visible_to(request.user).select_related("district").order_by("name")
    query = request.GET.get("q", "").strip()
    if query:
        communes = communes.filter(Q(name__icontains=query) | Q(code=query))
    page = paginate(request, communes)
    context = {"page": page, "query": query, "marks": marks_for(commune.pk for commune in page)}
    return render(request, "communes/index.html", context)


HOTSPOT_PAGES = RecordPages(
    form=HotspotForm,
    save=hotspot_save,
    new_title=gettext_lazy("Ghi nhận điểm, tụ điểm phức tạp về ma túy"),
    edit_title=gettext_lazy("Sửa thông tin tụ điểm"),
    list_url="communes:hotspot_list",
    detail_url="communes:hotspot_detail",
    created=gettext_lazy("Đã ghi nhận tụ điểm mới."),
)
hotspot_create = HOTSPOT_PAGES.create_view()
hotspot_edit = HOTSPOT_PAGES.edit_view()


class HotspotList(RecordListView):
    model = Hotspot
    filter_form_class = HotspotFilterForm
    partial_template_name = "communes/_hotspot_table.html"
    heading = gettext_lazy("Điểm, tụ điểm phức tạp về ma túy")
    create_url_name = "communes:hotspot_create"

    def get_queryset(self):
        return super().get_queryset().select_related("hamlet").order_by("status", "-detected_on", "pk")


class HotspotDetail(RecordDetailView):
    model = Hotspot
    template_name = "communes/hotspot_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("hamlet", "commune")

    def get_context_data(self, **kwargs):
        hotspot = self.object
        return super().get_context_data(
            history=hotspot.status_changes.select_related("recorded_by").order_by("changed_on", "recorded_at"),
            status_form=HotspotStatusForm(hotspot=hotspot, allowed=allowed_statuses(hotspot)),
            **kwargs,
        )


@require_POST
def hotspot_status(request, pk: int):
    require_write(request.user)
    hotspot = get_object_or_404(Hotspot.objects.filter(scope_q(request.user, "commune")), pk=pk)
    form = HotspotStatusForm(request.POST, hotspot=hotspot, allowed=allowed_statuses(hotspot))
    submission = submit(form, lambda data: hotspot_change_status(actor=request.user, hotspot=hotspot, **data))
    if submission.ok:
        messages.success(request, _("Đã cập nhật trạng thái tụ điểm."))
        return redirect("communes:hotspot_detail", hotspot.pk)
    view = HotspotDetail(request=request, kwargs={"pk": pk}, object=hotspot)
    context = view.get_context_data(object=hotspot)
    context["status_form"] = submission.form
    return render(request, HotspotDetail.template_name, context, status=200)


PLANT_ERADICATION_PAGES = RecordPages(
    form=DrugPlantEradicationForm,
    save=place_record_save,
    new_title=gettext_lazy("Ghi nhận phát hiện, triệt phá cây có chứa chất ma túy"),
    edit_title=gettext_lazy("Sửa vụ triệt phá cây có chứa chất ma túy"),
    list_url="communes:plant_eradication_list",
    created=gettext_lazy("Đã ghi nhận vụ triệt phá cây có chứa chất ma túy."),
)
plant_eradication_create = PLANT_ERADICATION_PAGES.create_view()
plant_eradication_edit = PLANT_ERADICATION_PAGES.edit_view()


class PlantEradicationList(RecordListView):
    model = DrugPlantEradication
    filter_form_class = DrugPlantEradicationFilterForm
    template_name = "communes/plant_eradication_list.html"
    partial_template_name = "communes/_plant_eradication_table.html"
    heading = gettext_lazy("Phát hiện, triệt phá cây có chứa chất ma túy")
    create_url_name = "communes:plant_eradication_create"

    def get_queryset(self):
        return super().get_queryset().select_related("hamlet").order_by("-destroyed_on", "-pk")

    def get_context_data(self, **kwargs):
        # Totals of what the filters selected, all pages together.
        totals = self.object_list.aggregate(records=Count("pk"), plants=Sum("plants"), area=Sum("area_m2"))
        return super().get_context_data(totals=totals, **kwargs)


TRAFFICKING_ROUTE_PAGES = RecordPages(
    form=TraffickingRouteForm,
    save=place_record_save,
    new_title=gettext_lazy("Ghi nhận tuyến, địa bàn trung chuyển ma túy"),
    edit_title=gettext_lazy("Sửa tuyến, địa bàn trung chuyển ma túy"),
    list_url="communes:trafficking_route_list",
    created=gettext_lazy("Đã ghi nhận tuyến trung chuyển ma túy."),
)
trafficking_route_create = TRAFFICKING_ROUTE_PAGES.create_view()
trafficking_route_edit = TRAFFICKING_ROUTE_PAGES.edit_view()


class TraffickingRouteList(RecordListView):
    model = TraffickingRoute
    filter_form_class = TraffickingRouteFilterForm
    partial_template_name = "communes/_trafficking_route_table.html"
    heading = gettext_lazy("Tuyến, địa bàn trung chuyển ma túy")
    create_url_name = "communes:trafficking_route_create"

    def get_queryset(self):
        return super().get_queryset().order_by("-identified_on", "-pk")
