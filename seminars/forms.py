import zoneinfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.forms import LocalDateTimeField, ZonedTimesMixin

from . import creation
from .models import Announcement, Membership, Seminar, validate_slug_not_reserved


class EnrolForm(forms.Form):
    confirm_prerequisites = forms.BooleanField(
        label=_("I meet the mandatory prerequisites listed above."), required=False
    )

    def __init__(self, *args, seminar: Seminar, **kwargs):
        super().__init__(*args, **kwargs)
        self.seminar = seminar
        if not seminar.mandatory_prerequisite_list:
            del self.fields["confirm_prerequisites"]

    def clean_confirm_prerequisites(self):
        if not self.cleaned_data["confirm_prerequisites"]:
            raise forms.ValidationError(_("Please confirm that you meet the mandatory prerequisites."))
        return True


def _time_zone_choices():
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


# The German versions of the page's texts (core.languages), edited beside the English ones.
GERMAN_FIELDS = [
    "title_de",
    "focus_de",
    "topics_intro_de",
    "topics_outro_de",
    "mandatory_prerequisites_de",
    "recommended_prerequisites_de",
    "objectives_intro_de",
    "objectives_de",
    "evaluation_de",
    "premeeting_description_de",
]


class SeminarForm(ZonedTimesMixin, forms.ModelForm):
    zoned_fields = ("premeeting_start", "premeeting_end", "withdrawal_deadline")
    topics = forms.CharField(
        label=_("Topics"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("One topic per line, in the order they are shown."),
    )
    topics_de = forms.CharField(
        label=_("Topics in German"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_(
            "The German title of each topic above, on the same line; an empty line keeps the English."
        ),
    )
    premeeting_start = LocalDateTimeField(label=_("Pre-course meeting starts"), required=False)
    premeeting_end = LocalDateTimeField(label=_("Pre-course meeting ends"), required=False)
    withdrawal_deadline = LocalDateTimeField(
        label=_("Students may withdraw until"),
        required=False,
        help_text=_(
            "Until then a student can withdraw from the seminar on its page; afterwards only an instructor "
            "can withdraw them. Empty: only an instructor can."
        ),
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=_time_zone_choices)

    fieldsets = [
        (
            _("The seminar"),
            ["title", "title_de", "term", "state", "capacity", "withdrawal_deadline", "contact_email"]
            + ["papers_public"],
        ),
        (
            _("Pre-course meeting"),
            [
                "premeeting_start",
                "premeeting_end",
                "premeeting_location",
                "premeeting_url",
                "premeeting_recording_url",
                "premeeting_slides_url",
                "premeeting_description",
                "premeeting_description_de",
            ],
        ),
        (
            _("Page text"),
            ["focus", "focus_de", "topics_intro", "topics_intro_de", "topics", "topics_de"]
            + ["topics_outro", "topics_outro_de"],
        ),
        (
            _("Prerequisites and objectives"),
            ["mandatory_prerequisites", "mandatory_prerequisites_de", "recommended_prerequisites"]
            + ["recommended_prerequisites_de", "objectives_intro", "objectives_intro_de", "objectives"]
            + ["objectives_de"],
        ),
        (
            _("Evaluation and grading"),
            ["evaluation", "evaluation_de", "module_number", "exam_date"],
        ),
        (_("Time"), ["time_zone"]),
    ]

    class Meta:
        model = Seminar
        fields = [
            "title",
            "term",
            "state",
            "capacity",
            "withdrawal_deadline",
            "premeeting_start",
            "premeeting_end",
            "premeeting_location",
            "premeeting_url",
            "premeeting_recording_url",
            "premeeting_slides_url",
            "premeeting_description",
            "focus",
            "topics_intro",
            "topics_outro",
            "mandatory_prerequisites",
            "recommended_prerequisites",
            "objectives_intro",
            "objectives",
            "evaluation",
            "module_number",
            "exam_date",
            "time_zone",
            "contact_email",
            "papers_public",
            *GERMAN_FIELDS,
        ]
        widgets = {
            "exam_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        } | {
            name: forms.Textarea(attrs={"rows": 4})
            for name in [
                "focus",
                "topics_intro",
                "topics_outro",
                "mandatory_prerequisites",
                "recommended_prerequisites",
                "objectives_intro",
                "objectives",
                "evaluation",
                "premeeting_description",
            ]
            + [name for name in GERMAN_FIELDS if name != "title_de"]
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.show_in_zone(self.instance.zone)
        topics = list(self.instance.topics.values_list("title", "title_de"))
        self.initial["topics"] = "\n".join(title for title, _german in topics)
        self.initial["topics_de"] = "\n".join(german for _title, german in topics)

    def clean_topics(self):
        titles = []
        for line in self.cleaned_data["topics"].splitlines():
            title = " ".join(line.split())
            if len(title) > 200:
                raise forms.ValidationError(_("A topic may have at most 200 characters."))
            if title and title not in titles:
                titles.append(title)
        return titles

    def clean_topics_de(self):
        titles = [" ".join(line.split()) for line in self.cleaned_data["topics_de"].splitlines()]
        if any(len(title) > 200 for title in titles):
            raise forms.ValidationError(_("A topic may have at most 200 characters."))
        return titles

    def clean(self):
        cleaned = super().clean()
        english, german = cleaned.get("topics"), cleaned.get("topics_de")
        if english is not None and german is not None:
            while german and not german[-1]:
                german.pop()
            if len(german) > len(english):
                self.add_error(
                    "topics_de",
                    _("%(german)d German lines for %(english)d topics: one line per topic, please.")
                    % {"german": len(german), "english": len(english)},
                )
            else:
                cleaned["topics_de"] = german + [""] * (len(english) - len(german))
        zone_name = cleaned.get("time_zone")
        if zone_name:
            self.place_in_zone(cleaned, zoneinfo.ZoneInfo(zone_name))
        start, end = cleaned.get("premeeting_start"), cleaned.get("premeeting_end")
        if start and end and end <= start and "premeeting_end" not in self.errors:
            self.add_error("premeeting_end", _("The meeting must end after it starts."))
        if end and not start and "premeeting_start" not in self.errors:
            self.add_error("premeeting_start", _("Please give the start as well as the end."))
        return cleaned

    def _post_clean(self):
        # Model validation happens in the service (full_clean); the form only parses and checks its fields.
        pass

    def grouped_fields(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.fieldsets]

    def seminar_fields(self) -> dict:
        return {
            name: value for name, value in self.cleaned_data.items() if name not in ("topics", "topics_de")
        }


class StudentImportForm(forms.Form):
    student_list = forms.FileField(
        label=_("Student list (CSV)"),
        help_text=_(
            "First line: e-mail, name, matriculation number (optional). Comma or semicolon separated, "
            "UTF-8 or Windows encoding, at most 1 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_student_list(self):
        upload = self.cleaned_data["student_list"]
        if upload.size > settings.SEMINAR_IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB. Is it really a student list?"))
        return upload.read()


STAFF_ROLE_CHOICES = [
    (Membership.Role.SUPERVISOR, Membership.Role.SUPERVISOR.label),
    (Membership.Role.INSTRUCTOR, Membership.Role.INSTRUCTOR.label),
]


class StaffInviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    full_name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        help_text=_("Only needed when the person has no account yet."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=STAFF_ROLE_CHOICES, initial=Membership.Role.SUPERVISOR)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=STAFF_ROLE_CHOICES)


class ExportFormatForm(forms.Form):
    file_format = forms.ChoiceField(choices=[("csv", "CSV"), ("xlsx", "XLSX")])


class AnnouncementForm(forms.Form):
    audience = forms.ChoiceField(
        label=_("To"),
        choices=Announcement.Audience.choices,
        widget=forms.RadioSelect,
        initial=Announcement.Audience.STUDENTS,
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=None,
        required=False,
        empty_label=_("(choose a topic)"),
        help_text=_("Only for a message to the students of one topic."),
    )
    subject = forms.CharField(label=_("Subject"), max_length=150)
    body = forms.CharField(
        label=_("Message"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Plain text. Replies go to your own e-mail address, never to everyone."),
    )
    subject_de = forms.CharField(
        label=_("Subject in German"),
        max_length=150,
        required=False,
        help_text=_("Optional: readers of German get this instead (the others the English one)."),
    )
    body_de = forms.CharField(
        label=_("Message in German"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args, seminar: Seminar, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = seminar.topics.order_by("order", "title")
        if not seminar.topics.exists():
            self.fields["audience"].choices = [
                choice for choice in Announcement.Audience.choices if choice[0] != Announcement.Audience.TOPIC
            ]
            del self.fields["topic"]

    def clean_subject(self):
        return " ".join(self.cleaned_data["subject"].split())

    def clean_subject_de(self):
        return " ".join(self.cleaned_data["subject_de"].split())

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("audience") == Announcement.Audience.TOPIC and not cleaned.get("topic"):
            self.add_error("topic", _("Please choose the topic whose students get the message."))
        if cleaned.get("audience") != Announcement.Audience.TOPIC:
            cleaned["topic"] = None
        return cleaned


class NewSeminarFieldsMixin:
    """Title, address and term of a new seminar (created or copied): an empty address is made from the
    title; a taken one is refused with a free one to take instead."""

    def clean_slug(self):
        slug = self.cleaned_data.get("slug", "")
        if slug:
            validate_slug_not_reserved(slug)
        if slug and not creation.slug_is_free(slug):
            raise forms.ValidationError(
                _(
                    "The address “%(slug)s” is taken by another seminar. Please choose another, for example "
                    "“%(free)s”."
                ),
                params={"slug": slug, "free": creation.slug_suggest(slug)},
            )
        return slug

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("slug") and cleaned.get("title") and "slug" not in self.errors:
            cleaned["slug"] = creation.slug_suggest(cleaned["title"])
        return cleaned


def slug_field() -> forms.SlugField:
    return forms.SlugField(
        label=_("Short name in the address"),
        max_length=creation.SLUG_MAX_LENGTH,
        required=False,
        help_text=_(
            "Lower-case letters, digits and hyphens, for example “deep-learning-theory-ws26”. Empty: made "
            "from the title."
        ),
    )


class SeminarCreateForm(NewSeminarFieldsMixin, forms.ModelForm):
    """The essentials of a new seminar; the rest is on the seminar's edit page."""

    slug = slug_field()
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=_time_zone_choices, initial="Europe/Berlin")

    class Meta:
        model = Seminar
        fields = ["title", "slug", "term", "time_zone", "capacity"]

    def _post_clean(self):
        # Model validation happens in the service (full_clean); the form only parses and checks its fields.
        pass
