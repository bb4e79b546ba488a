import six


def greeting() -> str:
    return f"core with six {six.__version__}"
