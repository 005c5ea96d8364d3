from django.urls import path

from continuum.people import views

app_name = "people"
urlpatterns = [
    path("", views.search, name="search"),
    path("search/clear/", views.search_clear, name="search_clear"),
    path("emergency-access/", views.break_glass, name="break_glass"),
    path("emergency-access/grant/", views.break_glass_grant, name="break_glass_grant"),
    path("population/", views.population, name="population"),
    path("<uuid:person_id>/", views.record, name="record"),
    path("<uuid:person_id>/export.json", views.export, name="export"),
]
