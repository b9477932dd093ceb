"""Every seminar gets its two components from its weight fields: presentation (weight_presentation) and
report (weight_report), linked to the first slides and the first report deliverable, which the sheet
linked by kind until now; every grade points to its component. Computed final grades stay the same.

Backwards: the weights and component strings come back from the components. That needs every seminar to
have exactly the components "presentation" and "report" (or none): 0004 refuses to migrate back otherwise,
before anything changes."""

from django.db import migrations
from django.db.models import OuterRef, Subquery

DEFAULTS = [
    ("presentation", "Presentation", "Vortrag", "weight_presentation", "slides"),
    ("report", "Report", "Ausarbeitung", "weight_report", "report"),
]


def components_from_weights(apps, schema_editor):
    Seminar = apps.get_model("seminars", "Seminar")
    Deliverable = apps.get_model("submissions", "Deliverable")
    GradeComponent = apps.get_model("grading", "GradeComponent")
    Grade = apps.get_model("grading", "Grade")
    first_deliverable = {}
    for deliverable in Deliverable.objects.filter(kind__in=["slides", "report"]).order_by("order", "pk"):
        first_deliverable.setdefault((deliverable.seminar_id, deliverable.kind), deliverable.pk)
    GradeComponent.objects.bulk_create(
        GradeComponent(
            seminar_id=seminar.pk,
            key=key,
            name_en=name_en,
            name_de=name_de,
            weight=getattr(seminar, weight_field),
            deliverable_id=first_deliverable.get((seminar.pk, kind)),
            order=order,
        )
        for seminar in Seminar.objects.all()
        for order, (key, name_en, name_de, weight_field, kind) in enumerate(DEFAULTS, start=1)
    )
    Grade.objects.update(
        grade_component=Subquery(
            GradeComponent.objects.filter(seminar=OuterRef("seminar"), key=OuterRef("component")).values("pk")[:1]
        )
    )


def weights_from_components(apps, schema_editor):
    Seminar = apps.get_model("seminars", "Seminar")
    GradeComponent = apps.get_model("grading", "GradeComponent")
    Grade = apps.get_model("grading", "Grade")
    weights = {}
    for component in GradeComponent.objects.all():
        weights.setdefault(component.seminar_id, {})[component.key] = component.weight
    for seminar in Seminar.objects.filter(pk__in=weights):
        seminar.weight_presentation = weights[seminar.pk]["presentation"]
        seminar.weight_report = weights[seminar.pk]["report"]
        seminar.save(update_fields=["weight_presentation", "weight_report"])
    Grade.objects.update(
        component=Subquery(GradeComponent.objects.filter(pk=OuterRef("grade_component")).values("key")),
        grade_component=None,
    )
    GradeComponent.objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("grading", "0002_gradecomponent"),
        ("submissions", "0003_pdf_active_content"),
    ]

    operations = [migrations.RunPython(components_from_weights, weights_from_components)]
