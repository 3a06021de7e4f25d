"""comments.campaigns.detection on generated form letters (en and ru) and on real regulations.gov comments.

The generated set: several templates on one subject (Article 25's "spiritual and moral
values"), each sent many times with a name, a personal sentence and typos; and many individual
comments on the same subject that share its phrases, even a whole sentence of a template, but
are not form letters. No database.
"""
from __future__ import annotations

import csv
import itertools
import json
import random

import pytest

from comments.campaigns.detection import (
    DEFAULT_MIN_WORDS,
    DEFAULT_THRESHOLD,
    Campaign,
    CampaignIndex,
    campaign_template,
    campaigns_detect,
    jaccard,
    normalise,
    personal_additions,
    shingle_hashes,
    template_shingles,
    text_words,
)

TEMPLATES = [
    (
        "Dear members of the Constitutional Commission, I am writing to object to the clause in Article 25 "
        "that allows rights and freedoms to be restricted on grounds of spiritual and moral values. Nobody can "
        "say what these values are, and a court cannot test a restriction against them. I ask you to replace "
        "them with the grounds that the International Covenant on Civil and Political Rights allows: public "
        "safety, order, health, morals and the rights of others."
    ),
    (
        "As a citizen and a parent I support the draft Constitution, but Article 25 worries me. A restriction "
        "of freedom of expression must be prescribed by law and necessary in a democratic society. The words "
        "spiritual and moral values give officials a blank cheque. Please delete them before the referendum "
        "and keep the list of grounds short and precise."
    ),
    (
        "We, the undersigned members of the Association of Independent Journalists, call on the Commission to "
        "protect the freedom of the press in the new Constitution. Article 25 should guarantee that no "
        "publication can be closed without a court decision and that journalists are never required to "
        "reveal their sources. Censorship must be prohibited in every form."
    ),
    (
        "Уважаемая комиссия! Я категорически против формулировки статьи 25 о духовно-нравственных ценностях. "
        "Это понятие нигде не определено, и любое ограничение прав на таком основании будет произволом. "
        "Прошу заменить его основаниями, которые допускает Международный пакт о гражданских и политических "
        "правах, и прямо указать, что ограничения устанавливаются только законом."
    ),
    (
        "Я поддерживаю проект Конституции в целом, однако прошу комиссию дополнить статью 25 гарантией "
        "свободы мирных собраний. Уведомительный порядок проведения митингов должен быть закреплён в самой "
        "Конституции, а не в подзаконных актах, чтобы местные власти не могли запрещать собрания по своему "
        "усмотрению."
    ),
    (
        "Обращаюсь к вам от имени родительского комитета нашей школы. Мы просим сохранить в новой "
        "Конституции бесплатное среднее образование и закрепить обязанность государства содержать "
        "сельские школы, даже если в них учится мало детей. Закрытие малокомплектных школ разрушает сёла."
    ),
]
COPIES = [24, 15, 9, 20, 12, 6]
NAMES_EN = ["John Smith", "Maria Garcia", "Aigerim Sultanova", "Peter Brown", "Li Wei", "Fatima Khan"]
NAMES_RU = ["Иван Петров", "Айгерим Султанова", "Ольга Смирнова", "Ерлан Ахметов", "Наталья Ким"]
SENTENCES_EN = [
    "My grandmother was fined for a prayer meeting in her own kitchen.",
    "I teach history at a rural school near Taraz and see this every day.",
    "Our family has lived in Almaty for four generations.",
    "Please think of the young people who will live under this text.",
    "I have read the whole draft twice and this is my only objection.",
]
SENTENCES_RU = [
    "Моего соседа оштрафовали за пост в социальной сети.",
    "Я работаю юристом уже двадцать лет и видел много подобных случаев.",
    "Наша семья живёт в Караганде с пятидесятых годов.",
    "Подумайте о молодёжи, которой жить по этой Конституции.",
    "Я внимательно прочитал весь проект, это моё единственное замечание.",
]
SUBJECT_EN = (
    "constitution article rights freedom court law state citizen value moral spiritual restriction "
    "ground covenant parliament president referendum draft commission language religion belief press "
    "assembly election judge public order health safety family property land tax budget region "
    "education school teacher child parent youth culture history tradition reform economy business"
).split()
SUBJECT_RU = (
    "конституция статья права свобода суд закон государство гражданин ценности нравственные духовные "
    "ограничение основание пакт парламент президент референдум проект комиссия язык религия убеждения "
    "пресса собрание выборы судья порядок здоровье безопасность семья собственность земля налог бюджет "
    "регион образование школа учитель ребёнок родители молодёжь культура история традиции реформа"
).split()
FILLER = "the a of and to in that is for it we should not be this with our".split()
FILLER_RU = "и в не на что это мы как по но для от же только бы".split()


