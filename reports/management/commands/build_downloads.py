from django.core.management.base import BaseCommand, CommandError

from reports.downloads import BuildError, downloads_build, downloads_status


class Command(BaseCommand):
    help = (
        "Build the zip of the whole public dataset that /downloads/ offers (for operators and "
        "cron); --if-stale builds only if the records changed since the last build."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-stale",
            action="store_true",
            help="Do nothing when the current zip is of the records as they are.",
        )

    def handle(self, *args, if_stale=False, **options):
        if if_stale:
            state, stale = downloads_status()
            if not stale:
                self.stdout.write(f"{state['file']} is current: nothing to build.")
                return
        try:
            state = downloads_build()
        except BuildError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"{state['file']}: {state['size']} bytes, SHA-256 {state['sha256']}, "
            f"data version {state['data_version']}."
        )
