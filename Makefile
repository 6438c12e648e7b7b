# Two commands for a fresh Debian machine with Python 3.11: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.8
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev system-test-deps check lint messages clean bench bench-deps

$(UV):
	@python3 -m venv --help >/dev/null 2>&1 && python3 -c 'import ensurepip' 2>/dev/null || \
		{ [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv; }
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

install: $(UV)
	$(UV) sync --frozen --inexact --no-dev --quiet

install-dev: $(UV)
	$(UV) sync --frozen --inexact --quiet

# runportal supervises the web server, a Celery worker and beat: one Ctrl-C stops all of them.
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py schedule_install
	$(PY) manage.py seed_demo
	$(PY) manage.py runportal $(HOST):$(PORT)

# Debian packages the suite needs, installed only when missing (we run as root).
system-test-deps:
	@missing=""; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	fc-list 2>/dev/null | grep -qi 'WenQuanYi Micro Hei' || missing="$$missing fonts-wqy-microhei"; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

test: install-dev system-test-deps
	$(PY) manage.py compilemessages --ignore=.venv -v0
	$(PY) -m tests.harness.servers -- $(PY) -m pytest $(PYTEST_ARGS)

# The portal at province scale, served by gunicorn as in production (bench/run.py; README, "Performance").
# SCALE=1 is the province of the design; the default takes about 15 minutes on 2 cores.
SCALE ?= 0.01
BENCH_ARGS ?=
bench-deps:
	@missing=""; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

bench: install bench-deps
	$(PY) bench/run.py --scale $(SCALE) $(BENCH_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .

messages: install-dev
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=tests --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) .data staticfiles .pytest_cache
