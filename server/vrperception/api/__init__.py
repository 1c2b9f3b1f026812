"""Generated code. See scripts/generate_protos.py."""
