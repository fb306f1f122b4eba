import pyotp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from momjobs.lib import ratelimit

from . import phone_views, throttle, twofactor
from .forms import CodeForm, PhoneSignInForm, SignInForm
from .models import PhoneCode, TOTPDevice

FAILURES = "login-failure"


def _slow_down(request, seconds):
    response = render(request, "429.html", {"retry_minutes": max(1, -(-seconds // 60))}, status=429)
    response["Retry-After"] = str(seconds)
    return response


class SignInView(auth_views.LoginView):
    """Password step. Repeated failures per address and per account are refused for a while;
    users with an authenticator app continue to the code step before they are logged in.
    """

    template_name = "users/login.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("phone_form", PhoneSignInForm(prefix="m"))
        return context

    def post(self, request, *args, **kwargs):
        if request.POST.get("method") == "phone":
            return self.phone_post(request)
        period = settings.LOGIN_FAILURE_PERIOD
        address = ratelimit.client_ip(request)
        if (
            settings.RATE_LIMITS_ENABLED
            and ratelimit.count(f"{FAILURES}-ip", address, period)
            >= settings.LOGIN_ADDRESS_FAILURE_LIMIT
        ):
            return ratelimit.too_many(request, period)
        # Per account: slowed down, counted in PostgreSQL (throttle.py), never a hard lock.
        wait = throttle.wait_seconds(request.POST.get("username", ""))
        if wait:
            return _slow_down(request, wait)
        return super().post(request, *args, **kwargs)

    def phone_post(self, request):
        """The number form on the same page: a code is sent and she continues on the code step."""
        phone_form = PhoneSignInForm(request.POST, prefix="m")
        if phone_form.is_valid():
            response = phone_views.start(
                request,
                phone_form,
                purpose=PhoneCode.Purpose.SIGN_IN,
                next_url=request.POST.get("next", ""),
            )
            if response is not None:
                return response
        context = self.get_context_data(form=self.get_form_class()(request), phone_form=phone_form)
        return self.render_to_response(context)

    def form_invalid(self, form):
        ratelimit.hit(
            f"{FAILURES}-ip", ratelimit.client_ip(self.request), settings.LOGIN_FAILURE_PERIOD
        )
        throttle.record_failure(self.request.POST.get("username", ""))
        return super().form_invalid(form)

    def form_valid(self, form):
        user = form.get_user()
        throttle.reset(self.request.POST.get("username", ""))
        if twofactor.has_device(user):
            self.request.session[twofactor.SESSION_PENDING] = user.pk
            self.request.session["2fa_next"] = self.get_success_url()
            return redirect("users:two_factor_verify")
        return super().form_valid(form)


def two_factor_verify(request):
    """Code step of sign-in."""
    user_id = request.session.get(twofactor.SESSION_PENDING)
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None:
        return redirect("users:login")
    device = TOTPDevice.objects.filter(user=user).first()
    if device is None:  # removed between the password step and this one
        request.session.pop(twofactor.SESSION_PENDING, None)
        return redirect("users:login")
    period = settings.LOGIN_FAILURE_PERIOD
    if (
        settings.RATE_LIMITS_ENABLED
        and ratelimit.count(f"{FAILURES}-2fa", user.email, period) >= settings.LOGIN_FAILURE_LIMIT
    ):
        return ratelimit.too_many(request, period)
    form = CodeForm(request.POST or None, device=device, recovery_user=user)
    if request.method == "POST":
        if form.is_valid():
            if form.used_recovery_code:
                messages.warning(
                    request,
                    _(
                        "您用恢复码登录了，还剩%(left)s个。如果手机丢了，请在“账户安全”里更换验证器。"
                    )
                    % {"left": twofactor.recovery_codes_left(user)},
                )
            next_url = request.session.pop("2fa_next", None)
            request.session.pop(twofactor.SESSION_PENDING, None)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            request.session[twofactor.SESSION_VERIFIED] = True
            if not next_url or not url_has_allowed_host_and_scheme(
                next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                next_url = settings.LOGIN_REDIRECT_URL
            return redirect(next_url)
        ratelimit.hit(f"{FAILURES}-2fa", user.email, period)
    return render(request, "users/two_factor_verify.html", {"form": form})


@login_required
def two_factor_setup(request):
    """Add an authenticator app: scan the QR code (or type the key), confirm with a code."""
    user = request.user
    if twofactor.has_device(user):
        return render(request, "users/two_factor_setup.html", {"device": user.totp_device})
    secret = request.session.get(twofactor.SESSION_NEW_SECRET)
    if not secret:
        secret = pyotp.random_base32(32)
        request.session[twofactor.SESSION_NEW_SECRET] = secret
    candidate = TOTPDevice(user=user, secret=secret)
    form = CodeForm(request.POST or None, device=_UnsavedDevice(candidate))
    if request.method == "POST" and form.is_valid():
        TOTPDevice.objects.create(user=user, secret=secret, last_step=candidate.last_step)
        request.session.pop(twofactor.SESSION_NEW_SECRET, None)
        request.session[twofactor.SESSION_VERIFIED] = True
        messages.success(request, _("双重验证已开启。以后登录时需要输入验证器应用中的数字。"))
        return render(
            request,
            "users/recovery_codes.html",
            {"codes": twofactor.issue_recovery_codes(user)},
        )
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=settings.TOTP_ISSUER)
    qr_svg = segno.make(uri, error="m").svg_inline(scale=4, title=_("身份验证器二维码"))
    context = {
        "form": form,
        "qr_svg": qr_svg,
        "secret_groups": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "required": twofactor.required_for(user),
    }
    return render(request, "users/two_factor_setup.html", context)


class _UnsavedDevice:
    """Checks a code against a secret not yet saved (the last step is kept for the save)."""

    def __init__(self, device):
        self.device = device

    def verify(self, code):
        import time

        code = "".join(ch for ch in str(code) if ch.isdigit())
        totp = pyotp.TOTP(self.device.secret)
        now_step = int(time.time()) // totp.interval
        for step in (now_step - 1, now_step, now_step + 1):
            if totp.at(step * totp.interval) == code:
                self.device.last_step = step
                return True
        return False


@login_required
@require_POST
def recovery_codes(request):
    """New recovery codes for herself (the old ones stop working), shown once."""
    if not twofactor.has_device(request.user):
        return redirect("users:two_factor_setup")
    return render(
        request,
        "users/recovery_codes.html",
        {"codes": twofactor.issue_recovery_codes(request.user)},
    )


@login_required
@require_POST
def two_factor_disable(request):
    if twofactor.required_for(request.user):
        # Her role must use 2FA: "disable" replaces the authenticator (a new phone), at once.
        TOTPDevice.objects.filter(user=request.user).delete()
        request.session.pop(twofactor.SESSION_VERIFIED, None)
        messages.info(request, _("旧的验证器已停用。请用新手机扫描二维码，设置新的验证器。"))
        return redirect("users:two_factor_setup")
    else:
        TOTPDevice.objects.filter(user=request.user).delete()
        request.session.pop(twofactor.SESSION_VERIFIED, None)
        messages.success(request, _("双重验证已关闭。"))
    return redirect("users:dashboard")


@login_required
def dashboard(request):
    """The signed-in user's start page: what her role lets her do, and where."""
    user = request.user
    context = {
        "employers": [m.employer for m in user.employer_memberships.select_related("employer")],
        "bureaus": [m.bureau for m in user.bureau_memberships.select_related("bureau")],
        "has_2fa": twofactor.has_device(user),
        "recovery_codes_left": twofactor.recovery_codes_left(user),
        "can_use_2fa": not user.is_seeker,
    }
    return render(request, "users/dashboard.html", context)
