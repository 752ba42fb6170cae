# sohoa: one image for the API (`sohoa serve`) and the workers (`sohoa worker`).
# BASE_IMAGE: any Debian bookworm image whose `python`/`pip` on PATH are CPython 3.11, e.g. a
# mirrored copy where Docker Hub cannot be reached (docker build --build-arg BASE_IMAGE=...).
ARG BASE_IMAGE=python:3.11-slim-bookworm
FROM ${BASE_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    SOHOA_DATA_DIR=/var/lib/sohoa

# Tesseract with Vietnamese (and its headers: tesserocr is built against it), fonts for
# the searchable PDF, and the shared libraries that
# opencv-contrib (pulled in by paddleocr) links against.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      tesseract-ocr tesseract-ocr-vie poppler-utils \
      libtesseract-dev libleptonica-dev pkg-config g++ \
      fonts-dejavu-core fonts-liberation fonts-freefont-ttf fonts-noto-core \
      libgl1 libglib2.0-0 libgomp1 \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# The runtime tree exactly as locked, every file checked against its hash (`make lock`, Makefile):
# build tools first, so tesserocr's source build (the lock says --no-binary tesserocr) and
# sohoa's own use them instead of unpinned downloads. The lock leaves out
# opencv-python-headless (rapidocr asks for it): paddleocr's opencv-contrib is the one cv2.
COPY requirements-build.lock requirements-runtime.lock ./
RUN pip install --require-hashes --no-deps -r requirements-build.lock \
 && pip install --require-hashes --no-deps --no-build-isolation -r requirements-runtime.lock
COPY pyproject.toml README.md ./
COPY core ./core
COPY ocr_service ./ocr_service
COPY classifiers ./classifiers
COPY storage ./storage
COPY workers ./workers
COPY samples ./samples
RUN pip install --no-deps --no-build-isolation .

RUN useradd --system --home /var/lib/sohoa --create-home sohoa
USER sohoa
EXPOSE 8000

ENTRYPOINT ["sohoa"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
