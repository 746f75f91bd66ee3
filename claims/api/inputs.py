"""Input serializers of the write side: they turn a request body into the keyword arguments of a
service (claims.services) and check types and shapes. The rules (permissions, states, four eyes,
model constraints) are the services' and the model's: never repeated here.

Staff-only output serializers (proposals) are here too: the public ones are in serializers.py.
"""

import contextlib
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import ProhibitSurrogateCharactersValidator

from ..dates import BOUNDS_HELP
from ..definitions import Diligence, Outcome, Reason
from ..importers.base import MAX_COUNT
from ..importers.located import derived_precision
from ..models import Assessment, Belligerent, Claim, Reopening, Strike

LOCATION_FIELDS = ["country", "province", "locality", "latitude", "longitude", "precision"]
_MICRODEGREE = Decimal("0.000001")


# JSON types are checked as documented: "3" is not a number, 3 is not a string. (DRF coerces
# them by default, so a client's type error would pass unnoticed, then surprise them later.)


class StringOnly:
    """A field that takes a JSON string and nothing else."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictText(StringOnly, serializers.CharField):
    pass


class StrictURL(StringOnly, serializers.URLField):
    pass


class StrictInteger(serializers.IntegerField):
    """A count: a JSON integer no larger than a PositiveIntegerField holds on every database we
    support (SQLite would store more, and a month's sum would then overflow), as the importer."""

    def __init__(self, **kwargs):
        kwargs["max_value"] = min(kwargs.get("max_value") or MAX_COUNT, MAX_COUNT)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictModelSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictText,
        models.TextField: StrictText,
        models.URLField: StrictURL,
        models.PositiveIntegerField: StrictInteger,
    }


class Coordinate(serializers.DecimalField):
    """Degrees; the database keeps six decimal places (about 0.1 m), so more precise input is
    rounded to them, as the importer does, rather than refused."""

    def __init__(self, limit: int, **kwargs):
        super().__init__(
            max_digits=9,
            decimal_places=6,
            min_value=Decimal(-limit),
            max_value=Decimal(limit),
            required=False,
            allow_null=True,
            **kwargs,
        )

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        return super().to_internal_value(data)

    def validate_precision(self, value):
        # Far too large to round: left as is, for the digit limit to refuse it.
        with contextlib.suppress(InvalidOperation):
            value = value.quantize(_MICRODEGREE, rounding=ROUND_HALF_EVEN)
        return super().validate_precision(value)


@extend_schema_field(
    {
        "type": "string",
        "minLength": 1,
        # Not blank (a non-space character) and no NUL, as to_internal_value requires.
        "pattern": "^[^\\x00]*[^\\s\\x00][^\\x00]*$",
        "description": "A belligerent's name (any case), of one already on record.",
    }
)
class BelligerentName(serializers.Field):
    """A belligerent already on record, by name, ignoring case. New belligerents are added in
    the admin, so that a misspelt name is an error rather than a new party to the conflict."""

    def to_internal_value(self, data):
        if not isinstance(data, str) or not data.strip():
            raise serializers.ValidationError("Give the belligerent's name.")
        # What DRF's CharField refuses, and PostgreSQL cannot compare: NUL, lone surrogates.
        ProhibitNullCharactersValidator()(data)
        ProhibitSurrogateCharactersValidator()(data)
        match = Belligerent.objects.filter(name__iexact=data.strip()).first()
        if match is None:
            known = ", ".join(Belligerent.objects.order_by("name").values_list("name", flat=True))
            raise serializers.ValidationError(
                f"No belligerent named {data.strip()!r}. Known: {known or 'none yet'}."
            )
        return match

    def to_representation(self, value):
        return value.name


class StrictRef(StringOnly, serializers.SlugRelatedField):
    """A record by its ref (a string)."""


class StrikeRefs(serializers.ListField):
    """A list of strike refs, all of strikes already recorded (one query for the list)."""

    child = StrictText()

    def to_internal_value(self, data):
        refs = super().to_internal_value(data)
        strikes = {
            strike.strike_ref: strike for strike in Strike.objects.filter(strike_ref__in=refs)
        }
        missing = [ref for ref in refs if ref not in strikes]
        if missing:
            raise serializers.ValidationError(f"No strike with strike_ref {', '.join(missing)}.")
        return [strikes[ref] for ref in dict.fromkeys(refs)]

    def to_representation(self, value):
        return [strike.strike_ref for strike in value.all()]


class LocatedInput(StrictModelSerializer):
    """Where: when `precision` is left out of a new record it is derived as the importer does
    (coordinates with a locality: locality; coordinates alone: exact; else the finest given)."""

    latitude = Coordinate(90)
    longitude = Coordinate(180)

    def get_fields(self):
        fields = super().get_fields()
        fields["precision"].required = False
        return fields

    def validate(self, attrs):
        if self.instance is None and "precision" not in attrs:
            attrs["precision"] = derived_precision(
                has_coordinates=attrs.get("latitude") is not None
                and attrs.get("longitude") is not None,
                locality=attrs.get("locality", ""),
                province=attrs.get("province", ""),
            )
        return attrs


