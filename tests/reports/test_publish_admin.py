"""Publishing a month from the admin: choose, preview, confirm; only publishers may."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages

from claims.models import Claim
from reports.figures import month_figures
from reports.models import MonthPublication
from tests.factories import ClaimFactory, assess, user_with_role
from tests.reports.factories import MonthPublicationFactory
from tests.reports.pages import page, rows

pytestmark = pytest.mark.django_db

D = dt.date
PUBLISH_URL = "/admin/reports/monthpublication/publish/"
LIST_URL = "/admin/reports/monthpublication/"


@pytest.fixture
def paula(client, publisher):
    client.force_login(publisher)
    return client


def preview(client, period: str):
    return client.get(PUBLISH_URL, {"period": period})


def confirm_data(response, note: str = "") -> dict:
    """The confirm form of a preview, as the browser posts it."""
    form = page(response).find("form", id="confirm-publish")
    inputs = [i for i in form.find_all("input") if "name" in i.attrs]
    fields = {i.attrs["name"]: i.attrs.get("value", "") for i in inputs}
    return {**fields, "note": note}


def errors(response) -> list[str]:
    return [p.text for p in page(response).find_all("p", class_="errornote")]


def test_publisher_previews_and_publishes_a_month(paula, publisher, march_2017):
    response = preview(paula, "2017-03")

    assert response.status_code == 200
    box = page(response).find("div", id="preview")
    assert box.find("h2").text == "Preview: civilian casualty report, March 2017"
    assert box.find("p", class_="status").text == (
        "Not published yet: confirming publishes its first revision."
    )
    assert (
        box.find("div", class_="paragraphs")
        .find("p")
        .text.startswith(
            "During the month of March 2017, the Coalition carried over 2 open reports, received 3 "
            "new reports, and completed the assessment of 4 reports"
        )
    )
    figures, cumulative = box.find_all("table")[:2]
    assert rows(figures)[:3] == [
        ["Reports received", "3"],
        ["Assessments completed", "4"],
        ["Assessed credible", "2"],
    ]
    assert rows(cumulative)[-3:] == [
        ["Engagements to date", "3,000"],
        ["Reports as a share of engagements", "0.20%"],
        ["Credible reports as a share of engagements", "0.07%"],
    ]
    button = box.find("form", id="confirm-publish").find("input", type="submit")
    assert button.attrs["value"] == "Publish March 2017"

    response = paula.post(PUBLISH_URL, confirm_data(response, note="Monthly release."))

    assert response.status_code == 302
    assert response["Location"] == LIST_URL
    publication = MonthPublication.objects.get()
    assert (publication.period, publication.revision) == ("2017-03", 1)
    assert (publication.published_by, publication.note) == (publisher, "Monthly release.")
    assert publication.figures == month_figures(period="2017-03").as_dict()
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == [
        'March 2017 is published (revision 1): <a href="/reports/2017/03/">its public report</a>.'
    ]
    listing = page(paula.get(LIST_URL))
    assert rows(listing.find("table", id="result_list"))[0][:2] == ["2017-03", "1"]


def test_the_publish_page_offers_the_last_ended_month(paula, march_2017):
    from django.utils import timezone

    from reports.periods import Month

    response = paula.get(PUBLISH_URL)
    field = page(response).find("input", id="id_period")
    assert field.attrs["value"] == str(Month.of(timezone.localdate()).previous())
    assert page(response).find_all("div", id="preview") == []


def test_the_changelist_links_to_the_publish_page(paula, march_2017):
    links = page(paula.get(LIST_URL)).find("ul", class_="object-tools").find_all("a")
    assert [(a.text, a.attrs["href"]) for a in links] == [("Publish a month", PUBLISH_URL)]


@pytest.mark.parametrize(
    ("period", "error"),
    [
        ("2017-13", "Period must be a month written YYYY-MM (e.g. 2017-03), not '2017-13'."),
        ("March", "Period must be a month written YYYY-MM (e.g. 2017-03), not 'March'."),
        (
            "2016-12",
            "There is nothing to publish for December 2016: the first month with a record is "
            "January 2017.",
        ),
    ],
)
def test_a_bad_month_is_a_clear_error(paula, march_2017, period, error):
    response = preview(paula, period)
    assert response.status_code == 200
    assert errors(response) == [error]
    assert page(response).find_all("div", id="preview") == []


def test_a_month_not_ended_is_a_clear_error(paula, march_2017):
    from django.utils import timezone

    from reports.periods import Month

    month = Month.of(timezone.localdate())
    response = preview(paula, str(month))
    next_first = month.next().first_day
    assert errors(response) == [
        f"{month.label} has not ended yet: it can be published from "
        f"{next_first.day} {next_first:%b %Y}."
    ]
    response = paula.post(PUBLISH_URL, {"period": str(month), "fingerprint": "x", "note": ""})
    assert response.status_code == 200
    assert not MonthPublication.objects.exists()


def test_an_unchanged_published_month_has_nothing_to_publish(paula, march_2017):
    MonthPublicationFactory(period="2017-03")
    response = preview(paula, "2017-03")
    box = page(response).find("div", id="preview")
    assert box.find("p", class_="status").text == (
        "Published on 5 Apr 2017 (revision 1), and unchanged since: there is nothing new to "
        "publish."
    )
    assert box.find_all("form") == []


def test_a_revised_month_shows_the_differences_and_publishes_the_next_revision(paula, march_2017):
    MonthPublicationFactory(period="2017-03")
    ClaimFactory(claim_ref="CIV-0330", received_on=D(2017, 3, 30))

    response = preview(paula, "2017-03")

    box = page(response).find("div", id="preview")
    assert box.find("p", class_="status").text == (
        "Published on 5 Apr 2017 (revision 1); the figures have changed since: confirming "
        "publishes revision 2."
    )
    assert rows(box.find("table", id="differences")) == [
        ["Reports received", "3", "4"],
        ["Open at the end of the month", "2", "3"],
        ["Reports received to date", "6", "7"],
        ["Still open", "2", "3"],
        ["Reports as a share of engagements", "0.20%", "0.23%"],
    ]
    paula.post(PUBLISH_URL, confirm_data(response))
    assert list(MonthPublication.objects.values_list("revision", flat=True)) == [2, 1]


def test_figures_changed_after_the_preview_are_shown_again_not_published(paula, march_2017):
    response = preview(paula, "2017-03")
    assess(Claim.objects.get(claim_ref="CIV-0202"), "non_credible", D(2017, 3, 30))

    response = paula.post(PUBLISH_URL, confirm_data(response))

    assert response.status_code == 200
    assert errors(response) == [
        "The figures of March 2017 changed since you previewed them: check them again before "
        "publishing."
    ]
    assert not MonthPublication.objects.exists()
    box = page(response).find("div", id="preview")
    assert rows(box.find_all("table")[0])[1] == ["Assessments completed", "5"]
    paula.post(PUBLISH_URL, confirm_data(response))
    assert MonthPublication.objects.get().figures["closed"] == 5


@pytest.mark.parametrize("role", ["analyst", "reviewer", None])
def test_other_roles_may_not_publish(client, march_2017, role):
    client.force_login(user_with_role(role))
    assert client.get(PUBLISH_URL).status_code == 403
    assert client.get(PUBLISH_URL, {"period": "2017-03"}).status_code == 403
    response = client.post(PUBLISH_URL, {"period": "2017-03", "fingerprint": "x"})
    assert response.status_code == 403
    assert client.get(LIST_URL).status_code == 403
    assert not MonthPublication.objects.exists()


def test_anonymous_users_are_sent_to_log_in(client, march_2017):
    response = client.get(PUBLISH_URL)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/login/?next={PUBLISH_URL}"
    assert client.post(PUBLISH_URL, {"period": "2017-03"}).status_code == 302
    assert not MonthPublication.objects.exists()


def test_publications_are_read_only_in_the_admin(paula, march_2017):
    publication = MonthPublicationFactory(period="2017-03")
    change_url = f"{LIST_URL}{publication.pk}/change/"
    response = paula.get(change_url)
    assert response.status_code == 200
    assert page(response).find_all("input", type="submit") == []
    assert paula.post(change_url, {"note": "Edited."}).status_code == 403
    assert paula.get(f"{LIST_URL}{publication.pk}/delete/").status_code == 403
    assert paula.get(f"{LIST_URL}add/").status_code == 403
    assert MonthPublication.objects.get().note == ""
