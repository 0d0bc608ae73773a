# The pairnet API (and CLI) in one image; docker-compose.yml runs it in front of Neo4j.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

# Dependencies first, so that a code change does not reinstall them.
COPY pyproject.toml README.md ./
COPY graph ./graph
COPY loaders ./loaders
COPY queries ./queries
COPY api ./api
COPY pairnet ./pairnet
RUN pip install .

COPY data ./data
RUN useradd --system --home-dir /app pairnet && chown -R pairnet /app
USER pairnet

EXPOSE 8000
CMD ["pairnet", "serve", "--host", "0.0.0.0", "--port", "8000"]
