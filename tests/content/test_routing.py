"""The routing table: what people actually type in a discussion, and the topic each must reach.

Terms, tool names, questions, plurals and misspellings. When content changes, this table says whether
people still land on the right card.
"""

from __future__ import annotations

import pytest

import content

ROUTES: dict[str, str] = {
    # the overview
    "mlops": "focus_area",
    "devops": "focus_area",
    "MLOps vs DevOps": "focus_area",
    "what is the difference between mlops and devops": "focus_area",
    "is mlops a subset of devops?": "focus_area",
    "machine learning operations": "focus_area",
    "ml ops": "focus_area",
    # automation and pipelines
    "automation": "automation",
    "how do we automate training?": "automation",
    "manual steps": "automation",
    "ci/cd": "pipeline",
    "CI-CD": "pipeline",
    "cicd": "pipeline",
    "what is ct": "pipeline",
    "what is CT?": "pipeline",
    "CI/CT/CD": "pipeline",
    "continuous training": "pipeline",
    "continuous delivery": "pipeline",
    "continuous deployment": "pipeline",
    "continuous delivery vs continuous deployment": "pipeline",
    "continous training": "pipeline",
    "jenkins": "pipeline",
    "GitHub Actions": "pipeline",
    "gitlab ci": "pipeline",
    "ml pipelines": "pipeline",
    # orchestration
    "airflow": "orchestration",
    "Apache Airflow": "orchestration",
    "argo": "orchestration",
    "argo workflows": "orchestration",
    "kubeflow": "orchestration",
    "kubeflow pipelines": "orchestration",
    "kubflow": "orchestration",
    "what is kubflow?": "orchestration",
    "prefect": "orchestration",
    "dagster": "orchestration",
    "tfx": "orchestration",
    "metaflow": "orchestration",
    "dags": "orchestration",
    "workflow orchestration": "orchestration",
    "orchestrator": "orchestration",
    # monitoring and drift
    "monitoring": "monitoring",
    "model monitoring": "monitoring",
    "how do we do montoring": "monitoring",
    "observability": "monitoring",
    "prometheus": "monitoring",
    "grafana": "monitoring",
    "evidently": "monitoring",
    "Evidently AI": "monitoring",
    "evidentely": "monitoring",
    "alerts": "monitoring",
    "drift": "drift",
    "data drift": "drift",
    "concept drift": "drift",
    "data drift vs concept drift": "drift",
    "model drift": "drift",
    "covariate shift": "drift",
    "PSI": "drift",
    "population stability index": "drift",
    "distribution shift": "drift",
    # people
    "collaboration": "collaboration",
    "colaboration": "collaboration",
    "handoffs": "collaboration",
    "silos": "collaboration",
    "data scientists": "teams",
    "who owns the model": "teams",
    "ML engineer": "teams",
    "SRE": "teams",
    "platform team": "teams",
    "roles": "teams",
    # practices and tools
    "best practices": "key_practices",
    "mlops practices": "key_practices",
    "tools": "tools",
    "mlops tools": "tools",
    "tooling": "tools",
    "sagemaker": "tools",
    "vertex ai": "tools",
    "mlflow": "experiment_tracking",
    "experiment tracking": "experiment_tracking",
    "experment traking": "experiment_tracking",
    "experiments": "experiment_tracking",
    "weights and biases": "experiment_tracking",
    "wandb": "experiment_tracking",
    "W&B": "experiment_tracking",
    "hyperparameter tuning": "experiment_tracking",
    "model registry": "model_registry",
    "MLflow Model Registry": "model_registry",
    "registry": "model_registry",
    "champion challenger": "model_registry",
    "model promotion": "model_registry",
    "dvc": "versioning",
    "data versioning": "versioning",
    "versioning": "versioning",
    "versoning": "versioning",
    "reproducibility": "versioning",
    "how do we reproduce a model": "versioning",
    "lineage": "lineage",
    "git": "versioning",
    # deployment and serving
    "deployment": "deployment",
    "canary": "deployment",
    "canary release": "deployment",
    "shadow mode": "deployment",
    "shadow deployment": "deployment",
    "blue-green": "deployment",
    "rollback": "deployment",
    "feature flags": "deployment",
    "argo rollouts": "deployment",
    "progressive delivery": "deployment",
    "inference": "serving",
    "batch inference": "serving",
    "online inference": "serving",
    "batch vs online": "serving",
    "real-time serving": "serving",
    "model serving": "serving",
    "kserve": "serving",
    "seldon": "serving",
    "bentoml": "serving",
    "triton": "serving",
    "torchserve": "serving",
    "a/b testing": "online_evaluation",
    "A/B test": "online_evaluation",
    "ab testing": "online_evaluation",
    "online evaluation": "online_evaluation",
    "multi-armed bandit": "online_evaluation",
    "interleaving": "online_evaluation",
    # quality
    "testing": "testing",
    "unit tests": "testing",
    "holdout set": "testing",
    "model evaluation": "testing",
    "offline evaluation": "testing",
    "metrics": "performance_metrics",
    "accuracy": "performance_metrics",
    "precision and recall": "performance_metrics",
    "p99": "performance_metrics",
    "p99 latency": "performance_metrics",
    "SLOs": "performance_metrics",
    "error budget": "performance_metrics",
    "KPIs": "performance_metrics",
    "failure mode": "failure_mode",
    "silent failures": "failure_mode",
    "why do models fail silently": "failure_mode",
    "retraining": "retraining",
    "retrainig": "retraining",
    "re-training": "retraining",
    "stale model": "retraining",
    "when to retrain": "update_trigger",
    "update trigger": "update_trigger",
    "triggers": "update_trigger",
    "feedback loop": "feedback_loop",
    "hidden feedback loop": "feedback_loop",
    "ground truth": "feedback_loop",
    "delayed labels": "feedback_loop",
    # data
    "data": "data",
    "data quality": "data",
    "data validation": "data",
    "great expectations": "data",
    "tfdv": "data",
    "data labelling": "data",
    "feature store": "feature_store",
    "feature stores": "feature_store",
    "feast": "feature_store",
    "training serving skew": "feature_store",
    "training-serving skew": "feature_store",
    "feature engineering": "feature_store",
    "point-in-time correctness": "feature_store",
    "input": "input",
    "live data": "input",
    "unseen categories": "input",
    "primary asset": "primary_asset",
    "code vs data": "primary_asset",
    # artifacts and infrastructure
    "build artifact": "build_artifact",
    "model file": "build_artifact",
    "docker": "build_artifact",
    "docker image": "build_artifact",
    "onnx": "build_artifact",
    "infrastructure": "infrastructure",
    "infrastucture": "infrastructure",
    "terraform": "infrastructure",
    "kubernetes": "infrastructure",
    "k8s": "infrastructure",
    "infrastructure as code": "infrastructure",
    "cost": "cost",
    "costs": "cost",
    "gpu": "cost",
    "GPUs": "cost",
    "gpu capacity": "cost",
    "finops": "cost",
    "spot instances": "cost",
    # risk, law and operations
    "security": "security",
    "supply chain": "model_supply_chain",
    "data poisoning": "security",
    "pickle": "model_supply_chain",
    "safetensors": "model_supply_chain",
    "secrets": "security",
    "adversarial examples": "security",
    "privacy": "privacy",
    "gdpr": "privacy",
    "PII": "privacy",
    "right to be forgotten": "privacy",
    "machine unlearning": "privacy",
    "data deletion": "privacy",
    "governance": "governance",
    "compliance": "governance",
    "bias": "governance",
    "fairness": "governance",
    "model cards": "governance",
    "EU AI Act": "ai_regulation",
    "explainability": "governance",
    "incident": "incident_response",
    "incidents": "incident_response",
    "on-call": "incident_response",
    "postmortem": "incident_response",
    "runbook": "incident_response",
    "fallback": "incident_response",
    "kill switch": "incident_response",
    # LLMs
    "llm": "llmops",
    "LLMs": "llmops",
    "llmops": "llmops",
    "prompt versioning": "prompt_versioning",
    "prompts": "llmops",
    "rag": "rag_operations",
    "llm as a judge": "llm_evaluation",
    "vllm": "llm_serving",
    "data contract": "data_contracts",
    "RAG index": "rag_operations",
    "vector database": "rag_operations",
    "evals": "llm_evaluation",
    "prompt injection": "llm_guardrails",
    "hallucinations": "llm_evaluation",
    "generative ai": "llmops",
    "fine-tuning": "fine_tuning",
    "prompt caching": "llm_api_cost",
    "langfuse traces": "llm_observability",
    "zero data retention": "llm_data_privacy",
    "serious incident": "ai_act_operations",
    # maturity and debt
    "maturity": "maturity",
    "mlops maturity": "maturity",
    "mlops level 2": "maturity",
    "level 0": "maturity",
    "maturity model": "maturity",
    "technical debt": "technical_debt",
    "tech debt": "technical_debt",
    "hidden technical debt": "technical_debt",
    "glue code": "technical_debt",
    "pipeline jungles": "technical_debt",
    "entanglement": "technical_debt",
    "undeclared consumers": "technical_debt",
}

