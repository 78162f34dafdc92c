from django.urls import path

from training import views

urlpatterns = [
    path("courses/", views.courses, name="courses"),
    path("courses/<int:pk>/", views.course_page, name="course"),
    path("courses/<int:pk>/enrol", views.course_enrol, name="course-enrol"),
    path("me/courses/", views.my_courses, name="my-courses"),
    path("me/courses/<int:pk>/withdraw", views.my_course_withdraw, name="my-course-withdraw"),
    path("org/<int:org>/courses/", views.org_courses, name="org-courses"),
    path("org/<int:org>/courses/new/", views.course_new, name="org-course-new"),
    path("org/courses/<int:pk>/", views.course_edit, name="org-course"),
    path("org/courses/<int:pk>/submit", views.course_submit, name="org-course-submit"),
    path("org/courses/<int:pk>/enrolments/", views.course_enrolments, name="org-course-enrolments"),
    path("org/enrolments/<int:pk>/accept", views.enrolment_accept, name="org-enrolment-accept"),
    path("org/enrolments/<int:pk>/complete", views.enrolment_complete, name="org-enrolment-complete"),
    path("org/<int:org>/courses/import/", views.org_import, name="org-import"),
    path("org/imports/<int:pk>/", views.org_import_status, name="org-import-status"),
    path("org/imports/template/<str:kind>.<str:fmt>", views.org_import_template, name="org-import-template"),
    path("desk/courses/", views.review, name="training-review"),
    path("desk/courses/<int:pk>", views.review_decide, name="training-review-decide"),
]
