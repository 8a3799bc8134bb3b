# The app image: gunicorn serving Django, started with `make serve` like everywhere else.
# Stage 1 builds the virtualenv from the pinned lock; stage 2 holds only what runs.
FROM python:3.11-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
RUN python -m venv .venv
COPY requirements.lock ./
RUN .venv/bin/pip install --require-virtualenv -r requirements.lock
COPY pyproject.toml README.md LICENSE ./
COPY nato_tracker nato_tracker
COPY members members
COPY spending spending
# The project itself, without touching the pinned dependencies.
RUN .venv/bin/pip install --no-deps .

FROM python:3.11-slim-bookworm
ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
    HOST=0.0.0.0 PORT=8000 STATIC_ROOT=/app/staticfiles
# make runs the same targets as natively; curl answers the health check.
RUN apt-get update \
    && apt-get install -y --no-install-recommends make curl \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin app
WORKDIR /app
COPY --from=build /app/.venv .venv
COPY --chown=root:root . .
# The Makefile's setup stamp: the venv above is complete, never rebuilt at run time.
RUN touch .venv/.installed \
    && mkdir -p /app/staticfiles && chown app /app/staticfiles
USER app
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=3 CMD curl -fsS "http://127.0.0.1:${PORT}/healthz" || exit 1
CMD ["make", "serve"]
