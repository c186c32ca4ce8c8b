"""The fast segmenter gives exactly pyvi's output."""

from __future__ import annotations

import pytest

from vanban.index.segment import segmenter

SENTENCES = [
    "quán triệt nghị quyết số 25 ngày 03/6/2013 của ban chấp hành trung ương về công tác dân vận",
    "Thành uỷ Bắc Ninh chỉ đạo đẩy mạnh hoà giải ở cơ sở, giữ gìn trật tự đô thị.",
    "Điều 5. Người từ đủ 16 tuổi trở lên phải chịu trách nhiệm hình sự về mọi tội phạm",
    "ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ ban hành Quyết định về cơ chế một cửa liên thông",
    "ý kiến của nhân dân được tiếp thu, giải trình đầy đủ; tỷ lệ hài lòng đạt 95,5%",
    "e-mail: vanthu@phutho.gov.vn ... ==> xem thêm >> tại http://phutho.gov.vn/tin-tuc",
    "a",
    "!!!",
]


@pytest.mark.parametrize("sentence", SENTENCES)
def test_same_as_pyvi(sentence: str) -> None:
    from pyvi import ViTokenizer

    assert segmenter()(sentence) == ViTokenizer.tokenize(sentence)


def test_same_as_pyvi_on_the_sample_corpus() -> None:
    import re
    from pathlib import Path

    from pyvi import ViTokenizer

    folder = Path(__file__).resolve().parent.parent / "corpus" / "sample"
    sentences = [s for f in sorted(folder.glob("*.txt"))[:6]
                 for s in re.split(r"(?<=[.;:])\s+|\n+", f.read_text(encoding="utf-8"))
                 if s.strip()]
    assert len(sentences) > 50
    seg = segmenter()
    assert [seg(s) for s in sentences] == [ViTokenizer.tokenize(s) for s in sentences]


def test_query_words_from_one_vocabulary_batch() -> None:
    """Asking the vocabulary once about every candidate run gives the same segmentation as
    asking run by run."""
    from vanban.index.tokens import candidate_words, segment_query

    vocab = {"công_tác", "dân_vận", "công_tác_dân_vận", "thi_đua"}
    sylls = ["công", "tác", "dân", "vận", "khéo", "thi", "đua"]
    known = {w for w in candidate_words(sylls) if w in vocab}
    assert segment_query(sylls, known.__contains__) == segment_query(sylls, vocab.__contains__)
    assert segment_query(sylls, known.__contains__) == ["công_tác_dân_vận", "khéo", "thi_đua"]
