"""Reports the question-answering tests ask about (written for these tests, not copied)."""

REPORTS = {
    "hanoi-pact.txt": (
        "HANOI, March 5, 2019 -- Japan and Vietnam signed a maritime security agreement in 2019, extending "
        "their 2014 strategic partnership for another ten years. Bilateral trade between Japan and Vietnam "
        "reached $33.4 billion in 2018, according to the Vietnamese customs office. In 2016, Tokyo pledged "
        "$1.5 billion in development assistance to Hanoi. Vietnam accounts for more than 4 percent of "
        "Japan's imports.\n\n"
        "Foreign Minister Taro Kono said the two countries would hold annual security talks. Prime Minister "
        "Shinzo Abe first visited Hanoi in January 2013. The two leaders met again in Tokyo in May 2018, "
        "when they agreed to expand coast guard training."
    ),
    "ceasefire.txt": (
        "NEW DELHI, August 2, 1999 -- After weeks of fighting along the Line of Control, India accepted the "
        "truce on July 11 and Pakistan on July 12. The Security Council welcomed the truce. Pakistan "
        "withdrew its forces from the Kargil heights in July 1999."
    ),
    "sanctions.txt": (
        "GENEVA, June 9, 2010 -- The Security Council adopted Resolution 1929 in June 2010, imposing new "
        "sanctions on Iran over its nuclear programme. Brazil and Turkey voted against the resolution. Iran "
        "is not a member of the Nuclear Suppliers Group. \"Sanctions will not stop our programme,\" an "
        "Iranian spokesman told reporters."
    ),
    "border-trade.txt": (
        "SEOUL, April 2, 2021 -- Customs officers at the Yalu River crossing reported a steady flow of goods "
        "between Dandong and Sinuiju despite the sanctions. Western films like Titanic, Casablanca and "
        "Notting Hill were smuggled across the border on memory sticks. Vietnamese President Tran Dai Quang "
        "travelled to Pyongyang in October 2018. He had already been there in 2011, as minister of public "
        "security. Tokyo and Hanoi signed the maritime security agreement in 2019 after two years of talks."
    ),
    "succession.txt": (
        "LIBREVILLE, June 10, 2010 -- Omar Bongo, who ruled Gabon until his death in 2009, appointed his son "
        "Ali defence minister in 1999."
    ),
}
