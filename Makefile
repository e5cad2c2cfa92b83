# hoso — common tasks.
#
#   make run       install (once) and serve the demo at http://127.0.0.1:8000
#   make test      the whole suite: SQLite, PostgreSQL, Celery + Redis, S3 (moto)
#   make install   create .venv and install the project with its test extra
#   make services-start / services-stop / services-status   the private test services
#   make clean-services   stop them and remove their data

PYTHON ?= python3.11
VENV ?= .venv
STAMP := $(VENV)/.hoso-installed

.PHONY: run test install system-packages services-start services-stop services-status clean-services

run: install
	$(VENV)/bin/hoso run

test: install
	HOSO_VENV=$(abspath $(VENV)) scripts/test.sh

install: $(STAMP) system-packages

# python-magic needs libmagic. Optional: old Word files need antiword; OCR needs OCRmyPDF with
# Tesseract's Vietnamese data (without them those files are kept, their text marked unavailable).
system-packages:
	@scripts/ensure-deb-packages.sh libmagic1
	@scripts/ensure-deb-packages.sh --optional antiword ocrmypdf tesseract-ocr-vie

# Debian ships venv's pip separately (python3.11-venv): install it when venv fails.
$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV) && scripts/ensure-deb-packages.sh python3.11-venv \
		&& $(PYTHON) -m venv $(VENV); }

# Reinstalled when pyproject.toml changes; `touch pyproject.toml` forces it.
$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(VENV)/bin/python -m pip install --disable-pip-version-check -q -e ".[test]"
	@touch $@

services-start: install
	HOSO_VENV=$(abspath $(VENV)) scripts/test-services.sh start

services-stop:
	scripts/test-services.sh stop

services-status:
	scripts/test-services.sh status

clean-services:
	scripts/test-services.sh clean
