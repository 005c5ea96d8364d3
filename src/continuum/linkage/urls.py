"""The pages of record linkage: the clerical review queue, a pair decided, the merge history."""

from django.urls import path

from continuum.linkage import views

app_name = "linkage"

urlpatterns = [
    path("review/", views.queue, name="queue"),
    path("review/<uuid:pair_id>/", views.pair, name="pair"),
    path("history/", views.history, name="history"),
    path("history/<uuid:change_id>/", views.undo, name="undo"),
]
