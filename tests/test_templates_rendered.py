"""The template guard (tests/template_coverage.py) rests on two facts checked here: Django's
`template_rendered` test signal fires in-process for pages, includes, emails and partials, and
the guard's list of project templates is complete. Renders the fragments no page test asks for.
"""

import pytest
from django.template.base import PartialTemplate
from django.template.loader import render_to_string
from django.test.signals import template_rendered
from django.urls import reverse

from tests.template_coverage import project_templates

pytestmark = pytest.mark.django_db


@pytest.fixture
def rendered():
    names = []

    def receiver(sender, template, **kwargs):
        name = template.origin.template_name
        names.append(f"{name}#{template.name}" if isinstance(template, PartialTemplate) else name)

    template_rendered.connect(receiver, dispatch_uid="test-templates-rendered")
    yield names
    template_rendered.disconnect(dispatch_uid="test-templates-rendered")


def test_the_signal_fires_for_a_page_its_parent_and_its_includes(client, rendered):
    assert client.get(reverse("users:login")).status_code == 200
    assert {"users/login.html", "base.html", "includes/form_fields.html"} <= set(rendered)


def test_the_signal_fires_for_email_templates(rendered):
    render_to_string("users/email/password_reset_subject.txt", {"site_name": "x"})
    assert "users/email/password_reset_subject.txt" in rendered


def test_the_results_fragment_renders_on_its_own(client, rendered):
    """The search form asks for `job_list.html#results` alone when JavaScript runs."""
    response = client.get(reverse("job_list"), {"q": "帮厨"}, headers={"X-Partial": "results"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="results"' in html and "<html" not in html
    assert "directory/job_list.html#results" in rendered


def test_the_guard_knows_every_kind_of_template():
    names = set(project_templates().values())
    assert {"base.html", "429.html", "includes/form_fields.html"} <= names
    assert {"users/email/password_reset.txt", "users/email/password_reset_subject.txt"} <= names
    assert "directory/job_list.html#results" in names
    # Django's own templates are not ours to cover.
    assert not any(name.startswith("admin/") for name in names)


def test_the_error_pages(client, personas, rf, rendered):
    """404 and 403 through real requests; 500 through its handler (no view should fail)."""
    from django.views import defaults

    assert client.get("/no-such-page/").status_code == 404
    client.force_login(personas.seeker_a)
    assert client.get(reverse("employers:dashboard")).status_code == 403
    response = defaults.server_error(rf.get("/"))
    assert response.status_code == 500 and "服务暂时不可用" in response.content.decode()
    assert {"404.html", "403.html", "500.html"} <= set(rendered)


def test_the_revision_decision_email(personas, django_capture_on_commit_callbacks, mailoutbox):
    """Sent after commit by Celery: rendered in-process only when the callbacks run."""
    from employers import services
    from employers.models import PostingRevision
    from tests.factories import make_posting

    posting = make_posting(personas.employer_a)
    revision = PostingRevision.objects.create(posting=posting, data={"title": "早餐帮厨"})
    with django_capture_on_commit_callbacks(execute=True):
        services.revision_decide(
            revision=revision, approve=False, by=personas.bureau_inside, reason="请写明工作地点"
        )
    assert [m.to for m in mailoutbox] == [[personas.employer_a_staff.email]]
    assert "请写明工作地点" in mailoutbox[0].body
