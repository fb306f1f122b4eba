from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from momjobs.lib import ratelimit

from . import phone_views, seeker_views, views
from .forms import ResetForm

app_name = "users"

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.dashboard, name="dashboard"),
    path("2fa/", views.two_factor_verify, name="two_factor_verify"),
    path("sign-up/", seeker_views.sign_up, name="sign_up"),
    path("sign-up/sent/", seeker_views.sign_up_sent, name="sign_up_sent"),
    path("phone/code/", phone_views.code, name="phone_code"),
    path("phone/welcome/", phone_views.finish, name="phone_finish"),
    path("phone/add/", phone_views.add, name="phone_add"),
    # "resend" before <token>: otherwise it would be read as a token.
    path("verify/resend/", seeker_views.resend_verification, name="resend_verification"),
    path("verify/<str:token>/", seeker_views.verify_email, name="verify_email"),
    path("profile/", seeker_views.profile, name="profile"),
    path("profile/cv/", seeker_views.cv_download, name="cv_download"),
    path("my-data/", seeker_views.my_data, name="my_data"),
    path("delete/", seeker_views.delete_account, name="delete_account"),
    path("2fa/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("2fa/disable/", views.two_factor_disable, name="two_factor_disable"),
    path("2fa/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path(
        "password-reset/",
        # Each address may ask for a few reset emails an hour: no mail-bombing through us.
        ratelimit.limit("password-reset", rate=5, period=3600)(
            auth_views.PasswordResetView.as_view(
                template_name="users/password_reset_form.html",
                form_class=ResetForm,
                email_template_name="users/email/password_reset.txt",
                subject_template_name="users/email/password_reset_subject.txt",
                success_url=reverse_lazy("users:password_reset_done"),
            )
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="users/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="users/password_reset_confirm.html",
            success_url=reverse_lazy("users:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="users/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
