"""/downloads/: the whole public dataset as one zip (reports.downloads), and the zip itself."""

from django.http import FileResponse, Http404
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from casualty_tracker.opendata import dataset, licence

from ..downloads import FILES, downloads_current, downloads_file

# A zip's name names its data (date and data version): it never changes once written.
ZIP_CACHE_CONTROL = "public, max-age=31536000, immutable"


@method_decorator(never_cache, name="dispatch")  # its state changes when a build ends
class DownloadsView(TemplateView):
    template_name = "reports/downloads.html"

    def get_context_data(self, **kwargs):
        state, stale = downloads_current()
        return super().get_context_data(
            state=state,
            stale=stale,
            files=FILES,
            licence=licence(),
            dataset=dataset(self.request),
            **kwargs,
        )


class DownloadFileView(View):
    def get(self, request, name: str):
        handle = downloads_file(name)
        if handle is None:
            raise Http404("No such download: the page lists the current one.")
        response = FileResponse(handle, as_attachment=True, filename=name)
        response["Content-Type"] = "application/zip"
        response["Cache-Control"] = ZIP_CACHE_CONTROL
        return response
