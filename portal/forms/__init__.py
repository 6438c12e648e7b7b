"""Form pieces every app's pages share; they know no domain app."""
