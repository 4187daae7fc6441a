#!/usr/bin/env python3
"""Builds the labelled PII test sets (pii-*.jsonl) used by PolicyDetectorQualityTest.

Texts come from hand-written templates in several registers (support chat, e-mail, forms,
logs, JSON/CSV, SMS) filled with generated values; hard negatives are hand-written look-alikes
(dates, versions, order numbers, handles, invalid check digits...). Every PII value in a text is
labelled with its type and offsets, whatever file it is in. Each line also carries a split:
"dev" (looked at while building detectors) or "holdout" (only its figures were looked at).
Deterministic: python3 make_pii_sets.py regenerates the same files.
"""
import json, random, string

R = random.Random(20261127)

FIRST = ["jane", "john", "maria", "wei", "aisha", "carlos", "olga", "liam", "sofia", "ahmed", "yuki", "priya",
         "lucas", "emma", "noah", "fatima", "mateo", "chloe", "arjun", "zoe", "kofi", "ingrid", "diego", "hana"]
LAST = ["doe", "smith", "garcia", "chen", "khan", "silva", "ivanova", "murphy", "rossi", "haddad", "tanaka",
        "patel", "martin", "brown", "wilson", "okafor", "larsen", "lopez", "kim", "nguyen", "schmidt", "dubois"]
CITIES = ["Austin", "Leeds", "Lyon", "Munich", "Pune", "Osaka", "Denver", "Porto", "Cork", "Utrecht"]


def cap(s):
    return s[:1].upper() + s[1:]


def name():
    return cap(R.choice(FIRST)) + " " + cap(R.choice(LAST))


# ---------------------------------------------------------------- values
DOMAINS = ["example.com", "gmail.com", "outlook.com", "yahoo.co.uk", "acme-corp.io", "mail.cs.stanford.edu",
           "company.org", "startup.dev", "hotmail.fr", "web.de", "protonmail.ch", "uni-heidelberg.de",
           "health.gov.au", "shop.example.net", "consulting.agency", "posteo.de", "icloud.com", "fastmail.fm"]


def email():
    f, l = R.choice(FIRST), R.choice(LAST)
    local = R.choice([f + "." + l, f[0] + l, f + "_" + l, f + "+orders", f + "." + l + str(R.randint(1, 99)),
                      f + l[0], "support", "billing", "noreply", f + "-" + l, (f + "." + l).upper(), f])
    dom = R.choice(DOMAINS)
    e = local + "@" + dom
    return e.upper() if R.random() < 0.05 else e


def email_special():
    return R.choice(["josé.garcía@empresa.es", "müller@beispiel.de", "o'brien@example.ie", "first.last@sub.domain.co.nz",
                     "x@y.io", "a.b.c.d@example.museum", "user%relay@example.org", "kim-lee@my-company.technology"])


def nanp_number():
    area = R.choice(["212", "415", "646", "312", "617", "206", "303", "512", "713", "305", "404", "702", "416", "604",
                     "718", "773", "929", "202", "480", "615"])
    exch = str(R.randint(2, 9)) + str(R.randint(0, 9)) + str(R.randint(0, 9))
    if exch[1:] == "11":
        exch = exch[0] + "23"
    line = "%04d" % R.randint(0, 9999)
    return area, exch, line


def phone_us():
    a, e, l = nanp_number()
    fmt = R.choice(["({a}) {e}-{l}", "{a}-{e}-{l}", "{a}.{e}.{l}", "{a} {e} {l}", "+1 {a} {e} {l}", "+1-{a}-{e}-{l}",
                    "1-{a}-{e}-{l}", "+1 ({a}) {e}-{l}", "{a}{e}{l}", "+1{a}{e}{l}", "({a}){e}-{l}"])
    return fmt.format(a=a, e=e, l=l)


def digits(n):
    return "".join(R.choice(string.digits) for _ in range(n))


