from django.urls import path

from continuum.casework.views import caseload

app_name = "casework"
urlpatterns = [
    path("", caseload.caseload, name="caseload"),
]
