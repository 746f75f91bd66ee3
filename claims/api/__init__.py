"""The public REST API, version 1 (read side): serializers, filters, views and export formats.

Everything here translates records into their public form; state changes will go through
`claims.services` (input serializer -> service -> output serializer), never through a serializer.
"""
