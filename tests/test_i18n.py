"""The English translation is complete, compiled, and actually used (docs/i18n.md).

The msgids are Chinese (zh-hans is the source language); English lives in
locale/en/LC_MESSAGES/django.po and its compiled django.mo, both committed.

Uses the standard library only: a tiny .po parser here, gettext.GNUTranslations for the .mo.
"""

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from tests.helpers import force_login_verified

ROOT = Path(__file__).resolve().parent.parent
PO_PATH = Path("locale", "en", "LC_MESSAGES", "django.po")
PO = ROOT / PO_PATH
MO = PO.with_suffix(".mo")

# Exactly the command of docs/i18n.md, so the test sees what a developer's run would produce.
MAKEMESSAGES = [
    "makemessages",
    "-l",
    "en",
    "--ignore=.venv",
    "--ignore=.data",
    "--ignore=tests",
    "--ignore=bench",
    "--ignore=tools",
    "--no-location",
]

# Han ideographs (CJK Unified Ideographs, extension A, compatibility ideographs, extension B+).
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")


@pytest.fixture(autouse=True)
def _default_language(settings):
    # A request under /en/ leaves English active in the thread (LocaleMiddleware does not reset
    # it), which would leak into later tests' reverse() and gettext calls.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


# ---------------------------------------------------------------------------------------------
# A tiny .po parser (polib is not a dependency).

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+"(.*)"\s*$')


def _unescape(text):
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text)


def parse_po(path):
    """Entries as dicts: msgctxt, msgid, msgid_plural, msgstr (a list: one form, or one per
    plural form), flags (a set), obsolete (bool), line (where the entry starts)."""
    entries = []
    entry = None
    target = None  # (key, index) the next continuation line belongs to

    def new_entry(line_no):
        return {
            "msgctxt": None,
            "msgid": None,
            "msgid_plural": None,
            "msgstr": {},
            "flags": set(),
            "obsolete": False,
            "line": line_no,
        }

    def finish():
        if entry is not None and entry["msgid"] is not None:
            forms = entry["msgstr"]
            entry["msgstr"] = [forms[i] for i in sorted(forms)]
            entries.append(entry)

    for line_no, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line:
            finish()
            entry, target = None, None
            continue
        if line.startswith("#"):
            # A comment after a complete entry starts the next one.
            if entry is not None and entry["msgstr"]:
                finish()
                entry = None
            if entry is None:
                entry = new_entry(line_no)
            if line.startswith("#,"):
                entry["flags"].update(f.strip() for f in line[2:].split(",") if f.strip())
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, text = match.groups()
            if keyword in ("msgctxt", "msgid") and entry is not None and entry["msgstr"]:
                finish()
                entry = None
            if entry is None:
                entry = new_entry(line_no)
            entry["obsolete"] = entry["obsolete"] or obsolete
            if keyword.startswith("msgstr"):
                target = ("msgstr", int(index or 0))
                entry["msgstr"][target[1]] = _unescape(text)
            else:
                target = (keyword, None)
                entry[keyword] = _unescape(text)
            continue
        if line.startswith('"') and line.endswith('"') and entry is not None and target:
            key, index = target
            if key == "msgstr":
                entry["msgstr"][index] += _unescape(line[1:-1])
            else:
                entry[key] += _unescape(line[1:-1])
            continue
        raise AssertionError(f"{path}:{line_no}: cannot parse {raw!r}")
    finish()
    return entries


def active_entries(path):
    """Translatable entries: not the header, not obsolete (#~)."""
    return [e for e in parse_po(path) if e["msgid"] and not e["obsolete"]]


def key(entry):
    return (entry["msgctxt"] or "", entry["msgid"])


def describe(entry):
    context = f"[{entry['msgctxt']}] " if entry["msgctxt"] else ""
    return f"line {entry['line']}: {context}{entry['msgid']!r}"


# ---------------------------------------------------------------------------------------------
# (a) The committed catalog is complete and well-formed.


def test_catalog_has_a_proper_header():
    header = next(e for e in parse_po(PO) if e["msgid"] == "" and not e["obsolete"])
    text = header["msgstr"][0]
    assert "Language: en\n" in text
    assert "Content-Type: text/plain; charset=UTF-8\n" in text
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in text


