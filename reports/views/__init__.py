"""The public report pages: the monthly reports (months.py) and the home page, comparison and
methodology (pages.py)."""
