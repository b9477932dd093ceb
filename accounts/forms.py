from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import User


class ProfileFieldsMixin(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    matriculation_number = forms.CharField(
        label=_("Matriculation number (optional)"),
        max_length=20,
        required=False,
        help_text=_("Your student ID number, needed for grades sent to the exam office."),
    )

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("Please enter your name."))
        return name

    def clean_matriculation_number(self):
        number = self.cleaned_data["matriculation_number"].strip()
        if number and not (number.isascii() and number.isdigit()):
            raise forms.ValidationError(_("A matriculation number has digits only."))
        others = User.objects.filter(matriculation_number=number)
        if getattr(self, "instance", None) is not None and self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if number and others.exists():
            raise forms.ValidationError(_("This matriculation number belongs to another account."))
        return number


class SignupForm(ProfileFieldsMixin):
    """allauth's ACCOUNT_SIGNUP_FORM_CLASS: the fields allauth's own sign-up form does not have."""

    def signup(self, request, user):
        user.full_name = self.cleaned_data["full_name"]
        user.matriculation_number = self.cleaned_data["matriculation_number"]
        user.save(update_fields=["full_name", "matriculation_number"])


class ProfileForm(ProfileFieldsMixin, forms.ModelForm):
    language = forms.ChoiceField(
        label=_("Language for e-mail"),
        choices=settings.LANGUAGES,
        required=False,
        help_text=_("Reminders and notices are sent in this language."),
    )

    class Meta:
        model = User
        fields = ["full_name", "matriculation_number", "language"]