def phone_intl():
    """International numbers in formats people write, by country numbering plan."""
    c = R.choice(["gb_geo", "gb_mob", "de_geo", "de_mob", "fr", "es", "it", "nl", "in", "au", "jp", "br", "mx", "cn",
                  "za", "sg", "ie", "ch", "se", "pl"])
    d = R.randint
    return {
        "gb_geo": lambda: "+44 20 7946 0%03d" % d(0, 999),
        "gb_mob": lambda: "+44 7700 900%03d" % d(0, 999),
        "de_geo": lambda: "+49 30 %s" % digits(8),
        "de_mob": lambda: "+49 151 %s" % digits(8),
        "fr": lambda: "+33 %d %02d %02d %02d %02d" % (R.choice([1, 6, 7]), d(10, 99), d(0, 99), d(0, 99), d(0, 99)),
        "es": lambda: "+34 6%02d %02d %02d %02d" % (d(10, 99), d(0, 99), d(0, 99), d(0, 99)),
        "it": lambda: "+39 3%02d %03d %04d" % (d(20, 49), d(0, 999), d(0, 9999)),
        "nl": lambda: "+31 6 %s" % digits(8),
        "in": lambda: "+91 9%04d %05d" % (d(0, 9999), d(0, 99999)),
        "au": lambda: "+61 4%02d %03d %03d" % (d(0, 99), d(0, 999), d(0, 999)),
        "jp": lambda: "+81 90-%04d-%04d" % (d(1000, 9999), d(0, 9999)),
        "br": lambda: "+55 11 9%04d-%04d" % (d(1000, 9999), d(0, 9999)),
        "mx": lambda: "+52 55 %04d %04d" % (d(1000, 9999), d(0, 9999)),
        "cn": lambda: "+86 13%d %04d %04d" % (d(0, 9), d(0, 9999), d(0, 9999)),
        "za": lambda: "+27 82 %03d %04d" % (d(0, 999), d(0, 9999)),
        "sg": lambda: "+65 9%03d %04d" % (d(0, 999), d(0, 9999)),
        "ie": lambda: "+353 85 %03d %04d" % (d(0, 999), d(0, 9999)),
        "ch": lambda: "+41 79 %03d %02d %02d" % (d(0, 999), d(0, 99), d(0, 99)),
        "se": lambda: "+46 70 %03d %02d %02d" % (d(0, 999), d(0, 99), d(0, 99)),
        "pl": lambda: "+48 5%02d %03d %03d" % (d(0, 99), d(0, 999), d(0, 999)),
    }[c]()


def phone_national():
    """National forms for the regions the evaluation enables (US, GB, DE, FR, IN)."""
    c = R.choice(["gb", "gb_mob", "de", "de_mob", "fr", "fr_mob", "in"])
    d = R.randint
    return {
        "gb": lambda: "020 7946 0%03d" % d(0, 999),
        "gb_mob": lambda: "07700 900%03d" % d(0, 999),
        "de": lambda: "030 %s" % digits(8),
        "de_mob": lambda: "0151 %s" % digits(8),
        "fr": lambda: "01 %02d %02d %02d %02d" % (d(10, 99), d(0, 99), d(0, 99), d(0, 99)),
        "fr_mob": lambda: "06 %02d %02d %02d %02d" % (d(10, 99), d(0, 99), d(0, 99), d(0, 99)),
        "in": lambda: "098765 %05d" % d(0, 99999),
    }[c]()


def luhn_complete(prefix, length):
    body = prefix + "".join(R.choice(string.digits) for _ in range(length - len(prefix) - 1))
    total = 0
    for i, ch in enumerate(reversed(body)):
        v = int(ch)
        if i % 2 == 0:
            v *= 2
            if v > 9:
                v -= 9
        total += v
    return body + str((10 - total % 10) % 10)


def luhn_ok(num):
    total = 0
    for i, ch in enumerate(reversed(num)):
        v = int(ch)
        if i % 2 == 1:
            v *= 2
            if v > 9:
                v -= 9
        total += v
    return total % 10 == 0


def card_number():
    brand = R.choice(["visa", "visa", "mc", "mc2", "amex", "disc", "jcb", "diners", "unionpay", "maestro"])
    pan = {
        "visa": lambda: luhn_complete("4" + digits(5), 16),
        "mc": lambda: luhn_complete(str(R.randint(51, 55)) + digits(4), 16),
        "mc2": lambda: luhn_complete(str(R.randint(2221, 2720)) + digits(2), 16),
        "amex": lambda: luhn_complete(R.choice(["34", "37"]) + digits(4), 15),
        "disc": lambda: luhn_complete(R.choice(["6011", "65" + digits(2)]) + digits(2), 16),
        "jcb": lambda: luhn_complete(str(R.randint(3528, 3589)) + digits(2), 16),
        "diners": lambda: luhn_complete(R.choice(["36", "38", "300", "305"]) + digits(3), 14),
        "unionpay": lambda: luhn_complete("62" + digits(4), 16),
        "maestro": lambda: luhn_complete(R.choice(["6759", "5018", "6304"]) + digits(2), R.choice([16, 19])),
    }[brand]()
    return fmt_card(pan)


