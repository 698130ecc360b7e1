"""What happens in a call: the situation phrases of each scenario, fact by fact.

Each rule renders one fact and nothing more, so a scenario's facts (and so its label)
are exactly the union of the rules it uses. Heart rules never mention a weapon held,
a threat at a person or a blow; co-response rules add exactly one of those
(words of threat, a weapon or lethal means at hand, shoving or chasing, a violent
history, a commitment order); police rules add violence, a weapon turned on people,
any firearm, or a crime in progress.
"""

from __future__ import annotations

SITUATIONS: dict[str, list[str]] = {
    # ---------------------------------------------------------------- heart
    "delusion": [
        "{s} [is|has been] [seeing|hearing] [people|voices|things|shadows] that [aren't|are not] "
        "there",
        "{s} thinks [there are people|someone is|intruders are|men are] hiding [behind the "
        "lamp|in the walls|in the attic|under the house|in the vents|in the closet]",
        # Said as the subject sees it (RESPONSE-POLICY.md's "sees intruders behind her
        # lamp"), with nothing that says "thinks": the scene gives the delusion away.
        "{s} [says|states|reports|is calling because] [there are|{he} sees|{he} can see] "
        "[intruders|people|men|someone|a man] [hiding|living|watching {him}] [behind the "
        "lamp|in the walls|in the ceiling|in the vents|inside the tv|under the floor][, but "
        "nobody else is there|. no one else is in the home|. the doors are locked|]",
        "{s} [believes|is convinced|keeps saying] [the neighbors are watching {him}|the "
        "government is tracking {him}|{his} family is poisoning {his} food|there are cameras "
        "in the smoke detector|someone is living in the crawlspace|the tv is talking to {him}]",
        "{s} is [talking to|arguing with|yelling at] people who [aren't|are not] there",
        "{s} [says|keeps saying] [the devil is in the house|{he} is being followed|{his} phone "
        "is hacked|people are coming to get {him}|bugs are crawling under {his} skin]",
        "{s} [is|seems] [paranoid|delusional|psychotic|not making sense] and [pacing|"
        "rambling|whispering to {him}self|barricaded in {his} room|won't come out of {his} "
        "room]",
    ],
    "distress": [
        "{s} [is having|is in the middle of|is going through] a [panic attack|mental health "
        "crisis|breakdown|manic episode|bad episode]",
        "{s} [is crying|is screaming|has been crying|is sobbing] and [can't calm down|won't "
        "talk to anyone|is inconsolable|can't breathe right]",
        "{s} [is talking very fast|hasn't slept in days] and [is spending all {his} money|is "
        "making no sense|seems manic|is all over the place]",
        "{s} is [disoriented|confused|incoherent] and [doesn't know where {he} is|can't say "
        "what day it is|doesn't recognize {rp}]",
        "{s} [is|has been] [really|very|extremely] [anxious|depressed|agitated|overwhelmed] "
        "[today|since last night|all week]",
    ],
    "crisis_more": [
        "{s} [is off|stopped taking|ran out of|hasn't taken] {his} [meds|medication|psych meds]"
        "[ for [2|3|4|a few] [days|weeks]|]",
        "{s} [has|has a history of|was diagnosed with|has been treated for] [schizophrenia|"
        "bipolar|psychosis|ptsd|mental health issues|depression]",
        "{s} hasn't slept in [2|3|several] days",
        "{s} [was released|got out] from [the hospital|the psych unit|duke regional] "
        "[last week|recently|yesterday]",
        "{s} [is|seems] [scared|terrified|confused|very paranoid]",
    ],
    "public_odd": [
        "{s} is [dancing|standing|jumping up and down] on top of a parked car",
        "{s} is [taking off {his} clothes|undressing|naked|half naked] {where}",
        "{s} is [yelling|shouting|screaming] at [traffic|cars|the sky|nobody in particular] "
        "{where}",
        "{s} is [talking to {him}self|preaching|singing loudly|dancing] in the [median|"
        "intersection|middle of the road]",
        "{s} [keeps walking|is walking] in and out of traffic {where}",
        "{s} is [exposing {him}self|urinating|changing clothes] {where}",
    ],
    "public_more": [
        "{s} [is not bothering|isn't bothering|hasn't approached|is ignoring] [anyone|people]",
        "[people|customers|drivers] are [walking around {him}|staring|honking|avoiding {him}]",
        "{s} [seems|appears] [to be in crisis|out of it|confused|high on something]",
    ],
    "suicidal_talk": [
        "{s} [is|has been] [talking about|saying {he} wants to|thinking about] [killing {him}self"
        "|ending it|ending {his} life|not wanting to be here anymore|suicide]",
        "{s} [texted|told|called] [{rp}|a friend|{his} mom|{his} sister] [saying|that] [{he} "
        "wants to die|goodbye|{he} doesn't want to live anymore|{he} is done]",
        "{s} [is having|reports|is expressing] [thoughts of suicide|suicidal thoughts|si|"
        "thoughts of hurting {him}self]",
        "{s} said {he} [might|was going to|wants to] hurt {him}self",
        # The words of the means scenarios ("kill himself") also without means, so that
        # "kill" alone never decides co-response.
        "{s} [said|says|keeps saying|told {rp}|is yelling] {he} [wants to|is going to|will"
        "|might|is gonna] [kill {him}self|end {his} life|end it all]",
        "{s} [threatened|has been threatening|is threatening|keeps threatening] to [kill "
        "{him}self|end {his} life|commit suicide]",
        "{s} [posted|put] [something|a goodbye message] on [facebook|instagram|snapchat] "
        "about [killing {him}self|not being here tomorrow]",
    ],
    "suicidal_more": [
        "{s} [has no plan|doesn't have a plan|did not say how]",
        "{s} [lost {his} job|broke up with {his} partner|lost {his} mom recently|is being "
        "evicted|is going through a divorce]",
        "{s} [had|has] a [previous|prior] attempt [last year|years ago|in 2019]",
        "{s} [is alone|is by {him}self|lives alone] [right now|at the house|]",
        "{s} [wants|is asking for] [someone to talk to|help|to go to the hospital]",
    ],
    "welfare": [
        "{rp} [hasn't heard from|hasn't been able to reach|can't reach] {s} [in|for] [2|3|4|"
        "several|a few] days",
        "{s} [isn't|is not] answering the [door|phone|door or phone] and [mail|packages] "
        "[is|are] piling up",
        "{s} [is|appears] [confused|disoriented|lost] and [wandering|walking around] {where}",
        "{s} has been sitting {where} [for hours|all day|in the rain|in the cold]",
        "{s} is [slumped over|asleep|unresponsive|laying] [on a bench|at the bus stop|in a "
        "car|on the ground] {where}",
        "{s} [looks|seems] [sick|unwell|lost|cold] and [is talking to no one|won't answer "
        "questions|just staring]",
    ],
    "welfare_more": [
        "{s} [is elderly|has dementia|is diabetic|lives alone|has alzheimers|is 8[0|1|4|7]]",
        "[{his} car is in the driveway|the lights are on but no answer|{rp} can hear the tv "
        "on|the door is locked]",
        "{rp} [is out of state|lives out of town|is at work] and [can't check|asked us to "
        "check]",
    ],
    "homeless": [
        "{s} [is|has been] sleeping {where}",
        "there [is|are] [a tent|an encampment|a couple of tents|people camping] {where}",
        "{s} is panhandling {where}",
        "{s} is [asking|bothering] customers for [money|change|cigarettes|food]",
        "{s} [is loitering|has been hanging around|keeps coming back] {where} [all day|for "
        "hours|every night]",
        "{s} [set up|has] [a bed|blankets|a camp|a sleeping bag] {where}",
    ],
    "homeless_more": [
        "{s} [is homeless|appears to be homeless|is a regular|is known to staff]",
        "[customers are complaining|{rp} wants {him} moved along|{rp} wants {him} gone|it's "
        "bad for business]",
    ],
    "trespass": [
        "{s} [refuses|won't|will not] leave {where}",
        "{s} was [told|asked] to leave [multiple times|twice|several times] [and won't|but "
        "keeps coming back|and just sits there]",
        "{s} is [on the property|in the yard|in the back yard|on the porch] and [won't "
        "leave|refuses to go]",
        "{s} [has been trespassed before|was trespassed last week|is banned] and [is back|"
        "came back|came in again]",
    ],
    "trespass_more": [
        "{s} is [calm|quiet|just sitting there|not causing problems otherwise]",
        "{rp} wants {him} [removed|trespassed|gone|off the property]",
    ],
    "intox": [
        "{s} is [drunk|intoxicated|heavily intoxicated|wasted|hammered|very drunk] {where}",
        "{s} [is stumbling|can barely stand|keeps falling down] {where}",
        "{s} is passed out {where}",
        "{s} smells [strongly |]of [alcohol|etoh|booze] and [is slurring|can't stand up]",
        "{s} [appears|seems] [high|intoxicated|under the influence] {where}",
    ],
    "intox_more": [
        "{s} [is calm|is cooperative|isn't bothering anyone|is just sitting there]",
        "{s} [has|is drinking|is holding] [a bottle|a tall can|a beer]",
    ],
    "verbal": [
        "{rp} and {s} are [arguing|yelling at each other|having a loud argument]",
        "[loud|ongoing] [argument|verbal dispute] between {rp} and {s}",
        "{s} is [yelling|screaming|cursing] at {rp} [over money|about the rent|about the car|"
        "about chores|about the kids]",
        "{s} [refuses|won't] go to school and [is yelling|is locked in {his} room|is cursing "
        "at {rp}]",
        "{rp} [is|says she is|says he is] at [her|his|their] breaking point with {s}",
        "{s} is [blasting music|playing loud music|banging on the walls] and [yelling|won't "
        "turn it down]",
    ],
    "verbal_more": [
        "[it is|it's] [just|only] verbal",
        "this [happens|has happened] [all the time|every weekend|a lot|before]",
        "{rp} wants {s} to [leave|calm down|go to bed|talk to someone]",
    ],
    "property_aggression": [
        "{s} is [slamming|kicking|punching] [doors|the walls|the cabinets]",
        "{s} [threw|broke|smashed] [a cup|a plate|{his} phone|the tv remote|a lamp] "
        "[against the wall|on the floor]",
        "{s} [punched a hole in|kicked] the [wall|door]",
        "{s} is [throwing|breaking] [{his} own stuff|things|dishes] [in {his} room|in the "
        "kitchen]",
    ],
    "property_more": [
        "{s} is [mad|angry|upset] about [getting grounded|{his} phone being taken|money]",
        "{rp} [went|is] [outside|in another room] to [get away|let {him} cool off]",
    ],
    # ---------------------------------------------------------- co_response
    "verbal_threats": [
        "{s} [is saying|said|keeps saying] {he} [is going to|will|wants to] [kill|hurt|beat "
        "up|get] [{rp}|the neighbor|{his} mother|staff|everyone in the house|{his} brother]",
        "{s} [threatened|is threatening] to [hurt|kill|beat|fight] [{rp}|the neighbor|staff]",
        "{s} [told|texted] {rp} [{he}'ll|{he} is going to] [hurt|kill|beat] [her|him|them]",
        "{s} is [threatening|making threats to|yelling threats at] [staff|the neighbors|"
        "{rp}|people walking by]",
    ],
    "weapon_self": [
        "{s} [is holding|has|grabbed] [a kitchen knife|a knife|a box cutter|a razor blade|a "
        "pocket knife] and [says|is saying] {he} [will|wants to] [cut|hurt|kill] {him}self",
        "{s} [is cutting|has been cutting] {him}self with a [razor|knife|box cutter]",
        "{s} has a [knife|razor|box cutter] and [is threatening to use it on {him}self|"
        "says {he} will end it]",
    ],
    "weapon_carried": [
        "{s} [has|is carrying|is holding] a [knife|machete|bat|hammer] [but hasn't pointed it "
        "at anyone|at {his} side|in {his} hand]",
        "{s} [has|is holding] a [knife|pocket knife|box cutter] and [won't put it down|is "
        "pacing with it]",
    ],
    "means": [
        "{s} [has|has gathered|is holding|took out] [a bottle of pills|all {his} pills|a "
        "handful of pills|{his} meds] and says {he} [is going to take them all|wants to die|"
        "will overdose]",
        "{s} [has|tied|is holding] a [rope|belt|cord|extension cord] and [says|is talking "
        "about] [hanging {him}self|{he} wants to end it]",
        "{s} [is on|is standing on] the [overpass|bridge|parking deck] [railing|ledge] [saying"
        "|threatening] {he} [will|is going to] jump",
    ],
    "escalating": [
        "{s} [is getting|got|keeps getting] in [people's|customers'|staff's|{rp}'s] faces",
        "{s} [shoved|pushed|is shoving] [{rp}|a customer|staff|another patron]",
        "{s} is [chasing|following] [{rp}|people|kids|customers] [around|down the street|"
        "through the store]",
        "{s} [is|keeps] [getting up close|squaring up|puffing up] to [people|staff|{rp}]",
        "{s} is [balling {his} fists|posturing] and [getting closer|advancing] [toward|"
        "towards] [{rp}|staff]",
    ],
    "violent_history": [
        "{s} [has|has a history of|is known for] [being violent|assaulting officers|fighting"
        "] [on prior calls|with police|in the past]",
        "[prior|previous] calls [at this address|with {s}] [involved|were for] [assault on "
        "officers|violence|fighting]",
        "[caution|premise] [history|flag] [on|for] {s}: [assaultive|violent|fought officers] "
        "[previously|last year|in 2024]",
    ],
    "ivc": [
        "[{rp} has|there are] [ivc|commitment|involuntary commitment] papers [for|on] {s}",
        "{rp} [got|obtained] [an ivc|a petition|an order] [from the magistrate|from the court]"
        " [for|to commit] {s}",
        "[magistrate|court] [issued|signed] [an ivc order|a commitment order] for {s}",
    ],
    # --------------------------------------------------------------- police
    "assault": [
        "{s} [punched|hit|slapped|attacked|jumped|kicked] [{rp}|a customer|another man|a "
        "woman|staff|{his} brother|the clerk]",
        "[two|several|a group of] [men|people|females|juveniles] [are fighting|fighting|are "
        "in a fight|are throwing punches] {where}",
        "{s} [is assaulting|is beating|is hitting|is punching] [someone|a man|a woman|{rp}]",
        "{s} [just assaulted|attacked|put hands on] [{rp}|staff|a security guard]",
    ],
    "domestic_violence": [
        "{s} [hit|punched|choked|slapped|pushed {rp} down and kicked] [{rp}|her|him]",
        "{s} [is hitting|is beating|is choking|keeps hitting] {rp}",
        "[can hear|hear] [hitting|screaming and hitting|sounds of a struggle] in the "
        "background",
        "{s} [grabbed|dragged] {rp} by the [hair|arm|neck] and [hit|slapped] [her|him]",
    ],
    "weapon_at_people": [
        "{s} [is waving|pulled|pointed|is swinging] a [knife|machete|bat|baseball bat|hammer|"
        "broken bottle|box cutter|crowbar] at [{rp}|people|staff|customers|{his} mother|the "
        "neighbor]",
        "{s} [came at|chased] [{rp}|staff|a customer] with a [knife|bat|hammer|machete]",
        "{s} is threatening [{rp}|staff|people] with a [knife|bat|screwdriver|broken bottle]",
    ],
    "firearm_present": [
        "{s} [has|has access to|keeps] a [gun|handgun|pistol|rifle|shotgun] [in the house|in "
        "{his} room|in the car|in {his} waistband]",
        "[there are|there's a] [gun|guns|firearms|rifle] in the [house|home|residence]",
        "{s} [is showing|flashed|has] a [gun|pistol|handgun] [in {his} waistband|on {his} "
        "hip|in {his} hand]",
        "{s} [is holding|has] a [gun|handgun|pistol] and said {he} would shoot {him}self",
    ],
    "shots": [
        "[{rp}|rp] heard [shots|gunshots|several shots|[2|3|4|5] shots] {where}",
        "[shots fired|multiple shots fired] {where}",
        "[someone|a male|{s}] [fired|shot] [a gun|shots|rounds] [in the air|at a car|at the "
        "house|into the ground]",
    ],
    "crime": [
        "{s} [is breaking into|broke into|is trying to get into] [a house|the neighbor's "
        "house|a car|cars|the back door|{rp}'s shed|the store]",
        "[someone|a male|2 males] [kicked in|broke|smashed] [the door|a window|the back door] "
        "and [is|are] [inside|in the house] [now|]",
        "{s} [just robbed|is robbing|stole from] [the store|a customer|{rp}]",
        "{s} [is stealing|just stole|is taking] [a bike|packages|catalytic converters|"
        "merchandise] {where}",
        "{s} is [spray painting|breaking windows on|smashing] [cars|the building|a car] "
        "{where} [now|right now|]",
    ],
    "breakin": [
        "{s} [broke|pried open|climbed through] [a window|the back door|the lock] and [is "
        "inside|got inside|went in]",
    ],
    "impaired_crash": [
        "[a|the] [driver|vehicle|truck] [hit|crashed into|rear ended|sideswiped] [a parked "
        "car|a pole|another car|{rp}'s car] and the driver [appears drunk|is stumbling|"
        "smells of alcohol|is slurring]",
        "[vehicle|driver] [ran off the road|hit a mailbox|crashed] and [the driver|{s}] "
        "[fled on foot|is trying to drive off|took off]",
    ],
    "swinging": [
        "{s} is swinging at [people|customers|staff|{rp}|anyone who gets close]",
        "{s} [took a swing at|swung at|punched] [{rp}|a customer|staff|the bartender]",
    ],
    # -------------------------------------------------------- neutral extras
    "injured": [
        "{s} [has a cut on {his} head|fell earlier|is bleeding from {his} hand|has a bloody "
        "knee|hit {his} head when {he} fell]",
    ],
    "injured_victim": [
        "[{rp}|the victim] [has a bloody nose|is bleeding|has a cut above the eye|is hurt|"
        "has a swollen lip]",
    ],
    "drinking": [
        "{s} [has been drinking|is drunk|smells of etoh|is intoxicated|has been drinking all "
        "day]",
    ],
}
