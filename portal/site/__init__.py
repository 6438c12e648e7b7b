"""The roof of the portal: what puts the apps together (root URLs, home page, the public organization page,
the media readers, the demo data). It may import every app; nothing outside it imports it, and the rest of
portal/ (the ground every app stands on) imports no domain app (tests/test_layering.py)."""
