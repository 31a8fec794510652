"""factory-boy factories shared by every test folder."""

import factory
from django.contrib.auth.models import Group

from apps.accounts.models import User
from apps.companies.models import Company, CompanyKind, Membership, Role, VerificationStatus

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def persist_password(self, create, extracted, **kwargs):
        if create:
            self.save()


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    name = factory.Sequence(lambda n: f"company:test:{n}")


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    kind = CompanyKind.BIOTECH
    country = "CN"
    name_en = factory.Sequence(lambda n: f"Fictional Bio {n}")
    name_zh = factory.Sequence(lambda n: f"虚构生物{n}")
    verification_status = VerificationStatus.VERIFIED
    group = factory.SubFactory(GroupFactory)


def add_member(company: Company, user: User, role: str = Role.MEMBER) -> Membership:
    """Join the way the service does: membership plus the company's guardian group."""
    membership = Membership.objects.create(company=company, user=user, role=role)
    user.groups.add(company.group)
    return membership
