"""Every URL of the hub. School pages live under ``/s/<code>/``; district pages under
``/district/``; the kiosks' contract under ``/v1/``."""
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from hub.ingest import views as ingest
from hub.web import views

school = [
    path("", views.school_overview, name="school_overview"),
    path("usage/", views.school_usage, name="school_usage"),
    path("usage/subjects/", views.school_subjects, name="school_subjects"),
    path("usage/missed/", views.school_missed, name="school_missed"),
    path("reading/", views.school_reading, name="school_reading"),
    path("declarations/", views.school_declarations, name="school_declarations"),
    path("overdue/", views.school_overdue, name="school_overdue"),
    path("requests/", views.school_requests, name="school_requests"),
    path("requests/<int:pk>/", views.school_request, name="school_request"),
]
district = [
    path("", views.district_schools, name="district_schools"),
    path("usage/", views.district_usage, name="district_usage"),
    path("reading/", views.district_reading, name="district_reading"),
    path("declarations/", views.district_declarations, name="district_declarations"),
    path("overdue/", views.district_overdue, name="district_overdue"),
    path("requests/", views.district_requests, name="district_requests"),
    path("requests/<int:pk>/", views.district_request, name="district_request"),
    path("requests/<int:pk>/answers/<int:answer>.xlsx", views.district_answer_xlsx,
         name="district_answer_xlsx"),
]
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="hub/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("district/", include(district)),
    path("s/<str:code>/", include(school)),
    path("admin/", admin.site.urls),
    path("v1/records", ingest.records, name="v1_records"),
    path("v1/heartbeat", ingest.heartbeat, name="v1_heartbeat"),
]
