# GPC — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed-$(shell sha1sum requirements.txt | cut -c1-12)

.PHONY: run test lint fmt messages worker beat bench fuzz services-check system-deps nginx-deps contract-tools clean help

help:
	@echo "make run      - the platform with demo data on http://127.0.0.1:8000 (SQLite, tasks inline)"
	@echo "make test     - lint + the whole suite against PostgreSQL and Redis on 127.0.0.1"
	@echo "make worker   - a Celery worker for all queues (needs REDIS_URL)"
	@echo "make beat     - the Celery beat scheduler (needs REDIS_URL)"
	@echo "make bench    - the benchmarks, as ratios measured side by side (SCALE=10: how each grows at 10x the data)"
	@echo "make fuzz     - schemathesis with 100 examples per operation"
	@echo "make contract-tools - the generators the API contract tests use (npm, openapi-python-client)"

$(STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@rm -f $(VENV)/.installed-*; touch $(STAMP)

messages: $(STAMP)
	@command -v msgfmt >/dev/null || { echo "installing gettext (msgfmt)"; apt-get update -qq && apt-get install -y -qq gettext >/dev/null; }
	@if find apps locale -name '*.po' 2>/dev/null | grep -q .; then \
	  $(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0; fi

run: $(STAMP) messages
	@mkdir -p var
	$(MANAGE) migrate --noinput -v 0
	$(MANAGE) load_demo
	@echo "API docs: http://127.0.0.1:8000/api/docs/   admin: http://127.0.0.1:8000/admin/"
	$(MANAGE) runserver 127.0.0.1:8000

worker: $(STAMP)
	$(VENV)/bin/celery -A config worker -Q default,notifications,documents -l info

beat: $(STAMP)
	$(VENV)/bin/celery -A config beat -l info

services-check: $(STAMP)
	@$(PY) tests/services_check.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(VENV)/bin/mypy apps config

fmt: $(STAMP)
	$(VENV)/bin/ruff check --fix .

# Debian packages the suite drives for real: Chromium with CJK fonts (console tests) and nginx (X-Accel tests;
# `make bench` needs only nginx). Only what is missing is installed.
nginx-deps:
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || { echo "installing nginx"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; }

system-deps: nginx-deps
	@if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
	  echo "installing Debian's chromium and CJK fonts for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; fi

# The API contract's own tools (tests/contract): Node's openapi-typescript and tsc (pinned by package-lock.json,
# installed with npm ci), openapi-python-client and openapi-spec-validator in a virtualenv of their own (their
# dependencies never meet the project's pins). Only what is missing or changed is installed.
CONTRACT_VENV := var/contract-venv
CONTRACT_STAMP := $(CONTRACT_VENV)/.installed-$(shell sha1sum tests/contract/requirements.txt | cut -c1-12)
CONTRACT_NODE_STAMP := tests/contract/node_modules/.installed-$(shell sha1sum tests/contract/package-lock.json | cut -c1-12)

$(CONTRACT_STAMP): tests/contract/requirements.txt
	@test -x $(CONTRACT_VENV)/bin/python || $(PYTHON) -m venv $(CONTRACT_VENV)
	$(CONTRACT_VENV)/bin/python -m pip install --quiet -r tests/contract/requirements.txt
	@rm -f $(CONTRACT_VENV)/.installed-*; touch $(CONTRACT_STAMP)

$(CONTRACT_NODE_STAMP): tests/contract/package-lock.json
	@command -v npm >/dev/null || { echo "installing Node.js and npm"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }
	cd tests/contract && npm ci --no-audit --no-fund --loglevel=error
	@touch $(CONTRACT_NODE_STAMP)

contract-tools: $(CONTRACT_STAMP) $(CONTRACT_NODE_STAMP)

test: $(STAMP) messages services-check system-deps contract-tools lint
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run -v 0
	GPC_CONTRACT_REQUIRED=1 $(VENV)/bin/pytest -p xdist -n 2 --dist loadgroup --create-db
	# The fuzzer (stateless and stateful, every persona) on the embedded SQLite default too, a few examples each.
	GPC_FUZZ_CHECKS=crashes GPC_FUZZ_EXAMPLES=2 GPC_FUZZ_STATEFUL_EXAMPLES=2 TEST_DATABASE_URL=sqlite:///var/fuzz.sqlite3 \
	  $(VENV)/bin/pytest tests/fuzz tests/core/test_unstorable_input.py -p no:xdist -q --create-db

# `make bench SCALE=10`: each growth benchmark at 1x and at 10x the data (bench/growth.py); BENCH=... picks some.
bench: $(STAMP) messages services-check nginx-deps
	$(PY) -m bench $(if $(SCALE),--scale $(SCALE)) $(BENCH)

fuzz: $(STAMP) messages services-check
	GPC_FUZZ_EXAMPLES=100 GPC_FUZZ_STATEFUL_EXAMPLES=25 $(VENV)/bin/pytest tests/fuzz -p no:xdist -q
	GPC_FUZZ_CHECKS=crashes GPC_FUZZ_EXAMPLES=100 GPC_FUZZ_STATEFUL_EXAMPLES=25 \
	  TEST_DATABASE_URL=sqlite:///var/fuzz.sqlite3 \
	  $(VENV)/bin/pytest tests/fuzz tests/core/test_unstorable_input.py -p no:xdist -q --create-db

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .mypy_cache .ruff_cache tests/contract/node_modules
