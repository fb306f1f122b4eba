from celery import shared_task

from directory.moderation.services import reports_erase_contacts


@shared_task(name="directory.erase_report_contacts")
def erase_report_contacts():
    return reports_erase_contacts()
