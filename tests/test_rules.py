import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from employers.rules import find_violations, validate_wording

REFUSED_DISCRIMINATION = [
    "限女性，30-45岁",
    "仅招女性",
    "只招女士",
    "男性优先",
    "女性优先考虑",
    "已婚已育",
    "要求未婚",
    "宝妈优先",
    "限 女 性",  # spaced out to dodge a filter
    "限女，身体健康",
    "孕妇勿扰",
    "近期无生育计划",
    "ＬＩＭＩＴ 限女性",  # full-width letters around it
]
REFUSED_CHILDREN = [
    "请在附言中写明孩子的年龄和出生日期",
    "需提供子女出生证明和婚姻状况",
    "面试时请出示孩子的出生医学证明",
    "请上传孩子的照片",
    "写明小孩的就读学校和年级",
    "需提供结婚证",
    "请注明婚姻状况",
    "宝宝几岁",
]
REFUSED_DEPOSIT = [
    "入职需交押金200元",
    "需缴纳保证金",
    "收取培训费300元",
    "服装费自理",
    "先交材料费，在家做手工",
    "押 金 100",
]
ALLOWED = [
    "女装店导购",
    "妇女儿童用品店理货员",
    "母婴店店员",
    "培训提供，带薪学习",
    "公司提供免费培训",
    "不收押金",
    "无需任何保证金",
    "不收取任何费用，也不收押金",
    "培训费全免",
    "免培训费",
    "工装由公司承担，服装费公司承担",
    "妈妈岗：适合照护孩子的家长，欢迎所有照护者",
    "育婴师、育儿嫂",
    "婚庆公司布置助理",
    "男装店收银员",
    "不需要提供孩子的任何信息",
    "无需提供孩子出生证明",
    "孩子年龄不限，工作时间灵活",
    "婚姻状况不限",
    "适合需要接送孩子上学的家长",
    "可带孩子上班",
]


@pytest.mark.parametrize("text", REFUSED_DISCRIMINATION)
def test_discriminatory_wording_is_refused_citing_the_law(text):
    violations = find_violations(text)
    assert violations and all(v.rule == "discrimination" for v in violations), text
    with pytest.raises(ValidationError) as info:
        validate_wording(text)
    assert "妇女权益保障法" in info.value.messages[0]


@pytest.mark.parametrize("text", REFUSED_CHILDREN)
def test_asking_for_childrens_data_or_marital_status_is_refused_citing_the_law(text):
    violations = find_violations(text)
    assert violations and all(v.rule == "children" for v in violations), text
    with pytest.raises(ValidationError) as info:
        validate_wording(text)
    assert "个人信息保护法》第二十八条" in info.value.messages[0]
    assert "妇女权益保障法》第四十三条" in info.value.messages[0]


@pytest.mark.django_db
def test_a_posting_asking_for_childrens_birth_dates_is_not_saved(personas):
    from tests.factories import make_posting

    with pytest.raises(ValidationError) as info:
        make_posting(personas.employer_a, description="请在附言中写明孩子的年龄和出生日期。")
    assert "description" in info.value.message_dict


@pytest.mark.parametrize("text", REFUSED_DEPOSIT)
def test_deposits_and_fees_are_refused_citing_the_law(text):
    violations = find_violations(text)
    assert violations and all(v.rule == "deposit" for v in violations), text
    with pytest.raises(ValidationError) as info:
        validate_wording(text)
    assert "劳动合同法》第九条" in info.value.messages[0]


@pytest.mark.parametrize("text", ALLOWED)
def test_innocent_wording_is_allowed(text):
    assert find_violations(text) == [], text
    validate_wording(text)


def test_every_offending_term_is_named():
    violations = find_violations("限女性，需交押金")
    assert {v.rule for v in violations} == {"discrimination", "deposit"}


def test_messages_in_english():
    with translation.override("en"), pytest.raises(ValidationError) as info:
        validate_wording("需交押金")
    assert "Labour Contract Law" in info.value.messages[0]
