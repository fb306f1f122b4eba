"""The columns of the bureau spreadsheet: the import template, the tolerant import reader and
the XLSX export all use this one list, so an exported phase can be imported again.

Each column: a key, the template's Chinese header (what bureaus write), and other headers seen
in bureaus' own sheets that mean the same. Headers are matched after removing spaces, full-width
forms and bracketed notes, so 招聘人数（人） matches 招聘人数.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    aliases: tuple = field(default_factory=tuple)
    # A sheet without this column cannot be imported at all.
    required: bool = False


COLUMNS = (
    Column(
        "employer_name",
        "单位名称",
        ("用人单位", "用人单位名称", "企业名称", "单位", "招聘单位", "企业全称"),
        True,
    ),
    Column("uscc", "统一社会信用代码", ("社会信用代码", "信用代码", "统一代码"), True),
    Column("title", "岗位名称", ("岗位", "职位", "招聘岗位", "职位名称", "招聘职位", "工种"), True),
    Column("sector", "行业", ("所属行业", "行业类别")),
    Column(
        "openings",
        "招聘人数",
        ("人数", "需求人数", "招聘数量", "岗位数量", "计划招聘人数", "用工人数"),
        True,
    ),
    Column("work_form", "用工形式", ("用工方式", "工作形式")),
    # Required by the import: a posting states its hours (or "弹性" for self-chosen hours).
    Column(
        "hours", "工作时间", ("上班时间", "工作时段", "工作时长", "工作时间段", "上班时段"), True
    ),
    Column(
        "pay",
        "薪资待遇",
        ("薪酬待遇", "薪资", "薪酬", "工资", "工资待遇", "月薪", "待遇", "薪酬标准", "工资标准"),
        True,
    ),
    Column("district", "所在区县", ("区县", "区（市）", "区市", "所属区县", "所在区市", "所在区")),
    Column("address", "工作地点", ("工作地址", "地点", "地址", "上班地点", "详细地址")),
    Column("contract", "合同形式", ("用工协议", "合同")),
    Column("insurance", "社会保险", ("社保", "保险", "五险一金")),
    Column("description", "岗位描述", ("岗位职责", "工作内容", "岗位说明")),
    Column("requirements", "岗位要求", ("任职要求", "招聘条件", "要求")),
    Column("contact_name", "联系人", ("联系人姓名",)),
    Column("contact_phone", "联系电话", ("电话", "联系方式", "手机", "咨询电话", "电话号码")),
)

BY_KEY = {column.key: column for column in COLUMNS}
