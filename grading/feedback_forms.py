from django import forms
from django.utils.translation import gettext_lazy as _

from reviews.rubric import RubricError, from_data, parse, text_of

from .models import Feedback, GradeComponent

RUBRIC_HELP = _(
    "One criterion per line: name, optionally “: description”, then “|” and the levels separated by “/”, "
    "best first. For example: Clarity: is the argument easy to follow | excellent / good / adequate / "
    "insufficient"
)


class RubricForm(forms.Form):
    rubric = forms.CharField(
        label=_("Rubric"), required=False, widget=forms.Textarea(attrs={"rows": 6}), help_text=RUBRIC_HELP
    )

    def __init__(self, *args, component: GradeComponent, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("rubric", text_of(from_data(component.criteria)))

    def clean_rubric(self):
        try:
            return parse(self.cleaned_data["rubric"])
        except RubricError as error:
            raise forms.ValidationError(error.problems) from error


class FeedbackForm(forms.Form):
    """The examiner's form: one choice per criterion of the component's rubric (optional), a comment, and
    a file (a PDF, optional; the one saved before stays unless another is chosen or it is removed). The
    file field comes last, so a file over the limit (the upload stops reading there) loses no typed field."""

    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    remove_file = forms.BooleanField(label=_("Remove the feedback file"), required=False)
    file = forms.FileField(
        label=_("Feedback file"), required=False, help_text=_("A PDF, e.g. the report with your annotations.")
    )

    def __init__(self, *args, component: GradeComponent, feedback: Feedback | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = from_data(component.criteria)
        names = []
        for index, criterion in enumerate(self.criteria):
            name = f"criterion_{index}"
            names.append(name)
            self.fields[name] = forms.TypedChoiceField(
                label=criterion.name,
                help_text=criterion.description,
                choices=[("", _("not rated")), *enumerate(criterion.levels)],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
            if feedback is not None and index < len(feedback.ratings):
                self.initial[name] = feedback.ratings[index]
        if feedback is not None:
            self.initial.setdefault("comment", feedback.comment)
        if feedback is None or not feedback.file:
            del self.fields["remove_file"]
        self.order_fields([*names, "comment", "remove_file", "file"])

    @property
    def ratings(self) -> list[int | None]:
        return [self.cleaned_data.get(f"criterion_{index}") for index in range(len(self.criteria))]
