"""Grade.component is the foreign key to the grade component (filled by 0003); the old string goes.

Migrating back is possible while every seminar has exactly the components "presentation" and "report"
(or none: the defaults), whose weights the seminar's two weight fields can hold again. Otherwise it is
refused before anything changes (the check is the last operation, so it runs first backwards): the old
schema has no place for a third component or its grades."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.migrations.exceptions import IrreversibleError

FIXED = {"presentation", "report"}


def refuse_unless_two_fixed_components(apps, schema_editor):
    GradeComponent = apps.get_model("grading", "GradeComponent")
    components = {}
    for slug, key, weight in GradeComponent.objects.values_list("seminar__slug", "key", "weight"):
        components.setdefault(slug, {})[key] = weight
    refused = sorted(
        slug for slug, weights in components.items() if set(weights) != FIXED or sum(weights.values()) != 100
    )
    if refused:
        raise IrreversibleError(
            "Cannot migrate grading back to two fixed components: these seminars have other grade "
            f"components than presentation and report: {', '.join(refused)}. Remove the others on their "
            "grade components page first (a component with grades cannot be removed)."
        )


class Migration(migrations.Migration):

    dependencies = [
        ("grading", "0003_components_from_weights"),
        ("seminars", "0005_remove_seminar_weights"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="grade", name="grade_one_per_component"),
        migrations.RemoveField(model_name="grade", name="component"),
        migrations.RenameField(model_name="grade", old_name="grade_component", new_name="component"),
        migrations.AlterField(
            model_name="grade",
            name="component",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.RESTRICT,
                related_name="grades",
                to="grading.gradecomponent",
                verbose_name="component",
            ),
        ),
        migrations.AddConstraint(
            model_name="grade",
            constraint=models.UniqueConstraint(fields=("component", "student"), name="grade_one_per_component"),
        ),
        migrations.AlterModelOptions(
            name="grade",
            options={
                "ordering": ["seminar", "student__full_name", "component__order"],
                "verbose_name": "grade",
                "verbose_name_plural": "grades",
            },
        ),
        migrations.RunPython(migrations.RunPython.noop, refuse_unless_two_fixed_components),
    ]
