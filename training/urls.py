from django.urls import path

from training import views

urlpatterns = [
    path("courses/", views.courses, name="courses"),
    path("courses/<id:pk>/", views.course_page, name="course"),
    path("courses/<id:pk>/enrol", views.course_enrol, name="course-enrol"),
    path("me/courses/", views.my_courses, name="my-courses"),
    path("me/courses/<id:pk>/withdraw", views.my_course_withdraw, name="my-course-withdraw"),
    path("org/<id:org>/courses/", views.org_courses, name="org-courses"),
    path("org/<id:org>/courses/new/", views.course_new, name="org-course-new"),
    path("org/courses/<id:pk>/", views.course_edit, name="org-course"),
    path("org/courses/<id:pk>/submit", views.course_submit, name="org-course-submit"),
    path("org/courses/<id:pk>/enrolments/", views.course_enrolments, name="org-course-enrolments"),
    path("org/enrolments/<id:pk>/accept", views.enrolment_accept, name="org-enrolment-accept"),
    path("org/enrolments/<id:pk>/complete", views.enrolment_complete, name="org-enrolment-complete"),
    path("desk/courses/", views.review, name="training-review"),
    path("desk/courses/<id:pk>", views.review_decide, name="training-review-decide"),
]
