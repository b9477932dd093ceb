from django.db import transaction

from .models import User


@transaction.atomic
def user_profile_update(*, user: User, full_name: str, matriculation_number: str) -> User:
    """Changes the name and matriculation number a person shows to instructors and the exam office."""
    user.full_name = full_name
    user.matriculation_number = matriculation_number
    user.save(update_fields=["full_name", "matriculation_number"])
    return user
