"""Conditional GET and the response cache of every answer, pages and API alike.

An answer depends on the data (the data version and when it changed), on the code that
computes it (`answers.CODE_VERSION`) and on its representation (URL, format). `Lookup` turns
those into the ETag, the Last-Modified date and the cache key, answers a revalidation with a
304, replays a stored response and stores a new one. A hit costs one cache round trip and no
database query: the data version is kept in the cache next to the entries and read with the
entry in one `get_many`; the database is asked only when the cache holds no version.

The version in the cache (a shared Redis only: a process's local memory never hears of a write
made by another process, so there `DATA_VERSION_CACHE_SECONDS` is 0 and every request reads the
version from the database, as before):

- `forget_version()` runs in the writing transaction (`spending.writes.record_write`): it
  deletes the cached version at once and, after the commit, sets it to the version then
  committed. Before the commit no reader can find the new version in the cache, so a reader that
  holds the new version reads the data after the commit (PostgreSQL reads committed data per
  statement, ATOMIC_REQUESTS is off): it never builds the new version's answer from old data.
- A reader that found no version reads it from the database and `add`s it, which never
  overwrites: if the writer's post-commit `set` came first, a slow reader's older version is
  refused; if the reader came first, the writer's `set` replaces it.
- Entry keys do not hold the data version; each entry holds the stamp it was built for, and a
  stamp that is not the current one is a miss. A reader that saw the old stamp while a write
  committed may store an answer built (partly) from new data under the old stamp: only readers
  that still see the old stamp, before the post-commit `set`, are served it, and it is at least
  as new as that stamp. An entry is never older than its stamp, so it is never served for a
  newer one.
- Redis down: every read misses (nato_tracker/cache.py), so the version comes from the
  database and answers are built; still right. A post-commit `set` lost to an outage leaves
  the old version in Redis for at most DATA_VERSION_CACHE_SECONDS, the bound of that case (and
  of a restore into a fresh database, which writes no version through `record_write`).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from spending import answers
from spending.models import DataVersion

VERSION_KEY = "data-version"
CONDITIONAL_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")


def version_seconds():
    """How long the cache keeps the data version; 0: the cache holds none."""
    return settings.DATA_VERSION_CACHE_SECONDS


def stamp_from_database():
    """(version, changed_at) of the data, read from the database (one query)."""
    return DataVersion.current()


def data_stamp():
    """(version, changed_at) of the data: the cache's, else the database's (then cached)."""
    if version_seconds():
        stamp = cache.get(VERSION_KEY)
        if stamp is not None:
            return stamp
    return remember_stamp(stamp_from_database())


def remember_stamp(stamp):
    """Keeps a stamp read from the database in the cache unless one is there; returns it."""
    if version_seconds():
        # `add`, never `set`: a write's post-commit version must win over a slower reader's.
        cache.add(VERSION_KEY, stamp, version_seconds())
    return stamp


def forget_version():
    """In a writing transaction: no cached version until the commit, the committed one after."""
    if not version_seconds():
        return
    cache.delete(VERSION_KEY)
    # Read again after the commit: a hook running late writes what is committed by then.
    transaction.on_commit(lambda: cache.set(VERSION_KEY, stamp_from_database(), version_seconds()))


def entry_key(namespace, representation):
    """The cache key of a representation under the running code (not the data) version."""
    digest = hashlib.sha256(representation.encode()).hexdigest()[:32]
    return f"{namespace}:{answers.CODE_VERSION}:{digest}"


def validators(stamp, representation):
    """(ETag, Last-Modified as a timestamp or None) of a representation of the data at `stamp`."""
    version, changed_at = stamp
    changed = changed_at.isoformat() if changed_at else ""
    # Both versions: new data or new code (a deploy) each make a new answer.
    text = f"{version}|{answers.CODE_VERSION}|{changed}|{representation}"
    digest = hashlib.sha256(text.encode()).hexdigest()
    # HTTP dates have whole seconds.
    return f'"{version}-{digest[:20]}"', int(changed_at.timestamp()) if changed_at else None


class Lookup:
    """One request's answer in the cache: its stamp, validators and stored response, if any."""

    def __init__(self, request, namespace, representation):
        self.key = entry_key(namespace, representation)
        conditional = any(header in request.META for header in CONDITIONAL_HEADERS)
        # A revalidation needs only the version; the entry is read if it does not match.
        keys = ([VERSION_KEY] if version_seconds() else []) + ([] if conditional else [self.key])
        found = cache.get_many(keys) if keys else {}
        stamp = found.get(VERSION_KEY)
        self.stamp = stamp if stamp is not None else remember_stamp(stamp_from_database())
        self._entry = found.get(self.key) if not conditional else None
        self._entry_read = not conditional
        self.etag, self.last_modified = validators(self.stamp, representation)

    @property
    def version(self):
        return self.stamp[0]

    def not_modified(self, request):
        """The 304 (or 412) the request's conditions call for, or None."""
        response = get_conditional_response(
            request, etag=self.etag, last_modified=self.last_modified
        )
        return None if response is None else self.with_validators(response)

    def stored(self):
        """The stored response of this stamp, replayed, or None."""
        if not self._entry_read:
            self._entry, self._entry_read = cache.get(self.key), True
        entry = self._entry
        if entry is None or entry["stamp"] != self.stamp:
            return None
        return self.with_validators(HttpResponse(entry["content"], headers=entry["headers"]))

    def store(self, response, headers, timeout):
        """Keeps a built response's content and `headers` (names) for this stamp."""
        self.with_validators(response)
        kept = {name: response[name] for name in headers if response.has_header(name)}
        entry = {"stamp": self.stamp, "content": response.content, "headers": kept}
        cache.set(self.key, entry, timeout)
        return response

    def with_validators(self, response):
        """The response with this stamp's ETag and Last-Modified."""
        response["ETag"] = self.etag
        if self.last_modified is not None:
            response["Last-Modified"] = http_date(self.last_modified)
        return response


def revalidate_every_use(response):
    """Stored by any cache, checked with the server on every use: a new import shows at once."""
    patch_cache_control(response, public=True, no_cache=True)
    return response
