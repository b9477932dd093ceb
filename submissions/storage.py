"""The storage of uploaded files, looked up by its alias in settings.STORAGES ("submissions").

A FileField evaluates its storage callable once, when the model class loads; this lazy proxy makes the
field follow the setting instead (S3 in a scaled-out deployment, a per-test folder in the tests).
"""

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class SubmissionStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["submissions"]


submission_storage = SubmissionStorage()


@receiver(setting_changed)
def _follow_storages_setting(*, setting, **kwargs):
    if setting == "STORAGES":
        submission_storage._wrapped = empty
