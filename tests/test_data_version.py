"""The data version (casualty_tracker/data_version.py): a new one after every kind of write, and
cached values computed once per version. The pages and API that use it have their own tests."""

import pytest

from casualty_tracker import data_version
from tests.factories import ClaimFactory, StrikeFactory

pytestmark = pytest.mark.django_db


def test_the_version_is_stable_while_nothing_changes():
    assert data_version.current() == data_version.current()


def test_a_save_of_a_record_makes_a_new_version():
    before = data_version.current()
    StrikeFactory()
    assert data_version.current() != before


def test_a_delete_makes_a_new_version():
    strike = StrikeFactory()
    before = data_version.current()
    strike.delete()
    assert data_version.current() != before


def test_linking_a_strike_to_a_claim_makes_a_new_version():
    claim, strike = ClaimFactory(), StrikeFactory()
    before = data_version.current()
    claim.strikes.add(strike)
    assert data_version.current() != before


def test_a_save_outside_the_records_keeps_the_version(django_user_model):
    before = data_version.current()
    django_user_model.objects.create(username="someone")
    assert data_version.current() == before


def test_a_cached_value_is_computed_once_per_version():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert data_version.cached("answer", compute, "2017-03") == 1
    assert data_version.cached("answer", compute, "2017-03") == 1
    assert data_version.cached("answer", compute, "2017-04") == 2  # other parts, other entry
    data_version.changed()
    assert data_version.cached("answer", compute, "2017-03") == 3


def test_a_new_version_is_made_again_on_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        data_version.changed()
    during = data_version.current()
    for callback in callbacks:
        callback()
    assert data_version.current() != during
