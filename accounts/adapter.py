from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Keeps allauth's behaviour; stores e-mail addresses in lower case so that logins match."""

    def clean_email(self, email):
        return super().clean_email(email).strip().lower()
