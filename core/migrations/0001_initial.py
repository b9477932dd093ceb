"""The outbox, moved here from the seminars app (seminars.0006 renamed its table to core_outboxtask)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("seminars", "0006_outbox_to_core")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="OutboxTask",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=100, verbose_name="task")),
                        ("kwargs", models.JSONField(default=dict, verbose_name="arguments")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                        ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="hand-over attempts")),
                    ],
                    options={
                        "verbose_name": "queued task",
                        "verbose_name_plural": "queued tasks",
                        "ordering": ["created_at", "pk"],
                    },
                )
            ],
        )
    ]
