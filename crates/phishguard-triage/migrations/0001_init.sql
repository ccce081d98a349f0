-- phishguard triage store, version 1.
-- Times are Unix seconds (UTC). `seen_ts` is the message's Date header when it has a
-- sane one, else the time it was ingested: it is what first/last seen are taken from.

CREATE TABLE runs (
    id            INTEGER PRIMARY KEY,
    started_ts    INTEGER NOT NULL,
    finished_ts   INTEGER,
    inputs        TEXT NOT NULL,
    analysed      INTEGER NOT NULL DEFAULT 0,
    known         INTEGER NOT NULL DEFAULT 0,
    errors        INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE campaigns (
    id            INTEGER PRIMARY KEY,
    -- sha256 of the message that started the campaign (a stable name across databases)
    seed_sha256   TEXT NOT NULL UNIQUE,
    created_run   INTEGER NOT NULL REFERENCES runs(id)
);

CREATE TABLE messages (
    id              INTEGER PRIMARY KEY,
    sha256          TEXT NOT NULL UNIQUE,   -- of the raw bytes (LF line ends, trailing space dropped)
    source          TEXT NOT NULL,          -- path, path#N for mbox messages
    run_id          INTEGER NOT NULL REFERENCES runs(id),
    size            INTEGER NOT NULL,
    kind            TEXT NOT NULL,          -- mail | sms
    verdict         TEXT NOT NULL,          -- legitimate | suspicious | phishing
    score           REAL NOT NULL,
    brand           TEXT,
    brand_name      TEXT,
    sender_shown    TEXT,
    sender_address  TEXT,
    sender_domain   TEXT,
    subject         TEXT NOT NULL,
    date_ts         INTEGER,                -- from the Date header
    seen_ts         INTEGER NOT NULL,
    sending_ip      TEXT,                   -- topmost public IP in Received
    truncated       INTEGER NOT NULL,
    minhash         BLOB,                   -- clustering signature (MinHash, 128 x u32 LE)
    campaign_id     INTEGER REFERENCES campaigns(id)
);

CREATE TABLE reasons (
    message_id  INTEGER NOT NULL REFERENCES messages(id),
    check_id    TEXT NOT NULL,
    weight      REAL NOT NULL,
    evidence    TEXT NOT NULL               -- JSON array, as in `scan --json`
);

CREATE TABLE links (
    message_id  INTEGER NOT NULL REFERENCES messages(id),
    idx         INTEGER NOT NULL,
    href        TEXT NOT NULL,
    host        TEXT,
    domain      TEXT,
    origin      TEXT NOT NULL
);

CREATE TABLE attachments (
    message_id    INTEGER NOT NULL REFERENCES messages(id),
    idx           INTEGER NOT NULL,
    name          TEXT,
    content_type  TEXT NOT NULL,
    size          INTEGER NOT NULL,
    sha256        TEXT NOT NULL
);

-- LSH buckets of the MinHash signatures: messages that share a bucket are compared.
CREATE TABLE lsh (
    band        INTEGER NOT NULL,
    bucket      INTEGER NOT NULL,
    message_id  INTEGER NOT NULL REFERENCES messages(id),
    PRIMARY KEY (band, bucket, message_id)
) WITHOUT ROWID;
