"""The storage of uploaded files (submissions and seminar materials), looked up by its alias in
settings.STORAGES ("submissions", the name it had before materials shared it).

A FileField evaluates its storage callable once, when the model class loads; this lazy proxy makes the
field follow the setting instead (S3 in a scaled-out deployment, a per-test folder in the tests).
"""

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class UploadStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["submissions"]


upload_storage = UploadStorage()


def uploads_storage():
    """Uploads live in their own storage, outside any public path (S3 in a scaled-out deployment); a
    FileField's `storage` callable."""
    return upload_storage


@receiver(setting_changed)
def _follow_storages_setting(*, setting, **kwargs):
    if setting == "STORAGES":
        upload_storage._wrapped = empty
