import pytest
from django.http import HttpResponse

from members.models import Member
from nato_tracker.querycount import QueryCountMiddleware

pytestmark = pytest.mark.django_db


def test_it_says_how_many_queries_the_request_ran(rf):
    def two_queries(request):
        Member.objects.count()
        list(Member.objects.filter(iso3="POL"))
        return HttpResponse("ok")

    assert QueryCountMiddleware(two_queries)(rf.get("/"))["X-Queries"] == "2"
    assert QueryCountMiddleware(lambda request: HttpResponse())(rf.get("/"))["X-Queries"] == "0"
