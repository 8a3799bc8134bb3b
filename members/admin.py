from django.contrib import admin

from members.models import Member
from spending.admin import CountsWritesAdmin


@admin.register(Member)
class MemberAdmin(CountsWritesAdmin):
    list_display = ["name", "iso3", "iso2", "accession_date", "fiscal_year", "reports_figures"]
    list_filter = ["reports_figures", "fiscal_year"]
    search_fields = ["name", "nato_name", "iso3", "iso2"]
