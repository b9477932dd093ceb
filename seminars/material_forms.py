"""The forms of the materials pages (kept apart from forms.py, which holds the seminar's own forms)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import materials
from .models import Material


class MaterialEditForm(forms.ModelForm):
    """Title, place in the list and description: what an instructor changes after the upload."""

    class Meta:
        model = Material
        fields = ["title", "title_de", "order", "description", "description_de"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "description_de": forms.Textarea(attrs={"rows": 2}),
        }


class MaterialUploadForm(MaterialEditForm):
    """A new material: the fields above and the file. Who uploads and when come from the request."""

    file = forms.FileField(label=_("File"), allow_empty_file=True)

    class Meta(MaterialEditForm.Meta):
        # The file last: the browser posts the fields in this order, and a file over the size limit stops
        # the parsing of the request at the file (StopUpload), so every field before it still arrives.
        fields = ["title", "title_de", "order", "description", "description_de", "file"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = materials.accept_attribute()
        self.fields["file"].help_text = _("%(types)s, at most %(size)d MB.") % {
            "types": materials.types_label(),
            "size": materials.material_max_bytes() // (1024 * 1024),
        }