def test_no_fuzzy_entries():
    fuzzy = [describe(e) for e in parse_po(PO) if "fuzzy" in e["flags"] and not e["obsolete"]]
    assert not fuzzy, "fuzzy entries (review them, then drop the '#, fuzzy' line):\n" + "\n".join(
        fuzzy
    )


def test_every_entry_is_translated():
    entries = active_entries(PO)
    assert len(entries) > 300
    empty = [describe(e) for e in entries if not e["msgstr"] or not all(e["msgstr"])]
    assert not empty, "untranslated entries:\n" + "\n".join(empty)


def test_plural_entries_have_both_english_forms():
    for entry in active_entries(PO):
        if entry["msgid_plural"] is not None:
            assert len(entry["msgstr"]) == 2, describe(entry)
            assert entry["msgstr"][0] != entry["msgstr"][1], describe(entry)
        else:
            assert len(entry["msgstr"]) == 1, describe(entry)


HAN_RUN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]+")


def literal_examples_only(msgid, msgstr):
    """Chinese in an English string is allowed only as literal examples a user must type in
    Chinese (spreadsheet headers, pay units such as 元/月, 弹性): each Chinese run is copied from
    the msgid, and the string is mostly English around them."""
    runs = HAN_RUN.findall(msgstr)
    han = sum(len(run) for run in runs)
    latin = len(re.findall("[A-Za-z]", msgstr))
    return all(run in msgid for run in runs) and latin > 2 * han


def test_literal_examples_rule():
    assert literal_examples_only("例如 2000元/月", "for example 2000元/月 (per month)")
    assert not literal_examples_only("薪资待遇", "薪资待遇")  # left untranslated
    assert not literal_examples_only("例如 元/月", "for example 元/天 per month")  # not copied


def test_translations_keep_placeholders_and_contain_no_chinese():
    problems = []
    for entry in active_entries(PO):
        wanted = sorted(PLACEHOLDER.findall(entry["msgid"]))
        for form in entry["msgstr"]:
            if sorted(PLACEHOLDER.findall(form)) != wanted:
                problems.append(f"{describe(entry)}: placeholders differ in {form!r}")
            if HAN.search(form) and not literal_examples_only(entry["msgid"], form):
                problems.append(f"{describe(entry)}: Chinese left in {form!r}")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------------------------
# (b) Every string marked in the code is in the committed catalog.


def _copy_ignore(directory, names):
    skip = {"__pycache__", ".git", ".venv", ".data", ".hypothesis", ".pytest_cache"}
    skip |= {".ruff_cache", "node_modules", "staticfiles", "media", "private"}
    if Path(directory).resolve() == ROOT:
        skip.add("locale")  # extracted afresh, not merged into the committed one
    return [name for name in names if name in skip]


