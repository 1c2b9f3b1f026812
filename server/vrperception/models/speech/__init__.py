"""Speech recognition for voice commands: engines, VAD and endpointing, per-stream pipeline."""