def _typo(words: list[str], rng: random.Random) -> None:
    position = rng.randrange(len(words))
    word = words[position]
    if len(word) > 3:
        cut = rng.randrange(1, len(word) - 1)
        words[position] = word[:cut] + word[cut + 1 :]


def _form_letter(template: str, russian: bool, rng: random.Random, bare: bool) -> tuple[str, list[str]]:
    """A copy of `template` with its sender's additions, and those additions."""
    if bare:
        return template, []
    words = template.split()
    for _ in range(rng.randrange(3)):
        _typo(words, rng)
    text = " ".join(words)
    name = rng.choice(NAMES_RU if russian else NAMES_EN)
    added = []
    if rng.random() < 0.7:
        sentence = rng.choice(SENTENCES_RU if russian else SENTENCES_EN)
        text = f"{sentence} {text}" if rng.random() < 0.5 else f"{text} {sentence}"
        added.append(sentence)
    text = f"{text}\n{'С уважением' if russian else 'Sincerely'}, {name}"
    added.append(name)
    return text, added


def _individual(rng: random.Random, russian: bool) -> str:
    """A comment of someone's own words on the same subject, sometimes quoting a template."""
    vocabulary, filler = (SUBJECT_RU, FILLER_RU) if russian else (SUBJECT_EN, FILLER)
    words = [rng.choice(vocabulary) if rng.random() < 0.6 else rng.choice(filler) for _ in range(rng.randrange(25, 90))]
    text = " ".join(words)
    if rng.random() < 0.3:  # a quoted sentence of a form letter: shared words, not a copy
        template = rng.choice(TEMPLATES[3:] if russian else TEMPLATES[:3])
        text += " " + rng.choice([part for part in template.split(". ") if len(part.split()) > 8]) + "."
    if rng.random() < 0.5:
        text += " spiritual and moral values" if not russian else " духовно-нравственные ценности"
    return text


def generated_comments(seed: int = 7) -> tuple[dict[int, str], dict[int, int], dict[int, list[str]]]:
    """(id -> text, id -> template index of a form letter, id -> its personal additions)."""
    rng = random.Random(seed)
    entries: list[tuple[str, int | None, list[str]]] = []
    for index, (template, copies) in enumerate(zip(TEMPLATES, COPIES)):
        for copy in range(copies):
            text, added = _form_letter(template, index >= 3, rng, bare=copy == 0)
            entries.append((text, index, added))
    for number in range(300):
        entries.append((_individual(rng, russian=number % 2 == 1), None, []))
    rng.shuffle(entries)
    texts, sources, additions = {}, {}, {}
    for comment_id, (text, source, added) in enumerate(entries, start=1):
        texts[comment_id] = text
        if source is not None:
            sources[comment_id] = source
            additions[comment_id] = added
    return texts, sources, additions


def _pairs(groups) -> set[tuple[int, int]]:
    return {pair for group in groups for pair in itertools.combinations(sorted(group), 2)}


@pytest.fixture(scope="module")
def generated():
    texts, sources, additions = generated_comments()
    return texts, sources, additions, campaigns_detect(texts)


def test_pairs_precision_and_recall_at_the_default_threshold(generated):
    texts, sources, _, campaigns = generated
    truth = _pairs([[cid for cid, source in sources.items() if source == index] for index in range(len(TEMPLATES))])
    found = _pairs([campaign.comment_ids for campaign in campaigns])
    precision = len(found & truth) / len(found)
    recall = len(found & truth) / len(truth)
    print(f"\n{len(texts)} comments, {len(campaigns)} campaigns found; pairs precision {precision:.3f} recall {recall:.3f}")
    assert precision >= 0.95
    assert recall >= 0.95
    assert len(campaigns) == len(TEMPLATES)
    assert sorted(campaign.size for campaign in campaigns) == sorted(COPIES)


def test_template_is_the_form_letter_and_additions_are_each_senders_own(generated):
    _texts, sources, additions, campaigns = generated
    for campaign in campaigns:
        index = sources[campaign.key]
        # The common text: the letter, and the "Sincerely," most copies end with, without a name.
        assert normalise(campaign.template).startswith(normalise(TEMPLATES[index]))
        assert len(text_words(campaign.template)) - len(text_words(TEMPLATES[index])) <= 2
        assert campaign.key == min(campaign.comment_ids)
        for member in campaign.members:
            written = " ".join(member.additions)
            for added in additions[member.comment_id]:
                assert added.rstrip(".") in written, (member, added)
            # Nothing of the template itself is reported as an addition, beyond a typo'd word.
            assert len(text_words(written)) <= sum(len(text_words(added)) for added in additions[member.comment_id]) + 2 * 3 + 2
            assert 0.5 < member.similarity <= 1.0