def test_catalog_covers_every_marked_string(tmp_path):
    if shutil.which("xgettext") is None or shutil.which("msguniq") is None:
        pytest.skip(
            "GNU gettext (xgettext, msguniq) is not installed, so makemessages cannot run: "
            "install it (apt-get install gettext; `make test` does) to check that "
            "locale/en/LC_MESSAGES/django.po covers every marked string."
        )
    project = tmp_path / "project"
    shutil.copytree(ROOT, project, ignore=_copy_ignore, symlinks=True)
    (project / "locale").mkdir()
    result = subprocess.run(
        [sys.executable, "manage.py", *MAKEMESSAGES],
        cwd=project,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    extracted = {key(e): e for e in active_entries(project / PO_PATH)}
    committed = {key(e): e for e in active_entries(PO)}
    assert extracted, "makemessages found no strings at all"

    missing = [describe(e) for k, e in extracted.items() if k not in committed]
    assert not missing, (
        "strings marked in the code but missing from locale/en/LC_MESSAGES/django.po; run "
        "makemessages (docs/i18n.md), translate, then compilemessages:\n" + "\n".join(missing)
    )
    plural_changed = [
        describe(e)
        for k, e in extracted.items()
        if (e["msgid_plural"] is None) != (committed[k]["msgid_plural"] is None)
        or (e["msgid_plural"] and e["msgid_plural"] != committed[k]["msgid_plural"])
    ]
    assert not plural_changed, "plural forms changed; rerun makemessages:\n" + "\n".join(
        plural_changed
    )


# ---------------------------------------------------------------------------------------------
# (c) The committed .mo is the compiled .po (a forgotten compilemessages fails here).


def test_compiled_catalog_matches_the_po():
    expected = {}
    for entry in active_entries(PO):
        if "fuzzy" in entry["flags"]:
            continue  # msgfmt leaves these out; test_no_fuzzy_entries reports them
        msgid = (f"{entry['msgctxt']}\x04" if entry["msgctxt"] is not None else "") + entry["msgid"]
        if entry["msgid_plural"] is not None:
            for index, form in enumerate(entry["msgstr"]):
                if form:
                    expected[(msgid, index)] = form
        elif entry["msgstr"][0]:
            expected[msgid] = entry["msgstr"][0]

    assert MO.exists(), "locale/en/LC_MESSAGES/django.mo is missing: run compilemessages"
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    actual = {k: v for k, v in compiled._catalog.items() if k != ""}

    stale = sorted(str(k) for k in expected.keys() - actual.keys())
    extra = sorted(str(k) for k in actual.keys() - expected.keys())
    changed = sorted(str(k) for k in expected.keys() & actual.keys() if expected[k] != actual[k])
    assert not (stale or extra or changed), (
        "django.mo does not match django.po; run `python manage.py compilemessages "
        f"--ignore=.venv --ignore=.data`.\nmissing from .mo: {stale[:10]}\nonly in .mo: "
        f"{extra[:10]}\ndifferent: {changed[:10]}"
    )


def test_django_uses_the_catalog():
    with translation.override("en"):
        assert translation.gettext("妈妈岗服务平台") == "Mom Jobs Portal"
        singular = translation.ngettext("%(counter)s 个岗位", "%(counter)s 个岗位", 1)
        plural = translation.ngettext("%(counter)s 个岗位", "%(counter)s 个岗位", 2)
        assert (singular, plural) == ("%(counter)s job", "%(counter)s jobs")
    with translation.override("zh-hans"):
        assert translation.gettext("妈妈岗服务平台") == "妈妈岗服务平台"


# ---------------------------------------------------------------------------------------------
# (d) English pages show no Chinese interface text.


def _data_strings(*objects):
    """Every string value of these model instances (and of JSON snapshots): data, not UI."""
    strings = set()

    def add(value):
        if isinstance(value, str):
            strings.add(value)
        elif isinstance(value, dict):
            for item in value.values():
                add(item)
        elif isinstance(value, list | tuple):
            for item in value:
                add(item)

    for obj in objects:
        for field in obj._meta.concrete_fields:
            if field.name != "search_text":
                add(getattr(obj, field.attname))
    return strings


def assert_no_chinese_ui(html, data, where):
    # The language switch names each language in that language ("简体中文"): allowed.
    html = re.sub(r'<nav[^>]*class="lang-switch".*?</nav>', "", html, flags=re.S)
    # Text marked as Chinese on purpose (the bilingual sample-data banner) is not a leak.
    html = re.sub(r'<(\w+)[^>]*lang="zh-Hans"[^>]*>[^<]*</\1>', "", html)
    for value in sorted((d for d in data if HAN.search(d)), key=len, reverse=True):
        html = html.replace(value, "")
    leaks = [html[max(0, m.start() - 40) : m.end() + 40] for m in HAN.finditer(html)]
    assert not leaks, f"Chinese text on the English page {where}:\n" + "\n---\n".join(
        dict.fromkeys(leaks)
    )


@pytest.fixture
def catalog(db, settings):
    from directory.models import PhaseStatus
    from momjobs.regions.models import MinimumWage
    from tests.factories import (
        make_bureau,
        make_employer,
        make_phase,
        make_posting,
        publish,
        region,
    )

    settings.DEMO_MODE = True
    MinimumWage.objects.create(region=region("370200"), hourly="22.20", effective_from="2020-01-01")
    bureau = make_bureau("370200", "青岛市人力资源和社会保障局")
    employer = make_employer("青岛海之味餐饮管理有限公司", "370202")
    employer.recognition = "妈妈岗就业基地"
    employer.recognised_year = 2025
    employer.save()
    postings = [
        make_posting(
            employer,
            title="早餐店帮厨",
            requirements="身体健康",
            schedule_note="寒暑假可调整",
            contact_name="张女士",
            contact_phone="0532-00000000",
            weekends_off=True,
            childcare_leave=True,
            no_forced_overtime=True,
            training=True,
            career_route="可转全职",
        ),
        make_posting(
            employer,
            title="小区保安",
            sector="security",
            work_form="hourly",
            contract="not_stated",
            insurance="not_stated",
            pay_unit="month",
            pay_min=2600,
            pay_max=3000,
            schedule=[{"days": [5], "start": "22:00", "end": "02:00"}],
        ),
    ]
    phase = make_phase(bureau, status=PhaseStatus.IN_REVIEW)
    publish(phase, postings)
    make_phase(bureau, number=2, status=PhaseStatus.OPEN, call_text="征集社区服务岗位")
    phase.refresh_from_db()
    return phase, postings


def _all_data(phase, postings):
    from directory.models import Bureau, Catalog, Phase, PhaseEntry
    from employers.models import Employer

    objects = [*Bureau.objects.all(), *Catalog.objects.all(), *Phase.objects.all()]
    objects += [*PhaseEntry.objects.all(), *Employer.objects.all(), *postings]
    regions = {p.region for p in postings} | {e.region for e in Employer.objects.all()}
    regions |= {b.jurisdiction for b in Bureau.objects.all()}
    for one in list(regions):
        objects += list(one.ancestors_and_self())
    return _data_strings(*objects)


@pytest.mark.django_db
def test_english_pages_have_no_chinese_interface_text(client, catalog):
    phase, postings = catalog
    data = _all_data(phase, postings) | {"帮厨"}  # the search words echoed in the search box
    pages = [
        "/en/",
        "/en/jobs/",
        "/en/jobs/?q=%E5%B8%AE%E5%8E%A8&sector=catering&form=part_time",
        "/en/jobs/?region=999999",
        "/en/phases/",
        f"/en/phases/{phase.pk}/",
        *(f"/en/jobs/{posting.pk}/" for posting in postings),
        "/en/accounts/login/",
        "/en/accounts/password-reset/",
        "/en/accounts/password-reset/sent/",
        "/en/accounts/reset/done/",
        "/en/accounts/reset/MQ/bad-token/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Content-Language"] == "en", url
        assert_no_chinese_ui(response.content.decode(), data, url)
    home = client.get("/en/").content.decode()
    assert "There are 2 jobs open right now." in home
    # The PDF and the spreadsheet are the bureau's Chinese catalog: the English page says so.
    phase_page = client.get(f"/en/phases/{phase.pk}/").content.decode()
    assert "PDF file in Chinese" in phase_page and 'hreflang="zh-Hans"' in phase_page


@pytest.mark.django_db
def test_english_form_errors_and_signed_in_pages(client, catalog, personas):
    phase, postings = catalog
    response = client.post(
        "/en/accounts/login/", {"username": "nobody@example.test", "password": "wrong"}
    )
    html = response.content.decode()
    assert "The email address or password is not correct." in html
    assert_no_chinese_ui(html, set(), "login with a wrong password")

    bureau = personas.qingdao  # creates the bureau and its staff member
    force_login_verified(client, personas.bureau_inside)
    response = client.get("/en/accounts/")
    assert response.status_code == 200
    data = _all_data(phase, postings) | _data_strings(bureau, personas.bureau_inside)
    data |= _data_strings(*bureau.jurisdiction.ancestors_and_self())
    assert_no_chinese_ui(response.content.decode(), data, "/en/accounts/ (bureau staff)")


def test_password_reset_email_in_english():
    context = {"protocol": "https", "domain": "example.test", "uid": "MQ", "token": "t-0"}
    with translation.override("en"):
        subject = render_to_string("users/email/password_reset_subject.txt", context)
        body = render_to_string("users/email/password_reset.txt", context)
    assert subject.strip() == "Mom Jobs Portal: reset your password"
    assert not HAN.search(subject + body), body
