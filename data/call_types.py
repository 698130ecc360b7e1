"""CAD nature codes: canonical groups, the strings cities use for them, and a normaliser.

Every CAD system names its incident types differently ("EDP", "MENTAL SUBJ", "10-96",
"MNTL - MENTAL PERSON NON-VIOLENT"), so the raw `call_type` text is a poor feature. This
module maps any such string to one of a few canonical groups aligned with the APCO ANS
2.103.2-2019 common incident types (`../shared/data/`; codes from the public repository
codeforamerica/classifyr, MIT License, Copyright (c) 2022 Code for America).

`canonical_call_type` first tries an exact alias or APCO code, then expands common
abbreviations token by token and applies keyword rules in order of severity (a gun
beats a domestic, a domestic beats a disturbance), so an unseen string such as
"PSYCH PATIENT" or "SHOTS HEARD" still lands in the right group. Text it cannot place is
`OTHER`; a missing or blank call type is `None` (unknown, not "other").
"""

from __future__ import annotations

import re
from functools import lru_cache

OTHER = "OTHER"

#: group -> (APCO codes, alias strings seen in CAD systems of several cities).
GROUPS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "MENTAL_HEALTH": (
        ("EDP", "MNTL", "MTLV"),
        ("EDP", "MENTAL HEALTH CRISIS", "MENTAL SUBJ", "MENTAL SUBJECT", "MENTAL PERSON",
         "MENTAL PERSON NON-VIOLENT", "MENTAL PERSON VIOLENT", "MENTAL HEALTH", "MNTL",
         "MTLV", "10-96", "PSYCH", "PSYCHIATRIC PROBLEM", "BEHAVIORAL HEALTH", "BH CRISIS",
         "PERSON IN CRISIS", "MENTAL HEALTH CONSUMER", "EMOTIONALLY DISTURBED PERSON",
         "MENTAL CASE", "MH CALL", "5150", "IVC", "IVC SERVICE", "MENTAL COMMITMENT",
         "CRISIS CALL", "DISTURBED PERSON"),
    ),
    "SUICIDE": (
        ("SUICTHRT", "SUICIDE"),
        ("SUICIDE THREAT", "SUICIDAL SUBJECT", "SUICIDAL PERSON", "SUICTHRT", "SUICIDE",
         "SUICIDE ATTEMPT", "ATTEMPTED SUICIDE", "SUICIDAL", "THREATENING SUICIDE",
         "SUICIDAL IDEATION", "SUIC THREAT", "SUICIDE - THREAT", "POSS SUICIDAL"),
    ),
    "WELFARE": (
        ("WELFARE", "SLMP", "PERFND"),
        ("WELFARE CHECK", "CHECK WELL BEING", "CHECK WELFARE", "WELFCK", "WELF CHK",
         "WELFARE", "CHECK THE WELFARE", "WELLNESS CHECK", "WELL BEING CHECK",
         "WELFARE CONCERN", "PERSON DOWN", "MAN DOWN", "SLUMPED IN VEHICLE",
         "CONFUSED PERSON", "FOUND PERSON", "ELDERLY CHECK", "CK WELFARE"),
    ),
    "INTOX": (
        ("INTOX", "LIQUOR"),
        ("INTOX PERSON", "INTOXICATED PERSON", "INTOX", "DRUNK", "DRUNK SUBJECT",
         "PUBLIC INTOX", "PUBLIC INTOXICATION", "DRUNK IN PUBLIC", "INTOXICATED SUBJ",
         "ETOH", "INTOXICATED", "LIQUOR VIOLATION", "DRUNK PERSON", "OPEN CONTAINER"),
    ),
    "TRESPASS": (
        ("TRESPASS",),
        ("TRESPASS", "TRESPASSER", "TRESPASSING", "UNWANTED PERSON", "UNWANTED SUBJECT",
         "UNWANTED GUEST", "REFUSING TO LEAVE", "UNWANTED", "TRESP", "CRIMINAL TRESPASS",
         "SECOND DEGREE TRESPASS", "UNWANTED SUBJ"),
    ),
    "PANHANDLING": (
        ("PHANDLE", "VAG", "SOL"),
        ("PANHANDLING", "PANHANDLER", "VAGRANT", "HOMELESS PERSON", "TRANSIENT",
         "ENCAMPMENT", "ILLEGAL CAMPING", "CAMPING", "LOITERING", "LOITERER", "SOLICITING",
         "PHANDLE", "HOMELESS COMPLAINT", "SLEEPER"),
    ),
    "INDECENCY": (
        ("INDECENT",),
        ("INDECENT EXPOSURE", "INDECENCY", "NUDE PERSON", "NAKED PERSON", "INDECENT",
         "LEWD CONDUCT", "EXPOSING", "INDECENT EXP"),
    ),
    "SUSPICIOUS": (
        ("PERSUSP", "SUSP", "PROW"),
        ("SUSPICIOUS PERSON", "SUSP PERSON", "SUSPICIOUS CIRCUMSTANCES", "PROWLER",
         "SUSPICIOUS ACTIVITY", "SUSPICIOUS", "SUSP CIRC"),
    ),
    "DISTURBANCE": (
        ("DISORD", "NOISE", "SCRM", "CDX", "CIVIL", "JUV"),
        ("DISTURBANCE", "DISTURBANCE - VERBAL", "VERBAL DISTURBANCE", "VERBAL DISPUTE",
         "DISORDERLY", "DISORDERLY CONDUCT", "DISORDERLY PERSON", "NOISE COMPLAINT",
         "LOUD NOISE", "LOUD MUSIC", "PERSON SCREAMING", "SCREAMING", "DISPUTE",
         "ARGUMENT", "CIVIL DISPUTE", "NEIGHBOR DISPUTE", "UNRULY JUVENILE",
         "JUVENILE PROBLEM", "DISTURB", "DIST", "NOISE", "PUBLIC DISTURBANCE"),
    ),
    "THREATS": (
        ("THREATS", "HARR", "STKX"),
        ("THREATS", "COMMUNICATING THREATS", "THREATENING", "MENACING", "HARASSMENT",
         "THREAT", "VERBAL THREATS", "STALKING"),
    ),
    "DOMESTIC_NONVIOLENT": (
        ("DVNA", "FAM"),
        ("DOMESTIC NON VIOLENT", "DOMESTIC NON-VIOLENT", "DOMESTIC VERBAL",
         "DOMESTIC DISTURBANCE", "DOMESTIC", "FAMILY DISTURBANCE", "FAMILY DISPUTE",
         "FAMILY TROUBLE", "DVNA", "DOM VERBAL", "DOMESTIC - VERBAL", "DOMESTIC DISPUTE"),
    ),
    "DOMESTIC_VIOLENT": (
        ("DVA",),
        ("DOMESTIC IN PROGRESS", "DOMESTIC VIOLENCE", "DOMESTIC ASSAULT", "DOMESTIC VIOLENT",
         "DOMESTIC PHYSICAL", "DV IN PROGRESS", "DOM VIOL", "FAMILY VIOLENCE", "DVA",
         "DOMESTIC W/ INJURY"),
    ),
    "FIGHT_ASSAULT": (
        ("FIGHT", "ASSAULT", "FAS", "FASX", "RESIST"),
        ("FIGHT", "FIGHT IN PROGRESS", "ASSAULT", "ASSAULT IN PROGRESS", "ASSLT",
         "ASSAULT JUST OCCURRED", "BATTERY", "SIMPLE ASSAULT", "AGGRAVATED ASSAULT",
         "PHYSICAL DISTURBANCE", "DISTURBANCE - PHYSICAL", "FIGHT CALL", "ASSAULT ON PERSON",
         "ASLT IP"),
    ),
    "WEAPON": (
        ("WEAPON", "NCRASLTWF", "STABBING"),
        ("PERSON WITH A WEAPON", "PERSON WITH A KNIFE", "ARMED PERSON", "WEAPONS VIOLATION",
         "MAN WITH KNIFE", "ASSAULT WITH WEAPON", "ADW", "STABBING", "BRANDISHING",
         "WEAPON", "SUBJ WITH WEAPON", "WEAPON VIOLATION"),
    ),
    "SHOOTING": (
        ("SHOOT", "ACTSHOOT"),
        ("SHOTS FIRED", "SHOTS HEARD", "SHOOTING", "PERSON WITH A GUN", "MAN WITH A GUN",
         "GUN CALL", "ACTIVE SHOOTER", "SHOTSPOTTER", "PERSON SHOT", "DISCHARGING FIREARM",
         "SHOOT", "GSW"),
    ),
    "BURGLARY_ROBBERY": (
        ("BURGLARY", "ROBBERY", "CARJACK", "FORCENTR", "HOSTAGE", "ABDUCTNF", "ALRROBA"),
        ("BURGLARY IN PROGRESS", "BURGLARY", "BREAKING AND ENTERING", "B&E", "BREAK IN",
         "HOME INVASION", "ROBBERY", "ROBBERY IN PROGRESS", "ARMED ROBBERY", "CARJACKING",
         "BURG IP", "HOSTAGE", "KIDNAPPING", "FORCED ENTRY", "RESIDENTIAL BURGLARY"),
    ),
    "THEFT": (
        ("LARCENY", "SHOPLIFT", "VEHSTLN", "VANDAL", "PROPSTLN"),
        ("LARCENY", "THEFT", "SHOPLIFTER", "SHOPLIFTING", "LARCENY IN PROGRESS",
         "THEFT IN PROGRESS", "CAR BREAK IN", "BREAKING INTO VEHICLE", "VEHICLE BREAK IN",
         "STOLEN VEHICLE", "VANDALISM", "DAMAGE TO PROPERTY", "MALICIOUS MISCHIEF",
         "LARCENY FROM AUTO"),
    ),
    "TRAFFIC_IMPAIRED": (
        ("DUI", "MVAHR", "RECKDRV", "ELUDING", "PURSUIT"),
        ("DUI", "DWI", "IMPAIRED DRIVER", "DRUNK DRIVER", "RECKLESS DRIVER", "HIT AND RUN",
         "HIT & RUN", "MVA HIT AND RUN", "MVC IMPAIRED DRIVER", "ELUDING", "PURSUIT",
         "MVC - DRIVER FLED"),
    ),
    OTHER: ((), ()),
}

