"""factory_boy factories for every model. Events (assessments, reopenings) go through the services,
so a factory-built claim history obeys the same rules as a real one."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from claims import services
from claims.definitions import Outcome, SourceType
from claims.models import Belligerent, Claim, ExternalAssessment, Strike, Victim


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct-horse-battery")


class BelligerentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Belligerent
        django_get_or_create = ("name",)

    name = "Coalition"


class StrikeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strike

    strike_ref = factory.Sequence(lambda n: f"S-{n:05d}")
    date = dt.date(2017, 3, 1)
    country = "IQ"
    province = "Ninawa"
    locality = "Mosul"
    latitude = None
    longitude = None
    belligerent = factory.SubFactory(BelligerentFactory)
    target = "ISIS fighting position"
    munition = "F-15E / GBU-38"
    engagements = 1


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim
        skip_postgeneration_save = True

    claim_ref = factory.Sequence(lambda n: f"CIV-{n:05d}")
    received_on = dt.date(2017, 3, 9)
    incident_date = factory.LazyAttribute(lambda c: c.received_on - dt.timedelta(days=5))
    country = "IQ"
    province = "Ninawa"
    locality = "Mosul"
    source_type = SourceType.NGO
    source_name = "Airwars"
    civilians_killed_min = 2
    civilians_killed_max = 5
    summary = "Residents reported a family killed when an airstrike hit their house."
    confidential_notes = ""


class VictimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Victim

    claim = factory.SubFactory(ClaimFactory)
    name = "Unnamed"
    harm = "killed"


class ExternalAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExternalAssessment

    claim = factory.SubFactory(ClaimFactory)
    organisation = "Airwars"
    grade = "fair"
    civilians_killed_min = 2
    civilians_killed_max = 5


def assess(claim, outcome=Outcome.CREDIBLE, on=None, **fields):
    """Record an assessment through the service (defaults: credible, 1 killed, 0 injured)."""
    if outcome == Outcome.CREDIBLE:
        fields.setdefault("civilians_killed", 1)
        fields.setdefault("civilians_injured", 0)
    if outcome == Outcome.NON_CREDIBLE:
        fields.setdefault("reason", "insufficient_information")
    if outcome == Outcome.DUPLICATE and "duplicate_of" not in fields:
        fields["duplicate_of"] = ClaimFactory(received_on=claim.received_on)
    return services.assessment_record(
        claim=claim,
        outcome=outcome,
        assessed_on=on or claim.received_on,
        rationale=fields.pop("rationale", "Assessed from the strike records."),
        **fields,
    )


def reopen(claim, on, reason="New witness statements received.", by=None):
    return services.claim_reopen(claim=claim, reopened_on=on, reason=reason, by=by)


def user_with_role(role: str | None, username: str | None = None, **fields):
    """A staff user in the role's group (`analyst`, `reviewer`, `publisher`), or in none."""
    from django.contrib.auth.models import Group

    user = UserFactory(
        username=username or f"{role or 'norole'}-{UserFactory._meta.model.objects.count()}",
        is_staff=True,
        **fields,
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def propose(claim, by, outcome=Outcome.CREDIBLE, **fields):
    """Propose an assessment through the service (defaults: credible, 1 killed, 0 injured)."""
    if outcome == Outcome.CREDIBLE:
        fields.setdefault("civilians_killed", 1)
        fields.setdefault("civilians_injured", 0)
    if outcome == Outcome.NON_CREDIBLE:
        fields.setdefault("reason", "insufficient_information")
    fields.setdefault("rationale", "Matched to a strike in the logs.")
    return services.assessment_propose(claim=claim, by=by, outcome=outcome, **fields)