TEST_CARDS = ["4242424242424242", "4000056655665556", "5555555555554444", "2223003122003222", "5200828282828210",
              "378282246310005", "371449635398431", "6011111111111117", "6011000990139424", "3056930009020004",
              "36227206271667", "3566002020360505", "6200000000000005", "4111111111111111", "5105105105105100"]


def fmt_card(pan):
    n = len(pan)
    style = R.random()
    if style < 0.35:
        return pan
    sep = R.choice([" ", "-"])
    if n == 15:
        return pan[:4] + sep + pan[4:10] + sep + pan[10:]
    if n == 14:
        return pan[:4] + sep + pan[4:10] + sep + pan[10:]
    groups = [pan[i:i + 4] for i in range(0, n, 4)]
    return sep.join(groups)


def ssn():
    while True:
        a = R.randint(1, 899)
        if a != 666:
            break
    g, s = R.randint(1, 99), R.randint(1, 9999)
    sep = R.choice(["-", "-", "-", " "])
    return "%03d%s%02d%s%04d" % (a, sep, g, sep, s)


IBAN_FORMATS = {  # country: list of (kind, length); n = digits, a = upper letters, c = alphanumeric
    "DE": [("n", 8), ("n", 10)], "GB": [("a", 4), ("n", 6), ("n", 8)], "FR": [("n", 5), ("n", 5), ("n", 11), ("n", 2)],
    "ES": [("n", 4), ("n", 4), ("n", 1), ("n", 1), ("n", 10)], "IT": [("a", 1), ("n", 5), ("n", 5), ("n", 12)],
    "NL": [("a", 4), ("n", 10)], "BE": [("n", 3), ("n", 7), ("n", 2)], "CH": [("n", 5), ("n", 12)],
    "AT": [("n", 5), ("n", 11)], "PL": [("n", 8), ("n", 16)], "SE": [("n", 3), ("n", 16), ("n", 1)],
    "DK": [("n", 4), ("n", 9), ("n", 1)], "FI": [("n", 3), ("n", 11)], "IE": [("a", 4), ("n", 6), ("n", 8)],
    "PT": [("n", 4), ("n", 4), ("n", 11), ("n", 2)], "NO": [("n", 4), ("n", 6), ("n", 1)], "LU": [("n", 3), ("n", 13)],
    "SA": [("n", 2), ("n", 18)], "AE": [("n", 3), ("n", 16)], "TR": [("n", 5), ("n", 1), ("n", 16)],
}
BANKS = {"GB": ["NWBK", "BARC", "HBUK", "MIDL", "LOYD"], "IE": ["AIBK", "BOFI"], "NL": ["ABNA", "INGB", "RABO"]}


def iban_check(country, bban):
    s = bban + country + "00"
    num = "".join(str(int(ch, 36)) for ch in s)
    return "%02d" % (98 - int(num) % 97)


def iban_raw():
    country = R.choice(list(IBAN_FORMATS))
    parts = []
    for kind, n in IBAN_FORMATS[country]:
        if kind == "a" and country in BANKS and n == 4:
            parts.append(R.choice(BANKS[country]))
        elif kind == "a":
            parts.append("".join(R.choice(string.ascii_uppercase) for _ in range(n)))
        else:
            parts.append(digits(n))
    bban = "".join(parts)
    return country + iban_check(country, bban) + bban


def print_iban(raw):
    if R.random() < 0.55:
        return " ".join(raw[i:i + 4] for i in range(0, len(raw), 4))
    return raw


def ipv4(public=None):
    kind = R.choice(["private10", "private192", "private172", "public", "public", "doc"])
    return {
        "private10": lambda: "10.%d.%d.%d" % (R.randint(0, 255), R.randint(0, 255), R.randint(1, 254)),
        "private192": lambda: "192.168.%d.%d" % (R.randint(0, 255), R.randint(1, 254)),
        "private172": lambda: "172.%d.%d.%d" % (R.randint(16, 31), R.randint(0, 255), R.randint(1, 254)),
        "public": lambda: "%d.%d.%d.%d" % (R.randint(11, 223), R.randint(0, 255), R.randint(0, 255), R.randint(1, 254)),
        "doc": lambda: R.choice(["203.0.113.%d", "198.51.100.%d", "192.0.2.%d"]) % R.randint(1, 254),
    }[kind]()


def ipv6():
    h = lambda: "%x" % R.randint(0, 0xffff)
    return R.choice([
        lambda: "2001:db8::%s:%s" % (h(), h()),
        lambda: "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
        lambda: "fe80::%s:%s:%s:%s" % (h(), h(), h(), h()),
        lambda: "::1",
        lambda: "2606:4700:4700::1111",
        lambda: ":".join(h() for _ in range(8)),
        lambda: "::ffff:192.0.2.%d" % R.randint(1, 254),
        lambda: "2a00:1450:4001:82%d::200e" % R.randint(0, 9),
        lambda: "fd12:3456:789a:1::%d" % R.randint(1, 99),
    ])()


