"""The extractor as tables of input -> expected claims, one table per kind (claim-spec.md).

Sentences are written for these tests, in the style of ML abstracts. Each row lists every
claim the sentence should give as ``(kind, low, high, unit, qualifier)``; known misses are
strict xfail rows, so a fix shows up as an unexpected pass.
"""

from __future__ import annotations

import pytest

from claimkit.extract import find_claims

B, M, K = 1e9, 1e6, 1e3


def claims_of(text: str) -> list[tuple]:
    return [(c.kind, c.low, c.high, c.unit, c.qualifier) for c in find_claims(text)]


def case(text: str, *expected: tuple, reason: str = ""):
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(text, list(expected), id=text[:60], marks=marks)


SPEEDUP = [
    case("Our kernel achieves a 1.5-3.2x speed-up over FlashAttention.", ("speedup", 1.5, 3.2, "x", "")),
    case("The server sustains up to 6.1x and 2.2x higher throughput.",
         ("speedup", 6.1, 6.1, "x", "up_to"), ("speedup", 2.2, 2.2, "x", "up_to")),
    case("Decoding becomes ten times faster on long prompts.", ("speedup", 10, 10, "x", "")),
    case("The pipeline is more than 40% faster than the reference.", ("speedup", 40, 40, "%", "at_least")),
    case("It cuts end-to-end latency by 35% compared with vLLM.", ("speedup", 35, 35, "%", "")),
    case("It yields 2.4x to 5.0x lower time-to-first-token.", ("speedup", 2.4, 5.0, "x", "")),
    case("Pruning adds only 12% more inference time.", ("speedup", 12, 12, "%", "")),
    case("The scheduler boosts serving capacity by up to 16.7%.", ("speedup", 16.7, 16.7, "%", "up_to")),
    case("Our renderer reduces training time to 1% of NeRF's.", ("speedup", 1, 1, "%", "")),
]

GAIN = [
    case("Our detector outperforms DINO by 3.1% mAP on LVIS.", ("gain", 3.1, 3.1, "%", "")),
    case("It improves over the baseline by 4.2 points on SuperGLUE.", ("gain", 4.2, 4.2, "pt", "")),
    case("This yields an average 7.5% improvement across tasks.", ("gain", 7.5, 7.5, "%", "average")),
    case("We see a 2.9% (absolute) increase on OK-VQA.", ("gain", 2.9, 2.9, "pt", "")),
    case("Fine-tuning brings +1.7 BLEU over the pretrained model.", ("gain", 1.7, 1.7, "", "")),
    case("It surpasses prior work by 9.1% and 4.4% on the two splits.",
         ("gain", 9.1, 9.1, "%", ""), ("gain", 4.4, 4.4, "%", "")),
    case("It achieves up to 11.0% improvement on MATH, 6.2% on GPQA, and 3.0% on GSM8K.",
         ("gain", 11.0, 11.0, "%", "up_to"), ("gain", 6.2, 6.2, "%", "up_to"), ("gain", 3.0, 3.0, "%", "up_to")),
    case("The agent solves 32.5% more tasks than GPT-4.", ("gain", 32.5, 32.5, "%", "")),
    case("It reaches a success rate increase of 0.3 to 0.5 over the sweep.", ("gain", 0.3, 0.5, "", "")),
    case("It beats the teacher by 0.7 mIoU, 2.2 APbox, and 2.1 APmask.",
         ("gain", 0.7, 0.7, "", ""), ("gain", 2.2, 2.2, "", ""), ("gain", 2.1, 2.1, "", "")),
    case("The model is 30x more compute-efficient than LoRA.", ("reduction", 30, 30, "x", "")),
    case("It yields an improvement in BLEU score of up to 1.6 over kNN-MT.", ("gain", 1.6, 1.6, "", "up_to")),
    case("We report notable performance gains (11.0% for 2B and 17.4% for 7B) over GPT-4V.",
         ("gain", 11.0, 11.0, "%", ""), ("model_size", 2 * B, 2 * B, "params", ""),
         ("gain", 17.4, 17.4, "%", ""), ("model_size", 7 * B, 7 * B, "params", "")),
]

