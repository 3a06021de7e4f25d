"""Builds the synthetic test corpus: three versions of the Constitution of the Republic of
Norvessa (a fictional state; the text is written for these tests, not taken from any law)
and the true article-level mapping between consecutive versions.

Run `python tests/drafts/corpus/build_corpus.py` to rewrite constitution_v1.md, _v2.md,
_v3.md, truth_v1_v2.json and truth_v2_v3.json. The tests read those files as data; they
never run this script.

Every article has a stable id here. A version is made from the previous one by explicit
operations (modify, move, split, merge, add, remove, and section changes); articles are
numbered 1, 2, 3 ... through the whole document when a version is written, so inserting
or removing one renumbers those after it. The truth follows the definitions of
drafts.alignment: unchanged (same text, number and section), renumbered (same text and
section, another number), moved (another section), modified (text changed, same section),
split, merged, added, removed. Section identity is the section's id, not its numeral.
"""
from __future__ import annotations

import copy
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII"]

TITLE = "Constitution of the Republic of Norvessa"

PREAMBLE_V1 = [
    "We, the people of Norvessa, heirs of the fishermen, farmers and craftsmen of the northern coast,",
    "resolved to live in freedom under laws that we make ourselves,",
    "mindful of the wars and divisions that our forebears endured,",
    "determined to secure justice, welfare and peace for present and future generations,",
    "adopt this Constitution through our freely elected Constituent Assembly.",
]

