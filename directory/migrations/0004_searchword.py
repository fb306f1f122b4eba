# The SearchWord table and its default rows: the everyday words a mother types that mean a filter
# of the job search (directory/search/words.py reads them). Bureaus extend the table in the admin;
# the defaults are written here, frozen, so that later code changes never change this migration.

from django.db import migrations, models

WEEKENDS = "6-7@00:00-24:00"
EVENINGS = "1-7@17:00-24:00"
NIGHTS = "1-7@20:00-08:00"
MORNINGS = "1-7@05:00-13:00"
AFTERNOONS = "1-7@12:00-18:00"
DAYTIME = "1-7@06:00-19:00"

# Everything but full-time: a mother who types 兼职 means "not full-time", and 在家兼职 must find
# home-based piece work (居家灵活就业) too.
PART = {"form": ["part_time", "hourly", "piece_rate", "home_based"]}
FULL = {"form": ["full_time"]}
HOME = {"place": ["home"]}
ONLINE = {"place": ["home", "hybrid"]}
SCHOOL_RUN = {"school_run": True}
WEEKENDS_OFF = {"weekends": True}
INSURED = {"insurance": ["full"]}
LEAVE = {"childcare_leave": True}
NO_OVERTIME = {"no_overtime": True}

# (word, filters, drop, note). drop: the word leaves the words search. No filters and drop: the
# word means nothing to the search. No filters and no drop: a longer word kept whole, so that a
# shorter word inside it does not match (居家养老 is care work, not work from home).
DEFAULT_WORDS = [
    # --- work form -------------------------------------------------------------------------
    (
        "兼职",
        PART,
        True,
        "兼职：全日制以外的用工形式，即非全日制、小时工、计件和居家灵活就业"
        "（“在家兼职”也要找到居家计件的手工活）。",
    ),
    ("非全职", PART, True, "同“兼职”。"),
    ("非全日制", {"form": ["part_time"]}, True, "非全日制用工（《劳动合同法》第六十八条）。"),
    ("全职", FULL, True, "全职：全日制用工。“全职妈妈”“全职宝妈”指在家带孩子的妈妈，另有词条，不算全职。"),
    ("全日制", FULL, True, "全日制用工。"),
    ("小时工", {"form": ["hourly"]}, True, "小时工（按小时计酬）。"),
    (
        "零工",
        {"form": ["hourly", "piece_rate", "home_based"]},
        True,
        "零工：小时工、计件和居家灵活就业（不含排固定班次的非全日制）。",
    ),
    (
        "计件",
        {},
        False,
        "作为关键词查找：按件计酬的岗位正文都写“计件”，而“计件”用工形式的筛选会漏掉"
        "按件计酬的居家灵活就业岗位。",
    ),
    # --- where -----------------------------------------------------------------------------
    ("在家", HOME, True, "在家工作：只看居家工作的岗位（不含到岗与居家结合）。"),
    ("在家里", HOME, True, "同“在家”。"),
    ("居家", HOME, True, "同“在家”。“居家养老”“居家保洁”是服务类别，另有词条，不算居家工作。"),
    ("在家办公", HOME, True, "同“在家”。"),
    ("居家办公", HOME, True, "同“在家”。"),
    ("线上", ONLINE, True, "线上工作：居家工作，或到岗与居家结合的岗位。"),
    ("网上", ONLINE, True, "同“线上”。"),
    ("远程", ONLINE, True, "同“线上”。"),
    (
        "不坐班",
        ONLINE,
        True,
        "不用每天到单位坐班：居家工作，或到岗与居家结合。“自选工作时间”的岗位暂无对应筛选。",
    ),
    ("不用坐班", ONLINE, True, "同“不坐班”。"),
    ("居家养老", {}, False, "服务类别（上门照护老人），不是居家工作：作为关键词查找，不筛选工作方式。"),
    ("居家保洁", {}, False, "服务类别（上门家庭保洁），不是居家工作：作为关键词查找，不筛选工作方式。"),
    # --- when ------------------------------------------------------------------------------
    (
        "周末",
        {"fits": WEEKENDS},
        True,
        "周末上班（家人周末在家带孩子）：工作时间全部在周六、周日的岗位，以及自选工作时间的岗位。"
        "周末休息请搜“双休”。",
    ),
    ("周末班", {"fits": WEEKENDS}, True, "同“周末”。"),
    ("双休日", {"fits": WEEKENDS}, True, "同“周末”（双休日上班）。"),
    ("周六日", {"fits": WEEKENDS}, True, "同“周末”。"),
    ("晚班", {"fits": EVENINGS}, True, "晚上上班：工作时间全部在17:00-24:00的岗位，以及自选工作时间的岗位。"),
    ("晚上", {"fits": EVENINGS}, True, "同“晚班”。"),
    ("夜班", {"fits": NIGHTS}, True, "夜间上班：工作时间全部在20:00至次日08:00的岗位，以及自选工作时间的岗位。"),
    ("早班", {"fits": MORNINGS}, True, "早上上班：工作时间全部在05:00-13:00的岗位，以及自选工作时间的岗位。"),
    ("早上", {"fits": MORNINGS}, True, "同“早班”。"),
    ("上午", {"fits": MORNINGS}, True, "同“早班”。"),
    ("下午", {"fits": AFTERNOONS}, True, "下午上班：工作时间全部在12:00-18:00的岗位，以及自选工作时间的岗位。"),
    ("白班", {"fits": DAYTIME}, True, "白天上班：工作时间全部在06:00-19:00的岗位，以及自选工作时间的岗位。"),
    ("白天", {"fits": DAYTIME}, True, "同“白班”。"),
    # --- pay and duration: no filter says them ---------------------------------------------
    ("日结", {}, False, "没有按结算周期的筛选（薪酬单位“元/天”不等于按天结算）：作为关键词查找。"),
    ("周结", {}, False, "没有按结算周期的筛选：作为关键词查找。"),
    (
        "长期",
        {},
        True,
        "岗位都是持续用工，没有按期限的筛选：不作限制。去掉这个词，以免只找到正文碰巧写了“长期招聘”的岗位。",
    ),
    # --- the programme itself: every post is a Mom Job --------------------------------------
    ("宝妈", {}, True, "所有岗位都是妈妈岗：不作限制。"),
    ("妈妈", {}, True, "所有岗位都是妈妈岗：不作限制。"),
    ("妈妈岗", {}, True, "所有岗位都是妈妈岗：不作限制。"),
    ("宝妈岗", {}, True, "所有岗位都是妈妈岗：不作限制。"),
    ("全职妈妈", {}, True, "在家带孩子的妈妈（不是全职工作）：不作限制。"),
    ("全职宝妈", {}, True, "同“全职妈妈”：不作限制。"),
    # --- words that only carry the sentence: no post is found by them, or posts at random ---
    ("的", {}, True, "虚词：不作限制（“的”只出现在部分岗位正文里，留着会随机漏掉岗位）。"),
    ("找", {}, True, "虚词：不作限制（“找兼职”不应只剩“找”去查）。"),
    ("想找", {}, True, "同“找”。"),
    ("找工作", {}, True, "泛指：不作限制。"),
    ("工作", {}, True, "泛指：不作限制。"),
    ("岗位", {}, True, "泛指：不作限制（只有部分岗位正文写了“岗位”）。"),
    ("职位", {}, True, "泛指：不作限制。"),
    ("招聘", {}, True, "泛指：不作限制。"),
    ("求职", {}, True, "泛指：不作限制。"),
    ("适合", {}, True, "泛指：不作限制（“适合宝妈的工作”就是全部岗位）。"),
    ("们", {}, True, "虚词：不作限制（“宝妈们”）。"),
    ("我", {}, True, "虚词：不作限制。"),
    ("想", {}, True, "虚词：不作限制。"),
    ("要", {}, True, "虚词：不作限制。"),
    ("有", {}, True, "虚词：不作限制（“有双休”“有社保”）。"),
    ("做", {}, True, "虚词：不作限制（“在家做的工作”）。"),
    ("可", {}, True, "虚词：不作限制（“可接送孩子”）。"),
    ("可以", {}, True, "虚词：不作限制。"),
    ("能", {}, True, "虚词：不作限制（“能接送孩子”）。"),
    ("方便", {}, True, "虚词：不作限制（“方便接送孩子”）。"),
    ("一份", {}, True, "虚词：不作限制。"),
    ("有没有", {}, True, "虚词：不作限制。"),
    # --- children --------------------------------------------------------------------------
    ("接送孩子", SCHOOL_RUN, True, "可接送孩子：班次避开上学和放学时段。"),
    ("接送小孩", SCHOOL_RUN, True, "同“接送孩子”。"),
    ("接孩子", SCHOOL_RUN, True, "同“接送孩子”。"),
    ("送孩子", SCHOOL_RUN, True, "同“接送孩子”。"),
    ("接娃", SCHOOL_RUN, True, "同“接送孩子”。"),
    ("接送娃", SCHOOL_RUN, True, "同“接送孩子”。"),
    (
        "可带娃",
        SCHOOL_RUN,
        True,
        "能兼顾带孩子：没有“可带孩子上班”的字段，按“可接送孩子”筛选；居家的岗位请搜“在家”。"
        "单独的“带娃”“带孩子”不在此列：那可能是在找育儿嫂、托育等照护孩子的工作。",
    ),
    ("能带娃", SCHOOL_RUN, True, "同“可带娃”。"),
    ("可以带娃", SCHOOL_RUN, True, "同“可带娃”。"),
    ("可带孩子", SCHOOL_RUN, True, "同“可带娃”。"),
    ("方便带娃", SCHOOL_RUN, True, "同“可带娃”。"),
    # --- rights ----------------------------------------------------------------------------
    ("双休", WEEKENDS_OFF, True, "周末双休（周六、周日不上班）。"),
    ("周末双休", WEEKENDS_OFF, True, "同“双休”（不是周末上班）。"),
    ("周末休息", WEEKENDS_OFF, True, "同“双休”。"),
    ("周末不上班", WEEKENDS_OFF, True, "同“双休”。"),
    ("五险", INSURED, True, "缴纳五项社会保险。"),
    ("五险一金", INSURED, True, "按“五险”筛选；住房公积金没有对应的字段。"),
    ("社保", INSURED, True, "缴纳社会保险：按“五险（社会保险齐全）”筛选。"),
    ("劳动合同", {"contract": ["labour"]}, True, "签订劳动合同。"),
    ("育儿假", LEAVE, True, "提供育儿假/看护假。"),
    ("看护假", LEAVE, True, "同“育儿假”。"),
    ("不加班", NO_OVERTIME, True, "不强制加班。"),
    ("不强制加班", NO_OVERTIME, True, "同“不加班”。"),
    ("无加班", NO_OVERTIME, True, "同“不加班”。"),
    ("不用加班", NO_OVERTIME, True, "同“不加班”。"),
]


