"""The columns of the CSV and HXL exports: the import contract's, so that an export imports again.

An export of strikes, claims, assessments or external assessments has the columns of its
importer (`columns`, the contract, in its order: claims/importers/), then the importer's
`read_only` columns (derived or database values the importer ignores). Each column is read from
the output serializer's JSON field of the same name, or of the name in `renamed`. A contract
column that no serializer field publishes (a claim's `confidential_notes`) is left out: nothing
becomes public by being in a file format. Adding a column is one line in the importer (and the
serializer field it reads). HXL hashtags are defined here, next to the columns they tag.

The assessments' export is also their history: a reopening is a row of its own after the
assessment it reopened (outcome `reopened`, dated and with its reason as the rationale, as the
importer reads it), and the rows are in each claim's order of events unless `ordering` is given.
"""

from dataclasses import dataclass

from ..importers import (
    AssessmentImporter,
    ClaimImporter,
    ExternalAssessmentImporter,
    StrikeImporter,
)
from ..importers.assessments import REOPENED, REOPENING_COLUMNS
from ..importers.base import Importer
from .serializers import (
    AssessmentSerializer,
    ClaimSerializer,
    ExternalAssessmentSerializer,
    StrikeSerializer,
)

# The HXL hashtags (https://hxlstandard.org/standard/1-1final/dictionary/) of the columns of
# claims and strikes; a column without one has an empty cell in the hashtag row.
PLACE_TAGS = {
    "country": "#country+code",
    "province": "#adm1+name",
    "locality": "#loc+name",
    "latitude": "#geo+lat",
    "longitude": "#geo+lon",
    "precision": "#geo+precision",
    "belligerent": "#group+perpetrator+name",
    "belligerent_id": "#group+perpetrator+code",
    "source_url": "#meta+source+url",
}
CLAIM_TAGS = {
    **PLACE_TAGS,
    "claim_ref": "#event+id",
    "received_on": "#date+reported",
    "incident_date": "#date+occurred",
    "source_type": "#meta+source+type",
    "source_name": "#meta+source",
    "civilians_killed_min": "#affected+killed+min",
    "civilians_killed_max": "#affected+killed+max",
    "civilians_injured_min": "#affected+injured+min",
    "civilians_injured_max": "#affected+injured+max",
    "killed_children": "#affected+killed+children",
    "killed_women": "#affected+killed+f+adults",
    "killed_men": "#affected+killed+m+adults",
    "strike_refs": "#event+strike+id+list",
    "summary": "#description",
    "locality_ar": "#loc+name+i_ar",
    "summary_ar": "#description+i_ar",
    "location_disclosure": "#meta+disclosure",
    "status": "#status",
    "outcome": "#status+outcome",
    "reason": "#status+reason",
    "assessed_on": "#date+assessed",
    "assessed_civilians_killed": "#affected+killed+assessed",
    "assessed_civilians_injured": "#affected+injured+assessed",
    "url": "#meta+url",
    "api_url": "#meta+url+api",
}
STRIKE_TAGS = {
    **PLACE_TAGS,
    "strike_ref": "#event+id",
    "date": "#date+occurred",
    "target": "#description+target",
    "munition": "#item+munition",
    "engagements": "#indicator+engagements+num",
    "claim_refs": "#event+claim+id+list",
    "url": "#meta+url",
    "api_url": "#meta+url+api",
}


@dataclass(frozen=True)
class Layout:
    """The columns of one kind's export: `names` (the header), `fields` (the JSON field each
    reads) and `tags` (HXL hashtags, "" for none)."""

    names: tuple[str, ...]
    fields: tuple[str, ...]
    tags: tuple[str, ...]

    def positions(self, json_names: list[str]) -> list[int]:
        """Where each column's value is in a row of the serializer's fields (`json_names`)."""
        return [json_names.index(name) for name in self.fields]


def layout_of(
    importer: type[Importer], serializer_class, *, renamed: dict[str, str], tags: dict[str, str]
) -> Layout:
    published = set(serializer_class().fields)
    names, fields = [], []
    for name in (*importer.columns, *importer.read_only):
        source = renamed.get(name, name)
        if source in published:
            names.append(name)
            fields.append(source)
        elif name in importer.read_only:
            raise TypeError(f"{importer.__name__}.read_only: {name!r} is no field of the API")
        # else a contract column the API does not publish (confidential_notes): left out.
    return Layout(
        names=tuple(names),
        fields=tuple(fields),
        tags=tuple(tags.get(name, "") for name in names),
    )


LAYOUTS: dict[type, Layout] = {
    StrikeSerializer: layout_of(
        StrikeImporter, StrikeSerializer, renamed={"claim_refs": "claims"}, tags=STRIKE_TAGS
    ),
    ClaimSerializer: layout_of(
        ClaimImporter, ClaimSerializer, renamed={"strike_refs": "strikes"}, tags=CLAIM_TAGS
    ),
    AssessmentSerializer: layout_of(
        AssessmentImporter, AssessmentSerializer, renamed={"claim_ref": "claim"}, tags={}
    ),
    ExternalAssessmentSerializer: layout_of(
        ExternalAssessmentImporter,
        ExternalAssessmentSerializer,
        renamed={"claim_ref": "claim"},
        tags={},
    ),
}


def layout_for(serializer_class) -> Layout | None:
    """The export's columns of a list, or None: the JSON field names (belligerents, with no
    import contract)."""
    return LAYOUTS.get(serializer_class)


class Reopenings:
    """The assessments' rows (claims.api.rows values) with a row for each reopening after the
    assessment it reopened: the values of the same claim, the assessment's own fields empty,
    and those a reopening has (REOPENING_COLUMNS: its date, its reason) in their columns."""

    extra = ("reopening__sequence", "reopening__reason")  # columns selected after the fields
    ordering = ("claim__claim_ref", "sequence")  # each claim's events in order (the default)
    kept = (
        "claim",
        "incident_date",
        "received_on",
        "country",
        "province",
        "locality",
        "locality_ar",
    )

    def __init__(self, json_names: list[str]):
        index = json_names.index
        self.emptied = [i for i, name in enumerate(json_names) if name not in self.kept]
        self.lists = [index("diligence")]
        self.sequence = index("sequence")
        self.reopened_on = index("reopened_on")
        self.outcome = index("outcome")
        # Where the importer reads a reopening's date and reason (the JSON fields' names too).
        self.on = index(REOPENING_COLUMNS["reopened_on"])
        self.reason = index(REOPENING_COLUMNS["reason"])

    def rows(self, reader, rows, positions: list[int], base: str = ""):
        """`rows`: tuples of reader.select(queryset, self.extra); `positions` its answer;
        `base` the links' scheme://host (claims.links)."""
        sequence_at, reason_at = positions
        values_of = reader.reading(base)
        for row in rows:
            values = values_of(row)
            yield values
            if row[sequence_at] is None:
                continue
            reopening = list(values)
            for position in self.emptied:
                reopening[position] = None
            for position in self.lists:
                reopening[position] = []
            reopening[self.sequence] = row[sequence_at]
            reopening[self.on] = values[self.reopened_on]
            reopening[self.outcome] = REOPENED
            reopening[self.reason] = row[reason_at]
            yield reopening
