# The naive baseline: one stage on the full image, the whole context copied, then `pip install .`.
# No lock is honoured, no cache is kept, and any change (code or dependency) re-runs the install.
FROM python:3.13
WORKDIR /app
COPY . .
RUN pip install .
CMD ["benchapp"]
