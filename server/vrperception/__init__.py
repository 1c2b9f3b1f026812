"""vrperception: offline perception backend for VR and AR games."""

__version__ = "0.1.0"

# Semantic version of the v1 wire protocol. Bump the minor version when
# fields or RPCs are added, the major version for incompatible changes.
PROTOCOL_VERSION = "1.0.0"
