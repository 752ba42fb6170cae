# Two commands on a fresh machine:  `make demo`  (install + digitize the samples)  and  `make test`.
PY ?= python3
PIP := $(PY) -m pip --disable-pip-version-check -q
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := tesseract-ocr tesseract-ocr-vie libtesseract-dev libleptonica-dev pkg-config fonts-dejavu-core fonts-liberation fonts-freefont-ttf fonts-noto-core poppler-utils chromium chromium-driver softhsm2 opensc icc-profiles-free libpdfbox2-java libactivation-java libjaxb-api-java default-jre-headless

.PHONY: install lock demo test lint bench

install:
	@dpkg -s $(APT_PACKAGES) >/dev/null 2>&1 || \
	  ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $(APT_PACKAGES) >/dev/null)
	@# Exactly the hash-locked tree (`make lock`); --no-deps: pip resolves nothing and fetches
	@# nothing unpinned. The build tools come first, so the source builds below (tesserocr,
	@# against Debian's libtesseract: the lock says --no-binary tesserocr; sohoa itself) use the
	@# locked ones instead of an isolated build environment of unpinned downloads.
	$(PIP) install --require-hashes --no-deps -r requirements-build.lock
	$(PIP) install --require-hashes --no-deps --no-build-isolation -r requirements.lock
	$(PIP) install --no-deps --no-build-isolation -e .

# Regenerate the locks after editing pyproject.toml's dependencies; the pins already in the
# files are kept unless asked otherwise (make lock LOCK_FLAGS=--upgrade, or
# LOCK_FLAGS='--upgrade-package NAME'). One cv2: rapidocr asks for opencv-python-headless,
# paddleocr (and pyproject) for opencv-contrib-python 4.10; both install the same cv2 package,
# so the headless one is left out of the locks (a headless 5.x would break cv2 and mypy). pip,
# the installer (pip-audit's pip-api asks for one), is the interpreter's own, as with pip-tools.
# requirements-runtime.lock (the image) and requirements-build.lock are subsets of
# requirements.lock at the same versions (-c).
LOCK := uv pip compile --python-version 3.11 --python-platform x86_64-unknown-linux-gnu \
  --generate-hashes --no-emit-package opencv-python-headless --no-emit-package pip $(LOCK_FLAGS)
lock:
	$(PY) -m pip install -q uv
	$(LOCK) --no-binary tesserocr --emit-build-options pyproject.toml --extra dev --group build -o requirements.lock
	$(LOCK) --emit-build-options pyproject.toml -c requirements.lock -o requirements-runtime.lock
	$(LOCK) --group build -c requirements.lock -o requirements-build.lock

# Embedded default: SQLite register + store under ./sohoa-data, no services needed; the demo PKI
# (`sohoa pki demo`, kept in ./sohoa-data/demo-pki) signs the approved copy (development only).
DEMO_FILES := samples/data/birth_certificate_001.jpg samples/data/household_business_registration_001.jpg samples/data/dossier_001.pdf

demo: install
	sohoa population import samples/data/population.csv
	sohoa pki demo
	sohoa user demo   # canbo.demo, xuly.demo, quantri.demo (password sohoa-demo-2026): /dang-nhap
	sohoa extract $(DEMO_FILES) --json
	@# the counter's flow ending in a signed copy: dossier code, approval, QR, PDF/A, signature
	sohoa digitize samples/data/birth_certificate_001.jpg --citizen 079189935338 --procedure dang-ky-khai-sinh

test:
	$(PY) -m pytest

lint:
	ruff check . && ruff format --check . && mypy && lint-imports

bench:
	$(PY) -m bench.ocr_eval
	$(PY) -m bench.stage_profile
	$(PY) -m bench.extract_eval
	$(PY) -m bench.service_bench
	$(PY) -m bench.load_test
