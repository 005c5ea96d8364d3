"""The pages of record linkage: the clerical review queue, a pair decided, the merge history."""

from django.urls import URLPattern

app_name = "linkage"

urlpatterns: list[URLPattern] = []
