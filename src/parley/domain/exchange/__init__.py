"""The exchange track's rules: categories, stage planning, manifests, handover outcomes,
Mixed Medical Commissions and their decisions."""
