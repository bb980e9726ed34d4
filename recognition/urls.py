from django.urls import path

from . import views
from .views import paperwork

app_name = "recognition"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("roadmap/", views.roadmap_page, name="roadmap"),
    path("roadmap/target/", views.set_target, name="set_target"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<int:pk>/close/", views.close_alert, name="close_alert"),
    path("communes/<str:code>/", views.commune_page, name="commune"),
    path("communes/<str:code>/register/", views.register, name="register"),
    path("cycles/<int:pk>/", views.cycle_page, name="cycle"),
    path("cycles/<int:pk>/freeze/", views.freeze, name="freeze"),
    path("cycles/<int:pk>/decision/", views.decide, name="decide"),
    path("cycles/<int:pk>/review/", views.review, name="review"),
    path("cycles/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("dossiers/<int:pk>/", views.dossier_page, name="dossier"),
    path("dossiers/<int:pk>/texts/", views.update_texts, name="texts"),
    path("dossiers/<int:pk>/evidence/", views.upload_evidence, name="upload_evidence"),
    path("dossiers/<int:pk>/paperwork/<str:document>.docx", paperwork.paper_docx, name="paper_docx"),
    path("dossiers/<int:pk>/paperwork/<str:document>/", paperwork.paper_print, name="paper_print"),
    path("dossiers/<int:pk>/approve/", views.approve, name="approve"),
    path("dossiers/<int:pk>/submit/", views.submit_dossier, name="submit"),
    path("dossiers/<int:pk>/inspection/", views.inspect, name="inspection"),
    path("dossiers/<int:pk>/return/", views.return_for_supplement, name="return"),
    path("criteria/<int:pk>/verdict/", views.verdict, name="verdict"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence"),
]
