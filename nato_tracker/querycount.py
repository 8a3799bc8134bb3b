"""The benchmark's query counter: each response says how many SQL queries it cost.

Only in bench mode (settings.BENCH_MODE), outermost, so everything a request runs is counted:
`make bench` reports queries per request cold and warm from the `X-Queries` header.
"""

from django.db import connection

HEADER = "X-Queries"


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = [0]

        def counted(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            response = self.get_response(request)
        response[HEADER] = str(count[0])
        return response
