"""pytest plugin (registered in tests/conftest.py): every template of the project must be rendered
by at least one test.

For the whole session it listens to Django's `template_rendered` test signal, which
pytest-django's test environment (`setup_test_environment`) sends for every `Template._render`
and `PartialTemplate._render`: pages, `{% extends %}` parents, `{% include %}`d partials, email
templates rendered with `render_to_string`, and template partials. At the end of a run over the
whole suite it prints the templates no test rendered and fails the run.

What must be rendered: every file under the TEMPLATES `DIRS` and under the `templates/` folder of
the project's own apps (not Django's or third-party ones), and every `{% partialdef name %}` on
its own, counted as `path#name` (through `path#name` in a view, or `{% partial name %}`): an
inline partial rendered only inside its page does not count, its fragment route is a separate
code path.

Only in-process rendering counts. The browser tests (tests/e2e) render in a gunicorn process of
their own: a template reached only there needs a small in-process test too.

The check is enforced only when the run covers the whole suite: no -k/-m, no node ids or single
files, nothing deselected, every collected test run (not stopped early by -x). Set
TEMPLATE_COVERAGE=1 to enforce it on any run, TEMPLATE_COVERAGE=0 to skip it.
"""

import os
import re
from pathlib import Path

import pytest

PARTIALDEF = re.compile(r"{%\s*partialdef\s+([\w.-]+)")
TEMPLATE_SUFFIXES = {".html", ".txt", ".xml", ".json", ".ics", ".csv", ".md"}


def project_templates():
    """{key: relative display name} for every template file and partialdef of the project."""
    from django.apps import apps
    from django.conf import settings

    base = Path(settings.BASE_DIR).resolve()
    folders = []
    for engine in settings.TEMPLATES:
        folders += [Path(d) for d in engine.get("DIRS", [])]
        if engine.get("APP_DIRS"):
            for app in apps.get_app_configs():
                path = Path(app.path).resolve()
                # The project's own apps only: not Django's, not site-packages.
                if path.is_relative_to(base) and ".venv" not in path.parts:
                    folders.append(path / "templates")
    wanted = {}
    for folder in folders:
        folder = folder.resolve()
        if not folder.is_dir():
            continue
        for file in sorted(folder.rglob("*")):
            if not file.is_file() or file.suffix not in TEMPLATE_SUFFIXES:
                continue
            name = str(file.relative_to(folder))
            wanted[str(file)] = name
            for partial in PARTIALDEF.findall(file.read_text(encoding="utf-8", errors="replace")):
                wanted[f"{file}#{partial}"] = f"{name}#{partial}"
    return wanted


class TemplateCoverage:
    def __init__(self, config):
        self.config = config
        self.rendered = set()
        self.deselected = 0
        self.started = 0
        self.missing = None
        self.reason_not_enforced = None

    # -- listening -----------------------------------------------------------------------------

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionstart(self, session):
        from django.test.signals import template_rendered

        template_rendered.connect(self.on_render, weak=False, dispatch_uid="template-coverage")

    def on_render(self, sender, template, context=None, **kwargs):
        from django.template.base import PartialTemplate

        origin = getattr(template, "origin", None)
        name = getattr(origin, "name", None)
        if not name or name.startswith("<"):
            return  # a template from a string
        path = str(Path(name).resolve())
        if isinstance(template, PartialTemplate):
            self.rendered.add(f"{path}#{template.name}")
        else:
            self.rendered.add(path)

    # -- deciding whether the run covers the whole suite ---------------------------------------

    def pytest_deselected(self, items):
        self.deselected += len(items)

    def pytest_runtest_logstart(self, nodeid, location):
        self.started += 1

    def _not_enforced(self, session):
        setting = os.environ.get("TEMPLATE_COVERAGE", "")
        if setting == "0":
            return "TEMPLATE_COVERAGE=0"
        if setting == "1":
            return None
        option = self.config.option
        if getattr(option, "keyword", "") or getattr(option, "markexpr", ""):
            return "-k/-m selects part of the suite"
        tests_dir = Path(__file__).resolve().parent
        root = Path(str(self.config.rootpath)).resolve()
        for arg in self.config.args:
            path = Path(arg.split("::")[0])
            path = (Path(self.config.invocation_params.dir) / path).resolve()
            if "::" in arg or path not in (tests_dir, root):
                return f"only part of the suite was asked for ({arg})"
        if self.deselected:
            return f"{self.deselected} tests deselected"
        if session.shouldstop or session.shouldfail or self.started < session.testscollected:
            return "the run stopped early"
        return None

    # -- the verdict ------------------------------------------------------------------------------

    def pytest_sessionfinish(self, session, exitstatus):
        if exitstatus not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
            return  # interrupted, usage or collection error: nothing to add
        self.reason_not_enforced = self._not_enforced(session)
        if self.reason_not_enforced:
            return
        wanted = project_templates()
        self.missing = sorted(name for key, name in wanted.items() if key not in self.rendered)
        self.total = len(wanted)
        if self.missing:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter):
        if self.missing is None:
            return
        if not self.missing:
            terminalreporter.write_line(
                f"template coverage: all {self.total} templates and partials rendered by a test",
                green=True,
            )
            return
        terminalreporter.section("templates no test renders", sep="=", red=True, bold=True)
        for name in self.missing:
            terminalreporter.write_line(f"  {name}", red=True)
        terminalreporter.write_line(
            f"{len(self.missing)} of {self.total} templates/partials are never rendered "
            "in-process: add a test that renders each (see tests/template_coverage.py).",
            red=True,
            bold=True,
        )


def pytest_configure(config):
    config.pluginmanager.register(TemplateCoverage(config), "momjobs-template-coverage")
