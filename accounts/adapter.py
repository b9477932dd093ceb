from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    """Keeps allauth's behaviour; stores e-mail addresses in lower case so that logins match, and takes
    the language a person signed up in as the language of their mail."""

    def clean_email(self, email):
        return super().clean_email(email).strip().lower()

    def save_user(self, request, user, form, commit=True):
        language = translation.get_language()
        if language in dict(settings.LANGUAGES):
            user.language = language
        return super().save_user(request, user, form, commit=commit)
