from index.glossary import GLOSSARY, expand, respell


def test_united_nations_is_not_respelt_into_another_glossary_word() -> None:
    # "united" is close to glossary words ("unite" once was one, carrying 团结, Umoja's Chinese name)
    assert respell("who chairs the ethics panel of the united nations?") == (
        "who chairs the ethics panel of the united nations?"
    )
    assert "团结" not in " ".join(expand("Who chairs the Ethics Panel of the United Nations?"))
    assert "团结" in " ".join(expand("When was Umoja rolled out?"))  # the system's own name still carries


def test_misspelt_glossary_words_are_still_mended() -> None:
    assert respell("finacial disclosure") == "financial disclosure"
    assert "财务" in " ".join(expand("What is the finacial disclosure programme?"))


def test_every_word_of_a_glossary_phrase_is_spelt_right_by_definition() -> None:
    words = {w for phrase in GLOSSARY for w in phrase.split() if w.isalpha() and len(w) >= 5}
    assert all(respell(w) == w for w in words)
