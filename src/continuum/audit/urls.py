from django.urls import path

from continuum.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.events, name="events"),
    path("break-glass/", views.break_glass_list, name="break_glass"),
    path("break-glass/<uuid:grant_id>/", views.break_glass_review_page, name="break_glass_review"),
    path("break-glass/<uuid:grant_id>/note/", views.break_glass_note, name="break_glass_note"),
]
