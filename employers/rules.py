"""Wording a posting may not use, in one place, each rule citing the law behind it.

1. Restrictions by sex, marriage or childbearing (限女性, 男性优先, 已婚已育, 宝妈优先 …):
   Women's Rights Law art. 43 and the 2019 notice of nine departments on regulating recruitment
   (人社部发〔2019〕17号).
2. Requests for her children's data (names, ages, birth dates, birth certificates, photos,
   schools) or for her marital status: Women's Rights Law art. 43 (no questions about marriage and
   childbearing in recruitment) and PIPL art. 28 (a minor's data is sensitive personal data).
   A mother applying here must never be asked for them; "不需要提供孩子的信息" is fine.
3. Deposits and fees demanded from the worker (押金, 保证金, 培训费, 服装费 …): Labour Contract Law
   art. 9. Deposit and "training fee" scams target mothers looking for home-based work.

Words that merely contain such characters are not refused (女装, 妇女儿童用品, 母婴店, 培训提供), and
neither is a promise *not* to charge (不收押金, 培训费全免).
"""

import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DISCRIMINATION_LAW = _(
    "《妇女权益保障法》第四十三条和人社部等九部门《关于进一步规范招聘行为促进妇女就业的通知》"
    "禁止在招聘中限定性别、婚育状况"
)
DEPOSIT_LAW = _("《劳动合同法》第九条禁止用人单位以任何名义向劳动者收取财物")
CHILDREN_LAW = _(
    "《妇女权益保障法》第四十三条禁止招聘时询问婚育情况；《个人信息保护法》第二十八条规定"
    "未成年人的个人信息属于敏感个人信息"
)

# Each pattern is matched on normalised text (NFKC, no spaces or separators).
DISCRIMINATION_PATTERNS = [
    r"(限|仅限|仅招|只招|只限|要求|招聘|招)(女性|男性|女士|男士|女生|男生|女工|男工)",
    r"(限|仅限|只限)(女|男)(?![装鞋包士性生工])",
    r"(女性|男性|女士|男士|女生|男生|男|女)优先",
    r"性别(要求|限制|不限女|限)",
    r"宝妈优先|妈妈优先|已婚优先|未婚优先|已育优先",
    r"已婚已育|已婚未育|未婚未育|已婚|未婚|已育|未育|婚育|无生育计划|近期无生育|不孕",
    r"(孕妇|怀孕|孕期|哺乳期)(者)?(勿扰|不要|除外|不招|免谈)",
]
_ASK = r"(提供|写明|填写|注明|说明|告知|上传|出示|提交|附上|写上|报上)?"
_CHILD = r"(孩子|子女|小孩|儿女|儿子|女儿|宝宝|宝贝|小朋友)"
CHILDREN_PATTERNS = [
    _ASK
    + _CHILD
    + r"(的)?(真实)?(姓名|名字|年龄|岁数|几岁|出生日期|出生年月|生日|出生证明?|出生医学证明|"
    r"户口本?|身份证|照片|就读学校|学校|班级|年级|证件)",
    _ASK + r"(出生医学证明|出生证明|准生证|独生子女证)",
    _ASK + r"(婚姻(状况|状态|情况|证明)|结婚证|离婚证|婚否|是否结婚|是否已婚|是否离异|离异)",
]
DEPOSIT_PATTERNS = [
    r"押金|保证金|风险金|抵押金",
    r"(培训|服装|工装|制服|入职|介绍|报名|材料|加盟|会员|办卡|建档|上岗证|押证)费",
]
# A promise not to charge is fine: 不收押金, 无需保证金, 免培训费, 培训费全免, 押金公司承担.
NEGATION_BEFORE = re.compile(
    r"(不收取?|无需|无须|不需要?|不用|免收?|免除|拒绝|不交|无|零|没有|绝不|从不|禁止)(任何|一切)?$"
)
NEGATION_AFTER = re.compile(
    r"^(全免|全部免除|免除|免收|全额报销|由公司承担|公司承担|由单位承担|单位承担|为零|0元)"
)
# Saying that children's data or marital status is NOT asked for, or does not matter, is fine:
# 无需提供孩子出生证明, 不看婚姻状况, 孩子年龄不限.
CHILDREN_NEGATION_BEFORE = re.compile(
    r"(不需要?|无需|无须|不用|不必|不要求|不会要求|不问|不询问|不看|不查)"
)
CHILDREN_NEGATION_AFTER = re.compile(r"^(不限|无要求|不作要求|不做要求|均可|都可以)")
# Words that contain a pattern's characters but restrict nobody.
SAFE_WORDS = [
    "女装",
    "男装",
    "女鞋",
    "男鞋",
    "妇女儿童",
    "母婴",
    "妈妈岗",
    "婚庆",
    "婚纱",
    "育婴",
    "育儿",
]

_SEPARATORS = re.compile(r"[\s\u3000·•\-_*~～/\\|.,，。、:：;；'\"“”‘’()（）\[\]【】]+")


@dataclass(frozen=True)
class Violation:
    rule: str  # "discrimination", "children" or "deposit"
    term: str
    law: str

    @property
    def message(self):
        if self.rule == "children":
            return _("“%(term)s”是在索要孩子的信息或婚姻状况，请删除。%(law)s。") % {
                "term": self.term,
                "law": self.law,
            }
        if self.rule == "discrimination":
            return _("“%(term)s”属于限定性别、婚育状况的表述，请删除。%(law)s。") % {
                "term": self.term,
                "law": self.law,
            }
        return _("“%(term)s”属于向劳动者收取费用的表述，请删除。%(law)s。") % {
            "term": self.term,
            "law": self.law,
        }


def normalise(text):
    text = unicodedata.normalize("NFKC", text or "")
    return _SEPARATORS.sub("", text)


def _masked(text):
    # Replace safe words with placeholders of the same length so positions stay comparable.
    for word in SAFE_WORDS:
        text = text.replace(word, "□" * len(word))
    return text


def find_violations(text):
    plain = _masked(normalise(text))
    found = []
    taken = []  # spans already reported for a rule: "提供子女出生证明" is one request, not two
    for rule, patterns, law in (
        ("discrimination", DISCRIMINATION_PATTERNS, DISCRIMINATION_LAW),
        ("children", CHILDREN_PATTERNS, CHILDREN_LAW),
        ("deposit", DEPOSIT_PATTERNS, DEPOSIT_LAW),
    ):
        for pattern in patterns:
            for match in re.finditer(pattern, plain):
                before = plain[max(0, match.start() - 6) : match.start()]
                after = plain[match.end() : match.end() + 6]
                if rule == "deposit" and (
                    NEGATION_BEFORE.search(before) or NEGATION_AFTER.match(after)
                ):
                    continue
                if rule == "children":
                    wide = plain[max(0, match.start() - 8) : match.start()]
                    if CHILDREN_NEGATION_BEFORE.search(wide) or CHILDREN_NEGATION_AFTER.match(
                        after
                    ):
                        continue
                    if any(
                        r == rule and a < match.end() and match.start() < b for r, a, b in taken
                    ):
                        continue
                    taken.append((rule, match.start(), match.end()))
                violation = Violation(rule, match.group(0), law)
                if violation not in found:
                    found.append(violation)
    return found


def validate_wording(value):
    """A field validator: refuses the text, citing the rule for each offending term."""
    violations = find_violations(value)
    if violations:
        raise ValidationError([v.message for v in violations], code="wording")
