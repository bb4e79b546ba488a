"""Flask application object for the pdm-flask sample (serve with: gunicorn app:app)."""

from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/")
def index():
    return jsonify(message="hello from pdm-flask")


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8000)
