"""Multiply a random matrix on the best device available and print where it ran."""

import argparse


def main() -> None:
    parser = argparse.ArgumentParser(description="Run one matrix product with PyTorch.")
    parser.add_argument("--size", type=int, default=256)
    args = parser.parse_args()
    import torch

    device = "cuda" if torch.cuda.is_available() else "cpu"
    x = torch.rand(args.size, args.size, device=device)
    print(f"torch {torch.__version__} on {device}: {float((x @ x).sum()):.1f}")
