# Two commands on a fresh machine:  `make demo`  (install + digitize the samples)  and  `make test`.
PY ?= python3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := tesseract-ocr tesseract-ocr-vie libtesseract-dev libleptonica-dev pkg-config fonts-dejavu-core fonts-liberation fonts-freefont-ttf fonts-noto-core poppler-utils chromium chromium-driver softhsm2 opensc icc-profiles-free libpdfbox2-java libactivation-java libjaxb-api-java default-jre-headless

.PHONY: install demo test lint bench

install:
	@dpkg -s $(APT_PACKAGES) >/dev/null 2>&1 || \
	  ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $(APT_PACKAGES) >/dev/null)
	@# tesserocr compiled against Debian's libtesseract (the binary's own engine), not its wheel
	$(PY) -m pip install -q --disable-pip-version-check --no-binary tesserocr -e '.[dev]'
	@# rapidocr pulls in opencv-python-headless, paddleocr opencv-contrib: keep one cv2 (contrib).
	@if $(PY) -m pip show -q opencv-python-headless >/dev/null 2>&1; then \
	  $(PY) -m pip uninstall -y -q opencv-python-headless && \
	  $(PY) -m pip install -q --force-reinstall --no-deps "opencv-contrib-python==$$($(PY) -m pip show opencv-contrib-python | awk '/^Version/{print $$2}')"; fi

# Embedded default: SQLite register + store under ./sohoa-data, no services needed; the demo PKI
# (`sohoa pki demo`, kept in ./sohoa-data/demo-pki) signs the approved copy (development only).
DEMO_FILES := samples/data/birth_certificate_001.jpg samples/data/household_business_registration_001.jpg samples/data/dossier_001.pdf

demo: install
	sohoa population import samples/data/population.csv
	sohoa pki demo
	sohoa extract $(DEMO_FILES) --json
	@# the counter's flow ending in a signed copy: dossier code, approval, QR, PDF/A, signature
	sohoa digitize samples/data/birth_certificate_001.jpg --citizen 079189935338 --procedure dang-ky-khai-sinh

test:
	$(PY) -m pytest

lint:
	ruff check . && ruff format --check . && mypy

bench:
	$(PY) -m bench.ocr_eval
	$(PY) -m bench.stage_profile
	$(PY) -m bench.extract_eval
	$(PY) -m bench.service_bench
	$(PY) -m bench.load_test
