from django.core.files.storage import storages


def private_storage():
    # Files served only through views that check access (CVs, business licences).
    return storages["private"]
