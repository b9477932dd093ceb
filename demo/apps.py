from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data of `make run`: above every other app (it fills them all); nobody imports it."""

    name = "demo"
    verbose_name = "Demo data"
