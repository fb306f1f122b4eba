"""Chinese punctuation and text in templates sit inside translated strings (docs/i18n.md).

A template line such as `{% translate "单位状态" %}：<strong>…` or `（{{ reason }}）` puts Chinese
punctuation on the English pages ("Status：Verified（reason）"). The static check here reads every
template, removes what is translated or never shown, and fails on any Han character or full-width
punctuation left, naming file:line. Values in parentheses go through the `paren` filter
(employers/templatetags/jobs.py), whose punctuation is translated.
"""

import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe

from tests.factories import make_employer

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
SUFFIXES = {".html", ".txt", ".xml"}

# Bilingual on purpose: shown when Django itself cannot run, so it cannot translate.
ALLOWED_FILES = {"500.html"}

# Han ideographs (CJK Unified Ideographs, extension A, compatibility ideographs, extension B+),
# CJK symbols and punctuation (U+3000-U+303F: 、。「」【】 and the ideographic space) and
# half-width and full-width forms (U+FF00-U+FFEF: ，：；（）！？).
CJK = re.compile(
    "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff\u3000-\u303f\uff00-\uffef]"
)

# What is translated or never shown. Each match is replaced by its own line breaks, so the line
# numbers of what is left stay those of the file.
TRANSLATED_OR_HIDDEN = [
    # {% blocktranslate %}…{% endblocktranslate %} (and the older blocktrans spelling).
    re.compile(r"\{%\s*blocktrans(?:late)?\b.*?\{%\s*endblocktrans(?:late)?\s*%\}", re.S),
    # {% translate "…" %}, {% translate "…" context "…" as name %}, {% trans "…" %}.
    re.compile(r"\{%\s*trans(?:late)?\s.*?%\}", re.S),
    # A translated literal as a filter or tag argument: default:_("系统").
    re.compile(r"""\b_\((?:"[^"]*"|'[^']*')\)"""),
    # Template comments.
    re.compile(r"\{#.*?#\}", re.S),
    re.compile(r"\{%\s*comment\b.*?%\}.*?\{%\s*endcomment\s*%\}", re.S),
    # An element marked as Chinese on purpose (the bilingual sample-data banner).
    re.compile(r'<(\w+)[^>]*\blang="zh-Hans"[^>]*>[^<]*</\1>'),
]


def _keep_line_breaks(match):
    return "\n" * match.group(0).count("\n")


def untranslated_lines(text):
    """(line number, line of the file) of each line with Chinese left outside translated
    strings."""
    left = text
    for pattern in TRANSLATED_OR_HIDDEN:
        left = pattern.sub(_keep_line_breaks, left)
    lines = text.splitlines()
    return [
        (n, lines[n - 1].strip()) for n, line in enumerate(left.splitlines(), 1) if CJK.search(line)
    ]


def project_templates():
    return sorted(
        path
        for path in TEMPLATES.rglob("*")
        if path.is_file()
        and path.suffix in SUFFIXES
        and path.relative_to(TEMPLATES).as_posix() not in ALLOWED_FILES
    )


def test_no_chinese_outside_translated_strings():
    templates = project_templates()
    assert len(templates) > 50, "the templates folder was not found"
    problems = [
        f"{path.relative_to(ROOT)}:{number}: {line[:160]}"
        for path in templates
        for number, line in untranslated_lines(path.read_text(encoding="utf-8"))
    ]
    assert not problems, (
        "Chinese text or full-width punctuation outside {% translate %}/{% blocktranslate %}: "
        'put a label\'s colon into its msgid ({% translate "状态：" %}), a value in parentheses '
        'through the paren filter ({{ reason|paren }}), a separator into {% translate "；" as '
        "semi %}; then makemessages, translate, compilemessages (docs/i18n.md).\n"
        + "\n".join(problems)
    )


def test_the_allowed_files_exist():
    # An allowance for a file that was renamed or removed would silently allow nothing.
    for name in ALLOWED_FILES:
        assert (TEMPLATES / name).is_file(), name


@pytest.mark.parametrize(
    "text",
    [
        '<p>{% translate "单位状态" %}：<strong>{{ s }}</strong></p>',
        "<p>{{ s }}{% if r %}（{{ r }}）{% endif %}</p>",
        '{{ a }}；{% translate "社保" %}',
        "<p>暂无记录</p>",
        "<p>\u3000{{ s }}</p>",  # an ideographic space
        '<option lang="en">全部</option>',
        "{# a comment #}中文",
    ],
)
def test_the_check_finds_untranslated_text(text):
    assert [number for number, _line in untranslated_lines(text)] == [1]


