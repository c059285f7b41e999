"""Tell every library that calls home that there is no network.

Imported first by the package, before chromadb, gradio, sentence-transformers
or huggingface_hub are, because several of them read these variables once at
import time.
"""

import os

_OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "ANONYMIZED_TELEMETRY": "False",  # chromadb's posthog telemetry
    "GRADIO_ANALYTICS_ENABLED": "False",
    "DO_NOT_TRACK": "1",
    "TOKENIZERS_PARALLELISM": "false",
    # Library progress bars and chatter ("Loading weights ...") would bury our own stage lines.
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TRANSFORMERS_VERBOSITY": "error",
    "TRANSFORMERS_NO_ADVISORY_WARNINGS": "1",
}

for _key, _value in _OFFLINE_ENV.items():
    os.environ.setdefault(_key, _value)
