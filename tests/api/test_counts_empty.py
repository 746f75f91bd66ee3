"""A filter that selects nothing before any query is run (Django's EmptyResultSet) is an empty
list, in every format: found by schemathesis (a 500 from the cached count)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("format", ["json", "csv"])
def test_a_list_whose_filters_select_nothing_is_empty(client, format):
    response = client.get(
        "/api/v1/assessments/",
        {"killed_min": "763924773409", "assessed_on_before": "9999-07-22", "format": format},
    )
    assert response.status_code == 200
    if format == "json":
        assert response.json()["count"] == 0
    else:
        assert response["X-Total-Count"] == "0"
