"""Registration, staff and invitations. Thin views: writes go through employers.services; an
employer and its memberships are reached only through the signed-in user's own memberships
(outsiders 404, staff without the owner role 403).
"""

import re
from datetime import timedelta
from urllib.parse import urlencode

from django.apps import apps
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from momjobs.lib import ratelimit
from momjobs.users.models import Role, User

from . import services
from .access import get_employer_for_user, require_employer_staff
from .forms_account import InvitationSignUpForm, InviteForm, RegistrationForm
from .models import Employer, EmployerInvitation, EmployerMembership, MembershipRole

BACKEND = "django.contrib.auth.backends.ModelBackend"
INVITATION_DAYS = 14  # as EmployerInvitation.is_open
TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")  # secrets.token_urlsafe's alphabet


def covering_bureau(region):
    """The most local bureau whose jurisdiction covers `region`, or None."""
    # Looked up by app label, not imported: `employers` must not import `directory`.
    bureau_model = apps.get_model("directory", "Bureau")
    codes = [code for code in region.path.split("/") if code]
    paths = ["/" + "/".join(codes[: i + 1]) + "/" for i in range(len(codes))]
    return (
        bureau_model.objects.filter(jurisdiction__path__in=paths)
        .select_related("jurisdiction")
        .order_by("-jurisdiction__level", "pk")
        .first()
    )


# -- registration ---------------------------------------------------------------------------------


@ratelimit.limit("employer-register", rate=5, period=3600)
def register(request):
    if request.user.is_authenticated:
        # The service creates a new account with the organisation; a signed-in person would end
        # up with two. She signs out first (or asks to be invited).
        return render(request, "employers/account/register.html", {"signed_in": True})
    form = RegistrationForm(
        request.POST or None, request.FILES or None, covering_bureau=covering_bureau
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, _employer = services.employer_register(
                email=data["email"],
                password=data["password1"],
                display_name=data["display_name"],
                employer_fields=form.employer_fields(),
                licence=data["licence"],
            )
        except IntegrityError:
            # The same code or address registered by someone else since the form checked it.
            form.add_error(None, _("该邮箱或统一社会信用代码刚刚已被登记，请检查后重试。"))
        else:
            login(request, user, backend=BACKEND)
            return redirect("employers:register_done")
    return render(request, "employers/account/register.html", {"form": form})


@login_required
def register_done(request):
    employer = _employer_for(request)
    context = {"employer": employer, "bureau": covering_bureau(employer.region)}
    return render(request, "employers/account/register_done.html", context)


# -- staff ----------------------------------------------------------------------------------------


def _employer_for(request):
    """The employer chosen with `employer=<id>` (query or form), else the user's first one."""
    require_employer_staff(request.user)
    chosen = request.POST.get("employer") or request.GET.get("employer")
    if chosen:
        try:
            return get_employer_for_user(request.user, int(chosen))
        except ValueError:
            raise Http404 from None
    membership = request.user.employer_memberships.select_related("employer__region")
    return membership.order_by("pk").first().employer


def _get_membership_for_user(user, pk):
    require_employer_staff(user)
    return get_object_or_404(
        EmployerMembership.objects.filter(
            employer__in=Employer.objects.for_user(user)
        ).select_related("employer", "user"),
        pk=pk,
    )


def _staff_url(employer):
    return reverse("employers:staff") + "?" + urlencode({"employer": employer.pk})


def _is_owner(employer, user):
    return employer.memberships.filter(user=user, role=MembershipRole.OWNER).exists()


def _staff_page(request, employer, form=None, status=200):
    is_owner = _is_owner(employer, request.user)
    context = {
        "employer": employer,
        "members": employer.memberships.select_related("user").order_by("role", "created_at"),
        "invitations": EmployerInvitation.objects.filter(
            employer=employer,
            accepted_at__isnull=True,
            created_at__gte=timezone.now() - timedelta(days=INVITATION_DAYS),
        ).order_by("-created_at"),
        "is_owner": is_owner,
        "form": (form or InviteForm()) if is_owner else None,
        "my_employers": Employer.objects.for_user(request.user).order_by("name"),
    }
    return render(request, "employers/account/staff.html", context, status=status)


@login_required
def staff(request):
    return _staff_page(request, _employer_for(request))


@login_required
@require_POST
def staff_invite(request):
    employer = _employer_for(request)
    services.require_owner(employer=employer, user=request.user)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.staff_invite(
                employer=employer, email=form.cleaned_data["email"], by=request.user
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(
                request,
                _("已向 %(email)s 发送邀请，%(days)s天内有效。")
                % {"email": invitation.email, "days": INVITATION_DAYS},
            )
            return redirect(_staff_url(employer))
    return _staff_page(request, employer, form)


@login_required
@require_POST
def staff_remove(request, pk):
    membership = _get_membership_for_user(request.user, pk)
    employer = membership.employer
    try:
        services.staff_remove(membership=membership, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_staff_url(employer))
    messages.success(request, _("已将 %(name)s 移出本单位。") % {"name": membership.user})
    if membership.user == request.user:
        return redirect("users:dashboard")
    return redirect(_staff_url(employer))


# -- invitations ----------------------------------------------------------------------------------


@transaction.atomic
def _sign_up_and_accept(invitation, form):
    # The address is proven: the link reached its inbox.
    user = User.objects.create_user(
        email=invitation.email,
        password=form.cleaned_data["password1"],
        role=Role.EMPLOYER,
        display_name=form.cleaned_data["display_name"],
        email_verified_at=timezone.now(),
    )
    services.staff_accept(invitation=invitation, user=user)
    return user


def invitation(request, token):
    invitation = None
    if TOKEN.fullmatch(token):
        invitation = EmployerInvitation.objects.select_related("employer").filter(token=token)
        invitation = invitation.first()
    if invitation is None or not invitation.is_open:
        return render(request, "employers/account/invitation_invalid.html", status=404)
    context = {"invitation": invitation, "employer": invitation.employer}
    user = request.user
    if user.is_authenticated:
        if user.email.lower() != invitation.email:
            return render(
                request,
                "employers/account/invitation.html",
                {**context, "wrong_user": True},
                status=403,
            )
        if request.method == "POST":
            try:
                services.staff_accept(invitation=invitation, user=user)
            except ValidationError as error:
                context["error"] = " ".join(error.messages)
            else:
                messages.success(
                    request, _("您已加入“%(employer)s”。") % {"employer": invitation.employer}
                )
                return redirect(_staff_url(invitation.employer))
        return render(request, "employers/account/invitation.html", context)

    if User.objects.filter(email__iexact=invitation.email).exists():
        login_url = reverse("users:login") + "?" + urlencode({"next": request.path})
        return render(
            request,
            "employers/account/invitation.html",
            {**context, "has_account": True, "login_url": login_url},
        )
    form = InvitationSignUpForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = _sign_up_and_accept(invitation, form)
        except IntegrityError:
            # The same address signed up in another tab a moment ago.
            return redirect(request.path)
        login(request, user, backend=BACKEND)
        messages.success(
            request, _("账户已创建，您已加入“%(employer)s”。") % {"employer": invitation.employer}
        )
        return redirect(_staff_url(invitation.employer))
    return render(request, "employers/account/invitation.html", {**context, "form": form})
