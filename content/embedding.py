"""The static embedding model the lookup reads meaning with: wordllama's 256-dimension L2 Supercat model,
which the `wordllama` wheel ships (a token embedding table and the Llama 2 tokenizer), read from disk with no
network.

A text's vector is the mean of its tokens' rows, normalised: what `WordLlamaInference.embed` computes. The
files are read here rather than through `WordLlama.load`: its loader looks for the tokenizer in a folder the
wheel does not have and then tries to download it, importing the package sets up the root logger, and the
wrapper's imports and float32 copy of the table cost about 50 MiB of a bot process's 150 MiB (measured).
Instead the table's rows are read from the file as texts need them: a process holds none of it.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tokenizers import Encoding, Tokenizer

log = logging.getLogger(__name__)

WEIGHTS = Path("weights") / "l2_supercat_256.safetensors"
TOKENIZER = Path("tokenizers") / "l2_supercat_tokenizer_config.json"
TENSOR = "embedding.weight"
BATCH = 64  # texts tokenised at once
FEW = 16  # texts tokenised one by one in this thread
MODEL_DIR_VARIABLE = "LOOKUP_MODEL_DIR"
WORD_START = "\u2581"  # how the tokenizer marks a token that starts a word


@dataclass(frozen=True, slots=True)
class EmbeddingTable:
    """The rows of the embedding table, read from the weights file when asked for: a process holds only the
    rows of the texts it is embedding, not the 16 MB table nor the pages a mapping would keep."""

    file: int  # an open descriptor of the weights file
    offset: int  # where the table starts in it
    rows: int
    columns: int

    def read(self, ids: Iterable[int]) -> dict[int, np.ndarray]:
        """Each id's row as float32 (ids outside the table read as its last row, as clipping does)."""
        width = self.columns * 2  # float16
        found: dict[int, np.ndarray] = {}
        for token in set(ids):
            row = min(max(token, 0), self.rows - 1)
            data = os.pread(self.file, width, self.offset + row * width)
            found[token] = np.frombuffer(data, dtype="<f2").astype(np.float32)
        return found


@dataclass(frozen=True, slots=True)
class StaticEmbedding:
    """Texts to unit vectors: the mean of their tokens' rows in ``table``."""

    tokenizer: Tokenizer
    table: EmbeddingTable

    @property
    def dimensions(self) -> int:
        return self.table.columns

    def is_whole_word(self, word: str) -> bool:
        """Whether the tokenizer's vocabulary has ``word`` (or ``Word``: "Greek") as one token: a common word,
        not a typo."""
        return any(
            self.tokenizer.token_to_id(WORD_START + form) is not None for form in (word, word.capitalize())
        )

    def embed(self, texts: list[str]) -> np.ndarray:
        """One unit-length float32 row per text (zeros for a text with no token)."""
        vectors = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for start in range(0, len(texts), BATCH):
            encodings = self._encode(texts[start : start + BATCH])
            rows = self.table.read(token for encoding in encodings for token in encoding.ids)
            for row, encoding in enumerate(encodings, start):
                if encoding.ids:
                    vectors[row] = np.mean([rows[token] for token in encoding.ids], axis=0)
        lengths = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.divide(vectors, lengths, out=np.zeros_like(vectors), where=lengths > 0)

    def _encode(self, texts: list[str]) -> list[Encoding]:
        if len(texts) <= FEW:  # a query's few texts: the tokenizer's thread pool costs more than it saves
            return [self.tokenizer.encode(text, add_special_tokens=False) for text in texts]
        return self.tokenizer.encode_batch(texts, add_special_tokens=False)


def model_folder() -> Path | None:
    """`LOOKUP_MODEL_DIR` if set (a folder laid out as the wordllama package is), else the installed
    `wordllama` package's folder, found without importing it."""
    if configured := os.environ.get(MODEL_DIR_VARIABLE):
        return Path(configured)
    spec = importlib.util.find_spec("wordllama")
    locations = list(spec.submodule_search_locations or ()) if spec else []
    return Path(locations[0]) if locations else None


def load(folder: Path | None = None) -> StaticEmbedding | None:
    """The model in ``folder`` (default: the installed wordllama package's); None, with one warning, when its
    files are missing or unreadable, so the lookup goes on with its lexical steps alone."""
    folder = folder if folder is not None else model_folder()
    try:
        if folder is None:
            raise FileNotFoundError("the wordllama package is not installed")
        tokenizer = Tokenizer.from_file(str(folder / TOKENIZER))
        tokenizer.no_padding()
        tokenizer.no_truncation()
        table = _table(folder / WEIGHTS)
    except Exception as error:  # any unreadable file: the lookup must start without the model
        log.warning("lookup: no embedding model (%s); topics are ranked by their words alone", error)
        return None
    return StaticEmbedding(tokenizer, table)


def _table(path: Path) -> EmbeddingTable:
    """The embedding table of a safetensors file (8-byte header length, JSON header, raw tensors)."""
    with path.open("rb") as file:
        (header_length,) = struct.unpack("<Q", file.read(8))
        header = json.loads(file.read(header_length))
    entry = header[TENSOR]
    if entry["dtype"] != "F16" or len(entry["shape"]) != 2:
        raise ValueError(f"{path.name}: expected a 2-d F16 tensor {TENSOR!r}, found {entry}")
    start, end = entry["data_offsets"]
    rows, columns = entry["shape"]
    offset = 8 + header_length + start
    if end - start != rows * columns * 2 or path.stat().st_size < offset + rows * columns * 2:
        raise ValueError(f"{path.name}: {TENSOR!r} is shorter than its shape {entry['shape']}")
    return EmbeddingTable(os.open(path, os.O_RDONLY), offset, rows, columns)
