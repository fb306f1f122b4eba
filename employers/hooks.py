"""What the employers app needs from the directory app, reached through settings strings
(like AUTH_USER_MODEL) so that `employers` never imports `directory`: the phases an employer may
submit to, and the function that files a posting in one of them.
"""

from django.conf import settings
from django.utils.module_loading import import_string


def open_phases(employer):
    return import_string(settings.MOMJOBS_OPEN_PHASES)(employer)


def submission_filer(phase_id):
    return import_string(settings.MOMJOBS_SUBMISSION_FILER)(phase_id)
