"""CAD nature codes: canonical groups, the strings cities use for them, and a normaliser.

Every CAD system names its incident types differently ("EDP", "MENTAL SUBJ", "10-96",
"MNTL - MENTAL PERSON NON-VIOLENT", "418 / FIGHT", "ASLT - IP/JO - WITH OR W/O WPNS"), so
the raw `call_type` text is a poor feature. This module maps any such string to one of a
few canonical groups aligned with the APCO ANS 2.103.2-2019 common incident types
(`../shared/data/`; codes from the public repository codeforamerica/classifyr, MIT
License, Copyright (c) 2022 Code for America).

`canonical_call_type` first tries an exact alias or APCO code, then expands common
abbreviations token by token and applies keyword rules in order of severity (a gun
beats a domestic, a domestic beats a disturbance), so an unseen string such as
"PSYCH PATIENT" or "SHOTS HEARD" still lands in the right group. Words a call type
negates ("NO WEAPONS", "NOT ARMED", "W/O WPNS", "NON-VIOLENT") do not count. Radio and
penal-code numbers that several cities share ("415", "418", "5150", "647F", "10-96")
are read as the words they stand for. Text it cannot place is `OTHER`; a missing or
blank call type is `None` (unknown, not "other").

The "cities' spellings" in the alias lists follow the call-type vocabularies of US
cities' CAD systems and published calls-for-service data (Seattle, New Orleans, Detroit,
Cincinnati, Baltimore, San Francisco, San Jose, Dallas, Phoenix, Denver, Durham, Austin,
Portland, New York, Los Angeles, Chicago): their spellings, abbreviations, dashes,
slashes and code prefixes. Some are verbatim from published data, others are written in
a city's style; `tests/data/test_call_types.py` pins them.
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
         "CRISIS CALL", "DISTURBED PERSON",
         # Cities' spellings.
         "EDP: INSIDE", "EDP: OUTSIDE", "EDP - VIOLENT", "EMOTIONALLY DISTURBED",
         "MENTAL PATIENT", "103M MENTAL PATIENT", "MENTALLY ILL", "MENTALLY ILL PERSON",
         "MENTAL ILLNESS", "MENTAL HEALTH CALL", "MENTAL HEALTH ASSIST",
         "MENTAL HEALTH RESPONSE", "MENTAL/EMOTIONAL", "MENTAL VIOLENT - NOT ARMED",
         "MENTAL NON-VIOLENT", "MENTAL HEALTH - PRIORITY",
         "PERSON IN BEHAVIORAL/EMOTIONAL CRISIS", "CRISIS COMPLAINT - GENERAL",
         "CRISIS COMPLAINT", "BEHAVIORAL CRISIS", "BEHAVIOR CRISIS", "PSYCH EVAL",
         "PSYCH PATIENT", "PSYCHIATRIC EMERGENCY", "ABNORMAL BEHAVIOR",
         "EDP, EMOTIONAL DISTURBANCE, ABNORMAL BEHAVIOR", "EMOTIONAL DISTURBANCE",
         "918 MENTAL", "918V", "5150 EVAL", "10-96 MENTAL SUBJECT", "1096",
         "INVOLUNTARY COMMITMENT", "IVC PAPERS", "IVC - INVOLUNTARY COMMITMENT",
         "EMERGENCY DETENTION", "EMERGENCY CUSTODY ORDER", "ECO/TDO", "BAKER ACT",
         "MARCHMAN ACT", "PINK SLIP", "302 PETITION", "MENTAL INQUEST WARRANT"),
    ),
    "SUICIDE": (
        ("SUICTHRT", "SUICIDE"),
        ("SUICIDE THREAT", "SUICIDAL SUBJECT", "SUICIDAL PERSON", "SUICTHRT", "SUICIDE",
         "SUICIDE ATTEMPT", "ATTEMPTED SUICIDE", "SUICIDAL", "THREATENING SUICIDE",
         "SUICIDAL IDEATION", "SUIC THREAT", "SUICIDE - THREAT", "POSS SUICIDAL",
         # Cities' spellings.
         "SUICIDAL SUBJ", "SUICIDAL SUBJ - PRIORITY", "SUICIDE IP", "SUICIDE - IP/JO",
         "SUICIDE - IP/JO SUICIDAL PERSON AND ATTEMPTS", "SUICIDAL SERIES",
         "ASSIST - SUICIDAL", "CRISIS - SUICIDAL", "SUICIDE ATTEMPT/THREAT",
         "ATTEMPT OR THREATENING SUICIDE", "801 SUICIDE", "JUMPER",
         "THREAT OF SUICIDE", "SELF HARM", "SELF-INFLICTED INJURY"),
    ),
    "WELFARE": (
        ("WELFARE", "SLMP", "PERFND", "PERUNCON"),
        ("WELFARE CHECK", "CHECK WELL BEING", "CHECK WELFARE", "WELFCK", "WELF CHK",
         "WELFARE", "CHECK THE WELFARE", "WELLNESS CHECK", "WELL BEING CHECK",
         "WELFARE CONCERN", "PERSON DOWN", "MAN DOWN", "SLUMPED IN VEHICLE",
         "CONFUSED PERSON", "FOUND PERSON", "ELDERLY CHECK", "CK WELFARE",
         # Cities' spellings.
         "CHECK ON WELL-BEING", "CHECK ON WELL BEING", "WELL-BEING CHECK",
         "CHECK WELFARE URGENT", "WELFARE CHECK - PRIORITY", "910 WELL BEING CHECK",
         "PERSON DOWN/INJURY", "CHECK FOR PERSON DOWN", "SUBJECT DOWN", "WOMAN DOWN",
         "MAN DOWN CHECK, WELFARE CHECK", "PERSON SLUMPED IN VEHICLE", "SLUMPER",
         "UNCONSCIOUS PERSON", "UNRESPONSIVE PERSON", "DISORIENTED PERSON",
         "VULNERABLE ADULT", "AT RISK ADULT", "SENIOR CHECK"),
    ),
    "INTOX": (
        ("INTOX", "LIQUOR", "OD"),
        ("INTOX PERSON", "INTOXICATED PERSON", "INTOX", "DRUNK", "DRUNK SUBJECT",
         "PUBLIC INTOX", "PUBLIC INTOXICATION", "DRUNK IN PUBLIC", "INTOXICATED SUBJ",
         "ETOH", "INTOXICATED", "LIQUOR VIOLATION", "DRUNK PERSON", "OPEN CONTAINER",
         # Cities' spellings.
         "INTOXICATED PARTY", "INTOXICATED PERS", "DRUNK DISORDERLY",
         "DRUNK AND DISORDERLY", "D&D", "DRUNK DISTURBING", "647F", "647(F) DRUNK",
         "390 DRUNK", "10-56", "INTOXICATED PEDESTRIAN", "DETOX", "SOBERING",
         "OVERDOSE", "OD", "POSSIBLE OVERDOSE", "UNDER THE INFLUENCE",
         "ALCOHOL VIOLATION"),
    ),
    "TRESPASS": (
        ("TRESPASS",),
        ("TRESPASS", "TRESPASSER", "TRESPASSING", "UNWANTED PERSON", "UNWANTED SUBJECT",
         "UNWANTED GUEST", "REFUSING TO LEAVE", "UNWANTED", "TRESP", "CRIMINAL TRESPASS",
         "SECOND DEGREE TRESPASS", "UNWANTED SUBJ",
         # Cities' spellings.
         "UNWANTED PARTY", "TRESPASS - UNWANTED PARTY", "TRESPASS URGENT",
         "UNWANTED PERSON - PRIORITY", "UNWANTED SUBJECT AT BUSINESS", "TRESPASSING/UNWANTED",
         "602 TRESPASS", "601 TRESPASSER", "REFUSES TO LEAVE", "WONT LEAVE", "SQUATTER",
         "SQUATTERS"),
    ),
    "PANHANDLING": (
        ("PHANDLE", "VAG", "SOL"),
        ("PANHANDLING", "PANHANDLER", "VAGRANT", "HOMELESS PERSON", "TRANSIENT",
         "ENCAMPMENT", "ILLEGAL CAMPING", "CAMPING", "LOITERING", "LOITERER", "SOLICITING",
         "PHANDLE", "HOMELESS COMPLAINT", "SLEEPER",
         # Cities' spellings.
         "AGGRESSIVE PANHANDLER", "AGGRESSIVE PANHANDLING", "AGGRESSIVE SOLICITOR",
         "HOMELESS ENCAMPMENT", "HOMELESS CAMP", "ILLEGAL CAMP", "URBAN CAMPING",
         "TRANSIENT PROBLEM", "VAGRANT/PANHANDLER", "915 HOMELESS COMPLAINT",
         "SIT/LIE", "SIT LIE VIOLATION", "SLEEPER - ABOARD BUS/COMMUTER TRAIN",
         "PERSON SLEEPING", "SOLICITORS", "BEGGING", "UNHOUSED PERSON"),
    ),
    "INDECENCY": (
        ("INDECENT",),
        ("INDECENT EXPOSURE", "INDECENCY", "NUDE PERSON", "NAKED PERSON", "INDECENT",
         "LEWD CONDUCT", "EXPOSING", "INDECENT EXP",
         # Cities' spellings.
         "314 INDECENT EXPOSURE", "311 INDECENT EXPOSURE", "LEWD", "LEWD ACT",
         "LEWD CONDUCT - EXPOSING", "FLASHER", "EXPOSER", "PUBLIC LEWDNESS",
         "PUBLIC INDECENCY"),
    ),
    "SUSPICIOUS": (
        ("PERSUSP", "SUSP", "PROW", "VEHSUSP"),
        ("SUSPICIOUS PERSON", "SUSP PERSON", "SUSPICIOUS CIRCUMSTANCES", "PROWLER",
         "SUSPICIOUS ACTIVITY", "SUSPICIOUS", "SUSP CIRC",
         # Cities' spellings.
         "SUSP PERS", "SUSPICIOUS PERS", "SUSPICIOUS SUBJ", "SUSPICIOUS SUBJECT",
         "SUSPICIOUS VEHICLE", "SUSP VEH", "SUSPICIOUS PERSON, VEHICLE OR INCIDENT",
         "SUSPICIOUS SUBJ, VEH, OR CIRCUMSTANCE", "917 SUSPICIOUS PERSON",
         "INVESTIGATE PERSON", "PEEPING TOM", "PEEPER"),
    ),
    "DISTURBANCE": (
        ("DISORD", "NOISE", "SCRM", "CDX", "CIVIL", "JUV", "CRWD", "CU2"),
        ("DISTURBANCE", "DISTURBANCE - VERBAL", "VERBAL DISTURBANCE", "VERBAL DISPUTE",
         "DISORDERLY", "DISORDERLY CONDUCT", "DISORDERLY PERSON", "NOISE COMPLAINT",
         "LOUD NOISE", "LOUD MUSIC", "PERSON SCREAMING", "SCREAMING", "DISPUTE",
         "ARGUMENT", "CIVIL DISPUTE", "NEIGHBOR DISPUTE", "UNRULY JUVENILE",
         "JUVENILE PROBLEM", "DISTURB", "DIST", "NOISE", "PUBLIC DISTURBANCE",
         # Cities' spellings.
         "415", "415 DISTURBANCE", "415 DISTURBING THE PEACE", "DISTURBING THE PEACE",
         "DISTURBANCE (OTHER)", "103 DISTURBANCE", "DISTURBANCE, MISCELLANEOUS/OTHER",
         "DISTURBANCE - COLD", "DISTURBANCE VERBAL", "DISTURBANCE OTHER",
         "FIGHT - VERBAL/ORAL (NO WEAPONS)", "VERBAL FIGHT", "NOISE VIOLATION",
         "LOUD PARTY", "NOISE - DIST, GENERAL (CONST, RESID, BALL PLAY)",
         "DISORDERLY: PERSON/INSIDE", "DISORDERLY: GROUP", "DISPUTE: INSIDE",
         "SUBJECT DISTURBING", "JUVENILE DISTURBANCE", "JUVENILES DISTURBING",
         "NEIGHBOR TROUBLE", "LANDLORD TENANT", "CIVIL ISSUE", "CIVIL MATTER",
         "ROWDY CROWD", "PUBLIC NUISANCE", "INCORRIGIBLE JUVENILE", "PARTY COMPLAINT"),
    ),
    "THREATS": (
        ("THREATS", "HARR", "STKX"),
        ("THREATS", "COMMUNICATING THREATS", "THREATENING", "MENACING", "HARASSMENT",
         "THREAT", "VERBAL THREATS", "STALKING",
         # Cities' spellings.
         "THREATS (INCLS IN-PERSON/BY PHONE/IN WRITING)", "THREAT - PRIORITY",
         "THREAT - COLD", "TERRORISTIC THREATS", "CRIMINAL THREATS", "422 THREATS",
         "ASSAULT W/ THREAT", "ASSAULT BY THREAT", "INTIMIDATION", "HARASSING",
         "THREATS TO KILL"),
    ),
    "DOMESTIC_NONVIOLENT": (
        ("DVNA", "FAM"),
        ("DOMESTIC NON VIOLENT", "DOMESTIC NON-VIOLENT", "DOMESTIC VERBAL",
         "DOMESTIC DISTURBANCE", "DOMESTIC", "FAMILY DISTURBANCE", "FAMILY DISPUTE",
         "FAMILY TROUBLE", "DVNA", "DOM VERBAL", "DOMESTIC - VERBAL", "DOMESTIC DISPUTE",
         # Cities' spellings.
         "DOMESTIC DIST", "DOM DIST", "103D DOMESTIC DISTURBANCE", "FAMILY DISTURB",
         "DV - ARGUMENTS, DISTURBANCE (NO ARREST)", "415 FAMILY", "415F", "10-16",
         "DOMESTIC - NO ASSAULT", "DOMESTIC PROBLEM", "FAMILY OFFENSE"),
    ),
    "DOMESTIC_VIOLENT": (
        ("DVA",),
        ("DOMESTIC IN PROGRESS", "DOMESTIC VIOLENCE", "DOMESTIC ASSAULT", "DOMESTIC VIOLENT",
         "DOMESTIC PHYSICAL", "DV IN PROGRESS", "DOM VIOL", "FAMILY VIOLENCE", "DVA",
         "DOMESTIC W/ INJURY",
         # Cities' spellings.
         "DV - DOMESTIC VIOL/ASLT (ARREST MANDATORY)", "DOMESTIC VIOLENCE W/INJURY",
         "DOMESTIC BATTERY", "DOMESTIC BATTERY IP", "DOM BATTERY", "DV IP", "DV ASSAULT",
         "273.5", "273.5 DOMESTIC VIOLENCE", "DOMESTIC VIOLENCE - PRIORITY",
         "FAMILY FIGHT", "DOMESTIC FIGHT"),
    ),
    "FIGHT_ASSAULT": (
        ("FIGHT", "ASSAULT", "FAS", "FASX", "RESIST", "HOMICIDE", "CU1"),
        ("FIGHT", "FIGHT IN PROGRESS", "ASSAULT", "ASSAULT IN PROGRESS", "ASSLT",
         "ASSAULT JUST OCCURRED", "BATTERY", "SIMPLE ASSAULT", "AGGRAVATED ASSAULT",
         "PHYSICAL DISTURBANCE", "DISTURBANCE - PHYSICAL", "FIGHT CALL", "ASSAULT ON PERSON",
         "ASLT IP",
         # Cities' spellings.
         "418", "418 FIGHT", "418 / FIGHT", "103F FIGHT", "FIGHT - IP - PHYSICAL (NO WEAPONS)",
         "FIGHT - JO - PHYSICAL (NO WEAPONS)", "ASLT - IP/JO - WITH OR W/O WPNS (NO SHOOTINGS)",
         "ASSAULT - PRIORITY", "ASSAULT - COLD", "ASSAULT W/INJURY", "ASSAULT BY CONTACT",
         "ASSAULT AND BATTERY", "A&B", "ASSAULT & BATTERY IP", "SIMPLE BATTERY",
         "BATTERY IP", "BATTERY JO", "AGG BATTERY", "AGG ASSAULT", "COMMON ASSAULT",
         "FELONIOUS ASSAULT IP", "240 ASSAULT", "242 BATTERY",
         "6X - MAJOR DIST (VIOLENCE)", "MAJOR DISTURBANCE (VIOLENCE)",
         "ASSAULT (IN PROGRESS): INSIDE", "GANG FIGHT", "RIOT", "SEXUAL ASSAULT",
         "RESISTING ARREST", "MURDER"),
    ),
    "WEAPON": (
        ("WEAPON", "NCRASLTWF", "STABBING", "BARICADE"),
        ("PERSON WITH A WEAPON", "PERSON WITH A KNIFE", "ARMED PERSON", "WEAPONS VIOLATION",
         "MAN WITH KNIFE", "ASSAULT WITH WEAPON", "ADW", "STABBING", "BRANDISHING",
         "WEAPON", "SUBJ WITH WEAPON", "WEAPON VIOLATION",
         # Cities' spellings.
         "ASLT W/ WPN", "ASLT W/WPN", "PERSON W/ WEAPON", "PERSON WITH WEAPON",
         "PERSON WITH A WEAPON (NOT GUN)", "WEAPN-IP/JO-GUN,DEADLY WPN (NO THRT/ASLT/DIST)",
         "MAN W/ KNIFE", "ARMED SUBJECT", "ARMED SUBJ", "245 ADW", "245", "417 BRANDISHING",
         "AGG ASSAULT W/ DEADLY WEAPON", "AGGRAVATED ASSAULT WITH A WEAPON",
         "ILLEGAL CARRYING OF WEAPON", "CARRYING CONCEALED WEAPON", "CCW", "CUTTING",
         "PERSON STABBED", "BARRICADED SUBJECT", "BARRICADED PERSON", "MENTAL VIOLENT ARMED"),
    ),
    "SHOOTING": (
        ("SHOOT", "ACTSHOOT"),
        ("SHOTS FIRED", "SHOTS HEARD", "SHOOTING", "PERSON WITH A GUN", "MAN WITH A GUN",
         "GUN CALL", "ACTIVE SHOOTER", "SHOTSPOTTER", "PERSON SHOT", "DISCHARGING FIREARM",
         "SHOOT", "GSW",
         # Cities' spellings.
         "SHOTS FIRED IP", "SHOTS - IP/JO - INCLUDES HEARD/NO ASSAULT",
         "ASLT - IP/JO - PERSON SHOT OR SHOT AT", "SHOTS FIRED: OUTSIDE", "SHOT SPOTTER",
         "SHOTSPOTTER ALERT", "PERSON W/ A GUN", "PERSON W/ GUN", "MAN W/ GUN",
         "SUBJ W/ GUN", "ARMED W/ GUN", "DISCHRG FIREARM", "DISCHARGE FIREARM",
         "ILLEGAL DISCHARGE OF FIREARM", "AGGRAVATED BATTERY BY SHOOTING", "RANDOM GUNFIRE",
         "6G - RANDOM GUN FIRE", "GUNSHOT WOUND", "SHOOTING - PRIORITY", "10-32",
         "246 SHOTS FIRED", "417 MAN WITH A GUN", "DRIVE BY SHOOTING", "DRIVE-BY",
         "SHOOTING INTO OCCUPIED DWELLING", "GUN SHOTS HEARD"),
    ),
    "BURGLARY_ROBBERY": (
        ("BURGLARY", "ROBBERY", "CARJACK", "HOSTAGE", "ABDUCTNF", "ABDUCTF", "ALRROBA",
         "ALRROBS", "ALMH", "ALRBA", "ALRBS"),
        ("BURGLARY IN PROGRESS", "BURGLARY", "BREAKING AND ENTERING", "B&E", "BREAK IN",
         "HOME INVASION", "ROBBERY", "ROBBERY IN PROGRESS", "ARMED ROBBERY", "CARJACKING",
         "BURG IP", "HOSTAGE", "KIDNAPPING", "FORCED ENTRY", "RESIDENTIAL BURGLARY",
         # Cities' spellings.
         "BURG RES IP", "BURGLARY RES IP", "BURG - RES (INCL UNOCC STRUCTURES ON PROP)",
         "BURG - IP/JO - RES (INCL UNOCC STRUCTURES)", "RESIDENCE BURGLARY",
         "BUSINESS BURGLARY", "BURGLARY - PRIORITY", "B&E IP", "459", "459 BURGLARY",
         "459 SUSPECT THERE", "ROBBERY - IP/JO (INCLUDES STRONG ARM)", "ROBBERY IP",
         "ROBBERY ARMED IP-ANY", "ROBBERY - PRIORITY", "SIMPLE ROBBERY", "211",
         "211 ROBBERY", "STRONG ARM ROBBERY", "STRONGARM", "HOLDUP ALARM", "HOLD UP ALARM",
         "ROBBERY ALARM", "BURGLAR ALARM", "ALARM - BURGLARY", "ROBBERY CARJACK",
         "ABDUCTION", "KIDNAP", "10-31 CRIME IN PROGRESS"),
    ),
    "THEFT": (
        ("LARCENY", "SHOPLIFT", "VEHSTLN", "VANDAL", "PROPSTLN"),
        ("LARCENY", "THEFT", "SHOPLIFTER", "SHOPLIFTING", "LARCENY IN PROGRESS",
         "THEFT IN PROGRESS", "CAR BREAK IN", "BREAKING INTO VEHICLE", "VEHICLE BREAK IN",
         "STOLEN VEHICLE", "VANDALISM", "DAMAGE TO PROPERTY", "MALICIOUS MISCHIEF",
         "LARCENY FROM AUTO",
         # Cities' spellings.
         "THEFT (DOES NOT INCLUDE SHOPLIFT OR SVCS)", "SHOPLIFT - THEFT", "THEFT IP",
         "THEFT JO", "THEFT - COLD", "LARCENY IP", "PETTY THEFT", "GRAND THEFT", "488",
         "487", "RETAIL THEFT", "AUTO THEFT", "UUMV", "UDAA", "10851 STOLEN VEHICLE",
         "CAR PROWL", "AUTO PROWL", "BURGLARY VEHICLE", "BURG MOTOR VEH", "BMV",
         "SIMPLE BURGLARY VEHICLE", "CRIMINAL MISCHIEF", "CRIMINAL DAMAGE",
         "SIMPLE CRIMINAL DAMAGE", "MALICIOUS DESTRUCTION", "DESTRUCT PROPTY",
         "PROPERTY DAMAGE", "VANDALISM - COLD", "594 VANDALISM", "GRAFFITI",
         "NUISANCE - MISCHIEF"),
    ),
    "TRAFFIC_IMPAIRED": (
        ("DUI", "MVAHR", "RECKDRV", "ELUDING", "PURSUIT"),
        ("DUI", "DWI", "IMPAIRED DRIVER", "DRUNK DRIVER", "RECKLESS DRIVER", "HIT AND RUN",
         "HIT & RUN", "MVA HIT AND RUN", "MVC IMPAIRED DRIVER", "ELUDING", "PURSUIT",
         "MVC - DRIVER FLED",
         # Cities' spellings.
         "DUI - DRIVING UNDER INFLUENCE", "INTOX / DWI", "OWI", "OUI", "INTOXICATED DRIVER",
         "10-55", "23152 DUI", "ONE OVER THE WHEEL", "RECKLESS DRIVING", "20001 HIT AND RUN",
         "HIT AND RUN - INJURY", "FLEEING VEHICLE", "POSS DUI"),
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
    "ASSAULTS": "ASSAULT", "ASLTIP": "ASSAULT",
    "BATTERY": "ASSAULT", "BATT": "ASSAULT", "RAPE": "ASSAULT", "HOMICIDE": "ASSAULT",
    "MURDER": "ASSAULT", "BEATING": "ASSAULT", "DOM": "DOMESTIC", "DV": "DOMESTIC",
    "DOMESTC": "DOMESTIC", "DOMESTICS": "DOMESTIC",
    "PSYCH": "MENTAL", "PSYCHIATRIC": "MENTAL", "MNTL": "MENTAL", "MENTL": "MENTAL",
    "MTL": "MENTAL", "EDP": "MENTAL", "MH": "MENTAL", "BEHAVIORAL": "MENTAL",
    "PSYCHOTIC": "MENTAL", "EMOTIONALLY": "MENTAL", "DISTURBED": "MENTAL",
    "EMOTIONAL": "MENTAL", "MENTALLY": "MENTAL", "MTLV": "MENTAL", "ABNORMAL": "MENTAL",
    "ABNORM": "MENTAL", "CIT": "CRISIS", "5150": "MENTAL", "918": "MENTAL", "918V": "MENTAL",
    "10-96": "MENTAL", "1096": "MENTAL", "IVC": "MENTAL", "COMMITMENT": "MENTAL",
    "SUIC": "SUICIDE", "SUICIDAL": "SUICIDE", "SUICTHRT": "SUICIDE", "SUICIDES": "SUICIDE",
    "JUMPER": "SUICIDE",
    "INTOXICATED": "INTOX", "DRUNK": "INTOX", "ETOH": "INTOX", "INEBRIATED": "INTOX",
    "DRUNKEN": "INTOX", "LIQUOR": "INTOX", "ALCOHOL": "INTOX", "INFLUENCE": "INTOX",
    "DETOX": "INTOX", "647F": "INTOX", "390": "INTOX", "390W": "INTOX", "10-56": "INTOX",
    "OD": "OVERDOSE", "ODS": "OVERDOSE", "OVERDOSED": "OVERDOSE",
    "TRESP": "TRESPASS", "TRESPASSER": "TRESPASS", "TRESPASSERS": "TRESPASS",
    "TRESPASSING": "TRESPASS", "SQUATTER": "TRESPASS", "SQUATTERS": "TRESPASS",
    "602": "TRESPASS", "601": "TRESPASS", "REFUSE": "REFUSING", "REFUSES": "REFUSING",
    "BURG": "BURGLARY", "BURGLAR": "BURGLARY", "BURGLARIES": "BURGLARY", "459": "BURGLARY",
    "ROB": "ROBBERY", "ROBB": "ROBBERY", "ROBBED": "ROBBERY", "ROBBERIES": "ROBBERY",
    "STRONGARM": "ROBBERY", "MUGGING": "ROBBERY", "HOLDUP": "ROBBERY", "211": "ROBBERY",
    "CARJACK": "CARJACKING", "KIDNAP": "KIDNAPPING", "ABDUCTION": "KIDNAPPING",
    "ABDUCTED": "KIDNAPPING",
    "GUN": "GUN", "GUNS": "GUN", "FIREARM": "GUN", "FIREARMS": "GUN", "SHOTS": "GUN",
    "SHOT": "GUN", "GUNSHOT": "GUN", "GUNSHOTS": "GUN", "GSW": "GUN", "PISTOL": "GUN",
    "RIFLE": "GUN", "SHOTGUN": "GUN", "HANDGUN": "GUN", "SHOTSPOTTER": "GUN",
    "GUNFIRE": "GUN", "GUNMAN": "GUN", "10-32": "GUN", "246": "GUN", "DRIVEBY": "GUN",
    "DISTURB": "DISTURBANCE", "DIST": "DISTURBANCE", "DISTURBING": "DISTURBANCE",
    "DISTURBANCES": "DISTURBANCE", "DISTRB": "DISTURBANCE", "DISTURBNC": "DISTURBANCE",
    "415": "DISTURBANCE", "ROWDY": "DISTURBANCE", "UNRULY": "DISTURBANCE",
    "NUISANCE": "DISTURBANCE",
    "VERB": "VERBAL", "ORAL": "VERBAL", "IP": "INPROGRESS", "INPROG": "INPROGRESS",
    "PROG": "PROGRESS", "WPN": "WEAPON", "WPNS": "WEAPON", "WEAPONS": "WEAPON",
    "WEAPN": "WEAPON", "ARMED": "WEAPON", "KNIFE": "WEAPON", "KNIVES": "WEAPON",
    "MACHETE": "WEAPON", "BRANDISHING": "WEAPON", "BRANDISH": "WEAPON",
    "STABBING": "WEAPON", "STABBED": "WEAPON", "STABBINGS": "WEAPON", "CUTTING": "WEAPON",
    "SLASHING": "WEAPON", "CCW": "WEAPON", "245": "WEAPON", "417": "WEAPON",
    "BARRICADED": "WEAPON", "BARICADE": "WEAPON", "BARRICADE": "WEAPON",
    "VIOL": "VIOLENT", "VIOLENCE": "VIOLENT", "VIOLNT": "VIOLENT",
    "PHYS": "PHYSICAL", "FIGHTING": "FIGHT", "FIGHTS": "FIGHT", "BRAWL": "FIGHT",
    "418": "FIGHT", "RIOT": "FIGHT", "240": "ASSAULT", "242": "ASSAULT",
    "PANHANDLER": "PANHANDLING", "PANHANDLE": "PANHANDLING", "PHANDLE": "PANHANDLING",
    "PANHANDLERS": "PANHANDLING", "BEGGING": "PANHANDLING", "VAGRANT": "HOMELESS",
    "VAGRANCY": "HOMELESS", "TRANSIENT": "HOMELESS", "TRANSIENTS": "HOMELESS",
    "CAMPING": "HOMELESS", "CAMP": "HOMELESS", "ENCAMPMENT": "HOMELESS",
    "ENCAMPMENTS": "HOMELESS", "LOITERING": "HOMELESS", "LOITERER": "HOMELESS",
    "LOITERERS": "HOMELESS", "SLEEPER": "HOMELESS", "SLEEPING": "HOMELESS",
    "UNHOUSED": "HOMELESS", "UNSHELTERED": "HOMELESS", "SOLICITOR": "SOLICITING",
    "SOLICITORS": "SOLICITING", "SOLICITATION": "SOLICITING",
    "NUDE": "NAKED", "NUDITY": "NAKED", "LEWD": "INDECENT", "LEWDNESS": "INDECENT",
    "INDECENCY": "INDECENT", "FLASHER": "INDECENT", "EXPOSER": "INDECENT",
    "314": "INDECENT",
    "SUSP": "SUSPICIOUS", "PROWLER": "SUSPICIOUS", "PEEPING": "SUSPICIOUS",
    "PEEPER": "SUSPICIOUS", "SUSPICIOUS": "SUSPICIOUS",
    "THREAT": "THREATS", "THREATENING": "THREATS", "THREATENED": "THREATS",
    "THREATEN": "THREATS", "THRT": "THREATS", "THRTS": "THREATS",
    "MENACING": "THREATS", "HARASSMENT": "THREATS", "HARASSING": "THREATS",
    "HARASS": "THREATS", "INTIMIDATION": "THREATS", "TERRORISTIC": "THREATS",
    "422": "THREATS",
    "LARCENY": "THEFT", "SHOPLIFTING": "THEFT", "SHOPLIFTER": "THEFT", "SHOPLIFT": "THEFT",
    "STOLEN": "THEFT", "STEALING": "THEFT", "VANDALISM": "THEFT", "GRAFFITI": "THEFT",
    "UUMV": "THEFT", "UDAA": "THEFT", "487": "THEFT", "488": "THEFT", "484": "THEFT",
    "594": "THEFT", "10851": "THEFT", "DESTRUCTION": "DAMAGE", "DESTRUCT": "DAMAGE",
    "DWI": "DUI", "OWI": "DUI", "OUI": "DUI", "IMPAIRED": "DUI", "RECKLESS": "DUI",
    "ELUDING": "DUI", "PURSUIT": "DUI", "FLEEING": "DUI", "23152": "DUI", "23153": "DUI",
    "10-55": "DUI", "20001": "HITRUN", "20002": "HITRUN", "DRIVING": "DRIVER",
    "DRV": "DRIVER",
    "UNWANTED": "TRESPASS",
    "DISORDERLY": "DISTURBANCE", "NOISE": "DISTURBANCE", "LOUD": "DISTURBANCE",
    "SCREAMING": "DISTURBANCE", "ARGUMENT": "DISTURBANCE", "DISPUTE": "DISTURBANCE",
    "YELLING": "DISTURBANCE", "ARGUMENTS": "DISTURBANCE", "DISPUTES": "DISTURBANCE",
    "JUV": "JUVENILE", "JUVENILES": "JUVENILE", "JUVS": "JUVENILE",
    "NEIGHBORS": "NEIGHBOR", "NEIGHBORHD": "NEIGHBOR", "NEIGHBORHOOD": "NEIGHBOR",
    "VEH": "VEHICLE", "VEHICLES": "VEHICLE", "ALRM": "ALARM", "BRAWLING": "FIGHT",
    "LASCIVIOUS": "INDECENT", "BEHAVIORL": "MENTAL",
    # Cities' own nature codes (Cincinnati, San Jose, San Diego).
    "MHRT": "MENTAL", "MHRTV": "MENTAL", "PERDWN": "WELFARE", "WELCK": "WELFARE",
    "WELCKEMS": "WELFARE", "FAMTRB": "DOMESTIC", "NBRTRB": "NEIGHBOR", "ASSLTI": "ASSAULT",
    "ASSLTP": "ASSAULT", "ASSLTR": "ASSAULT", "RBURG": "BURGLARY", "NRBURG": "BURGLARY",
    "SUSCIR": "SUSPICIOUS", "SUSCIREMS": "SUSPICIOUS", "602PC": "TRESPASS", "459VEH": "BMV",
    "AU23152": "DUI",
    "CONFUSED": "CONFUSED", "DISORIENTED": "CONFUSED", "SLUMPER": "SLUMPED",
}

#: Words that negate what follows them in a call type, to the end of its clause.
_NEGATORS = frozenset({"NO", "NOT", "WITHOUT", "NEG"})
#: Prefixes that negate only the next word ("NON VIOLENT", "NON EMERGENCY").
_PREFIX_NEGATORS = frozenset({"NON"})

#: Keyword rules, most severe first: the first rule whose tokens are all present wins.
_RULES: tuple[tuple[str, frozenset[str]], ...] = tuple(
    (group, frozenset(tokens.split()))
    for group, tokens in (
        # Threats against places, not people: bomb and biohazard threats are no crisis.
        (OTHER, "BOMB"), (OTHER, "BIOLOGICAL"),
        ("SHOOTING", "GUN"), ("SHOOTING", "SHOOTING"), ("SHOOTING", "SHOOTER"),
        ("BURGLARY_ROBBERY", "ROBBERY"), ("BURGLARY_ROBBERY", "CARJACKING"),
        ("BURGLARY_ROBBERY", "CAR JACKING"),
        ("BURGLARY_ROBBERY", "HOSTAGE"), ("BURGLARY_ROBBERY", "KIDNAPPING"),
        ("BURGLARY_ROBBERY", "HOME INVASION"), ("BURGLARY_ROBBERY", "HOLD UP"),
        ("THEFT", "VEHICLE BREAK"),
        ("THEFT", "CAR BREAK"), ("THEFT", "AUTO BREAK"), ("THEFT", "CAR PROWL"),
        ("THEFT", "AUTO PROWL"), ("THEFT", "VEHICLE PROWL"), ("THEFT", "BURGLARY VEHICLE"),
        ("THEFT", "BURGLARY AUTO"), ("THEFT", "BURGLARY MOTOR"), ("THEFT", "BMV"),
        ("THEFT", "BREAKING ENTERING AUTO"), ("THEFT", "BREAKING ENTERING VEHICLE"),
        ("THEFT", "B E AUTO"), ("THEFT", "B E VEHICLE"), ("THEFT", "BURGLARY FROM VEHICLE"),
        ("BURGLARY_ROBBERY", "BURGLARY"),
        ("BURGLARY_ROBBERY", "BREAKING ENTERING"), ("BURGLARY_ROBBERY", "BREAK IN"),
        ("BURGLARY_ROBBERY", "FORCED ENTRY"), ("BURGLARY_ROBBERY", "B E"),
        ("WEAPON", "WEAPON"), ("WEAPON", "ADW"),
        ("DOMESTIC_NONVIOLENT", "DOMESTIC NON"), ("DOMESTIC_NONVIOLENT", "DOMESTIC VERBAL"),
        ("DOMESTIC_VIOLENT", "DOMESTIC VIOLENT"), ("DOMESTIC_VIOLENT", "DOMESTIC ASSAULT"),
        ("DOMESTIC_VIOLENT", "DOMESTIC PHYSICAL"), ("DOMESTIC_VIOLENT", "DOMESTIC INPROGRESS"),
        ("DOMESTIC_VIOLENT", "DOMESTIC INJURY"), ("DOMESTIC_VIOLENT", "DOMESTIC FIGHT"),
        ("DOMESTIC_VIOLENT", "FAMILY VIOLENT"), ("DOMESTIC_VIOLENT", "FAMILY FIGHT"),
        ("DOMESTIC_VIOLENT", "273 5"), ("DOMESTIC_NONVIOLENT", "DOMESTIC"),
        ("DOMESTIC_NONVIOLENT", "FAMILY"), ("DOMESTIC_NONVIOLENT", "10-16"),
        # A verbal "fight", an "assault by threat", a "mental - violent" are not fights.
        ("DISTURBANCE", "FIGHT VERBAL"), ("THREATS", "ASSAULT THREATS"),
        ("MENTAL_HEALTH", "MENTAL VIOLENT"),
        ("FIGHT_ASSAULT", "FIGHT"), ("FIGHT_ASSAULT", "ASSAULT"),
        ("FIGHT_ASSAULT", "PHYSICAL"), ("FIGHT_ASSAULT", "A B"),
        ("FIGHT_ASSAULT", "DISTURBANCE VIOLENT"), ("FIGHT_ASSAULT", "UNREST VIOLENT"),
        ("FIGHT_ASSAULT", "RESISTING ARREST"),
        ("TRAFFIC_IMPAIRED", "DUI"), ("TRAFFIC_IMPAIRED", "INTOX DRIVER"),
        ("TRAFFIC_IMPAIRED", "HIT RUN"), ("TRAFFIC_IMPAIRED", "HITRUN"),
        ("SUICIDE", "SUICIDE"), ("SUICIDE", "SELF HARM"), ("SUICIDE", "SELF INFLICTED"),
        ("THREATS", "THREATS"), ("THREATS", "STALKING"),
        ("MENTAL_HEALTH", "MENTAL"), ("MENTAL_HEALTH", "CRISIS"),
        ("MENTAL_HEALTH", "EMERGENCY DETENTION"), ("MENTAL_HEALTH", "EMERGENCY CUSTODY"),
        ("MENTAL_HEALTH", "BAKER ACT"), ("MENTAL_HEALTH", "MARCHMAN ACT"),
        ("MENTAL_HEALTH", "PINK SLIP"), ("MENTAL_HEALTH", "302 PETITION"),
        ("MENTAL_HEALTH", "INVOLUNTARY"), ("MENTAL_HEALTH", "TDO"),
        ("INTOX", "INTOX"), ("INTOX", "OVERDOSE"),
        ("WELFARE", "WELFARE"), ("WELFARE", "PERSON DOWN"), ("WELFARE", "MAN DOWN"),
        ("WELFARE", "WOMAN DOWN"), ("WELFARE", "SUBJECT DOWN"), ("WELFARE", "CONFUSED"),
        ("WELFARE", "SLUMPED"), ("WELFARE", "UNRESPONSIVE"), ("WELFARE", "UNCONSCIOUS"),
        ("WELFARE", "WELL BEING"), ("WELFARE", "VULNERABLE"), ("WELFARE", "AT RISK"),
        ("WELFARE", "FOUND PERSON"),
        ("TRESPASS", "TRESPASS"), ("TRESPASS", "REFUSING LEAVE"),
        ("TRESPASS", "WONT LEAVE"), ("TRESPASS", "WON T LEAVE"),
        ("PANHANDLING", "PANHANDLING"), ("PANHANDLING", "HOMELESS"),
        ("PANHANDLING", "SOLICITING"), ("PANHANDLING", "SIT LIE"),
        ("INDECENCY", "INDECENT"), ("INDECENCY", "NAKED"), ("INDECENCY", "EXPOSING"),
        ("THEFT", "THEFT"), ("THEFT", "DAMAGE"), ("THEFT", "MISCHIEF"),
        ("BURGLARY_ROBBERY", "CRIME INPROGRESS"), ("BURGLARY_ROBBERY", "10-31"),
        ("SUSPICIOUS", "SUSPICIOUS"), ("SUSPICIOUS", "INVESTIGATE PERSON"),
        ("DISTURBANCE", "DISTURBANCE"), ("DISTURBANCE", "JUVENILE"),
        ("DISTURBANCE", "MUSIC"), ("DISTURBANCE", "PARTY"), ("DISTURBANCE", "CIVIL"),
        ("DISTURBANCE", "NEIGHBOR"), ("DISTURBANCE", "LANDLORD"),
        ("DISTURBANCE", "CROWD"),
        ("WELFARE", "CHECK PERSON"), ("WELFARE", "CHECK SUBJECT"),
    )
)

_NON_WORD = re.compile(r"[^A-Z0-9]+")
#: Rewrites made before punctuation goes: "W/O" is "without", "I/P" is "in progress".
_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b([A-Z])\.([A-Z])\.(?:([A-Z])\.)?"), r"\1\2\3"),
    (re.compile(r"\bW/O\b"), " WITHOUT "),
    (re.compile(r"\bW/"), " WITH "),
    (re.compile(r"\bI/P\b"), " IP "),
    (re.compile(r"\bJ/O\b"), " JO "),
    (re.compile(r"\bIN-PROGRESS\b"), "IN PROGRESS"),
    (re.compile(r"\bNON-"), "NON "),
    (re.compile(r"\b647\s*\(?F\)?"), "647F"),
    (re.compile(r"\b273\.5\b"), "273 5"),
)
#: Where a clause ends inside a call type, for the reach of a negation.
_CLAUSE_BREAK = re.compile(r"[()\[\],;:|]|\s-\s|\s-|-\s|--|\s/\s")
_TEN_CODE_NUMBER = re.compile(r"\d{1,3}[A-Z]?")


def _rewrite(text: str) -> str:
    upper = text.upper().replace("&", " AND ")
    for pattern, replacement in _REWRITES:
        upper = pattern.sub(replacement, upper)
    return upper


def normalise_call_type_text(text: str) -> str:
    """Upper case, `&` as AND, `W/` as WITH, punctuation as spaces, runs of spaces collapsed."""
    return _NON_WORD.sub(" ", _rewrite(text)).strip()


def _clause_words(clause: str) -> list[str]:
    """The words of one clause, with "10-96" style radio codes kept as one word."""
    words = _NON_WORD.sub(" ", clause).split()
    joined: list[str] = []
    for word in words:
        if joined and joined[-1] == "10" and _TEN_CODE_NUMBER.fullmatch(word):
            joined[-1] = f"10-{word}"
        else:
            joined.append(word)
    return joined


def _tokens(rewritten: str) -> set[str]:
    """The canonical tokens of a call type, without the words it negates."""
    words: list[str] = []
    for clause in _CLAUSE_BREAK.split(rewritten):
        negated = False
        prefix = False
        for word in _clause_words(clause):
            if word in _NEGATORS:
                negated = True
                words.append(word)
            elif word in _PREFIX_NEGATORS:
                prefix = True
                words.append(word)
            elif negated or prefix:
                prefix = False
            else:
                words.append(word)
    if "IN" in words and "PROGRESS" in words:
        words.append("INPROGRESS")
    # "10-96M", "10-16A": a lettered variant of a radio code means what the code means.
    words += [word[:-1] for word in words if word.startswith("10-") and word[-1].isalpha()]
    # "B AND E" -> "B E"; "HIT AND RUN" -> "HIT RUN".
    return {_TOKEN_SYNONYMS.get(word, word) for word in words if word != "AND"}


@lru_cache(maxsize=1)
def _exact_lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for group, (codes, aliases) in GROUPS.items():
        for name in (*codes, *aliases):
            table.setdefault(normalise_call_type_text(name), group)
    return table


@lru_cache(maxsize=16384)
def _canonical(text: str) -> str | None:
    rewritten = _rewrite(text)
    normalised = _NON_WORD.sub(" ", rewritten).strip()
    if not normalised:
        return None
    exact = _exact_lookup().get(normalised)
    if exact is not None:
        return exact
    tokens = _tokens(rewritten)
    for group, needed in _RULES:
        if needed <= tokens:
            return group
    return OTHER


def canonical_call_type(text: str | None) -> str | None:
    """The canonical group of a CAD call type (`None` when missing or blank).

    >>> canonical_call_type("Mental Subj"), canonical_call_type("shots heard")
    ('MENTAL_HEALTH', 'SHOOTING')
    >>> canonical_call_type("FIGHT - VERBAL/ORAL (NO WEAPONS)")
    'DISTURBANCE'
    """
    if text is None or not isinstance(text, str):
        return None
    return _canonical(text.strip())


def aliases(group: str) -> tuple[str, ...]:
    """The alias strings of a group (raises `KeyError` for an unknown group)."""
    return GROUPS[group][1]


#: The canonical group names, `OTHER` last.
CALL_TYPE_GROUPS: tuple[str, ...] = tuple(GROUPS)
