"""A PDF without its author's name, for double-blind review: the document information (Author, Creator,
Producer, Title, Subject, Keywords ...) is replaced by nothing, the XMP metadata stream is dropped, and
the author of every annotation (a comment's /T) is removed. The pages themselves are left as they are: a
name typed on the title page is the author's to leave out, as in any double-blind venue."""

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

ANNOTATION_NAMES = ("/T", "/RC")  # the annotation's author, and its rich text (which may repeat it)


def anonymised_pdf(data: bytes) -> bytes:
    reader = PdfReader(io.BytesIO(data))
    writer = PdfWriter(clone_from=reader)
    writer.metadata = None  # no document information dictionary at all (pypdf writes no Producer then)
    root = writer.root_object
    if NameObject("/Metadata") in root:
        del root[NameObject("/Metadata")]
    for page in writer.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            for name in ANNOTATION_NAMES:
                if NameObject(name) in annotation:
                    del annotation[NameObject(name)]
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
