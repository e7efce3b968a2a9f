"""The `milvus` store: units, pieces and quotable spans as Milvus rows (schema), a Store to rows and back
(rows), the writer that upserts and deletes them (writer), and the search backend (search). One connection per
URI (client): a milvus-lite folder in this process, or a Milvus server."""
