"""The follow-up questions' pages (employers/followups.py): answered from a signed link without
signing in, by the mother or the employer the question was sent to; and, for a signed-in
mother, the list of her open questions (where the fixed link of a provider's SMS leads)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from . import followups
from .forms_seeker import FollowUpForm
from .models import Party
from .views_seeker import _require_seeker


@never_cache
def answer(request, token):
    try:
        follow_up = followups.follow_up_from_token(token)
    except followups.LinkError as error:
        message = followups.STATE_MESSAGES[error.code]()
        status = 400 if error.code == "tampered" else 410
        return render(request, "followup/unusable.html", {"message": message}, status=status)
    application = follow_up.application
    state = followups.answer_state(follow_up)
    form = FollowUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if request.POST.get("stop") == "1" and follow_up.party == Party.SEEKER:
            if state != "gone":
                followups.stop_follow_ups(application=application)
                messages.success(request, _("好的，不会再就这份工作询问您了。"))
            return redirect("followup:answer", token)
        if form.is_valid():
            data = form.cleaned_data
            try:
                followups.record_answer(
                    follow_up=follow_up,
                    still_working=data["still_working"],
                    ended_on=data["ended_on"],
                    reason=data["reason"],
                )
            except ValidationError as error:
                form.add_error(None, error)  # a field's error goes beside its field
            else:
                messages.success(request, _("谢谢！回答已记录。"))
                return redirect("followup:answer", token)
        follow_up.refresh_from_db()
        state = followups.answer_state(follow_up)
    context = {
        "follow_up": follow_up,
        "application": application,
        "state": state,
        "form": form,
        "change_until": followups.change_until(follow_up),
        "for_seeker": follow_up.party == Party.SEEKER,
        "wanted": request.GET.get("a", ""),
        "state_message": followups.STATE_MESSAGES.get(state, lambda: "")(),
    }
    return render(request, "followup/answer.html", context)


@login_required
def mine(request):
    _require_seeker(request.user)
    rows = [
        (row, state, followups.token_for(row)) for row, state in followups.for_seeker(request.user)
    ]
    return render(request, "followup/mine.html", {"rows": rows})
