# Two commands on a fresh machine:  `make demo`  (install + digitize the samples)  and  `make test`.
PY ?= python3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := tesseract-ocr tesseract-ocr-vie fonts-dejavu-core fonts-liberation fonts-freefont-ttf fonts-noto-core poppler-utils

.PHONY: install demo test lint bench

install:
	@command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -q '^vie$$' || \
	  ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $(APT_PACKAGES))
	$(PY) -m pip install -q -e '.[dev]'

demo: install
	sohoa extract samples/data/*.jpg --json

test:
	$(PY) -m pytest

lint:
	ruff check . && ruff format --check . && mypy

bench:
	$(PY) -m bench.ocr_eval