# Nothing to show, but a "did you mean" list: two topics at once, or a term spelt too far off to be sure.
NO_MATCH_WITH_SUGGESTIONS = [
    "monitorng dashbord",
    "monitoring and retraining",
    "drift or retraining",
    "canary vs a/b test",
    "feast and mlflow",
    "airflow or jenkins",
    "docker and kubernetes",
    "security and privacy",
    "gpu cost of inference",
    "versioning in the model registry",
    "testing vs online evaluation",
    "llm evals and unit tests",
    "monitoring for drift",
    "pipeline orchestration",
    "data validation and feature store",
    "montoring of dashbords",
    "governance and privacy",
    "retrain trigger",
    "teams and collaboration",
    "prometheus and airflow",
    "incident rollback",
    "technical debt and maturity",
]

# Not a topic at all, and close to none.
NO_MATCH = ["banana", "hello", "pizza", "asdfgh", "cat", "act", "lorem ipsum", "the weather today", "zzz"]


@pytest.mark.parametrize(("typed", "key"), ROUTES.items(), ids=list(ROUTES))
def test_what_people_type_reaches_its_topic(typed: str, key: str) -> None:
    match = content.find(typed)
    assert match.topic is not None, f"{typed!r} found nothing; suggestions: {match.suggestions}"
    assert match.topic.key == key


