from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .forms import SignInForm


class SignInView(auth_views.LoginView):
    template_name = "users/login.html"
    form_class = SignInForm
    redirect_authenticated_user = True


@login_required
def dashboard(request):
    """The signed-in user's start page: what her role lets her do, and where."""
    user = request.user
    context = {
        "employers": [m.employer for m in user.employer_memberships.select_related("employer")],
        "bureaus": [m.bureau for m in user.bureau_memberships.select_related("bureau")],
    }
    return render(request, "users/dashboard.html", context)
