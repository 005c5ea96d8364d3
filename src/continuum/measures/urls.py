from django.urls import path

from continuum.measures import views

app_name = "measures"
urlpatterns = [
    path("sessions/<uuid:session_id>/questionnaire/", views.questionnaire_start, name="start"),
    path("sessions/<uuid:session_id>/questionnaire/<str:form>/", views.questionnaire_enter, name="enter"),
    path(
        "sessions/<uuid:session_id>/questionnaire/<str:form>/respondent/",
        views.questionnaire_respondent,
        name="respondent",
    ),
    path("questionnaires/<uuid:questionnaire_id>/", views.questionnaire, name="questionnaire"),
    path(
        "questionnaires/<uuid:questionnaire_id>/handed-back/",
        views.questionnaire_handed_back,
        name="handed_back",
    ),
    path("unlock/", views.unlock, name="unlock"),
    path("indices/", views.indices, name="indices"),
    path("outcomes/", views.outcomes, name="outcomes"),
    path("outcomes.csv", views.outcomes_csv, name="outcomes_csv"),
]
