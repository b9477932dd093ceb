from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Permission
from django.utils import timezone

from accounts.models import User
from seminars.models import Membership, Seminar, Topic

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@uni.example")
    full_name = factory.Faker("name")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        """Every factory user can log in: allauth requires a verified address."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class SeminarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seminar

    title = factory.Sequence(lambda n: f"Seminar {n}")
    slug = factory.Sequence(lambda n: f"seminar-{n}")
    term = "Winter term 2026/27"
    state = Seminar.State.OPEN
    capacity = 20
    mandatory_prerequisites = "Machine Learning (IN2064) or equivalent"
    premeeting_start = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    seminar = factory.SubFactory(SeminarFactory)
    title = factory.Sequence(lambda n: f"Topic {n}")
    order = factory.Sequence(lambda n: n)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    seminar = factory.SubFactory(SeminarFactory)
    role = Membership.Role.STUDENT


def student_of(seminar, **kwargs) -> User:
    return MembershipFactory(seminar=seminar, role=Membership.Role.STUDENT, **kwargs).user


def instructor_of(seminar, **kwargs) -> User:
    return MembershipFactory(seminar=seminar, role=Membership.Role.INSTRUCTOR, **kwargs).user


def supervisor_of(seminar, **kwargs) -> User:
    return MembershipFactory(seminar=seminar, role=Membership.Role.SUPERVISOR, **kwargs).user


def may_run_seminars(user: User) -> User:
    """Gives `user` the site permission to create and copy seminars, as an admin does in the Django admin."""
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="seminars", codename="run_seminars")
    )
    return user