def test_a_campaigns_template_from_its_texts_is_the_batchs_and_so_are_the_additions(generated):
    """What the database-backed campaigns store: campaign_template of a group's texts, personal_additions on read."""
    texts, _sources, _additions, campaigns = generated
    for campaign in campaigns:
        template = campaign_template({cid: texts[cid] for cid in campaign.comment_ids})
        assert (template.comment_id, template.text) == (campaign.template_id, campaign.template)
        covered = template_shingles(template.text)
        assert [personal_additions(texts[m.comment_id], covered) for m in campaign.members] == [m.additions for m in campaign.members]


def test_a_sample_of_a_campaign_gives_its_template():
    """A campaign of any size is templated from a bounded sample of its comments (the first and the last)."""
    rng = random.Random(5)
    texts = {cid: _form_letter(TEMPLATES[1], False, rng, bare=False)[0] for cid in range(1, 1001)}
    sample = {cid: texts[cid] for cid in [*range(1, 101), *range(901, 1001)]}
    assert normalise(campaign_template(sample).text).startswith(normalise(TEMPLATES[1]))
    assert campaign_template(sample).text == campaign_template(texts).text
    assert campaign_template({}) is None and campaign_template({1: "?!", 2: "…"}) is None
    assert campaign_template({4: "I agree.", 9: "i AGREE"}).text == "I agree." and campaign_template({4: "I agree."}).comment_id == 4


def test_incremental_add_agrees_with_the_batch(generated):
    texts, _, _, campaigns = generated
    index = CampaignIndex()
    keys = {comment_id: index.add(comment_id, texts[comment_id]) for comment_id in sorted(texts)}
    assert index.campaigns() == {campaign.key: campaign.comment_ids for campaign in campaigns}
    assert len(index) == len(texts)
    for campaign in campaigns:
        # The first copy forms nothing yet; every later copy joins the campaign of the first.
        assert [keys[comment_id] for comment_id in campaign.comment_ids] == [None] + [campaign.key] * (campaign.size - 1)
        assert {index.campaign_of(comment_id) for comment_id in campaign.comment_ids} == {campaign.key}
    with pytest.raises(ValueError):
        index.add(campaigns[0].key, "again")


def test_a_comment_bridging_two_groups_merges_them_under_the_smaller_key():
    first, second = TEMPLATES[0], TEMPLATES[1]
    index = CampaignIndex(threshold=0.4)
    assert index.add(10, first) is None
    assert index.add(11, first + " Sincerely, Li Wei") == 10
    assert index.add(20, second) is None
    assert index.add(21, "Sincerely, John Smith. " + second) == 20
    # Both letters in one comment: 0.4 similar to a copy of each.
    assert index.add(5, first + " " + second) == 5
    assert index.campaigns() == {5: (5, 10, 11, 20, 21)}
    batch = campaigns_detect(
        {10: first, 11: first + " Sincerely, Li Wei", 20: second, 21: second + " John", 5: first + " " + second}, threshold=0.4
    )
    assert [campaign.comment_ids for campaign in batch] == [(5, 10, 11, 20, 21)]


def test_exact_duplicates_group_whatever_their_case_and_punctuation():
    letter = TEMPLATES[3]
    texts = {1: letter, 2: letter.upper(), 3: letter.replace(",", " ,  ").replace("!", "!!!"), 4: TEMPLATES[4]}
    (campaign,) = campaigns_detect(texts)
    assert campaign.comment_ids == (1, 2, 3)
    assert all(member.similarity == 1.0 and member.additions == () for member in campaign.members)
    assert campaign.template == letter


def test_short_and_empty_texts_group_only_with_exact_duplicates():
    texts = {
        1: "", 2: "   ", 3: "!!!", 4: "I agree.", 5: "i AGREE!", 6: "I agree with this.", 7: "I fully agree with this.",
        8: "Согласен.", 9: "Не согласен.", 10: "Против", 11: "+", 12: "I do not agree with this.",
    }
    campaigns = campaigns_detect(texts)
    assert [campaign.comment_ids for campaign in campaigns] == [(4, 5)]
    assert all(len(text_words(texts[cid])) < DEFAULT_MIN_WORDS for cid in texts)
    index = CampaignIndex()
    assert [index.add(cid, text) for cid, text in texts.items()] == [None] * 4 + [4] + [None] * 7
    assert len(index) == 8  # the four texts without words are not indexed


def test_normalisation_folds_case_unicode_and_punctuation_in_both_scripts():
    assert normalise("  ЁЛКА,  ёлка!\n— Ёлка... ") == "елка елка елка"
    assert normalise("Article\u00a025: the ﬁrst  ground—“moral”") == "article 25 the first ground moral"
    assert normalise("snake_case a-b") == "snake case a b"
    assert shingle_hashes(text_words("one two three four")).size == 2
    same = shingle_hashes(text_words(TEMPLATES[0]))
    assert jaccard(same, same) == 1.0
    assert jaccard(same, shingle_hashes(text_words(TEMPLATES[3]))) == 0.0