#: APCO code -> group, for the codes this project cares about.
APCO_GROUP: dict[str, str] = {
    code: group for group, (codes, _aliases) in GROUPS.items() for code in codes
}

#: Per-token spellings that mean the same thing in CAD text.
_TOKEN_SYNONYMS: dict[str, str] = {
    "SUBJ": "SUBJECT", "SUBJECTS": "SUBJECT", "PERS": "PERSON", "PT": "PATIENT",
    "CK": "CHECK", "CHK": "CHECK", "CHEK": "CHECK", "CHECKING": "CHECK", "WELF": "WELFARE",
    "WELLBEING": "WELFARE", "WELLNESS": "WELFARE", "WELFCK": "WELFARE",
    "ASSLT": "ASSAULT", "ASLT": "ASSAULT", "ASSAULTED": "ASSAULT", "ASSAULTING": "ASSAULT",
    "BATTERY": "ASSAULT", "DOM": "DOMESTIC", "DV": "DOMESTIC",
    "PSYCH": "MENTAL", "PSYCHIATRIC": "MENTAL", "MNTL": "MENTAL", "MENTL": "MENTAL",
    "MTL": "MENTAL", "EDP": "MENTAL", "MH": "MENTAL", "BEHAVIORAL": "MENTAL",
    "PSYCHOTIC": "MENTAL", "EMOTIONALLY": "MENTAL", "DISTURBED": "MENTAL",
    "SUIC": "SUICIDE", "SUICIDAL": "SUICIDE", "SUICTHRT": "SUICIDE",
    "INTOXICATED": "INTOX", "DRUNK": "INTOX", "ETOH": "INTOX", "INEBRIATED": "INTOX",
    "DRUNKEN": "INTOX", "TRESP": "TRESPASS", "TRESPASSER": "TRESPASS",
    "TRESPASSING": "TRESPASS", "BURG": "BURGLARY", "BURGLAR": "BURGLARY", "ROB": "ROBBERY",
    "ROBBED": "ROBBERY", "GUN": "GUN", "GUNS": "GUN", "FIREARM": "GUN", "SHOTS": "GUN",
    "SHOT": "GUN", "GUNSHOT": "GUN", "GUNSHOTS": "GUN", "GSW": "GUN", "PISTOL": "GUN",
    "RIFLE": "GUN", "SHOTGUN": "GUN", "HANDGUN": "GUN", "SHOTSPOTTER": "GUN",
    "DISTURB": "DISTURBANCE", "DIST": "DISTURBANCE", "DISTURBING": "DISTURBANCE",
    "VERB": "VERBAL", "IP": "INPROGRESS", "WPN": "WEAPON", "WEAPONS": "WEAPON",
    "ARMED": "WEAPON", "KNIFE": "WEAPON", "MACHETE": "WEAPON", "BRANDISHING": "WEAPON",
    "STABBING": "WEAPON", "STABBED": "WEAPON", "VIOL": "VIOLENT", "VIOLENCE": "VIOLENT",
    "PHYS": "PHYSICAL", "FIGHTING": "FIGHT", "FIGHTS": "FIGHT", "BRAWL": "FIGHT",
    "PANHANDLER": "PANHANDLING", "PANHANDLE": "PANHANDLING", "PHANDLE": "PANHANDLING",
    "BEGGING": "PANHANDLING", "VAGRANT": "HOMELESS", "TRANSIENT": "HOMELESS",
    "CAMPING": "HOMELESS", "ENCAMPMENT": "HOMELESS", "LOITERING": "HOMELESS",
    "LOITERER": "HOMELESS", "SLEEPER": "HOMELESS", "NUDE": "NAKED", "LEWD": "INDECENT",
    "INDECENCY": "INDECENT", "EXPOSURE": "EXPOSING", "SUSP": "SUSPICIOUS",
    "PROWLER": "SUSPICIOUS", "THREAT": "THREATS", "THREATENING": "THREATS",
    "THREATENED": "THREATS", "MENACING": "THREATS", "HARASSMENT": "THREATS",
    "LARCENY": "THEFT", "SHOPLIFTING": "THEFT", "SHOPLIFTER": "THEFT", "STOLEN": "THEFT",
    "STEALING": "THEFT", "VANDALISM": "THEFT", "DWI": "DUI", "IMPAIRED": "DUI",
    "RECKLESS": "DUI", "ELUDING": "DUI", "PURSUIT": "DUI", "UNWANTED": "TRESPASS",
    "DISORDERLY": "DISTURBANCE", "NOISE": "DISTURBANCE", "LOUD": "DISTURBANCE",
    "SCREAMING": "DISTURBANCE", "ARGUMENT": "DISTURBANCE", "DISPUTE": "DISTURBANCE",
    "YELLING": "DISTURBANCE",
}

