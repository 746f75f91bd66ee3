"""Strikes: recorded and corrected by analysts (the admin and the API call these)."""

from django.db import transaction

from .. import roles
from ..exceptions import IllegalTransition
from ..models import Strike
from ._common import save_with_history


@transaction.atomic
def strike_create(*, by, **fields) -> Strike:
    """Record a strike. Every field is checked against the model and its constraints."""
    roles.require(by, roles.CREATE_STRIKE)
    strike = Strike(**fields)
    strike.full_clean()
    return save_with_history(strike, by=by, reason="Recorded")


@transaction.atomic
def strike_update(*, strike: Strike, by, **changes) -> Strike:
    """Correct a strike's recorded fields. Its ref is its identity: it never changes."""
    roles.require(by, roles.EDIT_STRIKE)
    if "strike_ref" in changes and changes["strike_ref"] != strike.strike_ref:
        raise IllegalTransition({"strike_ref": "A strike's ref cannot be changed."})
    current = Strike.objects.select_for_update().get(pk=strike.pk)
    for name, value in changes.items():
        setattr(current, name, value)
    current.full_clean()
    return save_with_history(current, by=by, reason="Edited")
