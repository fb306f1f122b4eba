"""Seekers sign in, sign up and add a number with a mobile number and an SMS code.

One flow for signing in and signing up: she types her number, a code is sent (the page says
the same whether or not the number has an account), she types the code; then she is signed in,
or, for a new number, asked her name and consent and her account is made. Nothing is created
before the code is confirmed. Where she was going (`next`: the apply step of a job, a search to
subscribe to) travels with her through every step.
"""

import time

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from momjobs.lib import ratelimit

from . import codes
from .forms import PhoneAddForm, PhoneFinishForm, SmsCodeForm
from .models import PhoneCode, User
from .phones import masked
from .services import phone_add, seeker_sign_up_by_phone

FLOW = "phone_flow"
CONFIRMED = "phone_confirmed"
# After the code, she has this long to give her name and consent.
CONFIRMED_FOR = 15 * 60
BACKEND = "django.contrib.auth.backends.ModelBackend"


def safe_next(request, url, default=""):
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default


def start(request, form, *, purpose, next_url=""):
    """Send a code for a valid form's number; a redirect to the code step, or None with the
    reason added to the form (too many codes)."""
    phone = form.cleaned_data["phone"]
    try:
        codes.issue(
            phone=phone,
            purpose=purpose,
            client=ratelimit.client_ip(request),
            language=request.LANGUAGE_CODE,
        )
    except ValidationError as error:
        form.add_error("phone", error)
        return None
    request.session[FLOW] = {
        "phone": phone,
        "purpose": purpose,
        "next": safe_next(request, next_url),
        "name": form.cleaned_data.get("name", ""),
        "consent": bool(form.cleaned_data.get("consent")),
    }
    request.session.pop(CONFIRMED, None)
    return redirect("users:phone_code")


def code(request):
    """Type the code from the SMS (or ask for another one)."""
    flow = request.session.get(FLOW)
    if not flow:
        return redirect("users:login")
    if flow["purpose"] == PhoneCode.Purpose.ADD and not request.user.is_authenticated:
        request.session.pop(FLOW, None)
        return redirect("users:login")
    form = SmsCodeForm(request.POST or None)
    if request.method == "POST" and "resend" in request.POST:
        form = SmsCodeForm()
        try:
            codes.issue(
                phone=flow["phone"],
                purpose=flow["purpose"],
                client=ratelimit.client_ip(request),
                language=request.LANGUAGE_CODE,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("新的验证码已发送，之前的验证码不再有效。"))
            return redirect("users:phone_code")
    elif request.method == "POST" and form.is_valid():
        try:
            codes.confirm(
                phone=flow["phone"], purpose=flow["purpose"], code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            form.add_error("code", error)
        else:
            return _confirmed(request, flow)
    context = {
        "form": form,
        "masked_phone": masked(flow["phone"]),
        "purpose": flow["purpose"],
        "next": flow["next"],
    }
    return render(request, "users/phone_code.html", context)


def _confirmed(request, flow):
    phone, next_url = flow["phone"], flow["next"]
    request.session.pop(FLOW, None)
    if flow["purpose"] == PhoneCode.Purpose.ADD:
        try:
            phone_add(user=request.user, phone=phone)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("手机号码已验证，以后可以用它和短信验证码登录。"))
        return redirect(next_url or "users:profile")
    user = User.objects.filter(phone=phone).first()
    if user is not None:
        return _sign_in(request, user, next_url)
    if flow["name"] and flow["consent"]:
        user = seeker_sign_up_by_phone(
            phone=phone, name=flow["name"], language=request.LANGUAGE_CODE
        )
        return _welcome(request, user, next_url)
    request.session[CONFIRMED] = {"phone": phone, "at": time.time(), "next": next_url}
    return redirect("users:phone_finish")


def _sign_in(request, user, next_url):
    if not user.is_active:
        messages.error(request, _("该账户已停用。"))
        return redirect("users:login")
    if not user.is_seeker:
        # Staff sign in with email, password and (bureau, admin) an authenticator app only.
        messages.error(request, _("工作人员账户请用邮箱和密码登录。"))
        return redirect("users:login")
    login(request, user, backend=BACKEND)
    messages.success(request, _("已登录。"))
    return redirect(next_url or "users:dashboard")


def _welcome(request, user, next_url):
    login(request, user, backend=BACKEND)
    messages.success(request, _("注册成功，欢迎！"))
    return redirect(next_url or "users:profile")


def finish(request):
    """A new number, confirmed: her name and consent, then the account exists."""
    confirmed = request.session.get(CONFIRMED)
    if not confirmed or time.time() - confirmed["at"] > CONFIRMED_FOR:
        request.session.pop(CONFIRMED, None)
        return redirect("users:login")
    form = PhoneFinishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        request.session.pop(CONFIRMED, None)
        user = User.objects.filter(phone=confirmed["phone"]).first()
        if user is not None:  # made in another tab meanwhile
            return _sign_in(request, user, confirmed["next"])
        user = seeker_sign_up_by_phone(
            phone=confirmed["phone"], name=form.cleaned_data["name"], language=request.LANGUAGE_CODE
        )
        return _welcome(request, user, confirmed["next"])
    context = {"form": form, "masked_phone": masked(confirmed["phone"]), "next": confirmed["next"]}
    return render(request, "users/phone_finish.html", context)


@login_required
def add(request):
    """An account made with an email adds (or changes) its sign-in number."""
    if not request.user.is_seeker:
        raise PermissionDenied
    form = PhoneAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["phone"] == request.user.phone:
            messages.info(request, _("这已经是您的手机号码。"))
            return redirect("users:profile")
        response = start(request, form, purpose=PhoneCode.Purpose.ADD, next_url="")
        if response is not None:
            return response
    return render(request, "users/phone_add.html", {"form": form})