#: Keyword rules, most severe first: the first rule whose tokens are all present wins.
_RULES: tuple[tuple[str, frozenset[str]], ...] = tuple(
    (group, frozenset(tokens.split()))
    for group, tokens in (
        ("SHOOTING", "GUN"), ("SHOOTING", "SHOOTING"), ("SHOOTING", "SHOOTER"),
        ("BURGLARY_ROBBERY", "ROBBERY"), ("BURGLARY_ROBBERY", "CARJACKING"),
        ("BURGLARY_ROBBERY", "HOSTAGE"), ("BURGLARY_ROBBERY", "KIDNAPPING"),
        ("BURGLARY_ROBBERY", "HOME INVASION"), ("THEFT", "VEHICLE BREAK"),
        ("THEFT", "CAR BREAK"), ("THEFT", "AUTO BREAK"), ("BURGLARY_ROBBERY", "BURGLARY"),
        ("BURGLARY_ROBBERY", "BREAKING ENTERING"), ("BURGLARY_ROBBERY", "BREAK IN"),
        ("BURGLARY_ROBBERY", "FORCED ENTRY"), ("BURGLARY_ROBBERY", "B E"),
        ("WEAPON", "WEAPON"), ("WEAPON", "ADW"),
        ("DOMESTIC_NONVIOLENT", "DOMESTIC NON"), ("DOMESTIC_NONVIOLENT", "DOMESTIC VERBAL"),
        ("DOMESTIC_VIOLENT", "DOMESTIC VIOLENT"), ("DOMESTIC_VIOLENT", "DOMESTIC ASSAULT"),
        ("DOMESTIC_VIOLENT", "DOMESTIC PHYSICAL"), ("DOMESTIC_VIOLENT", "DOMESTIC INPROGRESS"),
        ("DOMESTIC_VIOLENT", "DOMESTIC INJURY"), ("DOMESTIC_VIOLENT", "DOMESTIC FIGHT"),
        ("DOMESTIC_VIOLENT", "FAMILY VIOLENT"), ("DOMESTIC_NONVIOLENT", "DOMESTIC"),
        ("DOMESTIC_NONVIOLENT", "FAMILY"), ("FIGHT_ASSAULT", "FIGHT"),
        ("FIGHT_ASSAULT", "ASSAULT"), ("FIGHT_ASSAULT", "PHYSICAL"),
        ("TRAFFIC_IMPAIRED", "DUI"), ("TRAFFIC_IMPAIRED", "INTOX DRIVER"),
        ("TRAFFIC_IMPAIRED", "HIT RUN"), ("THREATS", "THREATS"), ("THREATS", "STALKING"),
        ("SUICIDE", "SUICIDE"), ("MENTAL_HEALTH", "MENTAL"), ("MENTAL_HEALTH", "CRISIS"),
        ("MENTAL_HEALTH", "IVC"), ("MENTAL_HEALTH", "5150"), ("MENTAL_HEALTH", "10 96"),
        ("MENTAL_HEALTH", "COMMITMENT"), ("INTOX", "INTOX"), ("INTOX", "OVERDOSE"),
        ("WELFARE", "WELFARE"), ("WELFARE", "PERSON DOWN"), ("WELFARE", "MAN DOWN"),
        ("WELFARE", "CONFUSED"),
        ("WELFARE", "SLUMPED"), ("WELFARE", "UNRESPONSIVE"),
        ("TRESPASS", "TRESPASS"), ("TRESPASS", "REFUSING LEAVE"),
        ("PANHANDLING", "PANHANDLING"), ("PANHANDLING", "HOMELESS"),
        ("PANHANDLING", "SOLICITING"), ("INDECENCY", "INDECENT"), ("INDECENCY", "NAKED"),
        ("INDECENCY", "EXPOSING"), ("THEFT", "THEFT"), ("THEFT", "DAMAGE"),
        ("THEFT", "MISCHIEF"), ("SUSPICIOUS", "SUSPICIOUS"), ("DISTURBANCE", "DISTURBANCE"),
        ("DISTURBANCE", "JUVENILE"), ("DISTURBANCE", "MUSIC"), ("DISTURBANCE", "PARTY"),
        ("WELFARE", "CHECK PERSON"), ("WELFARE", "CHECK SUBJECT"),
    )
)

