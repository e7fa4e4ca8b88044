from django.urls import path

from . import views

app_name = "chat"

urlpatterns = [
    path("", views.room_list, name="rooms"),
    path("sala-comune/", views.project_room, name="project_room"),
    path("area/<int:area_id>/", views.area_room, name="area_room"),
    path("stanze/<int:room_id>/", views.room, name="room"),
    path("stanze/<int:room_id>/invia/", views.post_message, name="post"),
    path("stanze/<int:room_id>/messaggi/", views.history, name="history"),
    path("stanze/<int:room_id>/cerca/", views.search, name="search"),
    path("stanze/<int:room_id>/trascrizione.csv", views.transcript, name="transcript"),
    path("stanze/<int:room_id>/conservazione/", views.retention, name="retention"),
]
