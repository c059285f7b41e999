"""Position data for new documents: stances extracted by rules, reviewed by an editor, indexed like curated ones.

* extractor.py -- the rule-based extractor (gazetteer + cue lexicon, offline)
* cache.py     -- the machine-written cache of what was extracted, one file per document (knowledge/extracted/)
* review.py    -- reviews.yaml (editor decisions),
                  and the merge the index build uses
"""

from .extractor import EXTRACTOR_VERSION, Candidate, ExtractedRecord, Extraction, Extractor, extract_document

__all__ = ["EXTRACTOR_VERSION", "Candidate", "ExtractedRecord", "Extraction", "Extractor", "extract_document"]
