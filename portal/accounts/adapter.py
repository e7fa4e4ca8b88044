from allauth.account.adapter import DefaultAccountAdapter

from portal.mail import queue_email


class AccountAdapter(DefaultAccountAdapter):
    """allauth's flows, with their emails sent by a background task."""

    def send_mail(self, template_prefix, email, context):
        message = self.render_mail(template_prefix, email, context)
        html = None
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = content
        queue_email(subject=message.subject, to=list(message.to), text=message.body, html=html)