# ---------------------------------------------------------------- templates
# {X:type} = labelled value of that type; {name} {city} {num} plain fillers.
POS = {
    "email": [
        "Hi, it's {name}. Please send the invoice to {X} by Friday.",
        "You can reach our support team at {X} — we answer within 24 hours.",
        "From: {name} <{X}>\nSubject: Re: refund for order 4471",
        "mailto:{X}",
        "{{\"customer\": \"{name}\", \"email\": \"{X}\", \"plan\": \"pro\"}}",
        "id,name,email\n1042,{name},{X}",
        "I changed my login email to {X}, the old one is closed.",
        "cc {X} on the next update please",
        "My email is {X}",
        "2024-05-02T10:14:03Z INFO login succeeded user={X} ip=hidden",
        "Contact: {X} | Phone on request",
        "Write to {X} if the link doesn't work.",
        "— {name}\nHead of Partnerships\n{X}",
        "Can you unsubscribe {X} from the newsletter?",
        "Forwarding this to {X} and {X} for review.",
        "'{X}' is already registered, try logging in instead.",
        "Reply-To: {X}",
        "the applicant ({X}) asked about the visa timeline",
        "pls email me at {X} thx",
        "Email: {X}\nDepartment: {city} office",
    ],
    "phone": [
        "Call me at {X} after 5pm.",
        "Our {city} office: {X}",
        "Tel. {X} (mobile)",
        "You can text {X} anytime, it's my cell.",
        "{{\"name\": \"{name}\", \"phone\": \"{X}\"}}",
        "name,phone\n{name},{X}",
        "If you have questions, ring {X} or reply to this SMS.",
        "Phone: {X}\nFax: {X}",
        "my number changed to {X}",
        "Please confirm the appointment by calling {X}.",
        "Emergency contact: {name}, {X}",
        "whatsapp me on {X}",
        "Reach the front desk on {X} between 9 and 5.",
        "The caller ID showed {X} twice this morning.",
        "Customer wants a callback at {X}, says it's urgent.",
        "Hotline {X} (24/7)",
        "{name} ({X}) is the on-call engineer this week.",
        "number is {X} ok?",
    ],
    "credit_card": [
        "My card number is {X}, expiry 08/27.",
        "Please charge {X} for the deposit.",
        "card: {X} cvv on request",
        "{{\"pan\": \"{X}\", \"exp\": \"11/26\"}}",
        "I used the card {X} but the payment failed.",
        "Refund to {X} please, not to my bank account.",
        "cc# {X}",
        "Test with {X} in the sandbox.",
        "The customer read out {X} over the phone.",
        "Visa {X} exp 03/28",
        "number {X} and the name on the card is {name}",
        "Card ending differently? No — the full number is {X}.",
        "Payment method updated to {X}.",
    ],
    "ssn": [
        "SSN: {X}",
        "My social security number is {X}.",
        "Applicant SSN {X}, DOB 04/12/1988",
        "{{\"ssn\": \"{X}\", \"state\": \"TX\"}}",
        "Please verify {X} against the W-2.",
        "employee,ssn\n{name},{X}",
        "The form lists {X} as the taxpayer's number.",
        "ssn is {X}",
        "Social Security No. {X} — keep confidential",
        "I think my SSN {X} was used for a fraudulent loan.",
    ],
    "iban": [
        "Please transfer the amount to IBAN {X} by the 15th.",
        "IBAN: {X}\nBIC: DEUTDEFF",
        "Bankverbindung: {X}",
        "Send the refund to {X} (account holder {name}).",
        "{{\"iban\": \"{X}\", \"currency\": \"EUR\"}}",
        "Our new account is {X}, the old one closes next month.",
        "Virement sur le compte {X} svp.",
        "pay to {X} ref INV-2291",
        "beneficiary,iban\n{name},{X}",
        "My IBAN changed: {X}",
    ],
    "ip_address": [
        "Login from {X} was blocked after 5 failed attempts.",
        "Set the DNS server to {X}.",
        "curl http://{X}/health returned 503",
        "2024-03-01 12:00:01 GET /admin 403 client={X}",
        "{{\"remote_addr\": \"{X}\", \"status\": 200}}",
        "allow from {X}",
        "My home IP is {X}, can you whitelist it?",
        "ssh admin@{X} -p 2222",
        "The server at {X} stopped responding.",
        "Traceroute hop 4: {X} (12 ms)",
        "X-Forwarded-For: {X}",
        "Ping {X} to check the VPN tunnel.",
        "listen [{X}]:443 ssl;",
    ],
}

