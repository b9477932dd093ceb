"""Outbox rows store keyword arguments. Rows written before (positional arguments) are turned into
keyword arguments by the signatures their tasks had then; the mail tasks drop the language they no
longer take, since every mail now goes out in the recipient's own language."""

from django.db import migrations, models

POSITIONAL_NAMES = {
    "seminars.membership_notify": ["membership_id", "language"],
    "papers.allotment_notify": ["seminar_id", "student_id", "language", "change_id"],
    "schedule.talk_notify": ["seminar_id", "student_id", "change_id"],
    "submissions.submission_receipt_notify": ["submission_id", "language"],
    "grading.grade_notify": ["seminar_id", "student_id", "language"],
    "reminders.send": ["reminder_id"],
}


def to_keywords(apps, schema_editor):
    OutboxTask = apps.get_model("seminars", "OutboxTask")
    for row in OutboxTask.objects.all():
        names = POSITIONAL_NAMES.get(row.name)
        if names is None or len(row.args) > len(names):
            raise RuntimeError(f"outbox row {row.pk} ({row.name}{row.args}) has no known signature")
        row.kwargs = dict(zip(names, row.args, strict=False))
        row.save(update_fields=["kwargs"])


def to_positions(apps, schema_editor):
    OutboxTask = apps.get_model("seminars", "OutboxTask")
    for row in OutboxTask.objects.all():
        names = POSITIONAL_NAMES.get(row.name, [])
        row.args = [row.kwargs.get(name) for name in names if name in row.kwargs]
        row.save(update_fields=["args"])


class Migration(migrations.Migration):
    dependencies = [("seminars", "0003_seminar_module_number_and_exam_date")]

    operations = [
        migrations.AddField(
            model_name="outboxtask",
            name="kwargs",
            field=models.JSONField(default=dict, verbose_name="arguments"),
        ),
        migrations.RunPython(to_keywords, to_positions),
        migrations.RemoveField(model_name="outboxtask", name="args"),
    ]
