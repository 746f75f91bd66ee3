"""What the services share: locking a claim, saving with a version and history, stale edits."""

from django.utils import timezone

from ..exceptions import StaleEdit
from ..models import Claim


def locked_claim(claim: Claim) -> Claim:
    """The claim's row, re-read and locked until the transaction ends."""
    return Claim.objects.select_for_update().get(pk=claim.pk)


def save_with_history(instance, *, by, reason: str = "", fields: list[str] | None = None):
    """Save, bump the version (if the model has one) and attribute the history record."""
    if hasattr(instance, "version"):
        instance.version += 1
        if fields is not None:
            fields = [*fields, "version"]
    if fields is not None and hasattr(instance, "updated_at"):
        fields = [*fields, "updated_at"]
    instance._history_user = by
    instance._change_reason = reason or None
    instance.save(update_fields=fields)
    return instance


def check_version(instance, expected_version: int | None, *, label: str) -> None:
    """Optimistic concurrency: refuse to overwrite changes made since the form was read, and say
    what changed and who changed it (from the history)."""
    if expected_version is None or instance.version == expected_version:
        return
    records = list(instance.history.filter(version__gte=expected_version).order_by("history_id"))
    base = next((r for r in records if r.version == expected_version), None)
    latest = records[-1] if records else None
    changed = sorted(latest.diff_against(base).changed_fields) if base and latest else []
    who = "someone else"
    if latest is not None and latest.history_user is not None:
        who = f"{latest.history_user.get_username()} ({latest.history_date:%Y-%m-%d %H:%M} UTC)"
    what = ", ".join(name.replace("_", " ") for name in changed) or "its workflow state"
    raise StaleEdit(
        f"{label} was changed by {who} while you were editing it ({what}). Your changes were "
        "not saved: reload it to see the current version, then make your changes again.",
        changed_fields=changed,
    )


def today():
    return timezone.localdate()
