from django.urls import path

from portal.private_pages import private_page
from stats import views

app_name = "stats"

urlpatterns = [
    path("", private_page(views.dashboard_page), name="dashboard"),
    path("report/", private_page(views.report_page), name="report"),
    path("report.pdf", views.report_pdf_download, name="report_pdf"),
    path("export/<slug:key>.<str:extension>", views.table_export, name="export"),
    path("exports/roster/", views.roster_export, name="roster_export"),
    path("exports/<int:pk>/", views.export_download, name="export_download"),
]
