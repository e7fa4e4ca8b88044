from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings

from portal.mail import queue_email


@dataclass(frozen=True)
class PortalSite:
    """What allauth's email templates call the "current site"."""

    name: str
    domain: str


def portal_site() -> PortalSite:
    return PortalSite(
        name=settings.WAGTAIL_SITE_NAME, domain=urlsplit(settings.PORTAL_BASE_URL).netloc
    )


class AccountAdapter(DefaultAccountAdapter):
    """allauth's flows, with the portal's name in emails, sent by a background task."""

    def send_mail(self, template_prefix, email, context):
        ctx = {"request": allauth_context.request, "email": email, "current_site": portal_site()}
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        alternatives = getattr(message, "alternatives", [])
        html = next((body for body, mimetype in alternatives if mimetype == "text/html"), None)
        queue_email(subject=message.subject, to=list(message.to), text=message.body, html=html)
