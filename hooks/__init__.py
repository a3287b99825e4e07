"""MkDocs adapters of the knowledge base: the plugin (:mod:`hooks.plugin`) and its jobs, one module each."""