@pytest.mark.parametrize(
    "text",
    [
        '<p>{% translate "单位状态：" %}<strong>{{ s }}</strong>{{ r|paren }}</p>',
        '{% translate "工时：" context "hours of work" %}{{ h }}',
        '{% translate "；" as semi %}{{ a }}{{ semi }}',
        "{% blocktranslate with t=title %}{{ t }}（第1批）{% endblocktranslate %}",
        "{% blocktranslate count counter=n %}{{ counter }} 个{% plural %}{{ counter }} 个"
        "{% endblocktranslate %}",
        '<td>{{ entry.actor_label|default:_("系统") }}</td>',
        "{# 说明：注释 #}<p>{{ x }}</p>",
        "{% comment %}说明：\n注释{% endcomment %}<p>{{ x }}</p>",
        '<span lang="zh-Hans">示例数据</span>',
    ],
)
def test_the_check_passes_translated_text(text):
    assert untranslated_lines(text) == []


def test_the_check_reports_the_line_of_the_file():
    text = (
        "{% load i18n %}\n{% blocktranslate %}第一行\n第二行{% endblocktranslate %}\n{% comment %}\n"
        "注释\n{% endcomment %}\n<p>{{ a }}：{{ b }}</p>\n"
    )
    assert untranslated_lines(text) == [(7, "<p>{{ a }}：{{ b }}</p>")]


# ---------------------------------------------------------------------------------------------
# The paren filter: translated punctuation, escaped value.


def paren(value, language, autoescape=True):
    source = "{% load jobs %}{{ value|paren }}"
    if not autoescape:
        source = "{% autoescape off %}" + source + "{% endautoescape %}"
    with translation.override(language):
        return Template(source).render(Context({"value": value}))


def test_paren_in_chinese_and_in_english():
    assert paren("待补充材料", "zh-hans") == "（待补充材料）"
    assert paren(3, "zh-hans") == "（3）"
    assert paren("missing licence", "en") == " (missing licence)"
    assert paren(3, "en") == " (3)"


def test_paren_escapes_the_value():
    assert paren("<b>x</b> & y", "zh-hans") == "（&lt;b&gt;x&lt;/b&gt; &amp; y）"
    assert paren("<b>x</b>", "en") == " (&lt;b&gt;x&lt;/b&gt;)"
    # A value already safe is not escaped twice; with autoescaping off nothing is escaped.
    assert paren(mark_safe("<b>x</b>"), "zh-hans") == "（<b>x</b>）"
    assert paren("<b>x</b> & y", "zh-hans", autoescape=False) == "（<b>x</b> & y）"


# ---------------------------------------------------------------------------------------------
# Rendered: the same page in both languages.


@pytest.mark.django_db
def test_employer_dashboard_status_line_in_both_languages(client, personas):
    employer = personas.employer_a
    employer.status = "rejected"
    employer.status_reason = "<b>营业执照</b>模糊"
    employer.save()
    client.force_login(personas.employer_a_staff)

    html = client.get(reverse("employers:dashboard")).content.decode()
    assert (
        '单位状态：<strong class="warn">未通过核验</strong>（&lt;b&gt;营业执照&lt;/b&gt;模糊）'
        in html
    )

    with translation.override("en"):
        url = reverse("employers:dashboard")
    html = client.get(url).content.decode()
    assert (
        'Employer status: <strong class="warn">Failed verification</strong> '
        "(&lt;b&gt;营业执照&lt;/b&gt;模糊)" in html
    )
    assert "：" not in html.replace(employer.status_reason, "")


@pytest.mark.django_db
def test_digest_item_text_in_english():
    from django.template.loader import render_to_string

    from tests.factories import make_posting

    posting = make_posting(
        make_employer("青岛测试餐饮有限公司"),
        pay_unit="month",
        pay_min=2600,
        pay_max=3000,
        address="香港中路1号",
        weekends_off=True,
    )
    context = {"p": posting, "url": "https://example.test/jobs/1/"}
    with translation.override("zh-hans"):
        chinese = render_to_string("emails/digest.txt#item", context)
    with translation.override("en"):
        english = render_to_string("emails/digest.txt#item", context)
    assert "   薪酬：2600–3000 元/月（约合" in chinese
    assert "   地点：市南区 香港中路1号（到岗工作）" in chinese
    assert "；社保：仅工伤保险；可接送孩子；双休\n" in chinese
    assert "   Pay: " in english and " (about " in english
    assert "; Social insurance: " in english and "; School run possible; " in english
    lines = [line for line in english.splitlines() if line.startswith("   ")]
    assert len(lines) == 5, english
    for line in lines:
        assert not CJK.search(line.replace("市南区", "").replace("香港中路1号", "")), line
