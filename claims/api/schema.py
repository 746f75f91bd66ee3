"""OpenAPI generation (drf-spectacular) that documents what the API really answers: CSV and HXL
as text (their columns named), GeoJSON as a FeatureCollection, and the JSON errors of every
operation. Each `format` a list takes is one media type of its 200 response, so a client
generated from the schema can ask for it."""

from drf_spectacular import openapi
from rest_framework import permissions

from .columns import layout_for
from .errors import ErrorSerializer
from .renderers import HXLRenderer

CSV_SCHEMA = {
    "type": "string",
    "description": (
        "UTF-8 CSV of the whole filtered set (not paginated): a header row of the JSON field "
        "names, then one row per record; lists joined with ';', empty values as empty cells."
    ),
}
CSV_MEDIA_TYPES = ("text/csv", HXLRenderer.media_type)


def csv_schema(media_type: str, layout) -> dict:
    """A CSV export's body: its columns (the import contract's, then read-only ones) and, for
    HXL, their hashtags."""
    if layout is None:
        return CSV_SCHEMA
    columns = ", ".join(layout.names)
    if media_type == HXLRenderer.media_type:
        tags = ", ".join(
            f"{name} {tag}" for name, tag in zip(layout.names, layout.tags, strict=True) if tag
        )
        text = (
            "UTF-8 CSV with HXL hashtags (https://hxlstandard.org): the CSV export (format=csv) "
            f"with a second row of each column's hashtag: {tags}. Columns: {columns}."
        )
    else:
        text = (
            "UTF-8 CSV of the whole filtered set (not paginated): a header row, then one row "
            "per record; lists joined with ';', empty values as empty cells. The columns are "
            "the CSV importer's (a file exported imports again), then read-only columns it "
            f"ignores: {columns}."
        )
    return {"type": "string", "description": text}


NO_NUL = "^[^\\x00]*$"

TOTAL_COUNT = {
    "X-Total-Count": {
        "schema": {"type": "integer"},
        "description": (
            "CSV and GeoJSON exports: the number of rows the export has, counted before the "
            "first is sent. A CSV with fewer rows, or a GeoJSON that is not valid JSON, was cut."
        ),
    }
}

ERRORS = {
    "400": "Invalid parameter: an unknown or malformed filter, ordering, page size or format.",
    "404": "Not found: no such record or month, or a page past the end.",
    "429": "Too many requests: throttled; retry after the number of seconds in Retry-After.",
}


def point_feature_collection(properties: dict) -> dict:
    return {
        "type": "object",
        "description": (
            "The whole filtered set (not paginated), rows without coordinates left out."
        ),
        "required": ["type", "features", "numberMatched", "numberReturned"],
        "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "numberMatched": {
                "type": "integer",
                "description": "The rows counted before the first was written (X-Total-Count).",
            },
            "numberReturned": {
                "type": "integer",
                "description": "The features written; written after the last feature.",
            },
            "features": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["type", "id", "geometry", "properties"],
                    "properties": {
                        "type": {"type": "string", "enum": ["Feature"]},
                        "id": {"type": "string"},
                        "geometry": {
                            "type": "object",
                            "required": ["type", "coordinates"],
                            "properties": {
                                "type": {"type": "string", "enum": ["Point"]},
                                "coordinates": {
                                    "type": "array",
                                    "description": "[longitude, latitude]",
                                    "items": {"type": "number"},
                                    "minItems": 2,
                                    "maxItems": 2,
                                },
                            },
                        },
                        "properties": properties,
                    },
                },
            },
        },
    }


class AutoSchema(openapi.AutoSchema):
    def get_auth(self):
        """Reads are open to everyone: say so (an empty requirement) for every permission class
        built on IsAuthenticatedOrReadOnly, not only that exact class."""
        auths = super().get_auth()
        public_read = any(
            isinstance(permission, permissions.IsAuthenticatedOrReadOnly)
            for permission in self.view.get_permissions()
        )
        if public_read and self.method in permissions.SAFE_METHODS and {} not in auths:
            auths.append({})
        return auths

    def _get_parameters(self):
        """Query parameters as the API reads them: an empty value means the parameter is not
        given, and text never contains a NUL character (Django refuses it)."""
        parameters = super()._get_parameters()
        for parameter in parameters:
            if parameter["in"] != "query":
                continue
            parameter["allowEmptyValue"] = True
            schema = parameter.get("schema", {})
            if schema.get("type") == "string" and not {"enum", "format", "pattern"} & set(schema):
                schema["pattern"] = NO_NUL  # a pattern of its own (bbox) allows no NUL already
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        content = responses.get("200", {}).get("content", {})
        for media_type in CSV_MEDIA_TYPES:
            if media_type in content:
                serializer_class = getattr(self.view, "get_serializer_class", lambda: None)()
                layout = layout_for(serializer_class)
                content[media_type] = {"schema": csv_schema(media_type, layout)}
        if "application/geo+json" in content:
            row = self.resolve_serializer(self.get_response_serializers(), "response")
            content["application/geo+json"] = {"schema": point_feature_collection(row.ref)}
        if self._is_list_view() and {*CSV_MEDIA_TYPES, "application/geo+json"} & set(content):
            responses["200"]["headers"] = TOTAL_COUNT
        codes = ["400", "429"]
        if self._is_list_view() or "{" in self.path:
            codes.insert(1, "404")
        for code in codes:
            if code not in responses:
                error = self._get_response_for_code(ErrorSerializer, code, ["application/json"])
                responses[code] = {**error, "description": ERRORS[code]}
        return dict(sorted(responses.items()))
