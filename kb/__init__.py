"""The district's policy knowledge base: content model, validation, catalogue and page data.

Plain Python with no MkDocs import: the hooks under ``hooks/`` adapt it to MkDocs, the command
line (``python -m kb``) uses it directly, and tests call it with small inputs.
"""
