from django.urls import path

from continuum.casework.views import caseload, cohorts, episodes, work

app_name = "casework"
urlpatterns = [
    path("", caseload.caseload, name="caseload"),
    path("team/", caseload.team_caseload, name="team_caseload"),
    path("open/<uuid:person_id>/", episodes.open_episode, name="open"),
    path("episodes/<uuid:episode_id>/", episodes.episode, name="episode"),
    path("episodes/<uuid:episode_id>/team/", episodes.team, name="team"),
    path("episodes/<uuid:episode_id>/close/", episodes.close, name="close"),
    path("episodes/<uuid:episode_id>/feedback/", episodes.feedback, name="feedback"),
    path("episodes/<uuid:episode_id>/assessment/", work.assessment_new, name="assessment_new"),
    path("assessments/<uuid:assessment_id>/", work.assessment, name="assessment"),
    path("episodes/<uuid:episode_id>/plan/", work.plan, name="plan"),
    path("episodes/<uuid:episode_id>/goals/new/", work.goal_new, name="goal_new"),
    path("goals/<uuid:goal_id>/rate/", work.goal_rate, name="goal_rate"),
    path("episodes/<uuid:episode_id>/review/", work.review, name="review"),
    path("episodes/<uuid:episode_id>/sessions/new/", work.session_new, name="session_new"),
    path("episodes/<uuid:episode_id>/sessions/more/", work.extend, name="extend"),
    path("courses/", cohorts.cohorts, name="cohorts"),
    path("courses/new/", cohorts.cohort_new, name="cohort_new"),
    path("courses/<uuid:cohort_id>/", cohorts.cohort, name="cohort"),
    path("courses/<uuid:cohort_id>/session/", cohorts.cohort_session, name="cohort_session"),
    path("courses/<uuid:cohort_id>/members/", cohorts.cohort_member, name="cohort_member"),
    path("courses/<uuid:cohort_id>/facilitators/", cohorts.cohort_facilitator, name="cohort_facilitator"),
    path("feedback/", cohorts.feedback_index, name="feedback_index"),
    path("feedback/<slug:slug>/", cohorts.feedback_summary, name="feedback_summary"),
]
