"""A tiny PyTorch inference CLI."""
