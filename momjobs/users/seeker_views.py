"""Seekers: sign-up with a verified email, the minimum profile with free hours, privacy
(download my data, delete my account)."""

import io
import json
import zipfile
from importlib import import_module

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from momjobs.lib import ratelimit
from momjobs.lib import schedule as sched
from momjobs.lib.links import absolute_url
from momjobs.lib.schedule_forms import window_formset
from momjobs.lib.tasks import queue_email

from . import codes
from .files import generated_name
from .forms import PhoneSignUpForm, ProfileForm, SignUpForm
from .models import PhoneCode, Role, SeekerProfile, User
from .phone_views import safe_next, start
from .phones import masked
from .services import seeker_delete, seeker_sign_up

VERIFY_SALT = "momjobs.verify-email"


def _send_verification(user, next_url=""):
    data = {"u": user.pk, "e": user.email}
    if next_url:
        data["n"] = next_url  # back to the job she chose, once the address is confirmed
    token = signing.dumps(data, salt=VERIFY_SALT)
    queue_email(
        to=user.email,
        template="verify_email",
        context={"verify_url": absolute_url(reverse("users:verify_email", args=[token]))},
        language=user.language,
    )


@ratelimit.limit("signup", rate=10, period=3600)
def sign_up(request):
    """With a mobile number (the default) or, for those without one, an email and a password."""
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next", ""))
    if request.user.is_authenticated:
        return redirect(next_url or "users:dashboard")
    by_phone = request.method == "POST" and request.POST.get("method") == "phone"
    by_email = request.GET.get("with") == "email" or (request.method == "POST" and not by_phone)
    form = SignUpForm(request.POST if by_email and request.method == "POST" else None)
    phone_form = PhoneSignUpForm(request.POST if by_phone else None, prefix="m")
    if by_phone and phone_form.is_valid():
        response = start(request, phone_form, purpose=PhoneCode.Purpose.SIGN_IN, next_url=next_url)
        if response is not None:
            return response
    if by_email and request.method == "POST" and form.is_valid():
        # The same answer whether or not the address has an account: "check your mail". A new
        # address gets its confirmation link (which signs her in); a taken one, a note to its
        # owner. Nobody learns from this page who is registered.
        data = form.cleaned_data
        owner = User.objects.filter(email__iexact=data["email"]).first()
        if owner is None:
            user = seeker_sign_up(
                email=data["email"],
                password=data["password1"],
                name=data["name"],
                language=request.LANGUAGE_CODE,
            )
            _send_verification(user, next_url)
        else:
            queue_email(
                to=owner.email,
                template="sign_up_attempt",
                context={
                    "login_url": absolute_url(reverse("users:login")),
                    "reset_url": absolute_url(reverse("users:password_reset")),
                },
                language=owner.language,
            )
        request.session["sign_up_sent_to"] = data["email"]
        return redirect("users:sign_up_sent")
    context = {"form": form, "phone_form": phone_form, "by_email": by_email, "next": next_url}
    return render(request, "users/sign_up.html", context)


def sign_up_sent(request):
    """After an email sign-up: check your mail (the same page for a new or a taken address)."""
    email = request.session.get("sign_up_sent_to")
    if not email:
        return redirect("users:sign_up")
    return render(request, "users/sign_up_sent.html", {"email": email})


def verify_email(request, token):
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=7 * 24 * 3600)
    except signing.BadSignature:
        return render(request, "users/verify_failed.html", status=400)
    user = User.objects.filter(pk=data.get("u"), email=data.get("e")).first()
    if user is None:
        return render(request, "users/verify_failed.html", status=400)
    first_time = user.email_verified_at is None
    if first_time:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    messages.success(request, _("邮箱已确认。"))
    next_url = safe_next(request, data.get("n", ""))
    if first_time and not request.user.is_authenticated and user.is_seeker and user.is_active:
        # The link finishes her sign-up: she is signed in, once (later clicks ask for sign-in).
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        request.session.pop("sign_up_sent_to", None)
    if request.user == user:
        return redirect(next_url or "users:profile")
    login_url = reverse("users:login")
    return redirect(f"{login_url}?{urlencode({'next': next_url})}" if next_url else login_url)


@login_required
@require_POST
@ratelimit.limit("verify-resend", rate=5, period=3600)
def resend_verification(request):
    if request.user.email and request.user.email_verified_at is None:
        _send_verification(request.user)
        messages.success(request, _("确认邮件已重新发送。"))
    return redirect("users:profile")


def _seeker(request):
    if not request.user.is_seeker:
        raise PermissionDenied
    profile, _created = SeekerProfile.objects.get_or_create(
        user=request.user, defaults={"name": request.user.display_name or ""}
    )
    return profile


@login_required
def profile(request):
    """The minimum a seeker needs to apply, and her free weekly hours."""
    profile = _seeker(request)
    initial = {
        "name": profile.name,
        "phone": profile.phone,
        "district": profile.district,
        "skills": profile.skills,
        "experience": profile.experience,
        "cares_for_child_under_12": profile.cares_for_child_under_12,
    }
    form = ProfileForm(
        request.POST or None, request.FILES or None, initial=initial, user=request.user
    )
    windows = window_formset(request.POST or None, schedule=profile.free_windows)
    if request.method == "POST" and form.is_valid() and windows.is_valid():
        free = [w for w in (f.window() for f in windows.forms) if w]
        try:
            sched.windows_from_data(free)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _save_profile(profile, form, free)
            messages.success(request, _("资料已保存。"))
            return redirect("users:profile")
    context = {
        "form": form,
        "windows": windows,
        "profile": profile,
        "fits": _fits_of(profile),
    }
    return render(request, "users/profile.html", context)