class StrikeInput(LocatedInput):
    belligerent = BelligerentName()

    class Meta:
        model = Strike
        fields = [
            "strike_ref",
            "date",
            "belligerent",
            *LOCATION_FIELDS,
            "target",
            "munition",
            "engagements",
            "source_url",
        ]
        extra_kwargs = {"engagements": {"min_value": 1}, "date": {"help_text": BOUNDS_HELP}}


class ClaimInput(LocatedInput):
    belligerent = BelligerentName(required=False, allow_null=True)
    strikes = StrikeRefs(
        required=False, help_text="Refs of strikes already recorded, linked to the claim."
    )

    class Meta:
        model = Claim
        fields = [
            "claim_ref",
            "received_on",
            "incident_date",
            *LOCATION_FIELDS,
            "location_disclosure",
            "source_type",
            "source_name",
            "source_url",
            "civilians_killed_min",
            "civilians_killed_max",
            "civilians_injured_min",
            "civilians_injured_max",
            "killed_children",
            "killed_women",
            "killed_men",
            "belligerent",
            "strikes",
            "summary",
            "confidential_notes",
        ]
        extra_kwargs = {
            "received_on": {"help_text": BOUNDS_HELP},
            "incident_date": {"help_text": BOUNDS_HELP},
            "confidential_notes": {
                "write_only": True,
                "help_text": "Reviewers only: stored, never published or returned by the API.",
            },
        }


class ImmutableRef:
    """On an edit (PATCH) the record's ref is its identity: refuse a change, never ignore it."""

    ref_field: str

    def validate(self, attrs):
        if self.instance is not None and self.ref_field in self.initial_data:
            current = getattr(self.instance, self.ref_field)
            if self.initial_data[self.ref_field] != current:
                raise serializers.ValidationError(
                    {self.ref_field: f"A record's {self.ref_field} cannot be changed."}
                )
            attrs.pop(self.ref_field, None)
        return super().validate(attrs)


class StrikeUpdate(ImmutableRef, StrikeInput):
    ref_field = "strike_ref"


class ClaimUpdate(ImmutableRef, ClaimInput):
    ref_field = "claim_ref"


class ProposalInput(serializers.Serializer):
    """A proposed assessment. Credible: civilians killed and injured; non-credible: a reason;
    duplicate: the claim it duplicates. Always a public rationale."""

    outcome = serializers.ChoiceField(Outcome.choices)
    reason = serializers.ChoiceField(Reason.choices, required=False, allow_blank=True)
    duplicate_of = StrictRef(
        slug_field="claim_ref",
        queryset=Claim.objects.all(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": "No claim with claim_ref {value}."},
    )
    civilians_killed = StrictInteger(min_value=0, required=False, allow_null=True)
    civilians_injured = StrictInteger(min_value=0, required=False, allow_null=True)
    rationale = StrictText(help_text="Public: why, in words.")
    diligence = serializers.ListField(
        child=serializers.ChoiceField(Diligence.choices),
        required=False,
        default=list,
        help_text="What the assessment actually did.",
    )


class ReturnInput(serializers.Serializer):
    comment = StrictText(help_text="Why the proposal goes back (kept internal).")


class ReopenInput(serializers.Serializer):
    reason = StrictText(help_text="The new information that reopens the claim.")


class ProposalSerializer(serializers.ModelSerializer):
    """An assessment as its reviewers see it, in any state (staff only: never public)."""

    claim = serializers.CharField(source="claim.claim_ref", read_only=True)
    reason = serializers.CharField(read_only=True)
    duplicate_of = serializers.CharField(
        source="duplicate_of.claim_ref", read_only=True, allow_null=True
    )
    diligence = serializers.ListField(child=serializers.ChoiceField(Diligence.choices))
    proposed_by = serializers.CharField(
        source="assessed_by.username", read_only=True, allow_null=True
    )
    decided_by = serializers.CharField(
        source="decided_by.username", read_only=True, allow_null=True
    )

    class Meta:
        model = Assessment
        fields = [
            "id",
            "claim",
            "state",
            "outcome",
            "reason",
            "duplicate_of",
            "civilians_killed",
            "civilians_injured",
            "rationale",
            "diligence",
            "proposed_by",
            "proposed_at",
            "decided_by",
            "decided_at",
            "return_comment",
            "assessed_on",
            "version",
        ]
        read_only_fields = fields


class ReopenedSerializer(serializers.ModelSerializer):
    claim = serializers.CharField(source="claim.claim_ref", read_only=True)
    status = serializers.CharField(source="claim.status", read_only=True)
    reopens = serializers.IntegerField(source="assessment.sequence", read_only=True)

    class Meta:
        model = Reopening
        fields = ["claim", "status", "sequence", "reopened_on", "reason", "reopens"]
        read_only_fields = fields
