"""One bad registry per rule: an edit of tests/registries/minimal.toml and its exact message
(tests/test_validate.py runs them; tests/test_jsonschema.py holds the JSON Schema to
them)."""

# (rule, text to replace, replacement, every problem expected, "{path}" for the file)
CASES = [
    (
        "unknown key",
        'focus = "IT and telecom"',
        'focus = "IT and telecom"\ncolour = "red"',
        [
            "{path}:42: cluster #1 'compare': colour: unknown key; remove it, or use one of:"
            " id, name, region, city, kommun, kommun_code, website, focus, focus_sv, aliases,"
            " now_called, founded, founded_note, kind, label, note, note_sv, s3_area, eccp_url,"
            " events, sources"
        ],
    ),
    (
        "an id that is not a string",
        'id = "compare"',
        'id = ["compare"]',
        ["{path}:36: cluster #1: id: must be a string, not an array"],
    ),
    (
        "missing key",
        'name = "Compare"\n',
        "",
        ["{path}:35: cluster #1 'compare': name: missing; add it"],
    ),
    (
        "wrong type",
        "applications = 40",
        'applications = "40"',
        ["{path}:9: [program]: applications: must be an integer, not a string"],
    ),
    (
        "negative count",
        "selected = 22",
        "selected = -22",
        ["{path}:10: [program]: selected: -22 is negative; give a count"],
    ),
    (
        "empty string",
        'city = "Karlstad"',
        'city = "  "',
        ["{path}:39: cluster #1 'compare': city: is empty; give a value or remove the key"],
    ),
    (
        "control character",
        'focus = "IT and telecom"',
        'focus = "IT\\u001b[31m"',
        [
            "{path}:41: cluster #1 'compare': focus: 'IT\\x1b[31m' holds a control character"
            " (U+001B); remove it"
        ],
    ),
    (
        "NUL",
        'focus = "IT and telecom"',
        'focus = "IT\\u0000"',
        [
            "{path}:41: cluster #1 'compare': focus: 'IT\\x00' holds a control character"
            " (U+0000); remove it"
        ],
    ),
    (
        "too long",
        'focus = "IT and telecom"',
        'focus = "' + "x" * 1001 + '"',
        ["{path}:41: cluster #1 'compare': focus: is 1001 characters long; the limit is 1000"],
    ),
    (
        "duplicate id",
        'id = "paper-province"',
        'id = "compare"',
        [
            "{path}:44: cluster #2 'compare': id: 'compare' is used by cluster #1 'compare'"
            " already; make it unique"
        ],
    ),
    (
        "duplicate name, other case",
        'name = "Paper Province"',
        'name = "COMPARE"',
        [
            "{path}:45: cluster #2 'paper-province': name: 'COMPARE' is used by cluster #1"
            " 'compare' already; make it unique"
        ],
    ),
    (
        "dangling region",
        'name = "Paper Province"\nregion = "SE-S"',
        'name = "Paper Province"\nregion = "SE-X"',
        [
            "{path}:46: cluster #2 'paper-province': region: 'SE-X' is not the code of a region"
            " in this registry; use one such as SE-S (see 's3pilot regions')"
        ],
    ),
    (
        "website not http",
        'website = "https://compare.se"',
        'website = "ftp://compare.se"',
        [
            "{path}:40: cluster #1 'compare': website: 'ftp://compare.se' is not an http://"
            " or https:// address (without a user name or password)"
        ],
    ),
    (
        "website with a password",
        'website = "https://compare.se"',
        'website = "https://admin:secret@compare.se"',
        [
            "{path}:40: cluster #1 'compare': website: 'https://admin:secret@compare.se' is not"
            " an http:// or https:// address (without a user name or password)"
        ],
    ),
    (
        "id not a slug",
        'id = "compare"',
        'id = "Compare AB"',
        [
            "{path}:36: cluster #1: id: 'Compare AB' is not a lower-case ASCII slug like"
            " paper-province"
        ],
    ),
    (
        "lan_code pattern",
        'lan_code = "17"',
        'lan_code = "7"',
        ["{path}:21: region #1 'SE-S': lan_code: '7' is not two digits"],
    ),
    (
        "lan_code as a number",
        'lan_code = "17"',
        "lan_code = 17",
        ["{path}:21: region #1 'SE-S': lan_code: must be a string, not an integer"],
    ),
    (
        "code pattern",
        'code = "SE-C"',
        'code = "Uppsala"',
        ["{path}:28: region #2: code: 'Uppsala' is not an ISO code like SE-S"],
    ),
    (
        "duplicate lan_code",
        'lan_code = "03"',
        'lan_code = "17"',
        [
            "{path}:29: region #2 'SE-C': lan_code: '17' is used by region #1 'SE-S' already;"
            " make it unique"
        ],
    ),
    (
        "phone pattern",
        'phone = "08-681 94 51"',
        'phone = "ring Ewa"',
        [
            "{path}:17: contact #1 'Ewa Andersson': phone: 'ring Ewa' is not a phone number"
            " (digits, spaces, hyphens, + first)"
        ],
    ),
    (
        "email pattern",
        'email_pattern = "{first}.{last}@tillvaxtverket.se"',
        'email_pattern = "{first}.{surname}@tillvaxtverket.se"',
        [
            "{path}:13: [program]: email_pattern: '{first}.{surname}@tillvaxtverket.se' may use"
            " only {first} and {last}"
        ],
    ),
    (
        "aliases not an array",
        'aliases = ["The Paper Province"]',
        'aliases = "The Paper Province"',
        [
            "{path}:47: cluster #2 'paper-province': aliases: must be an array of strings,"
            " not a string"
        ],
    ),
    (
        "alias not a string",
        'aliases = ["The Paper Province"]',
        'aliases = ["The Paper Province", 3]',
        ["{path}:47: cluster #2 'paper-province': aliases[2]: must be a string, not an integer"],
    ),
    (
        "separator in an alias",
        'aliases = ["The Paper Province"]',
        'aliases = ["The Paper Province", "PP; Paper"]',
        [
            "{path}:47: cluster #2 'paper-province': aliases[2]: 'PP; Paper' holds ';', which"
            " the text formats use between items; split it into two items"
        ],
    ),
    (
        "separator in an offer",
        'offers = ["utbildningar", "nätverksträffar"]',
        'offers = ["utbildningar;nätverksträffar"]',
        [
            "{path}:11: [program]: offers[1]: 'utbildningar;nätverksträffar' holds ';', which"
            " the text formats use between items; split it into two items"
        ],
    ),
    (
        "label year 0000",
        'aliases = ["The Paper Province"]',
        'aliases = ["The Paper Province"]\nlabel = "Gold 0000"',
        [
            "{path}:48: cluster #2 'paper-province': label: 'Gold 0000' is not a level (Bronze,"
            " Silver, Gold) and a year from 2009 on, like Bronze 2018"
        ],
    ),
    (
        "label year still to come",
        'aliases = ["The Paper Province"]',
        'aliases = ["The Paper Province"]\nlabel = "Silver 2099"',
        [
            "{path}:48: cluster #2 'paper-province': label: 'Silver 2099' is from a year still"
            " to come; give the year it was given"
        ],
    ),
    (
        "kickoff year 0000",
        'email_pattern = "{first}.{last}@tillvaxtverket.se"',
        'email_pattern = "{first}.{last}@tillvaxtverket.se"\nkickoff = "0000-08"',
        ["{path}:14: [program]: kickoff: '0000-08' is not a month like 2018-08"],
    ),
    (
        "call_opened year 0000",
        'email_pattern = "{first}.{last}@tillvaxtverket.se"',
        'email_pattern = "{first}.{last}@tillvaxtverket.se"\ncall_opened = "0000-03-26"',
        ["{path}:14: [program]: call_opened: '0000-03-26' is not a real date like 2026-11-27"],
    ),
    (
        "first_year after last_year",
        'email_pattern = "{first}.{last}@tillvaxtverket.se"',
        'email_pattern = "{first}.{last}@tillvaxtverket.se"\nfirst_year = 2021\nlast_year = 2018',
        [
            "{path}:15: [program]: last_year: 2018 is before first_year, 2021; give the years"
            " in their order"
        ],
    ),
    (
        "region source not a table",
        "schema_version = 1",
        'schema_version = 1\nregion_sources = ["https://sv.wikipedia.org/wiki/Kommunkod"]',
        ["{path}:3: region_source #1: must be a table, not a string"],
    ),
    (
        "region sources of mixed kinds",
        "schema_version = 1",
        "schema_version = 1\nregion_sources = [\n  1,\n"
        '  { url = "https://x.se/", fields = ["code"], read = "2026-11-30" },\n  "x",\n]',
        [
            "{path}:4: region_source #1: must be a table, not an integer",
            "{path}:6: region_source #3: must be a table, not a string",
        ],
    ),
    (
        "unknown schema_version",
        "schema_version = 1",
        "schema_version = 2",
        [
            "{path}:2: top level: schema_version: version 2 is not supported; this s3pilot"
            " reads version 1 (a newer s3pilot may read it)"
        ],
    ),
    (
        "missing schema_version",
        "schema_version = 1\n",
        "",
        ["{path}: top level: schema_version: missing; add 'schema_version = 1'"],
    ),
    (
        "unknown top-level table",
        "schema_version = 1",
        "schema_version = 1\n[extras]\nx = 1",
        [
            "{path}: top level: extras: unknown key; remove it, or use one of: schema_version,"
            " program, contacts, regions, clusters, region_sources"
        ],
    ),
    (
        "TOML syntax",
        "applications = 40",
        "applications = ",
        ["{path}:9:16: TOML syntax error: Invalid value; fix that line"],
    ),
]
