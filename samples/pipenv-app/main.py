"""pipenv-app sample: report the locked requests/urllib3 versions (no network access)."""

import requests
import urllib3

if __name__ == "__main__":
    print(f"requests {requests.__version__} (urllib3 {urllib3.__version__})")
