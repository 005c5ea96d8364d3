"""The multi-agency pages: a child's single view, causes for concern, attendance alerts, the gap finder and the
indicators' definitions."""

from django.urls import path

from continuum.signals.views import alerts, concerns, gap, indicators, single_view

app_name = "signals"

urlpatterns = [
    # The single view: a tab of the child's record (people's record links to it)
    path("children/<uuid:person_id>/", single_view.single_view, name="single_view"),
    # Cause for concern and triangulation
    path("children/<uuid:person_id>/concerns/new/", concerns.raise_concern, name="concern_raise"),
    path("concerns/", concerns.concern_list, name="concerns"),
    path("concerns/<uuid:concern_id>/", concerns.concern_detail, name="concern"),
    path("concerns/<uuid:concern_id>/review/", concerns.concern_review, name="concern_review"),
    path("concerns/<uuid:concern_id>/close/", concerns.concern_close, name="concern_close"),
    # Attendance protocol
    path("alerts/", alerts.alert_list, name="alerts"),
    path("alerts/<uuid:alert_id>/", alerts.alert_detail, name="alert"),
    # Falling through the gap
    path("gap/", gap.gap_list, name="gap"),
    path("gap/cohort/", gap.gap_cohort, name="gap_cohort"),
    # Indicators: what each means
    path("indicators/", indicators.indicator_list, name="indicators"),
    path("indicators/<slug:indicator>/", indicators.indicator_detail, name="indicator"),
]
