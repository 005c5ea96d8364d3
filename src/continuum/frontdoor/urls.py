from django.urls import path

from continuum.frontdoor.views import dashboard, referral, screening

app_name = "frontdoor"
urlpatterns = [
    # Making a referral (question pages, tell it once, check answers, confirmation) and following it.
    path("new/", referral.start, name="start"),
    path("new/<uuid:draft_id>/check/", referral.check, name="check"),  # before the steps: "check" is a slug too
    path("new/<uuid:draft_id>/<slug:step>/", referral.step, name="step"),
    path("sent/<uuid:referral_id>/", referral.sent, name="sent"),
    path("", referral.mine, name="mine"),
    path("<uuid:referral_id>/", referral.detail, name="detail"),
    # Screening and deciding; transfers to teams; allocation and waiting lists.
    path("queue/", screening.queue, name="queue"),
    path("<uuid:referral_id>/decide/", screening.decide, name="decide"),
    path("transfers/", screening.transfers, name="transfers"),
    path("transfers/<uuid:transfer_id>/", screening.transfer, name="transfer"),
    path("<uuid:referral_id>/allocate/", screening.allocate, name="allocate"),
    path("caseloads/", screening.caseloads, name="caseloads"),
    # Figures.
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard.csv", dashboard.dashboard_csv, name="dashboard_csv"),
    path("schools/", dashboard.schools, name="schools"),
]
