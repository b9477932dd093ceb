"""The two weight fields give way to grading.GradeComponent (grading 0003 copied them into components
first, hence the dependency). Migrating back restores them from the components."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("seminars", "0004_outbox_keyword_arguments"),
        ("grading", "0003_components_from_weights"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="seminar", name="seminar_weights_are_percentages"),
        migrations.RemoveConstraint(model_name="seminar", name="seminar_weights_sum_to_100"),
        migrations.RemoveField(model_name="seminar", name="weight_presentation"),
        migrations.RemoveField(model_name="seminar", name="weight_report"),
    ]
