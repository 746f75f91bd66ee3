"""Every published revision stays public as published: the SHA-256 stored with each publication,
the month page's list of revisions, each revision's frozen page, the page of every publication,
and `manage.py publish_month` (the admin's service and permission, from a shell)."""

import datetime as dt
import hashlib
import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction

from claims.models import Claim
from reports.models import MonthPublication
from reports.publishing import canonical_json, figures_sha256, month_publish
from tests.factories import assess, user_with_role
from tests.reports.factories import MonthPublicationFactory
from tests.reports.pages import definitions, main_text, page, section

pytestmark = pytest.mark.django_db

D = dt.date
MARCH_URL = "/reports/2017/03/"
REVISION_1 = "/reports/2017/03/revisions/1/"
REVISION_2 = "/reports/2017/03/revisions/2/"


@pytest.fixture
def today(monkeypatch):
    """The services' today: 2017-04-01, March 2017 has ended."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: D(2017, 4, 1))


def documented_sha256(figures: dict) -> str:
    """The README's recipe, written out here rather than imported: what a reader would run."""
    text = json.dumps(figures, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def close_civ_0202() -> None:
    """A late assessment dated in March: March's credible and closed figures grow by one."""
    assess(Claim.objects.get(claim_ref="CIV-0202"), "credible", D(2017, 3, 25), civilians_killed=4)


@pytest.fixture
def published_twice(march_2017, publisher, today):
    first = month_publish(period="2017-03", by=publisher, note="Monthly release.")
    close_civ_0202()
    second = month_publish(period="2017-03", by=publisher, note="CIV-0202 assessed late.")
    return first, second


# The hash ---------------------------------------------------------------------------------------


def test_canonical_json_sorts_keys_without_spaces_and_keeps_unicode():
    figures = {"b": [1, 2.5, None], "a": {"z": "Ḥalab", "y": True}}
    assert canonical_json(figures) == '{"a":{"y":true,"z":"Ḥalab"},"b":[1,2.5,null]}'.encode()
    assert figures_sha256(figures) == hashlib.sha256(canonical_json(figures)).hexdigest()


def test_publishing_stores_the_sha256_of_the_stored_figures(march_2017, publisher, today):
    publication = month_publish(period="2017-03", by=publisher)
    stored = MonthPublication.objects.get(pk=publication.pk)  # the JSON as the database gives it
    assert re.fullmatch(r"[0-9a-f]{64}", stored.sha256)
    assert stored.sha256 == documented_sha256(stored.figures)


@pytest.mark.parametrize("sha256", ["", "A" * 64, "0" * 63, "g" * 64, "0" * 65])
def test_a_sha256_is_64_lowercase_hex_digits(march_2017, sha256):
    # The check refuses it; PostgreSQL refuses 65 characters even before (the column's length).
    from django.db import DataError

    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        MonthPublicationFactory(sha256=sha256)


# The month page ---------------------------------------------------------------------------------


def test_the_month_page_lists_every_revision_with_its_date_hash_and_links(client, published_twice):
    first, second = published_twice
    listed = section(client.get(MARCH_URL), "publications-title")
    rows = listed.find("tbody").find_all("tr")
    assert [row.find("th").text for row in rows] == ["Revision 1", "Revision 2 (current)"]
    assert [row.find("code").text for row in rows] == [first.sha256, second.sha256]
    links = [[a.attrs["href"] for a in row.find_all("a")] for row in rows]
    assert links == [
        [REVISION_1, "/api/v1/reports/monthly/2017-03/revisions/1/"],
        [REVISION_2, "/api/v1/reports/monthly/2017-03/revisions/2/"],
    ]
    assert "CIV-0202 assessed late" not in main_text(client.get(MARCH_URL))  # the note is internal


def test_a_month_never_published_lists_no_revision(client, march_2017):
    assert "Published revisions" not in main_text(client.get(MARCH_URL))


# A revision's page ------------------------------------------------------------------------------


KILLED = "Civilians killed (credible reports assessed in the month)"


def key_figures(response) -> dict[str, str]:
    return definitions(section(response, "key-figures-title"))


def test_revision_1_stays_as_published_after_a_new_revision(client, march_2017, publisher, today):
    month_publish(period="2017-03", by=publisher)
    before = client.get(REVISION_1)
    close_civ_0202()
    month_publish(period="2017-03", by=publisher)
    after = client.get(REVISION_1)

    assert after.status_code == 200
    assert main_text(after) == main_text(before)
    shown = key_figures(after)
    assert (shown["Assessments completed"], shown["Assessed credible"], shown[KILLED]) == (
        "4",
        "2",
        "5",
    )
    credible = section(after, "credible-title").find("tbody")
    assert [row.find("th").text for row in credible.find_all("tr")] == ["CIV-0201", "CIV-0301"]
    assert "First publication" in main_text(after)


def test_a_revision_shows_its_hash_and_what_changed_from_the_one_before(client, published_twice):
    first, second = published_twice
    response = client.get(REVISION_2)
    assert section(response, "integrity-title").find("code").text == second.sha256
    shown = key_figures(response)
    assert (shown["Assessments completed"], shown["Assessed credible"], shown[KILLED]) == (
        "5",
        "3",
        "9",
    )
    changes = section(response, "changes-title")
    assert changes.find("h2").text == "What changed from revision 1"
    table = {
        row.find("th").text: [cell.text for cell in row.find_all("td")]
        for row in changes.find("tbody").find_all("tr")
    }
    assert table["Assessments completed"] == ["4", "5"]
    assert table["Assessed credible"] == ["2", "3"]
    assert table[KILLED] == ["5", "9"]
    lists = changes.find("dl")
    assert lists.text == "Credible claims Added: CIV-0202"
    assert changes.find("dl").find("a").attrs["href"] == "/claims/CIV-0202/"
    assert changes.find("p").find("a").attrs["href"] == REVISION_1


@pytest.mark.parametrize(
    "path",
    [
        "/reports/2017/03/revisions/3/",
        "/reports/2017/03/revisions/0/",
        "/reports/2017/02/revisions/1/",
        "/reports/2017/13/revisions/1/",
        "/reports/2017/03/revisions/99999999999999999999/",
    ],
)
def test_a_revision_never_published_is_a_404(client, published_twice, path):
    assert client.get(path).status_code == 404


def test_an_unpadded_month_redirects_to_the_revisions_address(client, published_twice):
    response = client.get("/reports/2017/3/revisions/1/")
    assert (response.status_code, response["Location"]) == (301, REVISION_1)


def test_a_revision_page_takes_one_query(client, published_twice, django_assert_num_queries):
    with django_assert_num_queries(1):  # the revision and the one before it
        assert client.get(REVISION_2).status_code == 200


def test_the_month_page_reads_its_revisions_in_one_more_query(
    client, published_twice, django_assert_num_queries
):
    # tests/reports/test_month_pages.py: 9 queries for the month's page, and one more, for a
    # published month, for its list of revisions (no figures read).
    with django_assert_num_queries(10):
        assert client.get(MARCH_URL).status_code == 200


# Every publication ------------------------------------------------------------------------------


def test_the_releases_page_lists_every_publication_newest_first(
    client, published_twice, django_assert_num_queries
):
    first, second = published_twice
    MonthPublicationFactory(period="2017-02", published_at=dt.datetime(2017, 3, 3, tzinfo=dt.UTC))
    with django_assert_num_queries(1):
        response = client.get("/reports/releases/")
    rows = page(response).find("tbody").find_all("tr")
    assert [(row.find("th").text, row.find("a").text) for row in rows] == [
        ("March 2017", "Revision 2"),
        ("March 2017", "Revision 1"),
        ("February 2017", "Revision 1"),
    ]
    assert rows[0].find("code").text == second.sha256
    assert "paula" not in response.content.decode()  # who published is never public


def test_the_report_list_links_to_every_publication(client, march_2017):
    links = [a.attrs["href"] for a in page(client.get("/reports/")).find_all("a")]
    assert "/reports/releases/" in links
    assert "/api/v1/reports/releases/" in links


# manage.py publish_month ------------------------------------------------------------------------


def publish_month(*args) -> str:
    out = StringIO()
    call_command("publish_month", *args, stdout=out)
    return out.getvalue()


def test_publish_month_publishes_and_prints_the_revision_and_hash(march_2017, publisher, today):
    output = publish_month("2017-03", "--by", "paula", "--note", "From the shell.")
    publication = MonthPublication.objects.get()
    assert output == f"2017-03 published: revision 1, sha256 {publication.sha256}\n"
    assert (publication.published_by, publication.note) == (publisher, "From the shell.")
    close_civ_0202()
    assert "revision 2," in publish_month("2017-03", "--by", "paula")


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (("2017-3", "--by", "paula"), "Period must be a month written YYYY-MM", 2),
        (("2017-03", "--by", "nobody"), "--by: no user named 'nobody'.", 2),
        (
            ("2017-03", "--by", "rita"),
            "--by: rita: You do not have permission to publish monthly reports.",
            1,
        ),
        (("2017-04", "--by", "paula"), "April 2017 has not ended yet", 1),
        (("2016-12", "--by", "paula"), "There is nothing to publish for December 2016", 1),
    ],
)
def test_publish_month_refuses_with_a_clear_error_and_exit_code(
    march_2017, publisher, today, args, message, code
):
    user_with_role("reviewer", username="rita")
    with pytest.raises(CommandError) as error:
        publish_month(*args)
    assert str(error.value).startswith(message)
    assert error.value.returncode == code
    assert not MonthPublication.objects.exists()