NEG = {
    "email": [
        "Follow me @jane_doe on Twitter or @janedoe.bsky.social.",
        "Use @Override on the method and @Deprecated on the old one.",
        "npm install lodash@4.17.21 react@18.2.0",
        "Replace logo@2x.png and icon@3x.png in the assets folder.",
        "Send it to root@localhost for testing.",
        "Email me when you're back, my address is in the CRM.",
        "Meet @ 5pm at the usual place.",
        "Apples @ $1.20/lb, pears @ $1.80/lb.",
        "@media screen and (max-width: 600px) {{ body {{ font-size: 14px; }} }}",
        "from dataclasses import dataclass\n@dataclass\nclass User: pass",
        "result = weights @ inputs + bias",
        "Please enter a valid e-mail like name@domain in the field.",
        "The username is admin and the password is in the vault.",
        "Tag @support in the channel if it's urgent.",
        "see commit a1b2c3d@main for details",
        "Contact us using the form on our website.",
        "user@host:~$ ls -la",
        "Order #5512 shipped @ 14:05 via DHL.",
        "The team @ {city} is hiring.",
        "pip install requests==2.31.0 && docker pull nginx@sha256:abc123",
    ],
    "phone": [
        "The meeting moved to 2024-03-15 at 14:30.",
        "Invoice INV-2024-000123 is due on 03/15/2024.",
        "Order #4839201 ships tomorrow.",
        "The total is $1,299.99 plus tax.",
        "ZIP 94105-1234, Suite 300",
        "ISBN 978-0-306-40615-7",
        "Tracking number 1Z999AA10123456784",
        "Population in 2020: 8,336,817",
        "Coordinates 37.7749, -122.4194",
        "Version 10.0.19045.3693 installed.",
        "Served from 1998-2004 and again 2010-2016.",
        "Account 000123456789 was reconciled.",
        "The score was 21-14 at halftime.",
        "Flight UA 1234 departs at 06:45 from gate B12.",
        "Room 1204, building 5, floor 12",
        "pi is about 3.14159265358979",
        "Serial: SN-4471-2290-118",
        "Batch 20240315 of 5000 units",
        "Dimensions: 120 x 80 x 45 cm, 12.5 kg",
        "Reference 2024/03/15-0042",
        "Timestamp 1700000000 (Unix seconds)",
        "Part no. 12-3456-789",
        "Call us on our toll-free line, listed on the website.",
        "Temperatures ranged from -12 to 35 degrees.",
    ],
    "credit_card": [
        "Card ending in 4242 was declined.",
        "Order number 4532 7719 3361 8826 could not be found.",
        "Tracking: 9400 1000 0000 0000 0000 00",
        "IMEI 490154203237518 is blacklisted.",
        "Timestamp 1700000000000 in milliseconds",
        "Reference 1234 5678 9012 3456 is a placeholder.",
        "Gift card code 6035 1234 5678 9012 3",
        "Ticket 0123456789012345 was closed.",
        "Member ID 3312 4456 7788 9900",
        "Routing 021000021, account 123456789012",
        "The numbers 4111 and 1111 appear on the form.",
        "Use the last four digits (8431) to confirm.",
        "GUID 3f2504e0-4f89-11d3-9a0c-0305e82c3301",
        "Barcode 5901234123457 on the package",
        "Shipment 7489 2233 1190 0045 arrived damaged.",
        "Lot 2024-0315-7781-2200 recalled",
    ],
    "ssn": [
        "Is 555-12-3456 a phone number? No, wrong format.",
        "ITIN 912-70-1234 was issued last year.",
        "Sample SSN 000-12-3456 is invalid.",
        "Zip 94105-1234 and area code 415",
        "Date 2023-01-15 and 15-01-2023",
        "The number 987-65-4320 appears in ads.",
        "Part 12-345-6789 is out of stock.",
        "Order 123456789 confirmed.",
        "Phone <<phone:415-555-0199>> (office)",
        "Employee ID 123-456",
        "Score 666-12-3456 rejected.",
        "Code 123-00-4567 is not valid either.",
        "Ref 123-45-0000",
        "Flight 901-23-4567? no, that's a locator",
    ],
    "iban": [
        "BIC/SWIFT: DEUTDEFF500",
        "VAT ID DE123456789",
        "UK sort code 20-00-00, account 12345678",
        "Postcode SW1A 1AA, London",
        "Product key AB12 CD34 EF56 GH78 IJ90",
        "The IBAN DE89 3704 0044 0532 0130 01 has a typo (check digits fail).",
        "License plate B MW 1234",
        "Account number 0532013000 at bank code 37040044",
        "ISIN US0378331005",
        "Model GB42 XYZ9 ABC1 2345 6789",
        "Container MSCU 123456 7",
        "Order reference <<iban:FR7630006000011234567890189>> was pasted into the wrong field",
    ],
    "ip_address": [
        "Upgrade to version 1.2.3.4 of the agent.",
        "Chrome 120.0.6099.109 is out.",
        "Windows build 10.0.19045.3693",
        "See section 3.2.1 of the spec.",
        "OID 1.3.6.1.4.1.311.21.20",
        "The meeting is at 12:30:45.",
        "MAC 00:1A:2B:3C:4D:5E on eth0",
        "use std::string and std::vector",
        "Aspect ratio 16:9 or 4:3",
        "Address 256.1.1.1 is not valid.",
        "Subnet 192.168.1 (partial)",
        "John 3:16 and Psalm 23:1",
        "Dates: 15.03.2024 and 01.04.2024",
        "Price went from 1.25 to 1.50 to 2.75",
        "Foo::Bar::baz() is deprecated",
        "Score 3:2 after extra time",
        "Python 3.11.7 and pip 23.3.1",
        "Coordinates 48.8566, 2.3522",
    ],
}


