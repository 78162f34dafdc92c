from django.urls import path

from frontend import employers, workers

urlpatterns = [
    path("", workers.home, name="home"),
    path("suggest", workers.suggest, name="suggest"),
    path("vacancies/", workers.results, name="results"),
    path("vacancies/<int:pk>/", workers.vacancy_page, name="vacancy"),
    path("vacancies/<int:pk>/apply", workers.apply, name="apply"),
    path("signup/", workers.signup, name="signup"),
    path("signin/", workers.signin, name="signin"),
    path("signout/", workers.signout, name="signout"),
    path("me/profile/<slug:step>/", workers.profile, name="profile"),
    path("me/applications/", workers.my_applications, name="my-applications"),
    path("me/applications/<int:pk>/withdraw", workers.withdraw, name="withdraw"),
    path("me/invitations/<int:pk>/answer", workers.answer_invitation, name="answer-invitation"),
    path("me/matches/", workers.my_matches, name="my-matches"),
    path("me/data/", workers.my_data, name="my-data"),
    path("me/data/download", workers.my_data_download, name="my-data-download"),
    path("org/", employers.organisations, name="organisations"),
    path("org/register/", employers.organisation_register, name="org-register"),
    path("org/<int:org>/contracts/new/", employers.contract_new, name="org-contract-new"),
    path("org/<int:org>/vacancies/new/", employers.vacancy_new, name="org-vacancy-new"),
    path("org/vacancies/<int:pk>/", employers.vacancy_edit, name="org-vacancy-edit"),
    path("org/vacancies/<int:pk>/submit", employers.vacancy_submit, name="org-vacancy-submit"),
    path("org/vacancies/<int:pk>/close", employers.vacancy_close, name="org-vacancy-close"),
    path("org/vacancies/<int:pk>/applicants/", employers.applicants, name="org-applicants"),
    path("org/vacancies/<int:pk>/candidates/", employers.candidates_page, name="org-candidates"),
    path("org/vacancies/<int:pk>/invite", employers.invite, name="org-invite"),
    path("org/applications/<int:pk>/move", employers.application_move, name="org-application-move"),
    path("org/fee-check", employers.fee_check, name="org-fee-check"),
]