SCORE = [
    case("Our model reaches 71.3% pass@1 on HumanEval.", ("score", 71.3, 71.3, "%", "")),
    case("It achieves 0.412 RMSE on KITTI.", ("score", 0.412, 0.412, "", "")),
    case("The judge agrees with humans in over 90% of the cases.", ("score", 90, 90, "%", "at_least")),
    case("Accuracy drops from 0.81 to 0.64 after the third turn.",
         ("score", 0.81, 0.81, "", ""), ("score", 0.64, 0.64, "", "")),
    case("The student retains 93% of the teacher's performance.", ("score", 93, 93, "%", "")),
    case("Top-1 accuracy rises from 71.2% to 74.9% with the new head.",
         ("score", 71.2, 71.2, "%", ""), ("score", 74.9, 74.9, "%", "")),
    case("It beats GPT-4-Turbo (17.6%) and GPT-4o (13.9%) on WebArena.",
         ("score", 17.6, 17.6, "%", ""), ("score", 13.9, 13.9, "%", "")),
    case("Annotators preferred our answers 64% of the time.", ("score", 64, 64, "%", "")),
    case("It renders at 45 FPS on a laptop.", ("score", 45, 45, "fps", "")),
    case("On a phone it decodes 11 tokens per second.", ("score", 11, 11, "tokens/s", "")),
    case("Our models support a context window of 256K tokens.", ("score", 256 * K, 256 * K, "tokens", "")),
    case("It wins in 17 out of 20 evaluation suites.", ("score", 17, 17, "suites", "")),
]

REDUCTION = [
    case("The method uses 60% less memory during training.", ("reduction", 60, 60, "%", "")),
    case("It achieves 40-70% cost savings on cloud APIs.", ("reduction", 40, 70, "%", "")),
    case("It brings up to 12x memory reduction and up to 2x GPU-hour reduction.",
         ("reduction", 12, 12, "x", "up_to"), ("reduction", 2, 2, "x", "up_to")),
    case("FLOPs savings reach 4.2x overall (text: 3.4x, image: 5.3x).",
         ("reduction", 4.2, 4.2, "x", ""), ("reduction", 3.4, 3.4, "x", ""), ("reduction", 5.3, 5.3, "x", "")),
    case("The distilled model is up to 8 times smaller than its teacher.", ("reduction", 8, 8, "x", "up_to")),
    case("It stays within 1% of the dense model's accuracy.", ("reduction", 1, 1, "%", "up_to")),
    case("Our filter yields 35% fewer hallucinated answers.", ("reduction", 35, 35, "%", "")),
    case("It reduces FLOPs by about 62% on ImageNet.", ("reduction", 62, 62, "%", "about")),
    case("We prune 30% of the layers without fine-tuning.", ("reduction", 30, 30, "%", "")),
    case("It brings a two-order-of-magnitude reduction in memory.", ("reduction", 100, 100, "x", "")),
]

MODEL_SIZE = [
    case("We train a 2.7B parameter decoder.", ("model_size", 2.7 * B, 2.7 * B, "params", "")),
    case("We compare against Mistral-7B and Llama-3-70B.",
         ("model_size", 7 * B, 7 * B, "params", ""), ("model_size", 70 * B, 70 * B, "params", "")),
    case("Models range from 125M to 13B parameters.", ("model_size", 125 * M, 13 * B, "params", "")),
    case("We scale it to 34 billion parameters.", ("model_size", 34 * B, 34 * B, "params", "")),
    case("Our 350M-parameter models match larger ones.", ("model_size", 350 * M, 350 * M, "params", "")),
    case("It runs with Qwen2.5-14B-Instruct as the judge.", ("model_size", 14 * B, 14 * B, "params", "")),
    case("We fine-tune Pythia-410M on the task.", ("model_size", 410 * M, 410 * M, "params", "")),
    case("GPT-4, Llama-2 and GLM-4 carry no size.",),
    case("We train on WebVid-10M and evaluate on Yi-200K.",),
]

DATA_SIZE = [
    case("We release 240k image-caption pairs.", ("data_size", 240 * K, 240 * K, "pairs", "")),
    case("The corpus holds over 1.2 million annotated dialogues.",
         ("data_size", 1.2 * M, 1.2 * M, "dialogues", "at_least")),
    case("It is pre-trained on 3.5T tokens.", ("data_size", 3.5e12, 3.5e12, "tokens", "")),
    case("The benchmark contains 12,400 questions.", ("data_size", 12400, 12400, "questions", "")),
    case("We collect more than 500 hours of speech.", ("data_size", 500, 500, "hours", "at_least")),
    case("We construct a 50K-sample instruction dataset.", ("data_size", 50 * K, 50 * K, "samples", "")),
    case("We evaluate on 12 datasets in 40 languages with 5 models.",),
]

