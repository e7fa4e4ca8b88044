"""An email backend for tests that behaves like an SMTP server with bad days: it refuses
some recipients for good (5xx), others for now (4xx), and counts connections."""

import smtplib

from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

REFUSE_PERMANENTLY: set[str] = set()
REFUSE_TEMPORARILY: set[str] = set()
STATS = {"opened": 0}


def reset():
    REFUSE_PERMANENTLY.clear()
    REFUSE_TEMPORARILY.clear()
    STATS["opened"] = 0


class FlakyBackend(EmailBackend):
    def open(self):
        STATS["opened"] += 1
        return True

    def send_messages(self, messages):
        for message in messages:
            for address in message.to:
                if address in REFUSE_PERMANENTLY:
                    raise smtplib.SMTPRecipientsRefused({address: (550, b"5.1.1 User unknown")})
                if address in REFUSE_TEMPORARILY:
                    raise smtplib.SMTPRecipientsRefused({address: (451, b"4.3.0 Try later")})
        return super().send_messages(messages)


__all__ = ["FlakyBackend", "mail"]
