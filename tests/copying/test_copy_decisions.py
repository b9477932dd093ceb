"""Every model that belongs to a seminar has a decision in copying.services.DECISIONS: a new model with a
relation to Seminar (or to a model the copy copies) fails here until someone decides whether a copy takes
it along, and writes it into the table of copying/services.py."""

from django.apps import apps

from copying.services import COPIED, DECISIONS, OPTIONAL
from seminars.models import Seminar


def _label(model) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def _relations(model) -> set[str]:
    return {
        _label(field.related_model)
        for field in model._meta.get_fields()
        if field.is_relation and field.concrete and field.related_model is not None
    }


def models_that_need_a_decision() -> set[str]:
    """Seminar, the models pointing at it, and the models pointing at any model the copy takes along."""
    copied = {label for label, decision in DECISIONS.items() if decision in (COPIED, OPTIONAL)}
    targets = {_label(Seminar)} | copied
    return {_label(Seminar)} | {_label(model) for model in apps.get_models() if _relations(model) & targets}


def test_every_model_of_a_seminar_has_a_copy_decision():
    undecided = models_that_need_a_decision() - set(DECISIONS)

    assert undecided == set(), f"decide in copying/services.py whether a copy takes these along: {undecided}"


def test_the_table_names_no_model_that_is_gone_or_unrelated():
    assert set(DECISIONS) - models_that_need_a_decision() == set()


def test_the_table_in_the_docstring_names_every_decision():
    import copying.services

    table = copying.services.__doc__
    assert all(f"| {label} " in table for label in DECISIONS)
