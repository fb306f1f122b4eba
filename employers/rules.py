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
_YEARS = r"([0-9一二两三四五六七八九十半]+年|[0-9一二两三四五六七八九十]+个月)(内|之内|以内)?"
_BIRTH = r"(生育|生孩子|生小孩|要孩子|要小孩|怀孕|生二胎|生三胎|要二胎|要三胎|二胎|三胎|结婚)"
# A state of marriage or childbearing as a condition; not a benefit that mentions it
# (已婚员工可申请夫妻宿舍, 为员工配偶提供住房).
_NOT_A_BENEFIT = r"(?!(员工|职工|人员|者|人士)?的?(可|可以|享受|提供|申请|配偶|家属|夫妻))"
DISCRIMINATION_PATTERNS = [
    r"(限|仅限|仅招|只招|只限|要求|招聘|招)(女性|男性|女士|男士|女生|男生|女工|男工)",
    r"(限|仅限|只限)(女|男)(?![装鞋包士性生工])",
    r"(女性|男性|女士|男士|女生|男生|男|女)优先",
    r"不(招|要|收|考虑|录用)(女性|男性|女士|男士|女生|男生|女|男)(?![装鞋包])",
    r"(女性|男性|女士|男士|女生|男生)(勿扰|免谈|不考虑|不要|慎投|勿投)",
    r"性别(要求|限制|不限女|限)",
    r"宝妈优先|妈妈优先|已婚优先|未婚优先|已育优先|单身优先|未育优先",
    r"(限|要求|只招|仅招|仅限)单身",
    r"(已婚已育|已婚未育|未婚未育|已婚|未婚|已育|未育)" + _NOT_A_BENEFIT,
    r"婚育(状况|情况|要求)?(?!假)",
    r"无生育计划|近期无生育|不孕",
    # Promises and time limits: 承诺三年内不生育, 入职两年内不要二胎, 一年内不得怀孕.
    _YEARS + r"(不|不能|不得|不会|暂不|不准|不许|无|没有)(打算)?" + _BIRTH,
    r"(承诺|保证|确保|签订?)(入职后)?(不|暂不)" + _BIRTH,
    r"(不得|不能|不准|不许|禁止)" + _BIRTH,
    r"(孕妇|怀孕|孕期|哺乳期|备孕)(者|期间|的|人员)?(勿扰|不要|除外|不招|免谈|不考虑|慎投)",
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
    r"押金|保证金|风险金|抵押金|押(身份证|证件|毕业证)",
    r"(培训|服装|工装|制服|入职|介绍|报名|材料|加盟|会员|办卡|建档|上岗证|押证|体检|中介|"
    r"手续|管理|办证|工牌|考试|资料|代理|激活|工本)费",
    # Purchases the worker must make to get the work: the home-handicraft "materials kit" scam.
    r"(需|须|必须|要|先|需要|需先|须先)(自费|自行|个人)?(购买|购|买|订购|采购|缴纳|交纳|支付|付)"
    r"(材料|原料|工具|设备|产品|货品|样品|套装|材料包|工具包|手工包|学习资料|教材)",
    r"(自购|自费购买)(材料|原料|工具|设备|产品|材料包|工具包)",
    r"(从|在)?(工资|薪资|薪水|第一个月工资)中?(扣除?|扣款|抵扣)",
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
    "婚假",
    "婚育假",
    "产假",
    "生育津贴",
    "生育保险",
    "配偶",
]

# Not refused: an age ceiling is a warning for the reviewer to weigh (a post may have a lawful
# reason, such as heavy lifting), shown on the review page and to the employer.
AGE_CEILING = re.compile(
    r"(年龄)?(\d{2})(周?岁)(以下|以内|之内|及以下)|(年龄|年纪)(不超过|不大于|不得超过|小于|低于|在)(\d{2})(周?岁)?"
)

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
                # One phrase is one finding: "一年内不得怀孕" is not also "不得怀孕".
                if any(r == rule and a < match.end() and match.start() < b for r, a, b in taken):
                    continue
                taken.append((rule, match.start(), match.end()))
                violation = Violation(rule, match.group(0), law)
                if violation not in found:
                    found.append(violation)
    return found


def age_ceilings(text):
    """Age limits in the text (35岁以下, 年龄不超过45岁): for the reviewer, not a refusal."""
    return [m.group(0) for m in AGE_CEILING.finditer(normalise(text))]


def validate_wording(value):
    """A field validator: refuses the text, citing the rule for each offending term."""
    violations = find_violations(value)
    if violations:
        raise ValidationError([v.message for v in violations], code="wording")
