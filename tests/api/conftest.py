"""Shared fixtures of the API tests (their small world, `world`, is tests.worlds.api_world)."""

import pytest


@pytest.fixture
def api(client):
    """GET as an anonymous user; JSON decoded; the status checked."""

    def get(path, expect=200, **params):
        response = client.get(path, params)
        assert response.status_code == expect, (response.status_code, response.content[:500])
        return response.json()

    return get


def refs(page: dict, key: str = "claim_ref") -> list:
    return [row[key] for row in page["results"]]