NEG_MORE = {
    "email": [
        "My handle is jane.doe on most sites.",
        "The decorator @app.route('/users') maps the URL.",
        "Price per seat: 12 @ 9.99 = 119.88",
        "@everyone the deploy is done",
        "Email addresses must contain an at sign and a domain.",
        "The Slack channel is #support, ping @oncall.",
        "git clone git@github.com:acme/widgets.git",
        "Send feedback via the in-app chat.",
        "Address the letter to {name}, 12 Main St, {city}.",
        "Regex for emails: ^[^@\\s]+@[^@\\s]+$",
        "I'm @ the office until 6.",
        "Use the alias 'billing' in the ticket system.",
        "spring.mail.host=smtp.example.com",
        "Docker image postgres@sha256:9f8e7d",
        "He wrote 'at' instead of '@' so the form failed.",
        "Find us at example.com/contact",
        "@param userId the id of the user",
        "@@ -12,7 +12,9 @@ def main():",
        "The twitter account @{city}Weather posts daily.",
        "Please don't share your email in the public forum.",
        "Version tag v2.3.1@stable",
        "a@b is not an address",
        "Our domain is acme-corp.io and the CEO is {name}.",
        "Copyright (c) 2024 Example Inc.",
        "Ask {name} about the rollout at 3pm.",
        "The at-sign (@) is also called the commercial at.",
        "Use the format first.last for usernames.",
        "{name}'s presentation @ the summit was great",
        "Meeting notes: budget @ 80%, timeline @ risk",
        "ssh deploy@10 won't work, use the bastion",
    ],
    "phone": [
        "The package weighs 2.5 kg and costs 49.90 EUR.",
        "Patch 2024-06 fixes CVE-2024-3094.",
        "Call the number on the back of your card.",
        "Between 09:00-17:00 Monday to Friday.",
        "Model XPS-9530-1234 is back in stock.",
        "Meeting ID: 843 2910 7781 (Zoom)",
        "The year range 1990-1999 saw big changes.",
        "We shipped 12,345 orders and 6,789 returns.",
        "Latitude 51.5072, longitude -0.1276",
        "Case 2023-CV-04512 was dismissed.",
        "Customer number 88123 has 3 open tickets.",
        "Listing 4 bedrooms, 2.5 baths, 2,150 sqft",
        "Invoice 100234 / PO 778812",
        "Build 20240315.1 passed all 1423 tests.",
        "Bus lines 12, 34 and 56 stop here.",
        "Step 1: 250 g flour, 2 eggs, 125 ml milk",
        "Lottery numbers 4 8 15 16 23 42",
        "The vote was 218-212 in the House.",
        "Error code 0x80070005 at offset 1024",
        "Checksum 3f9a1c2b, size 10485760 bytes",
        "Ticket SR-2024-118832 updated",
        "Read chapters 12-18 by Thursday.",
        "Rate limit: 100 requests per 60 seconds",
        "Postcode 10115 Berlin, Germany",
        "Deadline: 31.12.2024",
        "Unit price 0.0123 USD for 10000 tokens",
        "Student ID 2021-58813",
        "AWS account 123456789012 in us-east-1",
        "The range is 2,000-3,500 words.",
        "RGB values 255 128 64 and 12 34 56",
    ],
    "credit_card": [
        "Account 12345678 sort code 20-00-00",
        "Phone <<phone:+1 415 555 2671>> for card services",
        "Invoice total 1 234 567 890 123 456 won",
        "The order id is 20240315123456789",
        "Loyalty number 9876 5432 1098 7654",
        "Customer ID 5500 0000 0000 0001 was merged",
        "ISBN 9780306406157 and EAN 4006381333931",
        "Card number: (ask the customer to read it out)",
        "Last 4: 1111, exp 12/25",
        "Bank account 0532013000, BLZ 37040044",
        "Phone numbers <<phone:555 0100>> and <<phone:555 0199>>",
        "Dial <<phone:1 800 555 0100>> for help",
        "Fax <<phone:0044 20 7946 0958>>",
        "Your PIN is not 1234 5678.",
        "Series 1111 2222 3333 4444 5555 in the report",
        "Amount: 4,111,111.11 USD",
        "IBAN <<iban:GB82 WEST 1234 5698 7654 32>>",
        "Passport 533 380 006",
        "Policy number 7000 1234 5678",
        "Reference 0000 0000 0000 0000",
    ],
    "ssn": [
        "Call <<phone:212-555-0143>> for appointments.",
        "The ZIP+4 code is 10001-2345.",
        "Invoice 2024-03-1234 is overdue.",
        "Version 123-45 of the firmware",
        "Route 66 and Interstate 405",
        "Order 555-1234567 shipped.",
        "Bates number 001-23-45678",
        "Serial 12-345-6789-0",
        "Badge 45 67 8901 is lost",
        "Locker 12-34-56",
        "Time 12:45:30 and date 12-04-2023",
        "Model 900-12-3456 (discontinued)",
        "ISBN 0-306-40615-2",
        "Case number 2024-45-6789-CV",
        "Policy 123 45 678",
        "The combination is 12-34-5678? No, it's 4 digits.",
        "Phone <<phone:(415) 555-2671>>",
        "Card <<credit_card:4111 1111 1111 1111>>",
        "Account 12345678901",
        "The SSN field was left blank.",
        "Enter your SSN in the secure form, not in chat.",
        "Social security benefits rose 3.2% in 2024.",
    ],
    "iban": [
        "Swift code BNPAFRPPXXX",
        "UK company number 09446231",
        "EORI GB123456789000",
        "Flight LH 2024 departs at 10:15",
        "Postal code M5V 3L9 in Toronto",
        "Serial DE1234ABCD5678EFGH",
        "Tax number 12/345/67890",
        "Reference RF18 5390 0754 7034",
        "Tracking JD014600006281927143",
        "Routing number 021000021",
        "Order id NL2024-000451",
        "The IBAN field is required for SEPA payments.",
        "Ask {name} for the bank details, don't post them here.",
        "Product code FR20 1234 ABCD",
        "Registration GB-2024-0001-XYZ",
        "Vehicle ID WVWZZZ1JZXW000001",
        "Part SE12-3456-7890-1234",
        "Voucher ES91 2100 0418 4502 0005 1333 0",
        "Hash DE89A7C3F1E2D4B6C8A0E2F4",
        "Invoice BE-2024-0042 and BE-2024-0043",
    ],
    "ip_address": [
        "Download node-v20.11.0-linux-x64.tar.xz",
        "Kernel 6.5.0-14-generic",
        "The ratio is 1:2:3:4",
        "Go to chapter 4.1.2.3 for details.",
        "Use TLS 1.2 or 1.3 only.",
        "C++ namespaces: boost::asio::ip::tcp",
        "Time 23:59:59.999",
        "Dewey decimal 005.133",
        "Bitcoin price 42,123.45",
        "The spec says 3.14.15.92 is a section id",
        "IPv4 addresses have four octets.",
        "Set the timeout to 0.5 seconds.",
        "Log level DEBUG:root:started",
        "Map keys a::b::c in Rust paths like std::collections::HashMap",
        "The server port is 8080.",
        "Semantic version 2.0.0-rc.1+build.123",
        "Range 10-20, 30-40",
        "Hours 9:00-17:00",
        "Matrix 1 0 0 1 identity",
        "SNMP community public on port 161",
    ],
}

