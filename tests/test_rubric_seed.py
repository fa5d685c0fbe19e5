"""The default rubric encodes the whole seed: criteria, rounds, topics and every question."""

from __future__ import annotations

import pytest

from assess.rubric.model import load_rubric

RUBRIC = load_rubric("discord-mle")

# Every "Be ready to go over" bullet of the seed -> the topic that encodes it, and words that
# must appear in that topic's title or description.
SEED_TOPICS = [
    ("Data Engineering & Feature Pipelines", "sd-feature-pipelines", ["streaming", "feature stores", "drift"]),
    ("Model Serving & Latency", "sd-serving-latency", ["caching", "quantisation", "load balancing"]),
    ("Metrics & Experimentation", "sd-metrics-experimentation", ["AUC", "retention", "A/B"]),
    ("Advanced (SD): multi-task, GNN fraud, federated", "sd-advanced", ["Multi-task", "graph neural", "federated"]),
    ("Natural Language Processing", "am-nlp", ["Embeddings", "Transformer", "sequence-to-sequence", "languages"]),
    ("Classification & Regression", "am-classification", ["Logistic regression", "XGBoost", "deep neural"]),
    ("Loss Functions & Optimization", "am-loss-optimization", ["imbalanced", "gradient descent", "regularisation"]),
    ("Advanced (ML): self-supervised, contrastive, audio", "am-advanced", ["Self-supervised", "contrastive", "audio"]),
    ("Data Structures", "co-data-structures", ["Hash maps", "trees", "graphs", "heaps", "queues"]),
    ("Algorithmic Paradigms", "co-algorithms", ["Sliding windows", "breadth-first", "dynamic programming", "two"]),
    ("Data Manipulation", "co-data-manipulation", ["Parsing", "filtering", "aggregating", "Python"]),
    ("Advanced (coding): concurrency, memory", "co-advanced", ["Concurrency", "multithreading", "memory"]),
    ("Navigating Ambiguity", "bh-ambiguity", ["vague", "changing"]),
    ("Cross-Functional Teamwork", "bh-cross-functional", ["data engineers", "backend engineers", "product managers"]),
    ("Handling Failure", "bh-failure", ["failed", "degraded", "learned"]),
]

# Every example question and common interview question of the seed -> its topic, and the
# distinctive words that identify our paraphrase of it.
SEED_QUESTIONS = [
    # ML system design: examples
    ("real-time spam detection for text messages across all public servers", "sd-trust-safety", ["spam", "text messages", "public server"]),
    ("recommendation engine for new communities from voice and text activity", "sd-recommendations", ["communities", "voice and text"]),
    ("flag inappropriate images in under 50 ms", "sd-serving-latency", ["inappropriate images", "50 milliseconds"]),
    # ML system design: common
    ("detect and ban spam bot accounts within 5 minutes of creation", "sd-trust-safety", ["spam bot", "five minutes"]),
    ("recommendation system for the Discover tab", "sd-recommendations", ["Discover tab", "servers"]),
    ("filter toxic audio streams in real-time voice channels", "sd-serving-latency", ["toxic audio", "voice channels"]),
    ("real-time anomaly detection on logins against account takeover", "sd-trust-safety", ["anomaly detection", "login", "account takeovers"]),
    ("feature serving with historical data and real-time session context", "sd-feature-pipelines", ["history", "session", "serve"]),
    # Applied ML: examples
    ("cross-entropy vs focal loss", "am-loss-optimization", ["cross-entropy", "focal loss"]),
    ("text classifier drops on weekends", "am-production-debugging", ["text classifier", "weekends"]),
    ("how attention works in a Transformer", "am-nlp", ["attention works", "Transformer"]),
    # Applied ML: common
    ("severe class imbalance in fraud detection", "am-loss-optimization", ["fraud", "imbalanced"]),
    ("Transformer architecture and self-attention", "am-nlp", ["whole architecture", "self-attention"]),
    ("recommender popularity bias, surface niche content", "am-production-debugging", ["popular", "niche"]),
    ("offline vs online metrics; offline AUC up, online CTR not", "am-production-debugging", ["offline AUC", "click-through"]),
    ("detect concept drift in a production NLP model", "am-production-debugging", ["concept drift", "NLP"]),
    # Coding: examples
    ("top K most frequent events in the last 10 minutes", "co-algorithms", ["K most frequent", "ten minutes"]),
    ("rate limiter for an API endpoint", "co-data-structures", ["rate limiter", "API endpoint"]),
    ("shortest path between two users", "co-algorithms", ["shortest path", "two users"]),
    # Coding: common
    ("top 3 most active servers in a sliding 1-hour window", "co-algorithms", ["three most active servers", "sliding one-hour window"]),
    ("Trie for server search autocomplete", "co-data-structures", ["trie", "autocomplete", "server search"]),
    ("merge overlapping voice session intervals", "co-algorithms", ["Merge", "overlapping", "voice-channel sessions"]),
    ("lowest common ancestor in a user clustering tree", "co-data-structures", ["lowest common ancestor", "binary tree"]),
    ("LRU cache for a high-throughput inference API", "co-data-structures", ["LRU cache", "inference API"]),
    # Behavioral: examples
    ("disagreed with a PM about an ML feature", "bh-cross-functional", ["disagreed", "product manager"]),
    ("good offline, failed in A/B testing", "bh-failure", ["offline", "A/B test"]),
    ("most complex technical challenge led from conception to deployment", "bh-ambiguity", ["most complex technical challenge", "production"]),
]


