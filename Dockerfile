# The pairnet API (and CLI) in one image; docker-compose.yml runs it in front of Neo4j.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

# Dependencies in a layer of their own, read from pyproject.toml alone: a code change does not
# invalidate it, only a change of the dependency list does.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt

# The code: pairnet/ links to the design card's folders (pairnet/graph -> ../graph ...), so they
# come along, with the sample that `pairnet demo` loads as package data.
COPY README.md ./
COPY graph ./graph
COPY loaders ./loaders
COPY queries ./queries
COPY api ./api
COPY data/zhangjiagang-yanhe ./data/zhangjiagang-yanhe
COPY pairnet ./pairnet
RUN pip install --no-deps . && useradd --system --home-dir /app pairnet && chown -R pairnet /app
USER pairnet

EXPOSE 8000
CMD ["pairnet", "serve", "--host", "0.0.0.0", "--port", "8000"]
