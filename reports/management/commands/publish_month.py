from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from reports.periods import Month
from reports.publishing import month_publish

# Exit codes: 0 published; 1 refused by the service (no permission, month not publishable,
# nothing new since the latest revision); 2 arguments that name nothing (as argparse's own).
USAGE = 2


class Command(BaseCommand):
    help = (
        "Publish a month's report (its figures and lists frozen as its next revision), as the "
        "admin's Publish page does: the same service and permission. Prints the revision and "
        "its SHA-256."
    )

    def add_arguments(self, parser):
        parser.add_argument("period", help="The month, written YYYY-MM (e.g. 2017-03).")
        parser.add_argument(
            "--by",
            metavar="USERNAME",
            required=True,
            help="The account publishing: it must be allowed to publish monthly reports.",
        )
        parser.add_argument("--note", default="", help="Why it is published (kept, internal).")

    def handle(self, *args, period, by, note, **options):
        try:
            month = Month.parse(period)
        except ValueError as error:
            raise CommandError(str(error), returncode=USAGE) from None
        try:
            user = get_user_model().objects.get(username=by)
        except get_user_model().DoesNotExist:
            message = _("--by: no user named %(name)r.") % {"name": by}
            raise CommandError(message, returncode=USAGE) from None
        try:
            publication = month_publish(period=month, by=user, note=note)
        except PermissionDenied as error:  # roles.PUBLISH's refusal
            raise CommandError(f"--by: {by}: {error}") from None
        except ValidationError as error:
            raise CommandError(" ".join(error.message_dict.get("period", error.messages))) from None
        self.stdout.write(
            _("%(month)s published: revision %(revision)s, sha256 %(sha256)s")
            % {"month": month, "revision": publication.revision, "sha256": publication.sha256}
        )