VALUE = {
    "email": lambda: email_special() if R.random() < 0.1 else email(),
    "phone": lambda: R.choice([phone_us, phone_us, phone_intl, phone_national])(),
    "credit_card": lambda: fmt_card(R.choice(TEST_CARDS)) if R.random() < 0.3 else card_number(),
    "ssn": ssn,
    "iban": lambda: print_iban(iban_raw()),
    "ip_address": lambda: ipv6() if R.random() < 0.35 else ipv4(),
}

# Extra hard negatives made from values: look-alikes that fail the check.
def bad_card():
    pan = card_number().replace(" ", "").replace("-", "")
    last = int(pan[-1])
    pan = pan[:-1] + str((last + R.randint(1, 9)) % 10)
    return fmt_card(pan)


def bad_iban():
    raw = iban_raw()
    chk = int(raw[2:4])
    wrong = "%02d" % ((chk + R.randint(1, 50)) % 97 + 2)
    if wrong == raw[2:4]:
        wrong = "%02d" % ((chk + 1) % 97 + 2)
    return print_iban(raw[:2] + wrong + raw[4:])


def bad_ssn():
    return R.choice(["000-%02d-%04d" % (R.randint(1, 99), R.randint(1, 9999)),
                     "666-%02d-%04d" % (R.randint(1, 99), R.randint(1, 9999)),
                     "9%02d-%02d-%04d" % (R.randint(0, 99), R.randint(1, 99), R.randint(1, 9999)),
                     "%03d-00-%04d" % (R.randint(1, 665), R.randint(1, 9999))])


