"""Grade components as rows: GradeComponent, and a second (for now empty) link from each grade to its
component beside the old component string. 0003 fills it, 0004 drops the string; the steps are separate
migrations because PostgreSQL refuses to alter a table in the transaction that wrote rows into it."""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("grading", "0001_initial"),
        ("seminars", "0004_outbox_keyword_arguments"),
        ("submissions", "0003_pdf_active_content"),
    ]

    operations = [
        migrations.CreateModel(
            name="GradeComponent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.SlugField(verbose_name="key")),
                ("name_en", models.CharField(blank=True, max_length=80, verbose_name="name in English")),
                ("name_de", models.CharField(blank=True, max_length=80, verbose_name="name in German")),
                (
                    "weight",
                    models.PositiveSmallIntegerField(
                        validators=[django.core.validators.MaxValueValidator(100)], verbose_name="weight (%)"
                    ),
                ),
                ("order", models.PositiveSmallIntegerField(default=1, verbose_name="position")),
                (
                    "deliverable",
                    models.ForeignKey(
                        blank=True,
                        help_text="The grading sheet links each student's counted file of this deliverable.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="submissions.deliverable",
                        verbose_name="linked deliverable",
                    ),
                ),
                (
                    "seminar",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="grade_components",
                        to="seminars.seminar",
                    ),
                ),
            ],
            options={
                "verbose_name": "grade component",
                "verbose_name_plural": "grade components",
                "ordering": ["seminar", "order", "pk"],
                "constraints": [
                    models.UniqueConstraint(fields=("seminar", "key"), name="grade_component_key_unique"),
                    models.CheckConstraint(condition=models.Q(("weight__lte", 100)), name="grade_component_weight_percent"),
                ],
            },
        ),
        # Nullable from here on, so that migrating back (0004 re-adds it empty) can fill it again.
        migrations.AlterField(
            model_name="grade",
            name="component",
            field=models.CharField(
                choices=[("presentation", "Presentation"), ("report", "Report")],
                max_length=16,
                null=True,
                verbose_name="component",
            ),
        ),
        migrations.AddField(
            model_name="grade",
            name="grade_component",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.RESTRICT,
                related_name="grades",
                to="grading.gradecomponent",
                verbose_name="component",
            ),
        ),
    ]
