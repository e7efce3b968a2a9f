"""From files to a searchable, persisted index: read, parse, chunk, embed, store, retrieve."""
