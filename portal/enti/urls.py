from django.urls import path

from . import views

app_name = "enti"

urlpatterns = [
    path("adesione/", views.membership_request, name="membership_request"),
    path("richieste/", views.membership_requests, name="membership_requests"),
    path(
        "richieste/<int:membership_id>/decisione/",
        views.membership_decide,
        name="membership_decide",
    ),
    path(
        "componenti/<int:membership_id>/revoca/", views.membership_revoke, name="membership_revoke"
    ),
]