def _described(free_windows):
    try:
        windows = sched.windows_from_data(free_windows)
    except ValidationError:
        return None
    return str(sched.describe(windows)) if windows else None


def _fits_of(profile):
    try:
        windows = sched.windows_from_data(profile.free_windows)
    except ValidationError:
        return ""
    return sched.format_fits(windows) if windows else ""


def _save_profile(profile, form, free):
    data = form.cleaned_data
    user = profile.user
    if data.get("notify_by"):
        user.notify_by = data["notify_by"]
    if data.get("email") and not user.email:
        user.email, user.email_verified_at = data["email"], None
    user.save(update_fields=["notify_by", "email", "email_verified_at"])
    if "email" in form.fields and user.email:
        _send_verification(user)
    profile.name = data["name"]
    profile.phone = data["phone"]
    profile.district = data["district"]
    profile.skills = data["skills"]
    profile.experience = data["experience"]
    profile.free_windows = free
    if data["cares_for_child_under_12"] != profile.cares_for_child_under_12:
        profile.cares_for_child_under_12 = data["cares_for_child_under_12"]
        profile.eligibility_consent_at = (
            timezone.now() if profile.cares_for_child_under_12 else None
        )
    upload = data.get("cv")
    if upload is False and profile.cv:  # "clear" ticked
        profile.cv.delete(save=False)
    elif upload:
        if profile.cv:
            profile.cv.delete(save=False)
        profile.cv.save(generated_name(form.cv_extension), upload, save=False)
    profile.save()


@login_required
def cv_download(request):
    from django.http import FileResponse, Http404

    profile = _seeker(request)
    if not profile.cv:
        raise Http404
    response = FileResponse(
        profile.cv.open("rb"), as_attachment=True, filename=profile.cv.name.rsplit("/", 1)[-1]
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def privacy(request):
    return render(
        request,
        "users/privacy.html",
        {
            "version": settings.PRIVACY_POLICY_VERSION,
            "retention_days": settings.APPLICATION_RETENTION_DAYS,
            "operator": settings.PRIVACY_OPERATOR_NAME,
            "contact": settings.PRIVACY_OPERATOR_CONTACT,
            "unconfirmed_account_days": settings.UNCONFIRMED_ACCOUNT_DAYS,
            "unconfirmed_subscription_days": settings.UNCONFIRMED_SUBSCRIPTION_DAYS,
            "unsubscribed_days": settings.UNSUBSCRIBED_RETENTION_DAYS,
            "staff_idle_minutes": settings.STAFF_IDLE_TIMEOUT // 60,
        },
    )


def _providers():
    return [import_module(path) for path in settings.MOMJOBS_SEEKER_DATA]


@login_required
def my_data(request):
    """Everything the portal holds about her, as JSON, with her CV, in one zip."""
    user = request.user
    data = {
        "account": {
            "email": user.email,
            "phone": user.phone,
            "phone_verified_at": user.phone_verified_at.isoformat()
            if user.phone_verified_at
            else None,
            "application_updates_by": user.get_notify_by_display(),
            "name": user.display_name,
            "role": user.get_role_display(),
            "language": user.get_language_display(),
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "email_verified_at": user.email_verified_at.isoformat()
            if user.email_verified_at
            else None,
        }
    }
    profile = getattr(user, "seeker_profile", None)
    if profile:
        data["profile"] = {
            "name": profile.name,
            "phone": profile.phone,
            "district": profile.district.full_name if profile.district else None,
            "free_windows": profile.free_windows,
            "free_hours": _described(profile.free_windows),
            "skills": profile.skills,
            "experience": profile.experience,
            "cares_for_child_under_12": profile.cares_for_child_under_12,
            "eligibility_consent_at": profile.eligibility_consent_at.isoformat()
            if profile.eligibility_consent_at
            else None,
            "privacy_policy_version": profile.privacy_policy_version,
            "privacy_consent_at": profile.privacy_consent_at.isoformat()
            if profile.privacy_consent_at
            else None,
            "cv": profile.cv.name.rsplit("/", 1)[-1] if profile.cv else None,
        }
    for provider in _providers():
        data.update(provider.export_seeker(user))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("my-data.json", json.dumps(data, ensure_ascii=False, indent=2))
        if profile and profile.cv:
            with profile.cv.open("rb") as handle:
                archive.writestr("cv/" + profile.cv.name.rsplit("/", 1)[-1], handle.read())
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="momjobs-my-data.zip"'
    return response


@login_required
def delete_account(request):
    """Confirmed with her password or, for an account made with a mobile number and no password,
    with an SMS code sent to that number."""
    if request.user.role != Role.SEEKER:
        raise PermissionDenied
    user = request.user
    by_code = not user.has_usable_password() and bool(user.phone)
    error, code_sent = None, False
    if request.method == "POST" and by_code and "send" in request.POST:
        try:
            codes.issue(
                phone=user.phone,
                purpose=PhoneCode.Purpose.DELETE,
                client=ratelimit.client_ip(request),
                language=request.LANGUAGE_CODE,
            )
        except ValidationError as problem:
            error = " ".join(problem.messages)
        code_sent = True
    elif request.method == "POST":
        if by_code:
            try:
                codes.confirm(
                    phone=user.phone,
                    purpose=PhoneCode.Purpose.DELETE,
                    code=request.POST.get("code", ""),
                )
            except ValidationError as problem:
                error, code_sent = " ".join(problem.messages), True
        elif not user.check_password(request.POST.get("password", "")):
            error = _("密码不正确。")
        if error is None:
            logout(request)
            seeker_delete(user=user)
            messages.success(request, _("账户和个人信息已删除。"))
            return redirect("home")
    context = {
        "error": error,
        "by_code": by_code,
        "code_sent": code_sent,
        "masked_phone": masked(user.phone),
    }
    return render(request, "users/delete_account.html", context)
