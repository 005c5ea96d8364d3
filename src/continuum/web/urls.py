from django.apps import apps
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import TemplateView

from continuum.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accessibility/", TemplateView.as_view(template_name="web/accessibility.html"), name="accessibility"),
    path("privacy/", TemplateView.as_view(template_name="web/privacy.html"), name="privacy"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="registration/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", views.sign_out, name="logout"),
    path("accounts/password/set/<uidb64>/<token>/", views.PasswordSetView.as_view(), name="password_set"),
    path(
        "accounts/password/done/",
        TemplateView.as_view(template_name="registration/password_set_done.html"),
        name="password_set_done",
    ),
    path("accounts/two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("accounts/two-factor/", views.two_factor_verify, name="two_factor_verify"),
    path("admin/", admin.site.urls),
]
# Each module with pages names where they live (`url_prefix` on its AppConfig) and keeps them in its urls.py.
urlpatterns += [
    path(prefix, include(f"{config.name}.urls"))
    for config in apps.get_app_configs()
    if (prefix := getattr(config, "url_prefix", None))
]

handler400 = "continuum.web.views.bad_request"
handler403 = "continuum.web.views.permission_denied"
handler404 = "continuum.web.views.page_not_found"
handler500 = "continuum.web.views.server_error"