def add_default_words(apps, schema_editor):
    SearchWord = apps.get_model("directory", "SearchWord")
    for word, filters, drop, note in DEFAULT_WORDS:
        # A word a bureau already wrote stays as the bureau wrote it.
        SearchWord.objects.get_or_create(
            word=word, defaults={"filters": filters, "drop": drop, "note": note, "active": True}
        )


def remove_default_words(apps, schema_editor):
    SearchWord = apps.get_model("directory", "SearchWord")
    SearchWord.objects.filter(word__in=[row[0] for row in DEFAULT_WORDS]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("directory", "0003_bureau_tools"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("word", models.CharField(help_text="求职者可能输入的词，例如“兼职”。全角半角、大小写不区分。", max_length=20, unique=True, verbose_name="词语")),
                ("filters", models.JSONField(blank=True, default=dict, help_text='搜索参数及取值，例如 {"form": ["part_time", "hourly"]}。可用：form、place、sector、contract、insurance（选项代码列表，满足其一即可）；school_run、weekends、childcare_leave、no_overtime（true）；fits（空闲时间，例如 "1-7@17:00-24:00"）。', verbose_name="对应筛选")),
                ("drop", models.BooleanField(default=True, help_text="勾选：这个词不再作为关键词查找（筛选为空时即不作限制，匹配全部岗位）。不勾选：保留为关键词，同时应用上面的筛选。", verbose_name="从关键词中去掉")),
                ("note", models.CharField(max_length=300, verbose_name="含义说明")),
                ("active", models.BooleanField(default=True, verbose_name="启用")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
            ],
            options={
                "verbose_name": "搜索用语",
                "verbose_name_plural": "搜索用语",
                "ordering": ["word"],
            },
        ),
        migrations.RunPython(add_default_words, remove_default_words),
    ]
