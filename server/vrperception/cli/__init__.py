"""Command-line interface: `vrperception serve|info|hands|...`."""
