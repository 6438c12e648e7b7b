# The portal's one image: web (gunicorn), worker and beat (celery) all run it. See docker-compose.yml.

FROM python:3.11-slim AS build
ENV UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy
RUN pip install --no-cache-dir uv==0.13.8 \
 && apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends gettext \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Dependencies first, exactly as locked, so that code changes do not reinstall them.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
# The code, listed one folder at a time so that .venv, .data and .git stay out. A new app is a new line.
COPY manage.py ./
COPY portal portal
COPY orgs orgs
COPY members members
COPY consultations consultations
COPY activities activities
COPY templates templates
COPY static static
COPY locale locale
# Translations and hashed static files are built once, here; production settings need these four values to
# load, none of which is used by these two commands.
RUN DJANGO_SETTINGS_MODULE=portal.settings.production \
    SECRET_KEY=build-time-only-compilemessages-and-collectstatic-not-a-secret \
    DATABASE_URL=postgres://build@localhost/build REDIS_URL=redis://localhost:6379/0 ALLOWED_HOSTS=localhost \
    sh -c '/opt/venv/bin/python manage.py compilemessages -v0 && /opt/venv/bin/python manage.py collectstatic --noinput -v0'

FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=portal.settings.production \
    PORTAL_DATA_DIR=/data
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin portal \
 && install -d -o portal -g portal /data
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
WORKDIR /app
USER portal
EXPOSE 8000
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", \
     "--no-control-socket", "--access-logfile", "-"]
