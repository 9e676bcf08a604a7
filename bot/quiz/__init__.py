"""Pure quiz logic: schedule parsing and DST-safe due times (timing), question rotation (rotation)."""
