from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from portal import access

_ALWAYS_ALLOWED_PREFIXES = ("/account/", "/static/", "/media/")


class RequireMFAMiddleware:
    """In production, staff, editors and experts must set up a second factor (TOTP)
    before they can use anything else: they can read other people's reserved data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.PORTAL_REQUIRE_MFA
            and request.user.is_authenticated
            and not request.path.startswith(_ALWAYS_ALLOWED_PREFIXES)
            and access.requires_mfa(request.user)
            and not _has_mfa(request.user)
        ):
            return redirect(f"{reverse('mfa_activate_totp')}?next={request.path}")
        return self.get_response(request)


def _has_mfa(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
