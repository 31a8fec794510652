"""Reads about people that several apps need."""

from django.db.models import QuerySet

from apps.accounts.models import User


def staff_people() -> QuerySet:
    """The platform's active staff: who reviews submissions (listings, rounds, profiles)."""
    return User.objects.filter(is_staff=True, is_active=True)
