from django.urls import path

from continuum.programmes import views

app_name = "programmes"
urlpatterns = [
    path("", views.library, name="library"),
    path("<slug:slug>/", views.programme, name="programme"),
]
