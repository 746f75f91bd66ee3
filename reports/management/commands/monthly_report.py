import json

from django.core.management.base import BaseCommand, CommandError

from reports.figures import month_figures
from reports.narrative import month_paragraphs
from reports.periods import Month


class Command(BaseCommand):
    help = "Print one month's figures: a paragraph in the style of CJTF-OIR's reports, or --json."

    def add_arguments(self, parser):
        parser.add_argument("period", help="The month, written YYYY-MM (e.g. 2017-03).")
        parser.add_argument(
            "--json", action="store_true", help="Print the figures and lists as JSON."
        )

    def handle(self, *args, period, **options):
        try:
            month = Month.parse(period)
        except ValueError as error:
            raise CommandError(str(error)) from None
        figures = month_figures(period=month)
        if options["json"]:
            self.stdout.write(json.dumps(figures.as_dict(), indent=2, ensure_ascii=False))
            return
        self.stdout.write(f"Civilian casualty report: {month.label}\n")
        self.stdout.write("\n\n".join(month_paragraphs(figures)))
