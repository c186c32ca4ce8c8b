"""Readers: files (.txt .md .html .pdf .docx .doc, images, .jsonl) → text with pages, metadata."""
