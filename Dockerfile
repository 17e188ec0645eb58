# The web service: gunicorn serving Django, static files by whitenoise. Holds no state.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_ENV=production

WORKDIR /app
# WeasyPrint (the PDF handout) lays text out with Pango and needs a font.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 app

COPY pyproject.toml README.md ./
COPY clinic ./clinic
COPY exercises ./exercises
COPY programs ./programs
COPY portal ./portal
COPY api ./api
RUN pip install --no-cache-dir .

COPY . .
# collectstatic needs settings to load; this key only lives for this build step.
RUN SECRET_KEY="build-only-$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
    ALLOWED_HOSTS=build.invalid \
    python manage.py collectstatic --noinput

USER app
EXPOSE 8000
# Migrations are transactional on PostgreSQL, so several replicas starting at once is safe;
# with many replicas, run `manage.py migrate` as a one-off job instead.
# gunicorn trusts forwarded headers only from FORWARDED_ALLOW_IPS (docker-compose.yml sets the
# proxy's address; gunicorn's default is 127.0.0.1).
# load_library, load_program_templates and load_measures are idempotent: each start brings the shared
# library up to the version shipped in this image.
CMD ["sh", "-c", "python manage.py migrate --noinput && python manage.py load_library && python manage.py load_program_templates && python manage.py load_measures && exec gunicorn clinic.wsgi:application --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-2} --access-logfile -"]
