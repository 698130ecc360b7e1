"""The rest of a call note: intros, denials, harmless idioms, updates, sign-offs, asides.

Denials ("no weapons seen", "denies SI") and violent-sounding idioms ("my back is killing
me") are drawn for every label, each only where the call's facts allow it, so that no
single word decides a label. Updates either add a fact (`UPDATE: now has a knife`,
which raises the label) or leave the facts as they were.
"""

from __future__ import annotations

DETAILS: dict[str, list[str]] = {
    # --------------------------------------------------------------- callers
    "role_manager": ["the manager at {business}", "mgr at {business}", "an employee at "
                     "{business}", "the shift lead at {business}", "a cashier at {business}",
                     "the assistant manager at {business}"],
    "role_security": ["security at {business}", "a security guard at {business}",
                      "loss prevention at {business}"],
    "role_neighbor": ["a neighbor", "the next door neighbor", "a neighbor across the street",
                      "the upstairs neighbor", "a neighbor who lives at {addr}"],
    "role_passerby": ["a passerby", "driving by", "a pedestrian", "a motorist", "walking "
                      "[her|his] dog", "a jogger", "a delivery driver"],
    "role_bus_driver": ["a bus driver", "the bus operator on route [4|7|10|12|5]",
                        "a transit supervisor", "a driver for godurham"],
    "role_school": ["the counselor at {school}", "a teacher at {school}", "the principal at "
                    "{school}", "the school nurse at {school}", "the social worker at "
                    "{school}"],
    "role_landlord": ["the landlord", "the apartment manager", "maintenance at the "
                      "apartments", "the property manager"],
    "role_case_worker": ["[his|her|their] case worker", "a social worker", "a peer support "
                         "worker", "staff at the group home", "a therapist", "a crisis "
                         "line counselor"],
    "role_hotel": ["the front desk clerk at the motel", "the night clerk at {business}",
                   "hotel staff"],
    "intro": [
        "{rp} is {role}, {says} {subj} is {where}",
        "{rp} [is|=] {role}. {rp} {says} [there is |]{subj} {where}",
        "{rp} ({role}) {says} {subj} is {where}",
        "{role} calling about {subj} {where}",
        "{rp} {says} {subj} is {where}",
        "{rp} [calling about|reporting|called re] {subj} {where}",
    ],
    "intro_family": [
        "{rp} {says} {subj} is {where}",
        "{rp} [calling about|called about|is calling about|called re] {subj} {where}",
        "{rp} is [worried about|calling for] {subj}, who is {where}",
        "{subj} is {where}, per {rp}",
    ],
    "intro_self": [
        "{rp} [is calling for|calling about] [himself|herself|self]",
        "{rp} is the [subject|pt|person in crisis]",
        "{rp} [says|states] [she|he] [needs help|is not ok|is struggling] {where}",
        "[call from|caller is] the subject [themself|himself|herself] {where}",
    ],
    # ------------------------------------------------------------- denials
    "neg_weapons": [
        "no weapons [seen|mentioned|known|involved|visible]",
        "{rp} [denies|doesn't know of|does not know of] any weapons",
        "[no|neg] weapons [per {rp}|]",
        "{s} [doesn't|does not] have [any |]weapons [per {rp}|that {rp} knows of|]",
        "[doesn't|does not] appear to be armed",
        "{s} is unarmed [per {rp}|as far as {rp} knows|]",
        "no weapons in [hand|the home|the house]",
        "{rp} didn't see [a weapon|any weapons|anything in {his} hands]",
    ],
    "neg_gun": [
        "no [guns|firearms] in the [house|home|residence]",
        "{rp} denies [any |]firearms [in the home|]",
        "[no|neg] [firearms|guns] [known|per {rp}]",
        "{s} [doesn't|does not] own a gun",
        "{rp} [said|says] there are no guns [in the house|in the home|]",
    ],
    "neg_threats": [
        "{s} [is not|isn't|hasn't been] threatening [anyone|anybody|{rp}]",
        "no threats [made|toward anyone|to anyone]",
        "{s} [hasn't|has not] [threatened|made threats toward] anyone",
        "[not|no] threatening [anyone|behavior]",
        "{rp} [doesn't|does not] feel threatened",
    ],
    "neg_violence": [
        "{s} [is not|isn't] [violent|physical|aggressive]",
        "[no|not] [physical|violent|physical contact]",
        "{s} [hasn't|has not] [hit|touched|put hands on] anyone",
        "[nothing|it's not|it is not] physical",
        "no one has been [hit|hurt|touched]",
    ],
    "neg_history": [
        "{s} has never been violent [before|in the past|with {rp}]",
        "{rp} says {s} [was never|has never been] violent [before|]",
        "no history of violence",
        "{s} [has|is known to have] no violent history",
    ],
    "neg_si": [
        "[denies|no] [si|suicidal thoughts|thoughts of self harm]",
        "{s} [is not|isn't] suicidal[ per {rp}|]",
        "{s} [denies|is denying] [si|any thoughts of hurting {him}self]",
        "not [suicidal|a danger to {him}self]",
    ],
    "neg_sihi": ["[no|denies] [si/hi|si or hi]", "denies si and hi"],
    "neg_intox": [
        "no [etoh|alcohol|drugs] involved",
        "{s} [is not|isn't] [drunk|drinking|on anything]",
        "[{s} is |]sober",
        "{rp} [doesn't|does not] think {s} [is on anything|has been drinking]",
    ],
    "neg_injury": ["no injuries", "[nobody|no one] [is|was] hurt", "no [medical|injuries] "
                   "[needed|reported]", "{s} is not [hurt|injured]"],
    "neg_crime": ["nothing [taken|stolen]", "no [forced entry|damage]", "{s} [hasn't|didn't]"
                  " [taken|stolen|broken] anything"],
    # ---------------------------------------------- idioms that only sound violent
    "idiom": [
        "{rp} says [her|his] back is killing [her|him]",
        "{s} [has been|keeps] blowing up [{rp}'s|her|his] phone",
        "{s} [complains of|has] [a |]shooting pain in [{his}|the] [leg|arm|back|side]",
        "{rp} is dead tired [and|so] [can't deal with this|wants help]",
        "{s} [got|was] fired from [{his}|the] job [last week|recently|today]",
        "{s} [is|has been] fighting [a cold|the flu|with {his} insurance|cancer]",
        "{s} [got|had] [{his}|a] [flu shot|covid shot|shot] [yesterday|today|this week]",
        "{s} is [killing time|just killing time] {where}",
        "{s} [bombed|blew] [{his}|an] [exam|interview|test]",
        "{s} [hit|has hit] rock bottom",
        "{s} [hit {rp} up|hit up {rp}] [on facebook|on instagram] [earlier|yesterday]",
        "{rp} [says|said] [her|his] [boss|landlord] is going to kill [her|him] if [she|he|"
        "they] [is|are] late again",
        "{rp} is about to lose [her|his] mind",
        "{s} [has been|is] [beating|kicking] {him}self up about [it|the breakup|losing {his} "
        "job]",
        "{rp} [is|has been] [slammed|swamped] at work",
        "{his} phone [is dead|died]",
        "the heat is killing [everyone|{him}|us] today",
        "{s} [shot|sent] {rp} a text [earlier|an hour ago]",
        "{s} [blew up|went off] on {rp} on the phone [last week|yesterday] [but|and] [hung up"
        "|that was it]",
    ],
    # ----------------------------------------------------------- updates
    "upd_weapon_held": [
        "{s} [now has|grabbed|is holding] a [kitchen knife|knife|box cutter|razor] [and says "
        "{he} will cut {him}self|and is holding it to {his} [wrist|arm]|]",
        "{s} went to the kitchen and [got|grabbed] a knife",
    ],
    "upd_means": [
        "{s} [has|is holding|gathered] [a bottle of pills|all {his} pills|{his} meds] [and says"
        " {he}'ll take them all|]",
        "{s} [found|has] a [rope|belt|cord] and [is talking about|says] hanging {him}self",
    ],
    "upd_threats": [
        "{s} [now|is now] [saying|threatening] {he}['ll| will] [hurt|beat|kill] [{rp}|staff|"
        "the neighbor|everybody]",
        "{s} [just|now] threatened [{rp}|staff|the manager]",
    ],
    "upd_firearm": [
        "[{rp} advises|{rp} says|rp now says|{rp} just remembered] there [is|'s] a gun in the "
        "[house|car|bedroom]",
        "{s} [has|is carrying|now has] a [gun|pistol|handgun] [in {his} waistband|in {his} "
        "pocket|in {his} hand]",
    ],
    "upd_violence": [
        "{s} [just|] [hit|punched|slapped|pushed down and hit] [{rp}|a customer|staff|{his} "
        "mother]",
        "{s} [is now|started] [fighting|swinging on|hitting] [{rp}|staff|someone]",
    ],
    "upd_weapon_at_people": [
        "{s} [grabbed|now has|pulled] a [knife|bat|hammer] and is [waving it at|going after|"
        "coming at] [{rp}|staff|people]",
    ],
    "upd_crime": [
        "{s} [broke the window|kicked in the door|pried the back door] and [is inside|got in]",
    ],
    "upd_neutral": [
        "{s} [now|is now] [sitting on the curb|walking towards {street}|back inside|in the "
        "back yard|calmer|crying|laying down]",
        "[{rp} disconnected|line disconnected|{rp} hung up|call dropped]",
        "{rp} [says|advises] {s} [is calmer now|went to {his} room|is walking away]",
        "{s} [left|walked off] [toward|towards] {street}",
        "{rp} [will meet|is waiting for] [units|responders] [out front|at the door|in the "
        "lobby]",
        "{rp} [called back|cb], [same info|no changes|says {s} is still there]",
    ],
    "upd_put_down": ["{s} [put down|dropped|threw away|put away] the [knife|weapon|blade]",
                     "{s} [handed|gave] the knife to {rp}"],
    # ------------------------------------------------------------ sign-offs
    "tail": [
        "{rp} [wants|requests|is requesting] [someone to check on {him}|{him} removed|help|a "
        "mental health worker|someone to talk to {him}|an officer|{him} gone]",
        "{rp} [will meet|to meet] [units|officers|responders] [out front|at the door|in the "
        "lobby]",
        "[{rp} does not want contact|{rp} wants contact|call {rp} on arrival]",
        "[lka|last seen] {where}",
        "[no further info|nothing further]",
        "{rp} [is|was] [on the phone with|talking to] {s} [now|when calling]",
    ],
    "tail@cad": ["NFI", "RP REQ CONTACT", "RP WILL MEET", "CB IF NEEDED", "LKA {addr}",
                 "UNK DIR OF TRAVEL", "RP DISC", "ADV RESPONDERS", "NO CONTACT REQ",
                 "RP WANTS SUBJ GONE", "REQ CHECK", "RP ON SCENE", "PER RP", "REQ CIT"],
    # --------------------------------------------------- rambling asides
    "aside": [
        "{rp} is very [upset|emotional|hard to understand|calm actually|soft spoken]",
        "{rp} kept [repeating|going back to] [the same thing|that part|the same story]",
        "{rp} said this has happened [before|a couple of times|last month too]",
        "{rp} was [crying|out of breath|whispering|walking] on the phone",
        "[could hear|i could hear] [a tv|a dog barking|kids|yelling|music] in the background",
        "{rp} [is not sure|wasn't sure] [of the address|which unit|of the cross street]",
        "it's [raining|cold|really hot|dark] out",
        "{rp} [called earlier today|called last week about this too|has called before]",
        "{rp} [works nights|just got off work|is at work|is driving]",
        "{rp} didn't want to give [her|his] name",
        "{rp} is [the only one|alone] [home|there] with {s}",
        "{rp} [thinks|thought] [it might be drugs|it's a mental thing|something is off]",
        "{rp} kept [apologizing|saying sorry] for calling",
        "[language barrier|spanish speaking caller], [used the language line|hard to get "
        "details]",
    ],
}
