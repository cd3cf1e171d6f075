# syntax=docker/dockerfile:1
# Build a wheel in one stage; install it into a slim runtime image that runs as a non-root user.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY pairing_core ./pairing_core
COPY adapters ./adapters
COPY bot ./bot
COPY migrations ./migrations
RUN pip wheel --no-cache-dir --wheel-dir /wheels ".[postgres]"

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 unmentor
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
USER 10001
WORKDIR /home/unmentor
ENV UNMENTOR_DATABASE_URL=sqlite+aiosqlite:////home/unmentor/data/unmentor.db \
    PYTHONUNBUFFERED=1
RUN mkdir -p /home/unmentor/data
VOLUME ["/home/unmentor/data"]
EXPOSE 3000
# /healthz answers 200 while the database answers and the scheduler runs; urlopen raises on a 503.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request as r; r.urlopen('http://127.0.0.1:3000/healthz', timeout=4)"]
# Migrations are applied at start-up by `unmentor run`.
ENTRYPOINT ["unmentor"]
CMD ["run"]
