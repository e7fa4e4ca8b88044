"""Public pages of the newsletter: subscribe, confirm, unsubscribe, preferences.

Mail scanners open every link in a message, so a GET never changes anything: the
confirmation and unsubscribe links lead to a page with a button (a POST). Mail
clients' one-click unsubscribe (RFC 8058) is a POST without cookies: that endpoint is
CSRF-exempt (the personal token is the credential) and answers 200, never a redirect.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import services
from .forms import AccountSubscriptionForm, PreferencesForm, SubscribeForm
from .models import Subscriber, SubscriberStatus


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


@require_http_methods(["GET", "POST"])
def subscribe(request):
    form = SubscribeForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.subscriber_request(
                    email=form.cleaned_data["email"],
                    regions=form.cleaned_data["regions"],
                    ip=client_ip(request),
                )
            except services.RateLimited as error:
                form.add_error(None, error)
            except ValidationError as error:
                form.add_error("email", error)
            else:
                return redirect("newsletter:subscribe_sent")
        return render(request, "newsletter/subscribe.html", {"form": form}, status=400)
    return render(request, "newsletter/subscribe.html", {"form": form})


def subscribe_sent(request):
    return render(request, "newsletter/subscribe_sent.html")


@require_http_methods(["GET", "POST"])
def confirm(request, key):
    subscriber = services.pending_by_key(key)
    if subscriber is None:
        return render(request, "newsletter/confirm_invalid.html", status=404)
    if request.method == "POST":
        subscriber = services.subscriber_confirm(key=key, ip=client_ip(request))
        return render(request, "newsletter/confirm_done.html", {"subscriber": subscriber})
    return render(request, "newsletter/confirm.html", {"subscriber": subscriber})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    subscriber = services.subscriber_by_token(token)
    one_click = request.POST.get("List-Unsubscribe") == "One-Click"
    if subscriber is None:
        if one_click:
            return HttpResponse(
                _("Collegamento non valido."), status=404, content_type="text/plain"
            )
        return render(request, "newsletter/link_invalid.html", status=404)
    if request.method == "POST":
        services.subscriber_unsubscribe(token=token, send_id=request.GET.get("invio"))
        if one_click:
            return HttpResponse(
                _("Iscrizione annullata."), content_type="text/plain; charset=utf-8"
            )
        return render(
            request, "newsletter/unsubscribe_done.html", {"subscriber": subscriber, "token": token}
        )
    return render(
        request,
        "newsletter/unsubscribe.html",
        {"subscriber": subscriber, "already": subscriber.status == SubscriberStatus.UNSUBSCRIBED},
    )


@require_http_methods(["GET", "POST"])
def preferences(request, token):
    subscriber = services.subscriber_by_token(token)
    if subscriber is None:
        return render(request, "newsletter/link_invalid.html", status=404)
    initial = {"regions": list(subscriber.regions.all())}
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST":
        action = request.POST.get("azione")
        if action == "cancella":
            services.subscriber_erase(subscriber=subscriber)
            return render(request, "newsletter/erased.html")
        if action == "disiscrivi":
            services.subscriber_unsubscribe(token=token)
            messages.success(request, _("Iscrizione annullata: non riceverai più la newsletter."))
            return redirect("newsletter:preferences", token=token)
        if form.is_valid():
            services.subscriber_update_preferences(
                subscriber=subscriber, regions=form.cleaned_data["regions"]
            )
            messages.success(request, _("Preferenze salvate."))
            return redirect("newsletter:preferences", token=token)
        return render(
            request,
            "newsletter/preferences.html",
            {"form": form, "subscriber": subscriber},
            status=400,
        )
    return render(request, "newsletter/preferences.html", {"form": form, "subscriber": subscriber})


@login_required
@require_http_methods(["GET", "POST"])
def account_subscription(request):
    subscriber = (
        Subscriber.objects.filter(user=request.user).first()
        or Subscriber.objects.filter(email__iexact=request.user.email).first()
    )
    active = subscriber is not None and subscriber.is_active
    initial = {"regions": list(subscriber.regions.all())} if subscriber else {}
    form = AccountSubscriptionForm(request.POST or None, initial=initial)
    if active:
        del form.fields["consent"]  # given already: only the interests change
    if request.method == "POST":
        if request.POST.get("azione") == "disiscrivi" and active:
            services.subscriber_unsubscribe(token=subscriber.token)
            messages.success(request, _("Iscrizione annullata: non riceverai più la newsletter."))
            return redirect("newsletter:account")
        if form.is_valid():
            try:
                if active:
                    services.subscriber_update_preferences(
                        subscriber=subscriber, regions=form.cleaned_data["regions"]
                    )
                else:
                    services.subscribe_user(
                        user=request.user,
                        regions=form.cleaned_data["regions"],
                        ip=client_ip(request),
                    )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Preferenze salvate: sei iscritto alla newsletter.")
                    if active
                    else _("Iscrizione effettuata: riceverai il prossimo numero."),
                )
                return redirect("newsletter:account")
        return render(
            request,
            "newsletter/account.html",
            {"form": form, "subscriber": subscriber, "active": active},
            status=400,
        )
    return render(
        request,
        "newsletter/account.html",
        {"form": form, "subscriber": subscriber, "active": active},
    )
