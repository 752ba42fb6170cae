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
COPY pyproject.toml README.md ./
COPY ocr_service ./ocr_service
COPY classifiers ./classifiers
COPY storage ./storage
COPY workers ./workers
COPY samples ./samples
# rapidocr pulls in opencv-python-headless and paddleocr opencv-contrib; keep only contrib.
RUN pip install --no-binary tesserocr . \
 && pip uninstall -y opencv-python-headless \
 && pip install --force-reinstall --no-deps "opencv-contrib-python==$(pip show opencv-contrib-python | awk '/^Version/{print $2}')"

RUN useradd --system --home /var/lib/sohoa --create-home sohoa
USER sohoa
EXPOSE 8000

ENTRYPOINT ["sohoa"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