# Paragraphs: a string, or (intro text, [sub-paragraphs]).
V1 = [
    ("S1", "Foundations of the State", [
        ("f_state", [
            "Norvessa is a sovereign, democratic and social republic governed by the rule of law.",
            "The dignity of the human person is inviolable and its protection is the first duty of every public authority.",
        ]),
        ("f_people", [
            "All public power derives from the people, who exercise it through elections, referendums and the institutions established by this Constitution.",
            "No group, party or individual may claim the exercise of sovereignty in the name of the whole people.",
        ]),
        ("f_powers", [
            "Legislative, executive and judicial power are separate and balance one another.",
            "Every organ of the state acts only within the competence conferred on it by the Constitution and the law.",
        ]),
        ("f_territory", [
            "The territory of the Republic is one and indivisible; its borders may be changed only by a law approved in a referendum.",
            "The capital of the Republic is the city of Haldren.",
        ]),
        ("f_language", [
            "The state language of the Republic is Norvessan.",
            "The languages of the national minorities may be used in local administration, schools and courts in the areas where those minorities traditionally live, as provided by law.",
        ]),
        ("f_symbols", [
            "The symbols of the Republic are the flag, the coat of arms and the anthem.",
            "The flag of the Republic consists of three horizontal bands of blue, white and green.",
            "The description of the coat of arms and the words of the anthem are established by law.",
        ]),
        ("f_law", [
            "The Constitution is the supreme law of the Republic and has direct effect.",
            "Laws and other normative acts contrary to the Constitution have no legal force.",
            "Laws enter into force only after their official publication.",
        ]),
        ("f_international", [
            "The Republic conducts a peaceful foreign policy based on respect for international law and good neighbourliness.",
            "Ratified international treaties form part of the legal order and prevail over ordinary laws.",
            "The Republic may transfer certain powers to international organisations by a law adopted by a three-fifths majority of the National Assembly.",
        ]),
        ("f_economy", [
            "The economy of the Republic rests on free enterprise, fair competition and private property, balanced by social responsibility.",
            "Land, forests, waters and mineral resources are national wealth and are used in the interest of present and future generations.",
            "The national currency is the crown; the right to issue it belongs exclusively to the National Bank.",
        ]),
    ]),
    ("S2", "Rights and Freedoms", [
        ("r_equality", [
            "All persons are equal before the law and the courts.",
            "No one may be discriminated against on grounds of origin, sex, race, language, religion, political opinion, property or social status, disability, or any other circumstance.",
            "Women and men have equal rights and equal opportunities to exercise them.",
        ]),
        ("r_life", [
            "Everyone has the right to life.",
            "The death penalty is abolished.",
            "No one may be subjected to torture or to cruel, inhuman or degrading treatment or punishment.",
        ]),
        ("r_liberty", [
            "Everyone has the right to liberty and security of person.",
            "Arrest and detention are permitted only by a decision of a court or, for no more than forty-eight hours, in the cases and by the procedure established by law.",
            "A detained person must be informed at once, in a language he or she understands, of the reasons for the detention and of his or her rights, including the right to a lawyer.",
            "Every detained person has the right to have the lawfulness of the detention reviewed promptly by a court.",
        ]),
        ("r_fair_trial", [
            "Everyone has the right to a fair and public hearing within a reasonable time by an independent and impartial court established by law.",
            "Everyone charged with an offence is presumed innocent until proved guilty by a final judgment of a court.",
            "No one may be tried or punished twice for the same offence.",
        ]),
        ("r_privacy", [
            "Everyone has the right to respect for private and family life, home and correspondence.",
            "Personal data may be collected, stored and used only with the consent of the person concerned or on the basis of law.",
            "A home may be entered or searched without the consent of those living there only on the basis of a court order.",
        ]),
        ("r_movement", [
            "Everyone lawfully present in the territory of the Republic has the right to move freely and to choose a place of residence.",
            "Every citizen has the right to leave the Republic and to return to it freely.",
        ]),
        ("r_conscience", [
            "Freedom of thought, conscience and religion is guaranteed.",
            "Everyone may profess any religion or none, alone or together with others, and express religious or other convictions.",
            "Religious communities are separate from the state and equal before the law.",
        ]),
        ("r_expression", [
            "Everyone has the right to freely express opinions and to seek, receive and impart information and ideas by any lawful means.",
            "Censorship is prohibited.",
            "The exercise of this freedom may be restricted by law only where necessary to protect the rights and reputation of others, national security, public order, public health or public morals.",
        ]),
        ("r_assembly", [
            "Citizens have the right to assemble peacefully and without weapons, and to hold meetings, demonstrations and pickets.",
            "The organisers of an assembly in a public place give prior notice to the local authority; no permission is required.",
        ]),
        ("r_association", [
            "Everyone has the right to form and join associations, political parties and trade unions.",
            "Associations whose aims or activities are directed at the violent overthrow of the constitutional order may be dissolved only by a decision of a court.",
        ]),
        ("r_petition", [
            "Everyone has the right to address individual and collective petitions to public authorities and to receive a reasoned answer within the time limit set by law.",
        ]),
        ("r_property", [
            "The right of property and the right of inheritance are guaranteed.",
            "No one may be deprived of property except by a decision of a court.",
            "Expropriation for public needs is permitted only in the cases established by law and subject to prior and full compensation.",
        ]),
        ("r_work", [
            "Everyone has the right to freely choose work, an occupation and a profession.",
            "Forced labour is prohibited, except as punishment imposed by a court or in a state of emergency.",
            "Workers have the right to safe and healthy working conditions, to fair remuneration, to rest and to paid annual leave.",
            "The right to strike is recognised within the limits established by law.",
        ]),
        ("r_social", [
            "Citizens are guaranteed social security in old age, in sickness, in disability, in the loss of a breadwinner and in unemployment.",
            "The minimum pension and the minimum wage are established by law and reviewed every year.",
        ]),
        ("r_health", [
            "Everyone has the right to the protection of health.",
            "A guaranteed volume of medical care is provided free of charge in public institutions, as established by law.",
        ]),
        ("r_education", [
            "Everyone has the right to education.",
            "Primary and secondary education are compulsory and free of charge in public schools.",
            "Higher education is accessible to all on the basis of ability.",
            "The freedom of scientific research and of teaching is guaranteed.",
        ]),
        ("r_environment", [
            "Everyone has the right to a healthy environment and to accurate information about its state.",
            "Damage caused to the health or property of a person by an environmental offence is compensated in full.",
        ]),
        ("r_family", [
            "Marriage and the family, motherhood, fatherhood and childhood are under the protection of the state.",
            "Parents have the right and the duty to raise and educate their children.",
        ]),
        ("r_judicial_protection", [
            "Everyone is guaranteed judicial protection of his or her rights and freedoms.",
            "Decisions and actions of public authorities and officials may be appealed to a court.",
            "Everyone has the right to qualified legal assistance; in the cases provided by law it is free of charge.",
        ]),
        ("r_limits", [
            "The rights and freedoms established by this Constitution may be limited only by law and only to the extent necessary to protect the constitutional order, public order, public health and morals, and the rights and freedoms of others.",
            "The right to life, the prohibition of torture and the freedom of thought may not be limited in any circumstances.",
        ]),
    ]),
    ("S3", "Duties", [
        ("d_law", [
            "Everyone is obliged to observe the Constitution and the laws and to respect the rights, freedoms, honour and dignity of others.",
        ]),
        ("d_taxes", [
            "Everyone is obliged to pay the taxes and charges established by law.",
            "Laws that introduce new taxes or worsen the position of taxpayers have no retroactive effect.",
        ]),
        ("d_defence", [
            "The defence of the Republic is the duty of every citizen.",
            "Citizens perform military service or alternative civilian service in the manner established by law.",
        ]),
        ("d_nature", [
            "Everyone is obliged to preserve nature and to treat natural resources with care.",
            "Everyone is obliged to care for the historical and cultural heritage and to protect monuments of history and culture.",
        ]),
    ]),
    ("S4", "The President of the Republic", [
        ("p_status", [
            "The President of the Republic is the head of state and the guarantor of the Constitution, of the rights and freedoms of citizens and of the unity of the nation.",
            "The President represents the Republic in international relations.",
        ]),
        ("p_election", [
            "The President is elected by the citizens of the Republic for a term of five years by universal, equal and direct suffrage by secret ballot.",
            "Any citizen of the Republic who has reached the age of forty, has lived permanently in the Republic for the last ten years and speaks the state language may be elected President.",
            "The same person may not be elected President more than twice.",
        ]),
        ("p_second_round", [
            "The candidate who receives more than half of the votes cast is elected.",
            "If no candidate obtains that majority, a second round is held within fourteen days between the two candidates who received the most votes.",
        ]),
        ("p_oath", [
            'On taking office the President takes the following oath before the National Assembly: "I swear to faithfully serve the people of Norvessa, to observe and defend the Constitution, and to fulfil the duties of President with justice and impartiality."',
            "The powers of the President begin at the moment of taking the oath and end when the newly elected President takes the oath.",
        ]),
        ("p_powers", [
            ("The President:", [
                "addresses an annual message to the people on the state of the Republic;",
                "calls regular and early elections to the National Assembly;",
                "signs laws and promulgates them, or returns them to the National Assembly with objections;",
                "appoints the Prime Minister with the consent of the National Assembly;",
                "appoints ambassadors and receives the credentials of foreign diplomatic representatives;",
                "awards state decorations and grants pardons;",
                "is the Supreme Commander of the Armed Forces.",
            ]),
            "The President exercises other powers conferred by this Constitution.",
        ]),
        ("p_decrees", [
            "The President issues decrees and orders which are binding throughout the territory of the Republic.",
            "Decrees that concern the powers of the Government are countersigned by the Prime Minister.",
        ]),
        ("p_immunity", [
            "The President enjoys immunity during the term of office.",
            "The President may be removed from office only for high treason or another grave crime, by a decision of the National Assembly adopted by a two-thirds majority after the Constitutional Court has confirmed that the procedure was followed.",
        ]),
        ("p_vacancy", [
            "If the office of President falls vacant before the end of the term, its duties pass to the Speaker of the National Assembly until the election of a new President.",
            "The election must be held within ninety days of the vacancy.",
            "The acting President may not dissolve the National Assembly or call a referendum.",
        ]),
    ]),
    ("S5", "The National Assembly", [
        ("a_status", [
            "The National Assembly is the supreme representative body of the Republic and exercises legislative power.",
            "The National Assembly consists of one hundred and twenty deputies.",
        ]),
        ("a_election", [
            "Deputies are elected for a term of four years on the basis of universal, equal and direct suffrage by secret ballot, according to a proportional system.",
            "A party or coalition must receive at least five per cent of the votes cast to obtain seats.",
            "Any citizen who has reached the age of twenty-five may be elected a deputy.",
        ]),
        ("a_mandate", [
            "Deputies represent the whole people and are not bound by instructions.",
            "A deputy may not hold any other paid office, except teaching, scientific or creative work.",
            "A deputy may not be arrested or prosecuted for opinions expressed or votes cast in the exercise of the mandate.",
        ]),
        ("a_sessions", [
            "The National Assembly meets in two regular sessions each year: from the first working day of February to the end of June, and from the first working day of September to the end of December.",
            "Extraordinary sessions are convened by the Speaker at the request of the President, of the Government or of one third of the deputies.",
        ]),
        ("a_speaker", [
            "The National Assembly elects from among its members a Speaker and two Deputy Speakers by a majority of the total number of deputies.",
            "The Speaker chairs the sittings, represents the Assembly and directs its administration.",
        ]),
        ("a_powers", [
            ("The National Assembly:", [
                "adopts laws and resolutions;",
                "approves the state budget and the report on its execution;",
                "ratifies and denounces international treaties;",
                "declares war and concludes peace on the proposal of the President;",
                "elects the judges of the Constitutional Court;",
                "appoints the Auditor General and the Ombudsman;",
                "may express no confidence in the Government.",
            ]),
        ]),
        ("a_initiative", [
            "The right of legislative initiative belongs to the deputies, the President, the Government and to no fewer than twenty-five thousand citizens.",
            "Draft laws that increase public expenditure or reduce revenue may be submitted only with an opinion of the Government.",
        ]),
        ("a_adoption", [
            "A law is adopted by a majority of the votes of the deputies present, provided that more than half of all deputies are present.",
            "Constitutional laws are adopted by a majority of three fifths of the total number of deputies.",
            "The President signs a law within fifteen days of receiving it.",
            "If the President returns the law with objections and the National Assembly adopts it again by a majority of the total number of deputies, the President must sign it within five days.",
        ]),
        ("a_dissolution", [
            "The President may dissolve the National Assembly if it fails to approve a Government within sixty days or twice rejects the state budget.",
            "The National Assembly may not be dissolved during a state of emergency, during the last six months of the President's term, or within one year after its election.",
        ]),
    ]),
    ("S6", "The Government", [
        ("g_status", [
            "The Government of the Republic exercises executive power and directs the public administration.",
            "The Government consists of the Prime Minister, the Deputy Prime Ministers and the ministers.",
        ]),
        ("g_formation", [
            "The President proposes a candidate for Prime Minister after consultations with the parliamentary groups.",
            "The candidate presents a programme and the composition of the Government to the National Assembly, which grants its confidence by a majority of the total number of deputies.",
        ]),
        ("g_powers", [
            ("The Government:", [
                "implements the domestic and foreign policy of the state;",
                "drafts the state budget and ensures its execution;",
                "manages state property;",
                "ensures the defence, security and public order of the Republic;",
                "directs the work of ministries and other central bodies of executive power.",
            ]),
        ]),
        ("g_responsibility", [
            "The Government is collectively responsible to the National Assembly.",
            "A motion of no confidence may be tabled by at least one fifth of the deputies and is adopted by a majority of the total number of deputies.",
            "A Government that has lost the confidence of the National Assembly resigns and continues to act until a new Government is formed.",
        ]),
        ("g_acts", [
            "On the basis of and in execution of the Constitution and the laws, the Government adopts resolutions which are binding throughout the Republic.",
            "Ministers issue orders within their competence.",
        ]),
    ]),
    ("S7", "The Judiciary", [
        ("j_power", [
            "Judicial power is exercised only by the courts.",
            "The judicial system consists of the Constitutional Court, the Supreme Court, the courts of appeal and the district courts.",
            "The establishment of extraordinary courts is prohibited.",
        ]),
        ("j_independence", [
            "Judges are independent and subject only to the Constitution and the law.",
            "Any interference in the administration of justice is prohibited and punishable by law.",
            "Judges are appointed for life and may be removed only on the grounds and by the procedure established by law.",
        ]),
        ("j_council", [
            "The Judicial Council ensures the independence of the courts and proposes candidates for appointment as judges.",
            "Half of the members of the Judicial Council are judges elected by their peers.",
        ]),
        ("j_constitutional_court", [
            "The Constitutional Court consists of nine judges elected by the National Assembly for a single term of nine years.",
            "The Constitutional Court reviews the conformity with the Constitution of laws, international treaties before ratification and decrees of the President.",
            "Any court that considers that a law applicable to a case is contrary to the Constitution refers the question to the Constitutional Court.",
            "Everyone may lodge a constitutional complaint after exhausting other remedies.",
        ]),
        ("j_decisions", [
            "The decisions of the Constitutional Court are final and binding on all.",
            "A provision declared unconstitutional loses its force on the day the decision is published.",
        ]),
        ("j_prosecution", [
            "The Prosecutor's Office supervises the lawfulness of criminal investigations and brings public prosecutions in the courts.",
            "The Prosecutor General is appointed by the National Assembly on the proposal of the President for a term of seven years.",
        ]),
        ("j_ombudsman", [
            "The Ombudsman protects the rights and freedoms of persons against actions and omissions of public authorities.",
            "The Ombudsman is elected by the National Assembly for a term of six years and reports to it annually.",
        ]),
    ]),
    ("S8", "Local Self-Government", [
        ("l_units", [
            "The territory of the Republic is divided into provinces and communes.",
            "The boundaries of provinces and communes are established by law after consulting the inhabitants concerned.",
        ]),
        ("l_selfgov", [
            "Communes are self-governing and manage local affairs under their own responsibility within the limits of the law.",
            "Local councils are elected by the residents for a term of four years.",
        ]),
        ("l_finance", [
            "Local self-government bodies have their own revenues and budgets.",
            "Duties transferred to local self-government by the state are accompanied by the necessary resources.",
        ]),
        ("l_supervision", [
            "The state supervises only the lawfulness of the activity of local self-government bodies.",
            "A local council may be dissolved only by a court decision for repeated and serious violation of the law.",
        ]),
    ]),
    ("S9", "Amendments and Final Provisions", [
        ("x_amend", [
            "A proposal to amend the Constitution may be submitted by the President, by one third of the deputies or by one hundred thousand citizens.",
            "An amendment is adopted by a majority of two thirds of the total number of deputies.",
            "Amendments to the articles on the foundations of the state and on rights and freedoms take effect only after approval in a referendum.",
        ]),
        ("x_limits", [
            "The Constitution may not be amended during a state of emergency or martial law.",
            "No amendment may abolish or diminish the rights and freedoms guaranteed by this Constitution.",
        ]),
        ("x_entry", [
            "This Constitution enters into force on the day of its official publication.",
            "Laws in force on the day this Constitution enters into force continue to apply in so far as they do not contradict it.",
        ]),
        ("x_transition", [
            "State bodies formed before this Constitution enters into force continue to exercise their powers until new bodies are formed under it.",
        ]),
    ]),
]


