"""Permission-matrix rows for the routes of one feature (see tests/matrix_base.py for Row and
the personas, tests/test_permission_matrix.py for the world the rows run in).

MATRIX: route name -> rows, as in the main table. CASES: case name -> function(world, client)
returning URL kwargs; it may create the objects it needs (world.personas holds the personas,
world.objects the shared objects).

Spreadsheet imports (directory/imports/views.py): bureau staff only (others 403, the admin too:
not a bureau's staff); an import is seen by the staff of its own bureau (Linyi's officer: 404).
"""

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from directory.models import ImportJob
from employers.uscc import make_uscc
from tests.matrix_base import LOGIN, PERSONAS, SETUP, Redirect, Row  # noqa: F401

DETAIL = Redirect("bureau:import_detail")


def _sheet():
    workbook = openpyxl.Workbook()
    workbook.active.append(
        ["单位名称", "统一社会信用代码", "岗位名称", "招聘人数", "工作时间", "薪资待遇"]
    )
    workbook.active.append(
        ["青岛丙餐饮有限公司", make_uscc("91370202MA3M8TRX1"), "帮厨", 2, "9:00-12:00", "22元/小时"]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(world):
    # A fresh file for every persona's request (a file object is read once).
    return {
        "catalog": world.objects["published_phase"].catalog_id,
        "title": "第9批",
        "default_sector": "catering",
        "file": SimpleUploadedFile("岗位.xlsx", _sheet()),
    }


def _job(world, client):
    catalog = world.objects["published_phase"].catalog  # Qingdao's
    job = ImportJob.objects.create(
        bureau=catalog.bureau,
        catalog=catalog,
        phase_title="第9批",
        original_name="岗位.xlsx",
        uploaded_by=world.personas.bureau_inside,
    )
    return {"pk": job.pk}


# fmt: off
#                                anon    seek_a  seek_b  empl_a  empl_b  bur_in  bur_out admin   bur_no2fa
MATRIX = {
    "bureau:import_list": [
        Row("GET",              (LOGIN,  403,    403,    403,    403,    200,    200,    403,    SETUP)),
    ],
    "bureau:import_new": [
        Row("GET",              (LOGIN,  403,    403,    403,    403,    200,    200,    403,    SETUP)),
        # No file: the form again, with its errors.
        Row("POST",             (LOGIN,  403,    403,    403,    403,    200,    200,    403,    SETUP),
            data={"title": "第9批"}),
        # Qingdao's catalog: queued for Qingdao's officer; not a choice for Linyi's (the form).
        Row("POST",             (LOGIN,  403,    403,    403,    403,    DETAIL, 200,    403,    SETUP),
            data=_upload),
    ],
    "bureau:import_template": [
        Row("GET",              (LOGIN,  403,    403,    403,    403,    200,    200,    403,    SETUP)),
    ],
    "bureau:import_detail": [
        Row("GET",              (LOGIN,  403,    403,    403,    403,    200,    404,    403,    SETUP), case="import_job"),
        Row("GET",              (LOGIN,  403,    403,    403,    403,    404,    404,    403,    SETUP), case="missing_id"),
    ],
}
# fmt: on
CASES = {"import_job": _job}
