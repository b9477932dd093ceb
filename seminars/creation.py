"""A new seminar, made in the portal by a person with the site permission to run seminars
(seminars.create): its address, its first instructor, and the draft state it starts in."""

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from accounts.models import User

from . import rules
from .exceptions import SlugTakenError
from .models import RESERVED_SLUGS, Membership, Seminar

SLUG_MAX_LENGTH = Seminar._meta.get_field("slug").max_length


def slug_is_free(slug: str) -> bool:
    return slug not in RESERVED_SLUGS and not Seminar.objects.filter(slug=slug).exists()


def slug_suggest(text: str) -> str:
    """A free address made from a title or a taken address: the text as a slug ("seminar" when nothing of
    it is left), then -2, -3 ... until no seminar has it."""
    base = slugify(text)[: SLUG_MAX_LENGTH - 4].strip("-") or "seminar"
    taken = set(Seminar.objects.filter(slug__startswith=base).values_list("slug", flat=True)) | RESERVED_SLUGS
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


@transaction.atomic
def seminar_create(
    *, by: User, title: str, slug: str, term: str, time_zone: str, capacity: int, **details
) -> Seminar:
    """Creates a seminar as a draft (only its members see it) with `by` as its only instructor. `details` are
    further Seminar fields (a copy passes the source's texts and moved dates). Locks nothing: the unique
    constraint on the slug decides between two creations with one address, and the second gets
    SlugTakenError (with a free address to suggest), as does a reserved or taken slug."""
    if slug in RESERVED_SLUGS:
        raise SlugTakenError(slug, slug_suggest(slug))
    seminar = Seminar(
        title=title,
        slug=slug,
        term=term,
        time_zone=time_zone,
        capacity=capacity,
        **details,
        state=Seminar.State.DRAFT,
    )
    seminar.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            seminar.save()
    except IntegrityError as taken:
        raise SlugTakenError(slug, slug_suggest(slug)) from taken
    Membership.objects.create(
        seminar=seminar, user=by, role=Membership.Role.INSTRUCTOR, source=Membership.Source.CREATED
    )
    rules.forget_roles(by)
    return seminar
