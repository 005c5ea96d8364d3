from django.urls import path

from continuum.measures import views

app_name = "measures"
urlpatterns = [
    path("outcomes/", views.outcomes, name="outcomes"),
]
