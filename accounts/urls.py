from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import access_log, views

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        login_not_required(
            auth_views.LoginView.as_view(template_name="accounts/login.html", redirect_authenticated_user=True)
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("second-factor/", views.second_factor_verify, name="second_factor_verify"),
    path("second-factor/enrol/", views.second_factor_enrol, name="second_factor_enrol"),
    path("second-factor/disable/", views.second_factor_disable, name="second_factor_disable"),
    path("manage/", views.manage, name="manage"),
    path("manage/<int:pk>/unlock/", views.account_unlock, name="account_unlock"),
    path("manage/<int:pk>/reset-link/", views.reset_link_issue, name="reset_link_issue"),
    path("manage/addresses/unlock/", views.address_unlock, name="address_unlock"),
    path("reset/<str:token>/", views.password_reset, name="password_reset"),
    path("access-log/", access_log.access_log, name="access_log"),
]
