"""A logged-in admin session against a real server, with nothing but the standard library."""

import http.cookiejar
import re
import urllib.parse
import urllib.request
from html.parser import HTMLParser


class FormFields(HTMLParser):
    """The fields a browser would submit from the page's main form: inputs, selects, textareas."""

    def __init__(self):
        super().__init__()
        self.fields, self._select, self._textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "checkbox", "file"):
            self.fields[name] = attrs.get("value", "")
        elif tag == "input" and name and attrs.get("type") == "checkbox" and "checked" in attrs:
            self.fields[name] = attrs.get("value", "on")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields[self._select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


class AdminClient:
    def __init__(self, base_url):
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path):
        with self.opener.open(self.base_url + path, timeout=15) as response:
            return response.read().decode()

    def post(self, path, fields):
        data = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(
            self.base_url + path, data=data, headers={"Referer": self.base_url + path}
        )
        with self.opener.open(request, timeout=15) as response:
            return response.status, response.url, response.read().decode()

    def form(self, path):
        parser = FormFields()
        parser.feed(self.get(path))
        return parser.fields

    def log_in(self, username, password):
        fields = self.form("/admin/login/")
        fields.update(username=username, password=password, next="/admin/")
        _, url, _ = self.post("/admin/login/", fields)
        assert url.endswith("/admin/"), "admin login failed"

    def object_id(self, changelist_path, text):
        """The id of the first object in a changelist whose link text contains `text`."""
        html = self.get(changelist_path)
        match = re.search(r'href="[^"]*/(\d+)/change/[^"]*">[^<]*' + re.escape(text), html)
        assert match, f"{text!r} not in {changelist_path}"
        return match.group(1)
