import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from directory.demo.data import DEMO_PASSWORD, DEMO_TOTP_SECRET
from directory.demo.load import email as demo_email
from directory.demo.load import load_demo
from employers import followups
from employers.models import FollowUp, FollowUpSource, Party


def _width(text):
    # CJK characters take two columns in a terminal.
    return sum(2 if ord(c) > 0x2E7F else 1 for c in text)


def _pad(text, width):
    return text + " " * max(width - _width(text), 0)


class Command(BaseCommand):
    help = "Load the demo data (示例数据): Qingdao Phase I and Linyi Yihe's open call. Idempotent."

    def handle(self, *args, **options):
        # The app is installed only in demo mode; this guards a settings mix-up too.
        if not settings.DEMO_MODE:
            raise CommandError(
                "load_demo runs only with DEMO_MODE=1 (it creates published logins)."
            )
        started = time.monotonic()
        summary = load_demo()
        elapsed = time.monotonic() - started
        if summary.created:
            for line in summary.created:
                self.stdout.write(f"  + {line}")
        else:
            self.stdout.write("  demo data already present, nothing changed")
        for phase in (summary.qingdao_phase, summary.yihe_phase):
            entries = phase.entries.count()
            self.stdout.write(f"  {phase.title} [{phase.get_status_display()}] {entries} 个岗位")
        self.stdout.write(self.style.SUCCESS(f"demo data ready in {elapsed:.1f}s"))

        self.stdout.write(f"\n示例账号 / demo logins (password for all: {DEMO_PASSWORD})")
        rows = [(login.role, login.email, login.who) for login in summary.logins]
        widths = [max(_width(row[i]) for row in rows) for i in range(2)]
        for role, email, who in rows:
            self.stdout.write(f"  {_pad(role, widths[0])}  {_pad(email, widths[1])}  {who}")
        self.stdout.write(
            "\n人社部门工作人员和管理员须双重验证 / bureau staff and the admin sign in with a code:\n"
            f"  authenticator key {DEMO_TOTP_SECRET}, or run: "
            "python manage.py demo_totp_code <email>"
        )
        open_question = (
            FollowUp.objects.filter(
                application__seeker__email=demo_email("seeker"),
                party=Party.SEEKER,
                source=FollowUpSource.ASKED,
                answered_at__isnull=True,
            )
            .order_by("-sent_at")
            .first()
        )
        if open_question is not None:
            self.stdout.write(
                "\n入职回访（王丽，不用登录）/ the demo seeker's follow-up question:\n"
                f"  {followups.answer_url(open_question)}"
            )
