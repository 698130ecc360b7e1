"""Call records: the schema, the file layout, validated loading and the synthetic history."""