class Draft:
    """A version under construction: sections of articles, each article a list of paragraphs."""

    def __init__(self, preamble: list[str], sections):
        self.preamble = list(preamble)
        self.sections = [{"id": sid, "title": title, "articles": [[aid, copy.deepcopy(paras)] for aid, paras in arts]}
                         for sid, title, arts in sections]
        self.events: list[tuple] = []

    def next(self) -> Draft:
        draft = copy.deepcopy(self)
        draft.events = []
        return draft

    # --- lookups

    def _section(self, sid):
        return next(s for s in self.sections if s["id"] == sid)

    def _find(self, aid):
        for section in self.sections:
            for index, article in enumerate(section["articles"]):
                if article[0] == aid:
                    return section, index
        raise KeyError(aid)

    def paragraphs(self, aid):
        section, index = self._find(aid)
        return section["articles"][index][1]

    # --- article operations

    def modify(self, aid, *replacements, append=None, insert=None, drop=None):
        paras = self.paragraphs(aid)
        for old, new in replacements:
            done = False
            for k, para in enumerate(paras):
                if isinstance(para, tuple):
                    intro, subs = para
                    if old in intro:
                        paras[k] = (intro.replace(old, new), subs)
                        done = True
                        break
                    for s, sub in enumerate(subs):
                        if old in sub:
                            subs[s] = sub.replace(old, new)
                            done = True
                            break
                    if done:
                        break
                elif old in para:
                    paras[k] = para.replace(old, new)
                    done = True
                    break
            assert done, (aid, old)
        if drop is not None:
            del paras[drop]
        if insert is not None:
            position, text = insert
            paras.insert(position, text)
        if append is not None:
            paras.append(append)
        return self

    def add_sub(self, aid, paragraph, position, text):
        self.paragraphs(aid)[paragraph][1].insert(position, text)
        return self

    def move(self, aid, to_section, after=None, *replacements):
        section, index = self._find(aid)
        article = section["articles"].pop(index)
        self._insert(article, to_section, after)
        if replacements:
            self.modify(aid, *replacements)
        self.events.append(("moved", aid))
        return self

    def split(self, aid, new_id, at):
        section, index = self._find(aid)
        paras = section["articles"][index][1]
        first, second = paras[:at], paras[at:]
        section["articles"][index][1] = first
        section["articles"].insert(index + 1, [new_id, second])
        self.events.append(("split", aid, new_id))
        return self

    def merge(self, first_id, second_id, new_id):
        section, index = self._find(first_id)
        assert section["articles"][index + 1][0] == second_id, (first_id, second_id)
        merged = section["articles"][index][1] + section["articles"][index + 1][1]
        section["articles"][index : index + 2] = [[new_id, merged]]
        self.events.append(("merged", first_id, second_id, new_id))
        return self

    def add(self, aid, to_section, after, paras):
        self._insert([aid, paras], to_section, after)
        self.events.append(("added", aid))
        return self

    def remove(self, aid):
        section, index = self._find(aid)
        del section["articles"][index]
        self.events.append(("removed", aid))
        return self

    def _insert(self, article, to_section, after):
        section = self._section(to_section)
        if after is None:
            section["articles"].insert(0, article)
        else:
            ids = [a[0] for a in section["articles"]]
            section["articles"].insert(ids.index(after) + 1, article)

    # --- section operations

    def add_section(self, sid, title, after):
        ids = [s["id"] for s in self.sections]
        self.sections.insert(ids.index(after) + 1, {"id": sid, "title": title, "articles": []})
        return self

    def rename_section(self, sid, title):
        self._section(sid)["title"] = title
        return self

    def move_section(self, sid, before):
        section = self._section(sid)
        self.sections.remove(section)
        ids = [s["id"] for s in self.sections]
        self.sections.insert(ids.index(before), section)
        return self

    # --- output

    def numbered(self):
        """article id -> (number, section id, text), numbers running through the document."""
        found = {}
        number = 0
        for section in self.sections:
            for aid, paras in section["articles"]:
                number += 1
                found[aid] = (str(number), section["id"], json.dumps(paras))
        return found

    def markdown(self) -> str:
        lines = [f"# {TITLE}", ""]
        lines += [f"> {line}" for line in self.preamble]
        number = 0
        for position, section in enumerate(self.sections):
            lines += ["", f"## Section {ROMAN[position]}. {section['title']}"]
            for _, paras in section["articles"]:
                number += 1
                lines += ["", f"### Article {number}", ""]
                for k, para in enumerate(paras, start=1):
                    if isinstance(para, tuple):
                        intro, subs = para
                        lines.append(f"{k}. {intro}")
                        lines += [f"{s}) {sub}" for s, sub in enumerate(subs, start=1)]
                    else:
                        lines.append(f"{k}. {para}" if len(paras) > 1 else para)
        return "\n".join(lines) + "\n"


