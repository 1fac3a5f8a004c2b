"""The domain core: plain data and pure functions. No Qt, no SQLAlchemy, no file I/O."""
