"""The import template the bureau downloads: the columns of directory/columns.py in order, an
example row the import skips, drop-down lists and a sheet of instructions."""

import io

from django.utils.translation import gettext as _

from directory.columns import COLUMNS
from directory.imports.reader import EXAMPLE_MARK
from employers.choices import Contract, Insurance, Sector, WorkForm
from employers.uscc import make_uscc

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# ---------------------------------------------------------------------------------------------
# The template


def _hints():
    return {
        "employer_name": _("与营业执照一致的全称。同一单位的几行可以合并单元格。"),
        "uscc": _(
            "18位，会核对校验位。已在平台登记的单位按代码匹配（名称须一致），"
            "未登记的单位自动登记入录。请把本列设为“文本”格式。"
        ),
        "title": _("不得含有限定性别、婚育的表述（如“限女性”“已婚已育”）。"),
        "sector": _("可选，从下拉列表选择；空着时使用上传时选择的行业。"),
        "openings": _("数字，例如 3。"),
        "work_form": _(
            "可选：全日制、非全日制、小时工、计件、居家灵活就业。"
            "空着时按薪资单位和工时推断（元/小时为小时工，每周不超过24小时为非全日制）。"
        ),
        "hours": _(
            "例如 8:30-11:30；两段用逗号分开：8:30-11:30,14:00-17:00；"
            "写明星期：周一至周五 9:00-15:00，周六 9:00-12:00（没写星期的按周一至周五）；"
            "时间自由写“弹性”。"
        ),
        "pay": _("例如 2000-3000元/月、20元/小时、150元/天、3元/件；不能只写“面议”。"),
        "district": _(
            "可选，例如 市南区。空着时从工作地点中识别，识别不到的归入本部门的管辖地区。"
        ),
        "address": _("工作地点。以“居家”开头表示居家工作。"),
        "contract": _(
            "可选：劳动合同、非全日制书面协议、劳务/服务协议。没有这一列或空着时，"
            "岗位上会明确显示“未注明”。"
        ),
        "insurance": _(
            "可选：五险、仅工伤保险、仅商业意外险、无社会保险。没有这一列或空着时，"
            "岗位上会明确显示“未注明”。"
        ),
        "description": _("可选。不得含有收取押金、培训费或限定性别、婚育的表述。"),
        "requirements": _("可选。规则同岗位描述。"),
        "contact_name": _("显示在岗位页面上，供求职者联系。属于个人信息，只用于该岗位。"),
        "contact_phone": _("显示在岗位页面上，供求职者联系。属于个人信息，只用于该岗位。"),
    }


TEMPLATE_EXAMPLE = {
    "employer_name": EXAMPLE_MARK + "青岛示例餐饮管理有限公司",
    "uscc": make_uscc("91370202MA3C8XR1L"),
    "title": "午市服务员",
    "sector": Sector.CATERING.label,
    "openings": 3,
    "work_form": WorkForm.PART_TIME.label,
    "hours": "周一至周五 10:30-13:30",
    "pay": "22-26元/小时",
    "district": "市南区",
    "address": "市南区香港中路10号",
    "contract": Contract.PART_TIME_AGREEMENT.label,
    "insurance": Insurance.INJURY_ONLY.label,
    "description": "负责午市点餐、上菜和翻台。",
    "requirements": "需持有效健康证（可入职后办理，费用由单位承担）。",
    "contact_name": "刘经理",
    "contact_phone": "0532-8000-0000",
}
TEXT_COLUMNS = ("uscc", "hours", "pay", "contact_phone")
LISTS = {
    "sector": Sector,
    "work_form": WorkForm,
    "contract": Contract,
    "insurance": Insurance,
}


def workbook_bytes(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_workbook():
    """The import template as XLSX bytes."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("岗位信息")
    required = PatternFill("solid", fgColor="FFE699")
    optional = PatternFill("solid", fgColor="DDEBF7")
    example_font = Font(italic=True, color="595959")
    hints = _hints()
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=str(column.header))
        cell.font = Font(bold=True)
        cell.fill = required if column.required else optional
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        note = (_("必填。") if column.required else _("选填。")) + str(hints[column.key])
        cell.comment = Comment(note, _("妈妈岗服务平台"))
        value = TEMPLATE_EXAMPLE[column.key]
        example = sheet.cell(
            row=2, column=index, value=value if isinstance(value, int) else str(value)
        )
        example.font = example_font
        sheet.column_dimensions[letter].width = 30 if column.key in ("address", "hours") else 18
        if column.key in TEXT_COLUMNS:
            # Typed as text, "8-11" stays a time range and an 18-digit code keeps every digit.
            sheet.column_dimensions[letter].number_format = "@"
            example.number_format = "@"
        if column.key in LISTS:
            labels = ",".join(str(label) for _value, label in LISTS[column.key].choices)
            validation = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=True)
            validation.showErrorMessage = False  # other wordings are understood too
            validation.add(f"{letter}2:{letter}5000")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet(_("填写说明"))
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["B"].width = 8
    notes.column_dimensions["C"].width = 90
    lines = [
        _("妈妈岗岗位汇总表：填写说明"),
        _("1. 在“岗位信息”工作表中每行填写一个岗位。列的顺序可以调整，表头上方可以有标题行。"),
        _("2. 第2行是示例（单位名称以“【示例】”开头），导入时会跳过，可以删除。"),
        _("3. 不要使用公式；合计行和表格下方的备注会被跳过。"),
        _("4. 所有行都通过检查才会导入；有错误时会列出每个错误所在的行和列，改好后重新上传即可。"),
        _("5. 每次导入生成目录的一个新批次，审核后再发布。"),
    ]
    for row, line in enumerate(lines, start=1):
        notes.cell(row=row, column=1, value=str(line)).font = Font(bold=row == 1)
    start = len(lines) + 2
    for col, title in enumerate((_("列名"), _("必填"), _("怎么填")), start=1):
        notes.cell(row=start, column=col, value=str(title)).font = Font(bold=True)
    for offset, column in enumerate(COLUMNS, start=1):
        notes.cell(row=start + offset, column=1, value=str(column.header))
        notes.cell(row=start + offset, column=2, value=str(_("是") if column.required else ""))
        notes.cell(row=start + offset, column=3, value=str(hints[column.key]))
    return workbook_bytes(workbook)
