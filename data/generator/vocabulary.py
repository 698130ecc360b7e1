"""Shared parts of speech: who calls, how the subject is described, where, verbs of saying.

Rules are plain, lower-case English; the style renderer turns them into CAD shorthand
or rambling notes. A `name@cad` rule replaces `name` in the CAD style where shorthand
has its own idiom (`W/M 40S`, `RP ADV`).
"""

from __future__ import annotations

VOCABULARY: dict[str, list[str]] = {
    # verbs of saying, used between the caller and what they report
    "says": ["says", "states", "advises", "reports", "is saying", "stated", "said",
             "is reporting", "called to say", "tells me", "advised", "saying"],
    "says@cad": ["ADV", "ADVS", "STS", "STATES", "REPORTING", "ADVISING", "SAYS", "RPTS",
                 "STATING"],
    "now": ["now", "currently", "right now", "at this time", "still", "atm"],
    "now@cad": ["NOW", "CURRENTLY", "ATT", "AT THIS TIME", "STILL", "ATM"],
    "age": ["[2|3|4|5|6][0|0|5|0s|0s]", "late [20|30|40|50]s", "early [20|30|40|60]s",
            "about [19|22|25|28|31|34|37|45|52|58|63|70]", "[17|18|19|24|26|29|33|41|47|66]"],
    "age@cad": ["[2|3|4|5|6]0S", "[20|30|40|50]S", "APPROX [19|22|25|28|31|35|45|60]",
                "[17|19|24|26|29|33|41|47|66] YOA", "[18|23|27|32|38|44|55] YO"],
    "clothes": ["[wearing|in|wrg] a [black|grey|gray|red|blue|green|white|tan|camo] "
                "[hoodie|jacket|t-shirt|coat|sweatshirt|tank top|puffer jacket|raincoat]"
                "[| and [jeans|shorts|sweatpants|khakis|pajama pants]]",
                "[no shirt|no shoes|barefoot|only in a hospital gown|only in boxers]",
                "[with a backpack|carrying several bags|pushing a shopping cart|with a "
                "bike|with a duffel bag]"],
    "clothes@cad": ["WRG [BLK|GRY|RED|BLU|GRN|WHT|TAN|CAMO] [HOODIE|JACKET|TSHIRT|COAT|"
                    "SWEATSHIRT|TANK TOP][| [BLUE JEANS|SHORTS|SWEATS|KHAKIS]]",
                    "[NO SHIRT|NO SHOES|BAREFOOT|IN HOSP GOWN]",
                    "[W/ BACKPACK|W/ SHOPPING CART|W/ BIKE|CARRYING BAGS]"],
    "race": ["white", "black", "hispanic", "asian", "latino", "unknown race"],
    "man": ["man", "male", "guy", "gentleman", "man", "older man", "young man", "male"],
    "woman": ["woman", "female", "lady", "woman", "older woman", "young woman", "female"],
    "desc_m": ["a {man}", "a {race} {man}", "a {man} in his {age}", "a {race} {man} {age}",
               "a {man} maybe {age}", "a {man}, {clothes}", "a {race} {man}, {clothes}",
               "some {man} {clothes}", "a {man} about {age}"],
    "desc_f": ["a {woman}", "a {race} {woman}", "a {woman} in her {age}",
               "a {race} {woman} {age}", "a {woman} maybe {age}", "a {woman}, {clothes}",
               "some {woman} {clothes}", "a {woman} about {age}"],
    "desc_m@cad": ["[W|B|H|A|UNK]/M [|APPROX ]{age}", "[W|B|H|UNK]/M {age} {clothes}",
                   "MALE {age}", "[W|B|H]/M", "UNK MALE", "MALE SUBJ {clothes}",
                   "[W|B|H|A]M {age}", "SUBJ [W|B|H]/M {age}"],
    "desc_f@cad": ["[W|B|H|A|UNK]/F [|APPROX ]{age}", "[W|B|H|UNK]/F {age} {clothes}",
                   "FEMALE {age}", "[W|B|H]/F", "UNK FEMALE", "FEM SUBJ {clothes}",
                   "[W|B|H|A]F {age}", "SUBJ [W|B|H]/F {age}"],
    # family and acquaintance relations, by the subject's gender
    "rel_m": ["son", "brother", "husband", "boyfriend", "father", "dad", "nephew",
              "grandson", "uncle", "cousin", "roommate", "ex", "stepson", "adult son"],
    "rel_f": ["daughter", "sister", "wife", "girlfriend", "mother", "mom", "niece",
              "granddaughter", "aunt", "cousin", "roommate", "ex", "stepdaughter"],
    "name_m": ["marcus", "tony", "james", "david", "jamal", "luis", "kevin", "travis",
               "derrick", "chris", "mike", "andre", "jose", "billy", "terrence", "kyle",
               "ray", "deshawn", "eric", "miguel", "tyler", "greg", "omar", "dale"],
    "name_f": ["tina", "maria", "keisha", "jennifer", "ashley", "brenda", "latoya",
               "sarah", "rosa", "amber", "crystal", "linda", "tasha", "megan", "gloria",
               "nicole", "denise", "jasmine", "kim", "yolanda", "heather", "ana"],
    # settings
    "street": ["main st", "elm st", "fayetteville st", "roxboro rd", "holloway st",
               "alston ave", "broad st", "chapel hill rd", "university dr", "n duke st",
               "angier ave", "guess rd", "miami blvd", "hillandale rd", "club blvd",
               "lakewood ave", "morehead ave", "cornwallis rd", "old oxford hwy",
               "martin luther king jr pkwy", "pettigrew st", "geer st", "mangum st"],
    "addr": ["[1|2|3|4|5|6|7|8|9][0|1|2|3|4|5|7|8][0|1|3|5|7|9|0] {street}",
             "the [1|2|3|4|5|9|12|14|18|21|26|30]00 [block|blk] of {street}",
             "{street} and {street}", "[apt|unit] [1|2|3][0|1][1|2|4|6|8|9] at the "
             "[oak ridge|pinecrest|maple court|the villas|lakeside|parkwood] apartments"],
    "addr@cad": ["[1|2|3|4|5|6|7|8|9][0|1|2|3|4|5|7|8][0|1|3|5|7|9|0] {street}",
                 "[1|2|3|4|5|9|12|14|18|21|26|30]00 BLK {street}", "{street} / {street}",
                 "{street} AT {street}", "APT [1|2|3][0|1][1|2|4|6|8|9]"],
    "business": ["the dollar general", "the food lion", "the family dollar", "the walgreens",
                 "the cvs", "the mcdonalds", "the waffle house", "the shell station",
                 "the circle k", "the sheetz", "the public library", "the harris teeter",
                 "the walmart", "the bus station", "the laundromat", "the wendys",
                 "the hospital lobby", "the motel 6", "the starbucks", "the rec center",
                 "the church", "the urgent care", "the kroger", "the subway", "the bank"],
    "business@cad": ["DOLLAR GENERAL", "FOOD LION", "FAMILY DOLLAR", "WALGREENS", "CVS",
                     "MCDONALDS", "WAFFLE HOUSE", "SHELL", "CIRCLE K", "SHEETZ", "LIBRARY",
                     "HARRIS TEETER", "WALMART", "BUS TERMINAL", "LAUNDROMAT", "WENDYS",
                     "MOTEL 6", "STARBUCKS", "REC CTR", "KROGER", "BOJANGLES", "THE BANK"],
    "spot_business": ["in the vestibule", "out front", "by the front door", "in the parking "
                      "lot", "in the bathroom", "by the registers", "at the side entrance",
                      "behind the building", "in the lobby", "by the dumpsters",
                      "on the sidewalk out front", "inside the store"],
    "spot_street": ["at the bus stop", "in the median", "on the sidewalk", "in the road",
                    "at the intersection", "under the bridge", "in the park", "on a bench",
                    "by the train tracks", "at the corner", "in the alley", "near the "
                    "greenway", "outside the church", "in front of a house"],
    "spot_home": ["at the residence", "at home", "in the house", "in the apartment",
                  "in the back yard", "on the porch", "in the bedroom", "in the kitchen",
                  "at their apartment", "in the front yard", "upstairs"],
    "school": ["the high school", "the middle school", "riverside high", "the elementary "
               "school", "the charter school", "hillside high", "the community college"],
    "time_ago": ["a few minutes ago", "just now", "about 10 min ago", "earlier tonight",
                 "about an hour ago", "since this morning", "for the last hour",
                 "for about 20 minutes", "all day", "since last night"],
    "time_ago@cad": ["JUST NOW", "10 MIN AGO", "APPROX 5 MINS AGO", "X1 HR", "SINCE AM",
                     "LAST 20 MIN", "ALL DAY", "SINCE LAST NIGHT", "PRIOR TO CALL"],
    "worried": ["is worried", "is concerned", "is scared", "is afraid", "doesn't know what "
                "to do", "is very upset", "is frustrated", "is at a loss", "is nervous"],
}
