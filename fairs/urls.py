from django.urls import path

from fairs import views

urlpatterns = [
    path("fairs/", views.calendar, name="fairs"),
    path("fairs/feed/", views.CalendarFeed(), name="fairs-feed"),
    path("fairs/<int:pk>/", views.fair_page, name="fair"),
    path("fairs/<int:pk>/register", views.register, name="fair-register"),
    path("fairs/<int:pk>/register/phone", views.register_by_phone, name="fair-register-phone"),
    path("fairs/<int:pk>/register/code", views.register_by_phone_code, name="fair-register-code"),
    path("fairs/tickets/<str:token>/", views.ticket, name="fair-ticket"),
    path("fairs/tickets/<str:token>/qr.svg", views.ticket_qr, name="fair-ticket-qr"),
    path("org/<int:org>/fairs/<int:pk>/join", views.join, name="fair-join"),
    path("desk/fairs/new", views.fair_new, name="fair-new"),
    path("desk/fairs/<int:pk>/check-in", views.check_in, name="fair-check-in"),
    path("desk/fairs/check-in/<str:token>", views.check_in_token, name="fair-check-in-token"),
]
