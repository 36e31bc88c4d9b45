# state_file.py Provides StateFile: a small JSON document on flash, replaced atomically
# Written to a temporary file then renamed over the old one, so a power cut leaves the old or the new
# version, never half of one.
import json
import os


class StateFile:
    def __init__(self, path):
        self.path = path
        self.writes = 0

    def load(self):
        try:
            with open(self.path) as f:
                return json.load(f)
        except (OSError, ValueError):
            return None

    def save(self, doc):
        tmp = self.path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(doc, f)
        os.rename(tmp, self.path)
        self.writes += 1
