from django.urls import path

from .consumers import LiveSessionConsumer

websocket_urlpatterns = [
    path("ws/webinar/<str:session_id>/", LiveSessionConsumer.as_asgi()),
]