def truth(old: Draft, new: Draft, label: str) -> dict:
    before, after = old.numbered(), new.numbered()
    articles = []
    grouped = set()
    for event in new.events:
        kind = event[0]
        if kind == "split":
            _, aid, second = event
            articles.append({"kind": "split", "old": [before[aid][0]], "new": [after[aid][0], after[second][0]],
                             "ids": [aid, second]})
            grouped |= {aid}
        elif kind == "merged":
            _, first, second, merged = event
            articles.append({"kind": "merged", "old": [before[first][0], before[second][0]], "new": [after[merged][0]],
                             "ids": [first, second, merged]})
            grouped |= {first, second, merged}
        elif kind == "added":
            articles.append({"kind": "added", "old": [], "new": [after[event[1]][0]], "ids": [event[1]]})
            grouped.add(event[1])
        elif kind == "removed":
            articles.append({"kind": "removed", "old": [before[event[1]][0]], "new": [], "ids": [event[1]]})
            grouped.add(event[1])
    moved = {event[1] for event in new.events if event[0] == "moved"}
    for aid, (number, section, text) in before.items():
        if aid in grouped or aid not in after:
            continue
        new_number, new_section, new_text = after[aid]
        if new_section != section:
            assert aid in moved, aid
            kind = "moved"
        elif new_text != text:
            kind = "modified"
        elif new_number != number:
            kind = "renumbered"
        else:
            kind = "unchanged"
        articles.append({"kind": kind, "old": [number], "new": [new_number], "ids": [aid]})
    old_sections = {s["id"]: (ROMAN[k], s["title"]) for k, s in enumerate(old.sections)}
    new_sections = {s["id"]: (ROMAN[k], s["title"]) for k, s in enumerate(new.sections)}
    sections = [
        {"id": sid, "old": old_sections.get(sid, (None,))[0], "new": new_sections.get(sid, (None,))[0],
         "old_title": old_sections.get(sid, (None, None))[1], "new_title": new_sections.get(sid, (None, None))[1]}
        for sid in dict.fromkeys([*old_sections, *new_sections])
    ]
    articles.sort(key=lambda a: (int(a["new"][0]) if a["new"] else int(a["old"][0]) + 0.5, a["kind"]))
    counts = {}
    for article in articles:
        counts[article["kind"]] = counts.get(article["kind"], 0) + 1
    return {"versions": label, "counts": counts, "sections": sections, "articles": articles}