def bad_ip():
    return R.choice(["%d.%d.%d.%d" % (R.randint(256, 999), R.randint(0, 255), R.randint(0, 255), R.randint(0, 255)),
                     "%d.%d.%d" % (R.randint(1, 255), R.randint(0, 255), R.randint(0, 255)),
                     "v%d.%d.%d.%d" % (R.randint(1, 9), R.randint(0, 20), R.randint(0, 20), R.randint(0, 99))])


BAD = {
    "credit_card": (bad_card, ["Card {X} was rejected: invalid number.", "Typo? {X} fails the checksum.", "Try {X} again."]),
    "iban": (bad_iban, ["IBAN {X} is wrong, please check.", "The bank rejected {X}.", "Old account {X} (typo)."]),
    "ssn": (bad_ssn, ["Number {X} is not a valid SSN.", "Test value {X}", "The form shows {X}."]),
    "ip_address": (bad_ip, ["Invalid address {X} in config.", "Release {X} is out.", "Got {X} from the parser."]),
}


def fill(template, typ, extra_values=None):
    text, ents, i = "", [], 0
    while i < len(template):
        if template.startswith("{{", i):
            text += "{"; i += 2; continue
        if template.startswith("}}", i):
            text += "}"; i += 2; continue
        if template.startswith("{X}", i):
            v = VALUE[typ]() if extra_values is None else extra_values()
            if extra_values is None:
                ents.append({"type": typ, "start": len(text), "end": len(text) + len(v), "value": v})
            text += v; i += 3; continue
        if template.startswith("<<", i):
            j = template.index(">>", i)
            t, v = template[i + 2:j].split(":", 1)
            ents.append({"type": t, "start": len(text), "end": len(text) + len(v), "value": v})
            text += v; i = j + 2; continue
        if template.startswith("{name}", i):
            text += name(); i += 6; continue
        if template.startswith("{city}", i):
            text += R.choice(CITIES); i += 6; continue
        text += template[i]; i += 1
    return text, ents


def main():
    for typ in POS:
        lines = []
        for k in range(170):
            t = POS[typ][k % len(POS[typ])]
            text, ents = fill(t, typ)
            lines.append({"text": text, "entities": ents})
        negs = NEG[typ] + NEG_MORE[typ]
        for t in negs:
            text, ents = fill(t, typ, extra_values=lambda: "")
            lines.append({"text": text, "entities": ents})
        if typ in BAD:
            gen, templates = BAD[typ]
            for k in range(45):
                text, _ = fill(templates[k % len(templates)], typ, extra_values=gen)
                lines.append({"text": text, "entities": []})
        # de-duplicate exact texts, shuffle, assign splits
        seen, uniq = set(), []
        for l in lines:
            if l["text"] not in seen:
                seen.add(l["text"]); uniq.append(l)
        R.shuffle(uniq)
        with open("pii-%s.jsonl" % typ.replace("_", "-"), "w") as f:
            for n, l in enumerate(uniq):
                l["split"] = "dev" if n % 2 == 0 else "holdout"
                f.write(json.dumps(l, ensure_ascii=False) + "\n")
        print(typ, len(uniq), "lines,", sum(1 for l in uniq if l["entities"]), "with PII")


if __name__ == "__main__":
    main()