COMPUTE = [
    case("Training takes 16 A100 GPUs.", ("compute", 16, 16, "gpus", "")),
    case("It fits on a single RTX 3090.", ("compute", 1, 1, "gpus", "")),
    case("The model is trained in a single day.", ("compute", 1, 1, "days", "")),
    case("Fine-tuning needs 200 GPU hours.", ("compute", 200, 200, "hours", "")),
    case("Both runs use the same 2.3e21 FLOPs.", ("compute", 2.3e21, 2.3e21, "flops", "")),
    case("It reaches 63.2% in ~2 days and 67.8% in ~3 days.", ("score", 63.2, 63.2, "%", ""),
         ("compute", 2, 2, "days", "about"), ("score", 67.8, 67.8, "%", ""), ("compute", 3, 3, "days", "about")),
    case("Quantization completes within two hours.", ("compute", 2, 2, "hours", "up_to")),
]

NOT_CLAIMS = [
    case("We propose a 3D model evaluated on top-1 accuracy with 1-shot prompts.",),
    case("Results are reported in Section 4 and Table 2 (2023).",),
    case("It surpasses GPT-4o (76.6%) and Claude 3.5 (71.1%).", ("score", 76.6, 76.6, "%", ""), ("score", 71.1, 71.1, "%", "")),
    case("Our approach has three steps: (1) retrieve, (2) rank, and (3) read.",),
    case("See https://example.org/v2/model-7B for code.",),
    case("A constant of 1e1000 overflows a float.",),
    case("Contexts of at most 10 tokens suffice.",),
    case("We train with a batch size of 4M on EfficientFormer-L7.",),
    case("The backbone supports 2x and 4x upscaling factors on 2K resolution images.",),
    case("The MoE model uses only 1B per input token.",),
]

KNOWN_MISSES = [
    case("Values agree up to 15 decimal places.", ("score", 15, 15, "decimal places", "up_to"),
         reason="counts of precision digits are not a unit the extractor knows"),
    case("Resistance stays between approx 16 and approx 25 across sizes.", ("score", 16, 25, "", "about"),
         reason="a unitless range without a metric word is skipped"),
]


@pytest.mark.parametrize("text, expected", SPEEDUP + GAIN + SCORE + REDUCTION)
def test_changes_and_scores(text: str, expected: list) -> None:
    assert claims_of(text) == expected


@pytest.mark.parametrize("text, expected", MODEL_SIZE + DATA_SIZE + COMPUTE)
def test_sizes_and_compute(text: str, expected: list) -> None:
    assert claims_of(text) == expected


@pytest.mark.parametrize("text, expected", NOT_CLAIMS)
def test_numbers_that_are_not_claims(text: str, expected: list) -> None:
    assert claims_of(text) == expected


@pytest.mark.parametrize("text, expected", KNOWN_MISSES)
def test_known_misses(text: str, expected: list) -> None:
    assert claims_of(text) == expected


def test_text_is_the_exact_source_span() -> None:
    text = "It outperforms GLIP by 6.5 % in mAP while using 8 V100 GPUs."
    for claim in find_claims(text):
        assert text[claim.start:claim.end] == claim.text
    assert [c.text for c in find_claims(text)] == ["6.5 %", "8 V100 GPUs"]


@pytest.mark.parametrize("text, benchmarks", [
    ("It gains 13.4% on MATH, 8.8% on GPQA, and 7.0% on GSM8K.", ["MATH", "GPQA", "GSM8K"]),
    ("On the EuRoC dataset, it raises FPS by 30.1%.", ["EuRoC"]),
    ("It scores 71% on our QA benchmark.", [""]),
], ids=["the name after each item", "a name the sentence calls a dataset", "no name"])
def test_benchmark_of_each_claim(text: str, benchmarks: list) -> None:
    assert [claim.benchmark for claim in find_claims(text)] == benchmarks


def test_context_fields() -> None:
    (claim,) = find_claims("On GLUE, our method outperforms BERT-large by 2.7 points in accuracy.")
    assert (claim.benchmark, claim.metric, claim.baseline) == ("GLUE", "accuracy", "BERT-large")
    assert claim.sentence.startswith("On GLUE")
