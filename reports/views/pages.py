"""The home page (headline figures and charts), the comparison and the methodology."""

from django.views.generic import TemplateView


class HomeView(TemplateView):
    template_name = "reports/home.html"


class ComparisonView(TemplateView):
    template_name = "reports/comparison.html"


class MethodologyView(TemplateView):
    template_name = "reports/methodology.html"
