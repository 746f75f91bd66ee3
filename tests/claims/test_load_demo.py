from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from claims.models import Assessment, Claim, ExternalAssessment, Strike
from tests.claims.csv_files import write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_demo(tmp_path):
    write_csv(
        tmp_path,
        "strikes.csv",
        "strike_ref,date,country,belligerent\nS-1,2017-03-01,IQ,Coalition\n",
    )
    write_csv(
        tmp_path,
        "claims.csv",
        "claim_ref,received_on,incident_date,country,source_type,strike_refs\n"
        "CIV-1,2017-03-05,2017-03-01,IQ,ngo,S-1\n",
    )
    write_csv(
        tmp_path,
        "assessments.csv",
        "claim_ref,assessed_on,outcome,civilians_killed\nCIV-1,2017-03-20,credible,2\n",
    )
    write_csv(
        tmp_path,
        "external_assessments.csv",
        "claim_ref,organisation,grade\nCIV-1,Airwars,confirmed\n",
    )
    return tmp_path


def test_loads_the_four_files_in_order_and_demo_accounts_only_with_debug(small_demo, settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("load_demo", data=small_demo, stdout=out, stderr=StringIO())
    assert (Strike.objects.count(), Claim.objects.count()) == (1, 1)
    assert (Assessment.objects.count(), ExternalAssessment.objects.count()) == (1, 1)
    assert Claim.objects.get().status == "closed"
    assert "Demo accounts (demo only): admin / demo-admin" in out.getvalue()
    assert get_user_model().objects.get(username="admin").check_password("demo-admin")


def test_no_demo_accounts_when_debug_is_off(small_demo, settings):
    settings.DEBUG = False
    out = StringIO()
    call_command("load_demo", data=small_demo, stdout=out, stderr=StringIO())
    assert "DEBUG is off: no demo accounts were created." in out.getvalue()
    assert not get_user_model().objects.exists()


def test_missing_demo_files_are_named(tmp_path):
    with pytest.raises(CommandError) as error:
        call_command("load_demo", data=tmp_path)
    assert str(error.value) == (
        f"Missing demo files in {tmp_path}: strikes.csv, claims.csv, assessments.csv, "
        "external_assessments.csv."
    )


def test_demo_work_in_progress_puts_claims_in_every_stage_and_approves_nothing():
    from django.db.models import Count

    from claims.demo import demo_users_create, demo_workflow_seed
    from tests.factories import ClaimFactory

    ClaimFactory.create_batch(25)
    stages = demo_workflow_seed(demo_users_create())

    assert stages == {"in_review": 15, "proposed": 8, "new": 2}
    by_stage = dict(Claim.objects.values_list("stage").annotate(n=Count("pk")).order_by())
    assert by_stage == {"new": 2, "in_review": 15, "proposed": 8}
    assert not Assessment.objects.counted().exists()
    assert Assessment.objects.filter(state="returned").count() == 3
    assert get_user_model().objects.get(username="reviewer").has_perm("claims.approve_assessment")
    assert (
        not get_user_model().objects.get(username="analyst").has_perm("claims.approve_assessment")
    )
