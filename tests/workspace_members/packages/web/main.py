from ws_core import greeting

print("web:", greeting())
