from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import User


class ProfileFieldsMixin(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    given_name = forms.CharField(
        label=_("Given name (optional)"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
        help_text=_("As in your student records; the exam office lists given and family name separately."),
    )
    family_name = forms.CharField(
        label=_("Family name (optional)"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
        help_text=_("As in your student records; the exam office lists given and family name separately."),
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

    def clean_given_name(self):
        return " ".join(self.cleaned_data["given_name"].split())

    def clean_family_name(self):
        return " ".join(self.cleaned_data["family_name"].split())

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
        fields = ["full_name", "given_name", "family_name", "matriculation_number"]
        for name in fields:
            setattr(user, name, self.cleaned_data[name])
        user.save(update_fields=fields)


class ProfileForm(ProfileFieldsMixin, forms.ModelForm):
    language = forms.ChoiceField(
        label=_("Language for e-mail"),
        choices=settings.LANGUAGES,
        required=False,
        help_text=_("Reminders and notices are sent in this language."),
    )

    class Meta:
        model = User
        fields = ["full_name", "given_name", "family_name", "matriculation_number", "language"]
