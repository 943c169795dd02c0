"""Shared Chinese-text analyses: numbers and numerals, segmentation, names, 《》 titles and the
law lexicon, placeholders, plan matching. Used by the report parser, grounding, the checker's
rules, import and the web alike; nothing here knows about reports, rules or backends."""
