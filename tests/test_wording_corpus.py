"""Our own corpus of recruitment wording (issue: wording rules that generalise): phrases that
must be refused, near-misses that must pass, and age ceilings that are warnings only. The test
prints the refusal rate and the false-refusal rate; both must be perfect on the corpus.

Sources of the phrasings: the kinds of wording in the 2019 nine-department notice on
recruitment (人社部发〔2019〕17号), deposit and "materials kit" scams bureaus warn mothers
about, and benefits that merely mention women, marriage or family."""

import pytest

from employers.rules import age_ceilings, find_violations

# (phrase, rule it breaks)
REFUSED = [
    # sex
    ("限女性，30-45岁", "discrimination"),
    ("仅招女性", "discrimination"),
    ("只招男士", "discrimination"),
    ("男性优先", "discrimination"),
    ("女生优先录用", "discrimination"),
    ("不招女性", "discrimination"),
    ("不考虑男生", "discrimination"),
    ("男士免谈", "discrimination"),
    ("女性勿扰", "discrimination"),
    ("性别要求：女", "discrimination"),
    ("限 女 性", "discrimination"),
    ("ＬＩＭＩＴ 限女性", "discrimination"),
    ("限女，身体健康", "discrimination"),
    # marriage and childbearing, stated or as a condition
    ("已婚已育", "discrimination"),
    ("要求未婚", "discrimination"),
    ("未婚未育者", "discrimination"),
    ("已育优先", "discrimination"),
    ("宝妈优先", "discrimination"),
    ("单身优先", "discrimination"),
    ("限单身", "discrimination"),
    ("婚育状况：已育", "discrimination"),
    ("近期无生育计划", "discrimination"),
    # promises and time limits
    ("承诺三年内不生育", "discrimination"),
    ("入职两年内不要二胎", "discrimination"),
    ("一年内不得怀孕", "discrimination"),
    ("签订两年内不生孩子的承诺书", "discrimination"),
    ("保证入职后不生育", "discrimination"),
    ("3年内无生育打算", "discrimination"),
    ("18个月内不准怀孕", "discrimination"),
    ("工作期间不得生二胎", "discrimination"),
    ("孕妇勿扰", "discrimination"),
    ("怀孕者不招", "discrimination"),
    ("哺乳期免谈", "discrimination"),
    ("备孕人员慎投", "discrimination"),
    # children's data and marital status
    ("请在附言中写明孩子的年龄和出生日期", "children"),
    ("需提供子女出生证明和婚姻状况", "children"),
    ("面试时请出示孩子的出生医学证明", "children"),
    ("请上传孩子的照片", "children"),
    ("写明小孩的就读学校和年级", "children"),
    ("需提供结婚证", "children"),
    ("请注明婚姻状况", "children"),
    ("宝宝几岁", "children"),
    ("是否离异请说明", "children"),
    # deposits, fees and purchases under any name
    ("入职需交押金200元", "deposit"),
    ("需缴纳保证金", "deposit"),
    ("收取培训费300元", "deposit"),
    ("服装费自理", "deposit"),
    ("工装费200元从工资中扣除", "deposit"),
    ("体检费从第一个月工资中扣", "deposit"),
    ("先交材料费，在家做手工", "deposit"),
    ("需先购买材料包，在家做手工", "deposit"),
    ("须自费购买工具包", "deposit"),
    ("自购材料，计件回收", "deposit"),
    ("押身份证", "deposit"),
    ("收取中介费", "deposit"),
    ("报名费50元", "deposit"),
    ("办卡费自理", "deposit"),
    ("押 金 100", "deposit"),
]

ALLOWED = [
    # products and places that mention women, mothers or marriage
    "女装店导购",
    "男装店收银员",
    "女鞋专柜",
    "妇女儿童用品店理货员",
    "母婴店店员",
    "婚庆公司布置助理",
    "婚纱摄影店客服",
    "育婴师、育儿嫂",
    "妈妈岗：适合照护孩子的家长，欢迎所有照护者",
    # benefits that mention marriage, family or childbearing
    "已婚员工可申请夫妻宿舍",
    "为员工配偶提供住房",
    "享受婚假、产假和育儿假",
    "缴纳生育保险",
    "按规定享受婚育假",
    "可带孩子上班",
    "适合需要接送孩子上学的家长",
    "孩子放学前下班",
    # promises not to charge or ask
    "不收押金",
    "无需任何保证金",
    "不收取任何费用，也不收押金",
    "培训费全免",
    "免培训费",
    "工装由公司承担，服装费公司承担",
    "公司提供免费培训",
    "培训提供，带薪学习",
    "材料由公司免费提供",
    "不需要提供孩子的任何信息",
    "无需提供孩子出生证明",
    "孩子年龄不限，工作时间灵活",
    "婚姻状况不限",
    "男女不限",
    "性别不限",
]

# Age ceilings: a warning to the reviewer, never a refusal.
AGE_CEILINGS = ["35岁以下", "年龄不超过45岁", "45周岁以内", "年龄在50岁", "年纪小于40岁"]


def test_the_corpus_is_large_enough():
    assert len(REFUSED) + len(ALLOWED) + len(AGE_CEILINGS) >= 80


def test_refusal_and_false_refusal_rates(capsys):
    missed = [
        (text, rule)
        for text, rule in REFUSED
        if rule not in {v.rule for v in find_violations(text)}
    ]
    false = [text for text in ALLOWED + AGE_CEILINGS if find_violations(text)]
    refusal_rate = 1 - len(missed) / len(REFUSED)
    false_rate = len(false) / len(ALLOWED + AGE_CEILINGS)
    with capsys.disabled():
        print(
            f"\nwording corpus: {len(REFUSED)} to refuse, {len(ALLOWED) + len(AGE_CEILINGS)} to pass;"
            f" refusal rate {refusal_rate:.0%}, false-refusal rate {false_rate:.0%}"
        )
    assert not missed, missed
    assert not false, false


@pytest.mark.parametrize("text", AGE_CEILINGS)
def test_age_ceilings_are_warnings_not_refusals(text):
    assert find_violations(text) == []
    assert age_ceilings(text), text
