from django.conf import settings
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal.pages import views as page_views
from portal.pages.sitemap import PublicSitemap

urlpatterns = [
    # The admin logs in through allauth (rate limits, MFA), never through its own form.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
        name="wagtailadmin_login_redirect",
    ),
    # Wagtail's front-end login and shared-password forms would bypass allauth too.
    path(
        "_util/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
        name="wagtail_frontend_login_redirect",
    ),
    re_path(r"^_util/authenticate_with_password/", page_views.not_found),
    path("admin/", include(wagtailadmin_urls)),
    path("account/", include("allauth.urls")),
    path("area-personale/", include("portal.accounts.urls")),
    path("area-personale/enti/", include("portal.enti.urls")),
    path("area-personale/pam/", include("portal.pam.urls")),
    path("chat/", include("forum.chat.urls")),
    path("forum/", include("forum.boards.urls")),
    path("webinar/", include("webinar.urls")),
    path("newsletter/", include("newsletter.urls")),
    path("banche-dati/", include("portal.library.urls")),
    path("documents/", include(wagtaildocs_urls)),
    path("cerca/", page_views.search, name="search"),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": PublicSitemap}}),
    re_path(r"^aree-riservate/(?P<path>.*)$", page_views.serve_reserved, name="reserved_areas"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    # Only images are public media; documents live outside MEDIA_ROOT.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
