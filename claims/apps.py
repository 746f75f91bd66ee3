from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims and strikes"

    def ready(self):
        from .definitions import default_location_disclosure

        default_location_disclosure()  # a misspelt LOCATION_DISCLOSURE_DEFAULT stops the start