def test_min_size_and_threshold_are_the_callers():
    texts, _sources, _ = generated_comments(seed=3)
    assert all(campaign.size >= 10 for campaign in campaigns_detect(texts, min_size=10))
    assert len(campaigns_detect(texts, min_size=10)) == sum(copies >= 10 for copies in COPIES)
    with pytest.raises(ValueError):
        campaigns_detect(texts, threshold=0)


def _read_corpus(corpora_dir) -> dict[str, dict[int, str]]:
    comments = corpora_dir / "comments"
    corpora = {}
    with open(comments / "regulations_gov_ICEB-2015-0002_comments_subset.jsonl", encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines if line.strip()]
    corpora["ICEB-2015-0002"] = {
        number: record["commentText"]
        for number, record in enumerate(records, start=1)
        if record.get("documentType") == "Public Submission" and record.get("commentText")
    }
    with open(comments / "regulations_gov_USDA-2017-0002_text_comments_sample.csv", encoding="utf-8", newline="") as rows:
        # The form appended the docket's subject line ("Re: Supplemental Nutrition Assistance
        # Program: ...", 19 words) to most comments: not the commenter's words, and enough to make
        # any two short comments similar. Our platform stores no such line.
        corpora["USDA-2017-0002"] = {
            number: row["Text Comment"].split("\nRe: Supplemental Nutrition Assistance Program")[0]
            for number, row in enumerate(csv.DictReader(rows), start=1)
        }
    return corpora


def _linked(campaign: Campaign, texts: dict[int, str]) -> bool:
    """Every distinct text of the campaign is at least `threshold` similar to another one of it."""
    distinct = {normalise(texts[cid]): cid for cid in campaign.comment_ids}
    if len(distinct) == 1:
        return True
    hashes = [shingle_hashes(text.split()) for text in distinct]
    return all(
        any(jaccard(mine, other) >= DEFAULT_THRESHOLD for j, other in enumerate(hashes) if j != i)
        for i, mine in enumerate(hashes)
    )


@pytest.mark.corpora
def test_real_regulations_gov_comments(corpora_dir):
    """The form-letter groups of two real dockets, reported (run with -s to see them): docket, comments,
    campaigns, the sizes of the largest ten, and the start of each template."""
    for docket, texts in _read_corpus(corpora_dir).items():
        campaigns = campaigns_detect(texts)
        in_campaigns = sum(campaign.size for campaign in campaigns)
        print(f"\n{docket}: {len(texts)} comments, {len(campaigns)} campaigns holding {in_campaigns} comments; "
              f"the largest ten: {[campaign.size for campaign in campaigns[:10]]}")
        for campaign in campaigns[:15]:
            distinct = len({normalise(texts[cid]) for cid in campaign.comment_ids})
            start = " ".join(campaign.template.split()[:16])
            print(f"  {campaign.size:5} comments ({distinct} distinct texts): {start}...")
        assert campaigns, docket
        assert all(campaign.size >= 2 for campaign in campaigns)
        assert len({cid for campaign in campaigns for cid in campaign.comment_ids}) == in_campaigns
        assert all(_linked(campaign, texts) for campaign in campaigns)
        # The incremental path finds the same groups, but for a member near the threshold (LSH is approximate,
        # and each path verifies a candidate against a bounded number of a group's members), and a group's
        # texts give the batch's template.
        index = CampaignIndex()
        for comment_id in sorted(texts):
            index.add(comment_id, texts[comment_id])
        incremental = index.campaigns()
        differing = set(_pairs(incremental.values())) ^ set(_pairs(campaign.comment_ids for campaign in campaigns))
        print(f"  the incremental path: {len(incremental)} campaigns holding {sum(map(len, incremental.values()))} comments")
        assert set(incremental) == {campaign.key for campaign in campaigns}, docket
        assert len(differing) <= 0.05 * len(_pairs(campaign.comment_ids for campaign in campaigns)), docket
        for campaign in campaigns:
            assert campaign_template({cid: texts[cid] for cid in campaign.comment_ids}).text == campaign.template


def test_incremental_add_agrees_with_the_batch_past_the_merge_of_recent_texts():
    """Over 1,024 texts the index moves its recent bands into the sorted ones: still the same campaigns."""
    texts = {}
    for seed in range(4):
        generated_texts, _, _ = generated_comments(seed=seed + 10)
        texts.update({seed * 1000 + comment_id: text for comment_id, text in generated_texts.items()})
    index = CampaignIndex()
    for comment_id in sorted(texts):
        index.add(comment_id, texts[comment_id])
    assert len(texts) > 1500
    assert index.campaigns() == {campaign.key: campaign.comment_ids for campaign in campaigns_detect(texts)}