def build() -> tuple[Draft, Draft, Draft]:
    v1 = Draft(PREAMBLE_V1, V1)

    v2 = v1.next()
    v2.preamble[3] = "determined to secure justice, welfare, equality and peace for present and future generations,"
    v2.rename_section("S3", "Duties of Citizens")
    v2.add_section("S10", "Independent State Institutions", after="S7")
    # modified
    v2.modify("f_state", ("sovereign, democratic and social republic", "sovereign, democratic, secular and social republic"))
    v2.modify("r_equality", ("disability, or any other", "disability, age, sexual orientation, or any other"))
    v2.modify("r_expression", ("national security, public order, public health or public morals",
                               "public order or public health, in accordance with the international obligations of the Republic"))
    v2.modify("p_election", ("for a term of five years", "for a term of six years"), ("age of forty", "age of thirty-five"))
    v2.modify("a_election", ("at least five per cent", "at least four per cent"),
              append="The law guarantees the representation of national minorities in the National Assembly.")
    v2.modify("g_formation", ("after consultations with the parliamentary groups", "after consultations with all parliamentary groups"),
              append="If the candidate fails to obtain confidence twice, the President proposes another candidate within ten days.")
    v2.modify("j_independence", ("appointed for life", "appointed until the age of seventy"))
    v2.modify("l_selfgov", ("for a term of four years", "for a term of five years"))
    v2.modify("x_amend", ("one hundred thousand citizens", "eighty thousand citizens"))
    # moved
    v2.move("d_nature", "S1", "f_economy")
    v2.move("r_judicial_protection", "S7", "j_power")
    v2.move("j_ombudsman", "S10", None, ("reports to it annually", "presents an annual report to it"))
    v2.move("a_dissolution", "S4", "p_decrees")
    # split
    v2.split("r_liberty", "r_detention", 2)
    v2.split("r_work", "r_labour", 2)
    v2.split("a_adoption", "a_promulgation", 2)
    v2.split("j_constitutional_court", "j_referral", 2)
    # merged
    v2.merge("r_assembly", "r_association", "r_assembly_association")
    v2.merge("g_responsibility", "g_acts", "g_responsibility_acts")
    v2.merge("l_finance", "l_supervision", "l_finance_supervision")
    v2.merge("x_entry", "x_transition", "x_entry_transition")
    # added
    v2.add("r_digital", "S2", "r_privacy", [
        "Everyone has the right of access to the internet and to electronic public services.",
        "The state does not block or throttle online services except by a court decision taken in the cases provided by law.",
    ])
    v2.add("r_children", "S2", "r_family", [
        "Every child has the right to care, to protection from violence and exploitation, and to be heard in all matters concerning him or her.",
        "In all decisions concerning children the best interests of the child are a primary consideration.",
    ])
    v2.add("p_vice", "S4", "p_powers", [
        "The Vice-President is elected together with the President on a joint ticket.",
        "The Vice-President assists the President and performs the tasks that the President delegates in writing.",
    ])
    v2.add("n_audit", "S10", "j_ombudsman", [
        "The Audit Chamber examines the legality, economy and efficiency of the management of public funds and state property.",
        "The members of the Audit Chamber are appointed by the National Assembly for a term of eight years and may not be reappointed.",
    ])
    v2.add("n_bank", "S10", "n_audit", [
        "The National Bank is independent in pursuing its primary objective of price stability.",
        "The Governor of the National Bank is appointed by the National Assembly on the proposal of the President for a term of six years.",
    ])
    v2.add("l_referendum", "S8", "l_selfgov", [
        "Residents may decide questions of local importance by a local referendum.",
        "A local referendum is called by the local council or on the initiative of one tenth of the residents entitled to vote.",
    ])
    # harder cases: a heavy rewrite in place, a merge and a split with edits
    v2.modify(
        "r_environment",
        ("Everyone has the right to a healthy environment and to accurate information about its state.",
         "Everyone has the right to an environment favourable to life and health, and to timely, complete and accurate information about its condition."),
        ("Damage caused to the health or property of a person by an environmental offence is compensated in full.",
         "Anyone who causes damage to the environment is obliged to restore it and to compensate the harm done to the health and property of others."),
    )
    v2.modify("r_assembly_association", ("demonstrations and pickets", "demonstrations, processions and pickets"))
    v2.modify("a_promulgation", ("within fifteen days of receiving it", "within twenty days of receiving it"))
    # removed
    v2.remove("p_second_round")
    v2.remove("a_sessions")
    v2.remove("j_council")
    v2.remove("x_limits")

    v3 = v2.next()
    v3.preamble.insert(2, "honouring the memory of all who gave their lives for the freedom of Norvessa,")
    v3.rename_section("S8", "Provinces and Communes")
    # a whole section relocated: its articles keep their section (and are renumbered)
    v3.move_section("S10", before="S7")
    # modified
    v3.modify("r_equality", ("Women and men have equal rights", "Women and men have equal rights and responsibilities"))
    v3.modify("r_conscience", ("Religious communities are separate from the state", "Religious communities are autonomous, separate from the state"))
    v3.modify("r_work", ("except as punishment imposed by a court or in a state of emergency",
                         "except as punishment imposed by a court, in military service or in a state of emergency"))
    v3.add_sub("a_powers", 0, 6, "approves the appointment of the Governor of the National Bank;")
    v3.modify("g_powers", ("manages state property;", "manages state property and reports annually on its use;"))
    v3.modify("j_independence", ("prohibited and punishable by law", "prohibited and is a criminal offence"))
    v3.modify("x_amend", ("a majority of two thirds", "a majority of three quarters"))
    v3.modify("r_digital", ("and to electronic public services", "to electronic public services and to digital literacy"))
    v3.modify("n_audit", ("for a term of eight years", "for a term of nine years"))
    # moved
    v3.move("f_international", "S4", "p_status")
    v3.move("d_law", "S1", "d_nature")
    v3.move("n_bank", "S6", "g_responsibility_acts")
    v3.move("r_petition", "S10", "j_ombudsman", ("within the time limit set by law", "within thirty days"))
    # split
    v3.split("r_education", "r_science", 2)
    v3.split("p_election", "p_eligibility", 1)
    v3.split("r_property", "r_expropriation", 2)
    v3.split("a_mandate", "a_immunity", 2)
    # merged
    v3.merge("r_social", "r_health", "r_social_health")
    v3.merge("p_oath", "p_powers", "p_oath_powers")
    v3.merge("l_units", "l_selfgov", "l_units_selfgov")
    v3.merge("j_power", "r_judicial_protection", "j_power_protection")
    # added
    v3.add("r_asylum", "S2", "r_movement", [
        "The Republic grants asylum to foreigners and stateless persons persecuted for their political, religious or scientific activity.",
        "No one may be extradited or expelled to a state where he or she would face a real risk of the death penalty or torture.",
    ])
    v3.add("p_security", "S4", "p_vacancy", [
        "The Security Council is an advisory body chaired by the President that coordinates defence and security policy.",
        "Its composition and procedure are established by law.",
    ])
    v3.add("a_committees", "S5", "a_speaker", [
        "The National Assembly forms standing committees from among the deputies in proportion to the strength of the parliamentary groups.",
        "Committees of inquiry are set up at the request of one quarter of the deputies; everyone summoned is obliged to appear before them.",
    ])
    v3.add("l_cooperation", "S8", "l_finance_supervision", [
        "Communes may cooperate with one another and form associations to carry out tasks of common interest.",
        "Provinces and communes may cooperate with local authorities of other states within their competence.",
    ])
    v3.add("x_languages", "S9", "x_entry_transition", [
        "This Constitution is published in Norvessan and in the languages of the national minorities; in case of doubt the Norvessan text prevails.",
    ])
    # harder cases
    v3.modify(
        "g_status",
        ("The Government of the Republic exercises executive power and directs the public administration.",
         "Executive power in the Republic belongs to the Government, which directs the ministries and the whole public administration."),
    )
    v3.modify("l_units_selfgov", ("after consulting the inhabitants concerned", "after a consultation of the inhabitants concerned"))
    # removed
    v3.remove("f_symbols")
    v3.remove("d_defence")
    v3.remove("p_immunity")
    v3.remove("j_decisions")
    return v1, v2, v3


def _readable_json(data: dict) -> str:
    """JSON with one section or article per line, for reading and reviewing diffs."""
    lines = ["{"]
    for position, (name, value) in enumerate(data.items()):
        comma = "," if position < len(data) - 1 else ""
        if isinstance(value, list):
            lines.append(f'  "{name}": [')
            lines += [f"    {json.dumps(item, ensure_ascii=False)}{',' if k < len(value) - 1 else ''}"
                      for k, item in enumerate(value)]
            lines.append(f"  ]{comma}")
        else:
            lines.append(f'  "{name}": {json.dumps(value, ensure_ascii=False)}{comma}')
    lines.append("}")
    return "\n".join(lines) + "\n"


def main() -> None:
    v1, v2, v3 = build()
    for name, draft in (("v1", v1), ("v2", v2), ("v3", v3)):
        (HERE / f"constitution_{name}.md").write_text(draft.markdown(), encoding="utf-8")
    for (label, old, new) in (("v1_v2", v1, v2), ("v2_v3", v2, v3)):
        data = truth(old, new, label.replace("_", "->"))
        (HERE / f"truth_{label}.json").write_text(_readable_json(data), encoding="utf-8")
        print(label, data["counts"])


if __name__ == "__main__":
    main()
