from django.urls import path

from . import feeds, views

app_name = "newsletter"

# The archive (/newsletter/) and each issue (/newsletter/<slug>/) are Wagtail pages;
# these paths are reserved slugs (see models.RESERVED_SLUGS).
urlpatterns = [
    path("iscrizione/", views.subscribe, name="subscribe"),
    path("iscrizione/controlla-la-posta/", views.subscribe_sent, name="subscribe_sent"),
    path("conferma/<str:key>/", views.confirm, name="confirm"),
    path("disiscrizione/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("preferenze/<str:token>/", views.preferences, name="preferences"),
    path("il-mio-abbonamento/", views.account_subscription, name="account"),
    path("feed/rss/", feeds.IssuesRssFeed(), name="feed_rss"),
    path("feed/atom/", feeds.IssuesAtomFeed(), name="feed_atom"),
]
