"""The outbox is shared infrastructure: its model moves to the core app. The table is renamed to
core_outboxtask here; core's first migration takes the model over without touching the database."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("seminars", "0005_remove_seminar_weights")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AlterModelTable(name="outboxtask", table="core_outboxtask")],
            state_operations=[migrations.DeleteModel(name="OutboxTask")],
        )
    ]
