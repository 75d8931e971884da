"""Low-carbon behaviours and what they are worth: methodologies, rules, records, settlement."""
