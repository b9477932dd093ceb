from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxTask(models.Model):
    """A task to hand to the broker, written in the same transaction as the change it belongs to.

    A rolled-back change leaves no row, so it sends nothing. After commit the task goes to the broker and
    the row is deleted; if the broker is down the row stays, and the periodic flush hands it over later,
    so saving never waits for or fails on the broker."""

    name = models.CharField(_("task"), max_length=100)
    kwargs = models.JSONField(_("arguments"), default=dict)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(_("hand-over attempts"), default=0)

    class Meta:
        verbose_name = _("queued task")
        verbose_name_plural = _("queued tasks")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.name}({', '.join(f'{key}={value!r}' for key, value in self.kwargs.items())})"
