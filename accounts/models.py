from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .names import split_full_name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    """A person: e-mail is the login. Roles are per seminar (seminars.Membership), not on the user."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    # The exam office lists family and given name in two columns; full_name stays what the portal shows.
    given_name = models.CharField(
        _("given name"), max_length=150, blank=True, help_text=_("As in your student records.")
    )
    family_name = models.CharField(
        _("family name"), max_length=150, blank=True, help_text=_("As in your student records.")
    )
    matriculation_number = models.CharField(
        _("matriculation number"),
        max_length=20,
        blank=True,
        help_text=_("Your student ID number, needed for grades sent to the exam office."),
    )
    language = models.CharField(
        _("language for e-mail"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("Reminders and notices are sent in this language."),
    )
    is_staff = models.BooleanField(
        _("staff status"), default=False, help_text=_("Can log into the Django admin.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "email"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_ci_unique",
                violation_error_message=_("An account with this e-mail address already exists."),
            ),
            models.UniqueConstraint(
                fields=["matriculation_number"],
                condition=~models.Q(matriculation_number=""),
                name="user_matriculation_number_unique",
            ),
        ]

    def __str__(self):
        return f"{self.full_name} <{self.email}>" if self.full_name else self.email

    @property
    def family_and_given_name(self) -> tuple[str, str]:
        """The two parts for the exam office: as the person or an imported list gave them, else split from
        the full name (accounts.names)."""
        if self.family_name or self.given_name:
            return self.family_name, self.given_name
        return split_full_name(self.full_name)

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.get_full_name()
