"""Digest sign-up without an account, preferences and one-click unsubscribe (RFC 8058).

Every link in a mail carries a signed token (directory.subscriptions.digests.link_token); a bad or foreign
signature is a 404, whatever the subscription.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from directory.search.filters import PostingFilter
from directory.subscriptions import digests
from directory.subscriptions import services as subscription_services
from directory.subscriptions.forms import (
    PreferencesForm,
    SubscribeForm,
    fits_of,
)
from employers.models import Posting
from momjobs.lib import hours as free_hours
from momjobs.lib.ratelimit import limit

rate_limited = limit("subscribe", rate=settings.SUBSCRIBE_RATE, period=settings.SUBSCRIBE_PERIOD)


def _preferences(form):
    data = {
        name: form.cleaned_data.get(name)
        for name in digests.PREFERENCE_FIELDS
        if name in form.cleaned_data
    }
    data["fits_mask"] = getattr(form, "fits_mask", None)
    return data


@require_http_methods(["GET", "POST"])
@rate_limited
def subscribe(request):
    language = translation.get_language()
    if request.method == "POST":
        form = SubscribeForm(request.POST, language=language)
        if form.is_valid():
            subscription_services.subscription_request(
                email=form.cleaned_data["email"],
                region=form.cleaned_data["region_code"],
                preferences=_preferences(form),
            )
            return redirect("subscribe:sent")
    else:
        # Prefilled from a search's query string (the link under search results).
        initial = _initial_from_search(request.GET)
        initial["email"] = request.GET.get("email", "")
        form = SubscribeForm(initial=initial, language=language)
    return render(request, "subscribe/form.html", {"form": form})


def sent(request):
    return render(request, "subscribe/sent.html")


def _subscription_or_404(token, purpose):
    subscription = digests.subscription_for(token, purpose)
    if subscription is None:
        raise Http404
    return subscription


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    subscription = digests.subscription_for(token, "confirm")
    if subscription is None:
        # Expired links are the common case here: say so instead of a bare 404.
        return render(request, "subscribe/confirm.html", {"invalid": True}, status=404)
    # A GET only shows the button: mail scanners open links, they do not press buttons.
    if request.method == "POST" and subscription.unsubscribed_at is None:
        subscription_services.subscription_confirm(subscription=subscription)
        subscription.refresh_from_db()
    manage_url = reverse("subscribe:manage", args=[digests.link_token(subscription, "manage")])
    return render(
        request,
        "subscribe/confirm.html",
        {"subscription": subscription, "manage_url": manage_url},
    )


@require_http_methods(["GET", "POST"])
def manage(request, token):
    subscription = _subscription_or_404(token, "manage")
    form = PreferencesForm(request.POST or None, instance=subscription)
    if request.method == "POST" and subscription.unsubscribed_at is None and form.is_valid():
        try:
            with transaction.atomic():
                form.save()
        except IntegrityError:
            form.add_error("region_code", _("这个邮箱已经订阅了该地区。"))
        else:
            messages.success(request, _("已保存您的订阅设置。"))
            return redirect(request.path)
    unsubscribe_url = reverse(
        "subscribe:unsubscribe", args=[digests.link_token(subscription, "unsubscribe")]
    )
    return render(
        request,
        "subscribe/manage.html",
        {"subscription": subscription, "form": form, "unsubscribe_url": unsubscribe_url},
    )


# RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" without cookies, so there is no
# CSRF token; the signed token in the URL is the authorisation, and the action is idempotent.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    subscription = _subscription_or_404(token, "unsubscribe")
    if request.method == "POST":
        subscription_services.subscription_unsubscribe(subscription=subscription)
        subscription.refresh_from_db()
    return render(request, "subscribe/unsubscribe.html", {"subscription": subscription})


@login_required
@require_POST
@rate_limited
def from_search(request):
    """One tap under a search: subscribe the signed-in user's address to this search."""
    query = QueryDict(request.POST.get("query", "")[:1000])
    initial = _initial_from_search(query)
    # The search as the search page understood it: a place by name, her words, her hours.
    search = PostingFilter(query, queryset=Posting.objects.none())
    search.form.is_valid()
    region = None if "region" in search.form.errors else search.form.cleaned_data.get("region")
    fits, mask = fits_of(search.free_windows())
    if region is None or not request.user.email:
        # Without a (valid) place, or an account without an email (signed up with a mobile
        # number), finish on the form, prefilled with what we have.
        if region is None:
            messages.info(request, _("请选择要订阅的地区。"))
        else:
            messages.info(request, _("新岗位提醒通过邮件发送，请填写接收提醒的邮箱。"))
        prefill = query.copy()
        if request.user.email:
            prefill["email"] = request.user.email
        return redirect(reverse("subscribe:form") + "?" + prefill.urlencode())
    preferences = {
        **{k: v for k, v in initial.items() if k in digests.PREFERENCE_FIELDS},
        "language": translation.get_language(),
        "fits": fits,
        "fits_mask": mask,
    }
    verified = getattr(request.user, "email_verified_at", None) is not None
    subscription = subscription_services.subscription_request(
        email=request.user.email, region=region, preferences=preferences, confirmed=verified
    )
    if subscription.confirmed_at is not None:
        messages.success(request, _("已订阅：有新一批符合这次搜索的岗位时，我们会发邮件给您。"))
    else:
        messages.info(request, _("请查收确认邮件，点击其中的链接后订阅才生效。"))
    return redirect(reverse("job_list") + ("?" + query.urlencode() if query else ""))


SEARCH_TO_COLUMN = {
    "sector": "sector",
    "form": "work_form",
    "contract": "contract",
    "insurance": "insurance",
}


def _initial_from_search(query):
    """Search parameters (directory/search/filters.py) -> subscription columns."""
    from decimal import Decimal, InvalidOperation

    from directory.search.filters import hourly_equivalent

    initial = {column: query.get(param, "") for param, column in SEARCH_TO_COLUMN.items()}
    initial["school_run"] = query.get("school_run") in ("on", "true", "1", "True")
    initial["weekends_off"] = query.get("weekends") in ("on", "true", "1", "True")
    try:
        amount = Decimal(query.get("pay_min", ""))
        initial["pay_min_hourly"] = round(
            hourly_equivalent(amount, {"pay_unit": query.get("pay_unit")}), 2
        )
    except (InvalidOperation, ValueError):
        initial["pay_min_hourly"] = None
    # Only known choice values survive (a hand-edited query string could say anything).
    form = PreferencesForm()
    for name in SEARCH_TO_COLUMN.values():
        valid = {value for value, _label in form.fields[name].choices}
        if initial[name] not in valid:
            initial[name] = ""
    # Place and hours as the search understood them, shown as she would say them.
    search = PostingFilter(query, queryset=Posting.objects.none())
    search.form.is_valid()
    region = None if "region" in search.form.errors else search.form.cleaned_data.get("region")
    initial["region_code"] = region or query.get("region", "")
    chosen = free_hours.preset(query.get("hours"))
    windows = search.free_windows()
    initial["hours"] = chosen.key if chosen is not None else ""
    initial["fits"] = free_hours.describe(windows) if windows and chosen is None else ""
    return initial
