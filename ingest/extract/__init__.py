"""Text analysis: normalized text → the document's identity, the directives it cites, its dates."""
