# Banshi — the two commands are `make run` and `make test`; the rest are helpers.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8000
# `make run` serves plain HTTP on localhost, so the HTTPS-only production defaults are relaxed here
# through the same environment variables production uses (see README "配置").
LOCAL_ENV := SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 SECURE_HSTS_SECONDS=0

.PHONY: run dev test check lint fmt messages typecheck migrate seed bench clean help

help:
	@echo "make run    安装、迁移、载入长沙演示数据并在 http://127.0.0.1:$(PORT) 启动"
	@echo "make test   安装并运行全部检查与测试（设置 DATABASE_URL 可在 PostgreSQL 上运行）"
	@echo "make dev    以调试模式启动（自动重载）"
	@echo "make lint / fmt / typecheck / bench / clean"

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "需要 Python 3.11 及以上版本")'
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

run: seed
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "办实事已启动：http://127.0.0.1:$(PORT)  （演示账号见 README；Ctrl-C 停止）"
	$(LOCAL_ENV) BIN=$(BIN) PORT=$(PORT) scripts/serve.sh

dev: seed
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Regenerate locale/en/LC_MESSAGES/django.po from the Chinese source strings and compile django.mo
# (both are committed; gettext tools are needed only here, not at run time).
messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l en --ignore='.venv/*' --ignore='bench/*' --ignore='var/*' --ignore='test-artifacts/*' --no-location
	$(BIN)/python manage.py compilemessages --ignore='.venv/*'

typecheck: $(STAMP)
	$(BIN)/mypy banshi config

check: lint typecheck
	$(BIN)/python manage.py makemigrations --check --dry-run
	DEBUG=0 SECRET_KEY=check-deploy-$$(date +%s)-a-long-random-production-secret-key-value \
		ALLOWED_HOSTS=banshi.example.cn $(BIN)/python manage.py check --deploy --fail-level WARNING

test: check
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