_NON_WORD = re.compile(r"[^A-Z0-9]+")


def normalise_call_type_text(text: str) -> str:
    """Upper case, `&` as AND, punctuation as spaces, runs of spaces collapsed."""
    upper = text.upper().replace("&", " AND ").replace("IN-PROGRESS", "IN PROGRESS")
    upper = upper.replace("NON-", "NON ").replace("W/", "WITH ")
    return _NON_WORD.sub(" ", upper).strip()


def _tokens(normalised: str) -> list[str]:
    words = normalised.split()
    if "IN" in words and "PROGRESS" in words:
        words.append("INPROGRESS")
    if "AND" in words:  # "B AND E" -> "B E"; "HIT AND RUN" -> "HIT RUN"
        words = [word for word in words if word != "AND"]
    return [_TOKEN_SYNONYMS.get(word, word) for word in words]


@lru_cache(maxsize=1)
def _exact_lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for group, (codes, aliases) in GROUPS.items():
        for name in (*codes, *aliases):
            table.setdefault(normalise_call_type_text(name), group)
    return table


@lru_cache(maxsize=4096)
def _canonical(normalised: str) -> str:
    exact = _exact_lookup().get(normalised)
    if exact is not None:
        return exact
    tokens = set(_tokens(normalised))
    for group, needed in _RULES:
        if needed <= tokens:
            return group
    return OTHER


def canonical_call_type(text: str | None) -> str | None:
    """The canonical group of a CAD call type (`None` when missing or blank).

    >>> canonical_call_type("Mental Subj"), canonical_call_type("shots heard")
    ('MENTAL_HEALTH', 'SHOOTING')
    """
    if text is None or not isinstance(text, str):
        return None
    normalised = normalise_call_type_text(text)
    if not normalised:
        return None
    return _canonical(normalised)


def aliases(group: str) -> tuple[str, ...]:
    """The alias strings of a group (raises `KeyError` for an unknown group)."""
    return GROUPS[group][1]


#: The canonical group names, `OTHER` last.
CALL_TYPE_GROUPS: tuple[str, ...] = tuple(GROUPS)