@pytest.mark.parametrize("typed", NO_MATCH_WITH_SUGGESTIONS)
def test_ambiguous_or_far_off_text_gets_suggestions_not_a_topic(typed: str) -> None:
    match = content.find(typed)
    assert match.topic is None, f"{typed!r} went to {match.topic.key}"  # type: ignore[union-attr]
    assert 1 <= len(match.suggestions) <= 3


@pytest.mark.parametrize("typed", NO_MATCH)
def test_unrelated_text_finds_nothing(typed: str) -> None:
    assert content.find(typed).topic is None


def test_the_table_is_big_enough_and_reaches_every_topic() -> None:
    assert len(ROUTES) >= 150
    assert len(NO_MATCH_WITH_SUGGESTIONS) >= 20
    assert set(ROUTES.values()) == {topic.key for topic in content.topics()}


@pytest.mark.parametrize(
    ("typed", "not_key"),
    [
        ("inference", "focus_area"),  # not a typo of "difference"
        ("data scientists", "data"),
        ("feature flags", "input"),
        ("training serving skew", "deployment"),
        ("a/b testing", "testing"),
        ("prompt versioning", "versioning"),
    ],
)
def test_a_longer_term_wins_over_a_word_inside_it(typed: str, not_key: str) -> None:
    match = content.find(typed)
    assert match.topic is not None and match.topic.key != not_key


@pytest.mark.parametrize(
    "typed",
    ["act", "fact", "decision", "scd", "acid", "ciphers", "frag", "drag", "magpie", "spice", "llama"],
)
def test_a_term_never_matches_inside_another_word(typed: str) -> None:
    """'ct', 'ci', 'cd', 'rag', 'psi', 'pii'... are whole words or nothing."""
    assert content.find(typed).topic is None
    assert content.find_all(f"we discussed {typed} today") == ()


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        (
            "We shipped the fraud model behind a canary, then data drift from the feature store broke it.",
            ["deployment", "drift", "feature_store"],
        ),
        (
            "Airflow retried the task; Airflow is fine. Evidently flagged drift.",
            ["orchestration", "monitoring", "drift"],
        ),
        ("How is MLOps different from DevOps when it comes to monitoring?", ["monitoring"]),
        ("What is MLOps, really?", ["focus_area"]),
        ("Our data scientists keep the prompts for the LLM in a notebook.", ["teams", "llmops"]),
        ("A/B testing beats offline evaluation for ranking models.", ["online_evaluation", "testing"]),
        ("Nothing here but lunch plans.", []),
        ("", []),
    ],
)
def test_find_all_lists_every_topic_a_message_names_in_order(text: str, keys: list[str]) -> None:
    assert [topic.key for topic in content.find_all(text)] == keys


def test_find_all_reads_a_long_message() -> None:
    text = "word " * 500 + "kubeflow " + "word " * 100 + "gdpr"
    assert [topic.key for topic in content.find_all(text)] == ["orchestration", "privacy"]


def test_find_all_takes_a_given_content() -> None:
    fixture = content.load(content.DATA_DIR)
    assert content.find_all("mlflow and feast", fixture) == (
        fixture.topic("experiment_tracking"),
        fixture.topic("feature_store"),
    )