def _topic_text(topic_id: str) -> str:
    topic = RUBRIC.topics[topic_id]
    return f"{topic.title} {topic.covers}".lower()


@pytest.mark.parametrize(("bullet", "topic_id", "words"), SEED_TOPICS)
def test_every_seed_topic_is_encoded(bullet: str, topic_id: str, words: list[str]) -> None:
    text = _topic_text(topic_id)
    missing = [w for w in words if w.lower() not in text]
    assert missing == [], f"{bullet!r}: topic {topic_id} lacks {missing}"


def test_advanced_bullets_weigh_less() -> None:
    advanced = {tid for _, tid, _ in SEED_TOPICS if tid.endswith("-advanced")}
    assert advanced == {t.id for t in RUBRIC.topics.values() if t.depth == "advanced"}
    weight = RUBRIC.planning.advanced_weight
    assert all(RUBRIC.topics[t].effective_weight(weight) < 1.0 for t in advanced)


@pytest.mark.parametrize(("question", "topic_id", "words"), SEED_QUESTIONS)
def test_every_seed_question_is_under_its_topic(question: str, topic_id: str, words: list[str]) -> None:
    texts = [q.text.lower() for q in RUBRIC.topics[topic_id].questions if q.source != "rubric"]
    assert any(all(w.lower() in t for w in words) for t in texts), (
        f"{question!r} not found under {topic_id}"
    )


def test_seed_question_count_matches() -> None:
    # 12 example questions (3 per onsite round) and 15 common questions (5 in three categories).
    seeded = [q for t in RUBRIC.topics.values() for q in t.questions if q.source != "rubric"]
    assert len(seeded) == len(SEED_QUESTIONS) == 27
    assert sum(q.source == "example" for q in seeded) == 12
    assert sum(q.source == "common" for q in seeded) == 15


def test_criteria_rounds_timeline_and_tips() -> None:
    assert [c.id for c in RUBRIC.criteria] == [
        "role-knowledge", "problem-solving", "craftsmanship", "culture-values",
    ]
    assert [r.id for r in RUBRIC.rounds] == [
        "recruiter-screen", "phone-screen", "system-design", "applied-ml", "coding", "behavioral",
    ]
    sd = RUBRIC.round("system-design")
    assert sd.weight >= 0.40 and sd.min_share == 0.40
    assert max(r.weight for r in RUBRIC.rounds) == sd.weight
    assert (RUBRIC.timeline.min_weeks, RUBRIC.timeline.max_weeks) == (3, 5)
    tips = " ".join(f"{t.title} {t.text}" for t in RUBRIC.tips).lower()
    for phrase in ["latency budget", "trade-offs", "voice channels", "star", "mlops"]:
        assert phrase in tips