def test_publish_month_refuses_to_publish_unchanged_figures_again(march_2017, publisher, today):
    publish_month("2017-03", "--by", "paula")
    with pytest.raises(CommandError, match="unchanged since revision 1") as error:
        publish_month("2017-03", "--by", "paula")
    assert error.value.returncode == 1
    assert MonthPublication.objects.count() == 1


def test_publish_month_requires_by(march_2017):
    with pytest.raises(CommandError, match="--by"):
        publish_month("2017-03")


# The admin --------------------------------------------------------------------------------------


def test_the_admin_shows_a_publications_sha256_and_links_its_revision_page(
    client, published_twice, publisher
):
    first, _ = published_twice
    client.force_login(publisher)
    change = client.get(f"/admin/reports/monthpublication/{first.pk}/change/").content.decode()
    assert first.sha256 in change
    listing = client.get("/admin/reports/monthpublication/").content.decode()
    assert f'<a href="{REVISION_1}">{REVISION_1}</a>' in listing


def test_a_revision_with_the_same_figures_says_so(client, march_2017):
    # month_publish refuses unchanged figures; a factory does not.
    MonthPublicationFactory(revision=1)
    MonthPublicationFactory(revision=2)
    changes = section(client.get(REVISION_2), "changes-title")
    assert changes.find_all("table") == []
    assert "Its figures and lists are those of revision 1." in changes.text
